"""The import_scores command: the long format, all or nothing, every error named by row and column."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from assessment import services
from assessment.models import Adjustment, AuditEntry, IndicatorScore, MonthOverride, Period, PeriodStatus, ProjectScore

HEADER = "年度,月份,单位,考评项,分值,说明"


def write_csv(tmp_path, *lines, bom=False, name="scores.csv"):
    path = tmp_path / name
    text = "\n".join([HEADER, *lines]) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def write_xlsx(tmp_path, rows, header=None, name="scores.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER.split(","))
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run_import(path, *args):
    """Run the command; return (exit status, stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_scores", str(path), *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def counts():
    return (
        Period.objects.count(),
        ProjectScore.objects.count(),
        IndicatorScore.objects.count(),
        Adjustment.objects.count(),
        MonthOverride.objects.count(),
        AuditEntry.objects.count(),
    )


def test_csv_with_bom_imports_every_kind_of_item(reference_data, tmp_path):
    path = write_csv(
        tmp_path,
        "2020,9,义安区,4,1.45,“四好农村路”进度慢",
        "2020,9,义安区,5,—,",
        "2020,9,义安区,加扣分,0.1,省民生网站刊登信息",
        "2020,9,义安区,加扣分,-0.05,部分项目点未使用民生工程标识牌",
        "2020,9,商务局,项目进展,1,",
        "2020,9,市商务局,工作推进情况,0.5,",
        "2020,8,市水利局,月度得分,1.425,",
        "2020,3,市城管执法局,未纳入考评,,",
        bom=True,
    )
    status, out, err = run_import(path)
    assert (status, err) == (0, "")
    assert "已导入 8 行" in out
    score = ProjectScore.objects.get(region__name="义安区", project__code="4")
    assert (score.score, score.reason) == (Decimal("1.450"), "“四好农村路”进度慢")
    assert ProjectScore.objects.get(region__name="义安区", project__code="5").not_applicable
    categories = set(Adjustment.objects.values_list("category", flat=True))
    assert categories == {"information_adopted", "signboard"}
    assert IndicatorScore.objects.filter(department__name="市商务局").count() == 2
    assert MonthOverride.objects.get(unit__name="市城管执法局").kind == "not_assessed"
    assert MonthOverride.objects.get(unit__name="市水利局").score == Decimal("1.425")


def test_xlsx_number_cells_are_read_exactly_never_through_float(reference_data, tmp_path):
    path = write_xlsx(tmp_path, [[2020, 9, "铜官区", "4", 1.315, "进度慢"], [2020, 9, "铜官区", "6", "1.4", "慢"]])
    status, _, err = run_import(path)
    assert status == 0, err
    values = dict(ProjectScore.objects.values_list("project__code", "score"))
    assert values == {"4": Decimal("1.315"), "6": Decimal("1.400")}


def test_importing_again_replaces_values_and_adjustment_sets(reference_data, tmp_path):
    first = write_csv(
        tmp_path,
        "2020,9,郊区,4,1.4,慢",
        "2020,9,郊区,加扣分,-0.05,标识牌",
        "2020,9,郊区,加扣分,0.05,信息采用",
        name="a.csv",
    )
    assert run_import(first)[0] == 0
    second = write_csv(tmp_path, "2020,9,郊区,4,1.5,", "2020,9,郊区,加扣分,0.1,省网站采用", name="b.csv")
    assert run_import(second)[0] == 0
    assert ProjectScore.objects.get(region__name="郊区", project__code="4").score == Decimal("1.500")
    assert list(Adjustment.objects.values_list("points", "reason")) == [(Decimal("0.100"), "省网站采用")]


def test_dry_run_reports_changes_and_writes_nothing(reference_data, tmp_path):
    path = write_csv(tmp_path, "2020,9,义安区,4,1.45,慢")
    before = counts()
    status, out, _ = run_import(path, "--dry-run")
    assert status == 0
    assert "义安区" in out and "→ 1.450" in out and "未写入" in out
    assert counts() == before


def test_import_is_audited_and_results_are_derived(reference_data, tmp_path):
    path = write_csv(tmp_path, "2020,9,义安区,4,1.45,慢")
    run_import(path)
    entry = AuditEntry.objects.get(action__startswith="score.")
    assert (entry.old_value, entry.new_value, entry.username, entry.actor_name) == ("", "1.450", "", "系统")
    result = Period.objects.get(month=9).results.get(unit__name="义安区")
    assert result.score is None and "4" not in result.missing and "1" in result.missing


BAD_ROWS = [
    ("2020,9,义安区,4,1.6,", "第2行 分值", "得分应在 0 到"),
    ("2020,9,义安区,4,-0.1,扣分", "第2行 分值", "得分应在 0 到"),
    ("2020,9,义安区,4,abc,", "第2行 分值", "不是有效的数字"),
    ("2020,9,义安区,4,1.4555,慢", "第2行 分值", "最多保留 3 位小数"),
    ("2020,9,不存在区,4,1.5,", "第2行 单位", "找不到单位"),
    ("2020,9,义安区,99,1.5,", "第2行 考评项", "不是2020年的项目编号"),
    ("2020,9,市商务局,4,1.5,", "第2行 单位", "不是县区"),
    ("2020,9,义安区,项目进展,1,", "第2行 单位", "不是责任单位"),
    ("2020,9,义安区,4,1.4,", "第2行 说明", "请填写扣分原因"),
    ("2020,9,义安区,加扣分,0.05,", "第2行 说明", "必须填写原因"),
    ("2020,9,义安区,加扣分,0,原因", "第2行 分值", "不能为 0"),
    ("2020,9,义安区,加扣分,5,督查发现问题", "第2行 分值", "（现为 +5.000）"),
    ("2020,9,市交通局,加扣分,-3,督查发现问题", "第2行 分值", "（现为 -3.000）"),
    ("2020,13,义安区,4,1.5,", "第2行 月份", "1–12"),
    ("2020,0,义安区,4,1.5,", "第2行 月份", "1–12"),
    ("2019,9,义安区,4,1.5,", "第2行 年度", "没有2019年"),
    ("二零二零,9,义安区,4,1.5,", "第2行 年度", "不是有效的数字"),
    ("2020,9,市商务局,项目进展,1.2,", "第2行 分值", "得分应在 0 到"),
    ("2020,9,市商务局,未纳入考评,1.5,", "第2行 分值", "应为空"),
    ("2020,9,义安区,,1.5,", "第2行 考评项", "请填写考评项"),
    ("2020,9,义安区,4,,", "第2行 分值", "请填写分值"),
]


@pytest.mark.parametrize(("line", "where", "why"), BAD_ROWS)
def test_bad_row_is_refused_with_row_and_column_and_nothing_is_written(reference_data, tmp_path, line, where, why):
    path = write_csv(tmp_path, "2020,9,铜官区,4,1.5,", line)
    before = counts()
    status, out, err = run_import(path)
    assert status == 1
    expected = where.replace("第2行", "第3行")
    assert any(msg.startswith(expected) and why in msg for msg in err.splitlines()), err
    assert "Traceback" not in err
    assert counts() == before


def test_duplicate_row_names_the_first_occurrence(reference_data, tmp_path):
    path = write_csv(tmp_path, "2020,9,义安区,4,1.5,", "2020,9,义安区,4,1.4,慢")
    status, _, err = run_import(path)
    assert status == 1
    assert "第3行 考评项：与第2行重复。" in err
    assert ProjectScore.objects.count() == 0


def test_every_error_is_reported_not_only_the_first(reference_data, tmp_path):
    path = write_csv(tmp_path, "2020,9,义安区,4,9,", "2020,9,无名,4,1.5,", "2020,9,义安区,5,1.5,")
    status, _, err = run_import(path)
    assert status == 1
    assert "第2行 分值" in err and "第3行 单位" in err
    assert "共 2 处错误" in err


def test_formula_cells_are_refused(reference_data, tmp_path):
    path = write_xlsx(tmp_path, [[2020, 9, "义安区", "4", "=1.4+0.1", ""]])
    status, _, err = run_import(path)
    assert status == 1
    assert "第2行 分值：不能使用公式" in err
    assert ProjectScore.objects.count() == 0


def test_missing_columns_are_named(reference_data, tmp_path):
    path = write_xlsx(tmp_path, [[2020, 9, "义安区", "4"]], header=["年度", "月份", "单位", "考评项"])
    status, _, err = run_import(path)
    assert status == 1
    assert "第1行 表头：缺少列 分值、说明" in err


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("empty.csv", b"", "文件是空的"),
        ("header-only.csv", (HEADER + "\n").encode(), "只有表头"),
        ("corrupt.xlsx", b"PK\x03\x04 not really a workbook", "不是有效的 Excel"),
        ("gbk.csv", (HEADER + "\n2020,9,义安区,4,1.5,\n").encode("gbk"), "不是 UTF-8"),
        ("scores.txt", b"whatever", "不支持的文件类型"),
    ],
)
def test_empty_or_corrupt_files_are_refused(reference_data, tmp_path, name, content, why):
    path = tmp_path / name
    path.write_bytes(content)
    status, _, err = run_import(path)
    assert status == 1
    assert why in err
    assert counts()[0] == 0


