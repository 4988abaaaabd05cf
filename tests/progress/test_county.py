"""A county office starts from nothing: its year from import_reference, then progress and information
from Excel; progress_summary --json gives the seed's 小结 figures (shared/seeds/002_*)."""

import io
import json

import pytest
from django.core.management import call_command

from assessment.selectors.progress import progress_overview
from assessment.selectors.progress_pages import summary_figures
from assessment.summary_wording import summary_document
from projects.models import AssessmentYear, Project, Target, Unit, UnitKind

from .county import DEPARTMENTS, EXPECTED, TOWNS, load_county


@pytest.fixture
def county(db, tmp_path):
    load_county(tmp_path)
    return AssessmentYear.objects.get(year=2021)


def run_json(year=2021, month=6) -> dict:
    out = io.StringIO()
    call_command("progress_summary", "--year", str(year), "--month", str(month), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_county_reference_has_its_own_labels(county):
    assert (county.region_label, county.department_label, county.office_name) == ("镇", "县直部门", "南陵县民生办")
    assert (
        list(Unit.objects.filter(kind=UnitKind.REGION).values_list("name", flat=True).order_by("display_order"))
        == TOWNS
    )
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == len(DEPARTMENTS)
    assert Project.objects.filter(year=county).count() == 30
    assert Project.objects.get(year=county, code="10").excluded_regions.get().name == "三里镇"
    assert Project.objects.get(year=county, code="1").get_project_type_display() == "工程类"


def test_progress_summary_json_is_the_seeds(county):
    data = run_json()
    for key, value in EXPECTED.items():
        assert data[key] == value, key
    units = {entry["unit"]: entry for entry in data["units"]}
    assert list(units) == TOWNS + DEPARTMENTS
    assert units["籍山镇"]["lagging"] == ["2"] and units["弋江镇"]["lagging"] == ["2"]
    assert units["许镇镇"]["lagging"] == ["3"]
    assert units[DEPARTMENTS[0]]["lagging"] == ["13"]
    assert sum(entry["reported"] for entry in data["units"]) == 513
    assert set(units["籍山镇"]) == {
        "unit",
        "budget",
        "paid",
        "paid_rate",
        "lagging",
        "reported",
        "city_adopted",
        "province_adopted",
        "adoption_rate",
    }


def test_a_unit_without_targets_has_no_money_keys(county):
    Target.objects.filter(unit__name="县教育局").delete()
    entry = next(e for e in run_json()["units"] if e["unit"] == "县教育局")
    assert "budget" not in entry and "paid" not in entry and "paid_rate" not in entry
    assert entry["reported"] > 0


def test_the_summary_sentences(county):
    sentences = summary_document(summary_figures(progress_overview(year=county, month=6))).sentences
    assert sentences[0] == "截止6月底，南陵县30项民生工程共计拨付资金6.69亿元，占年度预算的63.78%。"
    assert "均已完成全年目标任务" in sentences[1]
    assert "1-6月，全县保障各类补助人员63.68万人次，发放补助资金4.1亿元。" in sentences
    assert sentences[-1] == (
        "1-6月份，我县共报送民生工程信息513条。其中，市民生网采用信息248条，采用率48.34%，省民生网采用信息60条。"
    )


def test_march_shows_march(county):
    data = run_json(month=3)
    assert data["completed_projects"] == []
    assert data["information"]["reported"] < 513


def test_readable_tables(county):
    out = io.StringIO()
    call_command("progress_summary", "--year", "2021", "--month", "6", stdout=out)
    assert "共计拨付资金6.69亿元" in out.getvalue() and "籍山镇" in out.getvalue()


def test_an_unknown_year_exits_1(db):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "progress_summary", "--year", "1999", "--month", "6", "--json", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert exit_.value.code == 1


def test_importing_again_changes_nothing(county, tmp_path):
    from .county import build_files

    _, progress, information = build_files(tmp_path)
    out = io.StringIO()
    call_command("import_progress", str(progress), "--dry-run", stdout=out)
    assert "将变更 0 项" in out.getvalue()
    out = io.StringIO()
    call_command("import_information", str(information), stdout=out)
    assert "变更 0 项" in out.getvalue()
