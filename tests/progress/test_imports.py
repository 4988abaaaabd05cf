"""The import commands' contract: all or nothing, errors `[工作表 ]第N行 列名：原因`, exit 1, nothing written."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from assessment.models import AuditEntry, Period, PeriodStatus
from projects.models import AssessmentYear, InformationReport, Progress, Project, Target, Unit

from .county import PROGRESS_HEADER, write_reference


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def xlsx(path, rows, header=PROGRESS_HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def county(db, tmp_path):
    code, _, err = run("import_reference", write_reference(tmp_path / "ref.xlsx"))
    assert code == 0, err
    return AssessmentYear.objects.get(year=2021)


def target_row(unit="籍山镇", project="1", quantity=20, budget=100.5, due=None):
    return [2021, None, unit, project, quantity, "公里", budget, due, None, None, None, None]


def month_row(month, unit="籍山镇", project="1", completed=5, paid=10, people=None, note=None):
    return [2021, month, unit, project, None, None, None, None, completed, paid, people, note]


# --- import_reference -------------------------------------------------------------------------------------------


def test_reference_dry_run_writes_nothing(db, tmp_path):
    code, out, _ = run("import_reference", write_reference(tmp_path / "ref.xlsx"), "--dry-run")
    assert code == 0 and "检查通过（未写入）" in out
    assert not AssessmentYear.objects.exists() and not Unit.objects.exists()


def test_reference_errors_name_sheet_row_and_column(db, tmp_path):
    from openpyxl import load_workbook

    path = write_reference(tmp_path / "ref.xlsx")
    book = load_workbook(path)
    book["单位"]["C3"] = "街道"
    book["项目"]["E4"] = "基建类"
    book["项目"]["F5"] = "籍山镇"
    book["项目"]["H6"] = "不存在镇"
    book["指标"]["B2"] = "1.2345"
    book.save(path)
    code, _, err = run("import_reference", path)
    assert code == 1
    assert "单位 第3行 类别：“街道”无效，应为“镇”或“县直部门”" in err
    assert "项目 第4行 类型：“基建类”无效" in err
    assert "项目 第5行 责任部门：“籍山镇”不是县直部门" in err
    assert "项目 第6行 不适用的县区：“不存在镇”不是镇" in err
    assert "指标 第2行 满分：“1.2345”最多保留 3 位小数" in err
    assert "未写入任何数据" in err
    assert not AssessmentYear.objects.exists() and not Unit.objects.exists()


def test_reference_missing_sheet(db, tmp_path):
    book = Workbook()
    book.active.title = "年度"
    book.save(tmp_path / "bad.xlsx")
    code, _, err = run("import_reference", tmp_path / "bad.xlsx")
    assert code == 1 and "缺少工作表“单位”" in err


def test_reference_updates_a_year(county, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "ref.xlsx"
    book = load_workbook(path)
    book["项目"]["D2"] = "改名的项目"
    book.save(path)
    code, out, _ = run("import_reference", path)
    assert code == 0 and "项目 新增 0 项、更新 30 项" in out
    assert Project.objects.get(year=county, code="1").name == "改名的项目"


# --- import_progress --------------------------------------------------------------------------------------------


def test_excel_number_cells_are_exact(county, tmp_path):
    path = xlsx(tmp_path / "p.xlsx", [target_row(budget=1234.56), month_row(3, paid=0.1 + 0.2 - 0.3 + 617.28)])
    code, _, err = run("import_progress", path)
    assert code == 0, err
    target = Target.objects.get()
    assert target.budget == Decimal("1234.56") and target.due_month is None
    assert Progress.objects.get().paid == Decimal("617.28")
    assert AuditEntry.objects.filter(action="target.created").count() == 1
    assert AuditEntry.objects.filter(action="progress.created", period__month=3).count() == 1


def test_csv_and_due_month(county, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        ",".join(PROGRESS_HEADER) + "\n2021,,籍山镇,1,20,公里,100,10,,,,\n2021,,县民政局,14,50,人,10,9,,,,\n",
        encoding="utf-8-sig",
    )
    code, _, err = run("import_progress", path)
    assert code == 0, err
    assert Target.objects.get(unit__name="籍山镇").due_month == 10
    assert Target.objects.get(unit__name="县民政局").due_month is None  # 补助类: ignored


def test_progress_errors(county, tmp_path):
    rows = [
        target_row(),
        target_row(unit="三里镇", project="10"),  # not applicable
        target_row(unit="县民政局", project="1"),  # not its responsible department
        month_row(3, completed="abc"),
        month_row(4, paid="1.234"),
        month_row(5, unit="弋江镇"),  # no target
        [2021, 6, "籍山镇", "1", 20, None, None, None, 5, 10, None, None],  # target column in a month row
        month_row(7, project="99"),
        month_row(8, completed=-1),
        month_row(9, people=1.5),
        month_row(3, unit="不存在"),
        target_row(),
        [2021, 10, "籍山镇", "1", None, None, None, None, "=1+1", 1, None, None],
    ]
    code, _, err = run("import_progress", xlsx(tmp_path / "p.xlsx", rows))
    assert code == 1
    for expected in (
        "第3行 单位：项目 10 不适用于三里镇",
        "第4行 单位：项目 1 的责任部门是县交通运输局，不是县民政局",
        "第5行 累计完成：“abc”不是有效的数字",
        "第6行 累计拨付：“1.234”最多保留 2 位小数",
        "第8行 目标任务：有月份的行是进度行",
        "第9行 项目：“99”不是2021年的项目编号",
        "第10行 累计完成：累计完成不能为负数",
        "第11行 累计受益人次：累计受益人次“1.5”无效",
        "第12行 单位：找不到单位“不存在”",
        "第13行 项目：与第2行重复",
        "第14行 累计完成：不能使用公式",
    ):
        assert expected in err, expected
    assert not Target.objects.exists() and not Period.objects.exists()


def test_month_row_without_target(county, tmp_path):
    code, _, err = run("import_progress", xlsx(tmp_path / "p.xlsx", [month_row(5, unit="弋江镇")]))
    assert code == 1 and "第2行 项目：弋江镇没有项目 1 的目标任务" in err


def test_a_decrease_needs_a_reason(county, tmp_path):
    run("import_progress", xlsx(tmp_path / "a.xlsx", [target_row(), month_row(3, completed=8)]))
    code, _, err = run("import_progress", xlsx(tmp_path / "b.xlsx", [month_row(4, completed=6)]))
    assert code == 1 and "第2行 累计完成：累计完成低于上月（8）" in err
    code, _, err = run("import_progress", xlsx(tmp_path / "c.xlsx", [month_row(4, completed=6, note="更正3月")]))
    assert code == 0, err
    # a month raised above a stored later month
    code, _, err = run("import_progress", xlsx(tmp_path / "d.xlsx", [month_row(2, completed=9)]))
    assert code == 1 and "第2行 累计完成：高于已录入的3月累计数" in err


def test_published_months_are_refused(county, tmp_path):
    run("import_progress", xlsx(tmp_path / "a.xlsx", [target_row(), month_row(3)]))
    Period.objects.filter(month=3).update(status=PeriodStatus.PUBLISHED)
    code, _, err = run("import_progress", xlsx(tmp_path / "b.xlsx", [month_row(3, completed=6)]))
    assert code == 1 and "第2行 月份：" in err and "已发布" in err


def test_plausibility_is_reported(county, tmp_path):
    code, out, _ = run("import_progress", xlsx(tmp_path / "a.xlsx", [target_row(), month_row(3, completed=31)]))
    assert code == 0 and "请核实：第3行 累计完成：累计完成 31 超过目标任务 20 的 150%" in out
    assert Progress.objects.get().confirmed


def test_errors_are_capped_at_100(county, tmp_path):
    rows = [month_row(3, project="99") for _ in range(130)]
    code, _, err = run("import_progress", xlsx(tmp_path / "p.xlsx", rows))
    assert code == 1
    assert err.count("不是2021年的项目编号") == 100 and "另有 30 处错误未列出" in err


def test_bad_files(county, tmp_path):
    (tmp_path / "x.txt").write_text("x")
    assert run("import_progress", tmp_path / "x.txt")[0] == 1
    (tmp_path / "h.csv").write_text("年度,月份\n", encoding="utf-8")
    code, _, err = run("import_progress", tmp_path / "h.csv")
    assert code == 1 and "缺少列" in err
    assert run("import_progress", tmp_path / "missing.xlsx")[0] == 1


def test_dry_run_writes_nothing(county, tmp_path):
    code, out, _ = run("import_progress", xlsx(tmp_path / "p.xlsx", [target_row(), month_row(3)]), "--dry-run")
    assert code == 0 and "将变更 2 项" in out
    assert not Target.objects.exists() and not Period.objects.exists()


# --- import_information -----------------------------------------------------------------------------------------

INFO = ["年度", "月份", "单位", "报送", "市采用", "省采用"]


def test_information_import_and_errors(county, tmp_path):
    rows = [
        [2021, 1, "籍山镇", 5, 3, 1],
        [2021, 1, "弋江镇", 2, 3, 0],
        [2021, 2, "籍山镇", 1.5, 0, 0],
        [2021, 1, "籍山镇", 1, 0, 0],
    ]
    code, _, err = run("import_information", xlsx(tmp_path / "i.xlsx", rows, INFO))
    assert code == 1
    assert "第3行 市采用：市采用 3 条多于报送 2 条" in err
    assert "第4行 报送：报送“1.5”无效" in err
    assert "第5行 单位：与第2行重复" in err
    assert not InformationReport.objects.exists()
    code, out, err = run("import_information", xlsx(tmp_path / "j.xlsx", rows[:1], INFO))
    assert code == 0, err
    report = InformationReport.objects.get()
    assert (report.reported, report.city_adopted, report.province_adopted) == (5, 3, 1)
    assert AuditEntry.objects.filter(action="information.created").count() == 1