def test_a_published_period_refuses_the_import(reference_data, tmp_path):
    period = services.get_or_create_period(year=2020, month=8)
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    before = counts()
    path = write_csv(tmp_path, "2020,9,义安区,4,1.5,", "2020,8,义安区,4,1.5,")
    status, _, err = run_import(path)
    assert status == 1
    assert "第3行 月份：2020年8月已发布" in err
    assert "第2行 月份：8月已发布，修改9月" not in err
    assert counts() == before


def test_an_earlier_month_is_refused_when_a_later_month_is_published(reference_data, tmp_path):
    period = services.get_or_create_period(year=2020, month=9)
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    path = write_csv(tmp_path, "2020,8,义安区,4,1.5,")
    status, _, err = run_import(path)
    assert status == 1
    assert "第2行 月份：9月已发布" in err


def test_rankings_json_is_one_object_with_three_decimal_strings(reference_data, tmp_path, capsys):
    path = write_csv(
        tmp_path, "2020,9,义安区,月度得分,1.5,", "2020,9,铜官区,月度得分,1.4985,", "2020,9,郊区,月度得分,1.4,"
    )
    assert run_import(path)[0] == 1  # 1.4985 has four decimals
    path = write_csv(
        tmp_path, "2020,9,义安区,月度得分,1.5,", "2020,9,铜官区,月度得分,1.5,", "2020,9,郊区,月度得分,1.4,"
    )
    assert run_import(path)[0] == 0
    call_command("rankings", "--year", "2020", "--month", "9", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert (payload["year"], payload["month"]) == (2020, 9)
    first = payload["regions"][0]
    assert {k: first[k] for k in ("unit", "score", "rank", "ytd_score", "ytd_rank", "imputed_months")} == {
        "unit": "义安区",
        "score": "1.500",
        "rank": 1,
        "ytd_score": "1.500",
        "ytd_rank": 1,
        "imputed_months": [],
    }
    assert [r["unit"] for r in payload["regions"][:3]] == ["义安区", "铜官区", "郊区"]
    assert payload["regions"][1]["rank"] == 1
    assert payload["regions"][2]["rank"] == 3


def test_rankings_text_table_and_unknown_period(reference_data, capsys):
    services.get_or_create_period(year=2020, month=9)
    call_command("rankings", "--year", "2020", "--month", "9")
    out = capsys.readouterr().out
    assert "9月份民生工程排名情况汇总表" in out and "县区排名" in out and "尚未录入完整" in out
    with pytest.raises(SystemExit) as exit_:
        call_command("rankings", "--year", "2020", "--month", "10")
    assert exit_.value.code == 1
