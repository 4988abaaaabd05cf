"""`manage.py generate_demo`: a plausible year of any size; development only, explicitly."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.models import Period, PeriodStatus, ProjectScore, ResultSummary, UnitResult
from minsheng.devguard import require_explicit_debug
from projects.models import AssessmentYear, Unit

ARGS = ["--regions", "4", "--departments", "11", "--projects", "6", "--months", "3", "--year", "2093"]


@pytest.mark.parametrize("value", ["", "0", "yes", "on"])
def test_it_refuses_unless_debug_is_set_explicitly(monkeypatch, db, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("generate_demo", *ARGS)
    assert not AssessmentYear.objects.filter(year=2093).exists()


def test_the_guard_accepts_1_and_true(monkeypatch):
    for value in ("1", "true", "TRUE"):
        monkeypatch.setenv("DEBUG", value)
        require_explicit_debug("测试")


def test_it_refuses_while_other_units_are_active(monkeypatch, reference_data):
    monkeypatch.setenv("DEBUG", "1")
    with pytest.raises(CommandError, match="--deactivate-others"):
        call_command("generate_demo", *ARGS)
    assert not AssessmentYear.objects.filter(year=2093).exists()


def test_it_generates_a_derived_year_of_the_given_size(monkeypatch, reference_data):
    monkeypatch.setenv("DEBUG", "1")
    out = io.StringIO()
    call_command("generate_demo", *ARGS, "--deactivate-others", stdout=out)
    assert "已停用原有的 27 个单位" in out.getvalue()
    year = AssessmentYear.objects.get(year=2093)
    periods = list(Period.objects.filter(year=year).order_by("month"))
    assert [p.status for p in periods] == [PeriodStatus.PUBLISHED, PeriodStatus.PUBLISHED, PeriodStatus.OPEN]
    assert periods[0].notice_date.isoformat() == "2093-02-16"
    assert Unit.objects.filter(is_active=True).count() == 15
    excluded = year.projects.first().excluded_regions.count()
    assert ProjectScore.objects.filter(period=periods[0]).count() == 4 * 6 - excluded
    assert UnitResult.objects.filter(period__year=year).count() == 3 * 15
    assert not UnitResult.objects.filter(period__year=year).exclude(missing=[]).exists()  # complete months
    assert UnitResult.objects.filter(period=periods[0], imputed=True).count() == 2  # 未纳入考评 in Q1
    assert ResultSummary.objects.filter(period__year=year).count() == 3 * 2
    with pytest.raises(CommandError, match="2093"):
        call_command("generate_demo", *ARGS, "--deactivate-others", stdout=io.StringIO())


def test_the_same_seed_gives_the_same_year(monkeypatch, reference_data):
    from assessment.synthetic import generate_year

    Unit.objects.update(is_active=False)
    first = generate_year(year=2094, regions=3, departments=4, projects=4, months=1, seed=9)
    second = generate_year(
        year=2095, regions=3, departments=4, projects=4, months=1, seed=9, units=(first.regions, first.departments)
    )

    def scores(generated):
        return sorted(
            (s.region_id, s.project.code, s.score, s.reason)
            for s in ProjectScore.objects.filter(period=generated.periods[0]).select_related("project")
        )

    assert scores(first) == scores(second)
