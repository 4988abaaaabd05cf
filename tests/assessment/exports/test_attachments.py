"""The Excel and CSV exports of 附件1–3, opened again with openpyxl and checked against the data."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from assessment.exports.attachments import (
    OFFICE_ADJUSTMENT_ROW,
    attachment1_table,
    attachment2_table,
    attachment3_table,
)
from assessment.exports.registry import RENDERERS, exporter
from assessment.models import Period
from assessment.selectors import tables
from tests.september_2020 import PUBLISHED_ATTACHMENT1
from tests.workbooks import dec, merged, open_workbook, table_rows, values

D = Decimal


@pytest.fixture
def period(september):
    return september


def column_values(ws, column: int, first_row: int, last_row: int):
    return [dec(ws.cell(row=r, column=column).value) for r in range(first_row, last_row + 1)]


# --- 附件1 ----------------------------------------------------------------------------------------------------------


def test_attachment1_workbook_has_every_decoded_figure_as_numbers(period):
    ws = open_workbook(RENDERERS["xlsx"].render([attachment1_table(tables.attachment1(period))]))["附件1"]
    assert ws["A1"].value == "附件1"
    assert ws["A1"].font.name == "黑体"
    assert ws["A2"].value == "9月份民生工程排名情况汇总表"
    assert ws["A3"].value == "市民生办　2020年10月16日"
    assert [c.value for c in ws[4]] == ["单位", "9月得分", "9月排名", "1-9月得分", "1-9月排名"]
    assert ws["A5"].value == "县区排名"
    rows = {ws.cell(row=r, column=1).value: values(ws, r) for r in range(6, ws.max_row + 1)}
    assert ws.cell(row=11, column=1).value == "市直责任单位排名"
    for kind in ("regions", "departments"):
        for name, score, rank, ytd, ytd_rank in PUBLISHED_ATTACHMENT1[kind]:
            _, cell_score, cell_rank, cell_ytd, cell_ytd_rank = rows[name]
            assert cell_score == D(score) and cell_rank == rank, name
            if ytd is not None:
                assert cell_ytd == D(ytd), name
            if ytd_rank is not None:
                assert cell_ytd_rank == ytd_rank, name
    assert ws["B6"].number_format == "0.000" and ws["C6"].number_format == "0"
    assert isinstance(ws["C6"].value, int)
    assert ws["B6"].font.name == "仿宋"
    assert ws["B6"].border.left.style == "thin"
    note = ws.cell(row=ws.max_row, column=1).value
    assert note == "备注：市城管执法局和市数据资源局未纳入一季度考评，一季度按市直单位平均得分计"
    assert {"A2:E2", "A3:E3", "A5:E5", "A11:E11", f"A{ws.max_row}:E{ws.max_row}"} <= merged(ws)


def test_every_sheet_prints_on_a4_paginated_with_its_own_page_numbers(period):
    workbook = open_workbook(exporter("month").export(period, "xlsx").content)
    assert workbook.sheetnames == ["附件1", "附件2", "附件3"]
    assert workbook.properties.creator == "市民生办"
    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # a fixed scale, which the pagination used
        body = ws.cell(row=7, column=2).font.sz
        assert body * int(ws.page_setup.scale) / 100 >= 10.5, ws.title  # the body prints at 五号 or larger
        assert ws.print_title_rows is None  # headers are repeated by the renderer, never over the notes
        assert "— &P —" in ws.oddFooter.right.text and "— &P —" in ws.evenFooter.left.text
        assert int(ws.page_setup.firstPageNumber) == 1 and ws.page_setup.useFirstPageNumber
    orientations = [ws.page_setup.orientation for ws in workbook.worksheets]
    assert orientations == ["portrait", "landscape", "portrait"]
    attachment2 = workbook["附件2"]
    assert attachment2.row_breaks.brk  # 43 project rows in landscape take more than one page
    after_break = attachment2.row_breaks.brk[0].id + 1
    assert values(attachment2, after_break) == values(attachment2, 4)  # the header again


# --- 附件2 ----------------------------------------------------------------------------------------------------------


def test_attachment2_workbook_has_a_row_per_project_a_column_per_region_and_the_office_row(period):
    data = tables.attachment2(period)
    ws = open_workbook(RENDERERS["xlsx"].render([attachment2_table(data)]))["附件2"]
    assert ws["A2"].value == "9月份民生工程项目县(区)得分情况统计表"
    assert [c.value for c in ws[4]] == ["项目", "责任部门", "义安区", "铜官区", "枞阳县", "郊区", "经开区", "平均得分"]
    rows = table_rows(ws, 4)
    labels = [row[0] for _, row in rows]
    assert labels[0] == "1、“四带一自”产业扶贫工程"
    assert labels[33:35] == ["27、文化惠民工程(市文旅局)", "27、文化惠民工程(市教体局)"]
    assert labels[43] == OFFICE_ADJUSTMENT_ROW
    # project 1 does not apply to 经开区: "—", and the average is over the four others
    assert rows[0][1][2:] == [D("1.5")] * 4 + ["—", D("1.5")]
    # 30、棚户区改造: 经开区 lost 0.6 → 0.9; average (4 × 1.5 + 0.9) / 5 = 1.38
    row30, values30 = next((r, v) for r, v in rows if v[0] == "30、棚户区改造")
    assert values30[2:] == [D("1.5")] * 4 + [D("0.9"), D("1.38")]
    assert ws.cell(row=row30, column=8).number_format == "0.000"
    office_row, office = rows[43]
    assert office == [OFFICE_ADJUSTMENT_ROW, None, D("0.05"), D("0.05"), D("0.05"), D("-0.05"), D("-0.05"), None]
    notes = column_values(ws, 1, office_row + 1, ws.max_row)
    assert notes[0] == "注：市直单位对县(区)考评扣分原因："
    assert "5、经开区：棚户区改造项目进度慢。" in notes
    assert "市民生办加扣分：" in notes
    assert "3、枞阳县：省民生网站刊登信息加0.05分。" in notes
    assert "1、义安区：部分项目点未使用民生工程标识牌扣0.05分；省民生网站刊登信息加0.1分。" in notes
    assert all(f"A{r}:H{r}" in merged(ws) for r in range(office_row + 1, ws.max_row + 1))


# --- 附件3 ----------------------------------------------------------------------------------------------------------


def test_attachment3_workbook_has_two_level_headers_and_departments_in_rank_order(period):
    ws = open_workbook(RENDERERS["xlsx"].render([attachment3_table(tables.attachment3(period))]))["附件3"]
    assert ws["A2"].value == "9月份民生工程市直部门得分情况统计表"
    assert [c.value for c in ws[4]] == ["序号", "责任部门", "评分项目", None, None, "得分", "备注"]
    assert [c.value for c in ws[5]][2:5] == ["项目进展", "工作推进情况", "加(扣)分"]
    assert {"C4:E4", "A4:A5", "B4:B5", "F4:F5", "G4:G5"} <= merged(ws)
    rows = table_rows(ws, 4, header_rows=2)
    assert rows[0][1] == [1, "组织部", D("1"), D("0.5"), D("0.05"), D("1.55"), "信息被省民生工程网站采用"]
    water_row, water = rows[21]
    assert water[:6] == [22, "水利局", D("0.85"), D("0.5"), D("-0.1"), D("1.25")]
    assert water[6].endswith("水利薄弱环节治理项目整体进展滞后影响我市在全省排名")
    assert ws.cell(row=water_row, column=5).number_format == "0.000"
    assert ws.cell(row=water_row, column=7).alignment.horizontal == "left"  # 备注
    assert rows[2][1][4] is None  # no 加(扣)分 for 司法局: blank, not 0
    ranks_in_order = [row[1] for _, row in rows]
    assert ranks_in_order[-4:] == ["数据资源局", "交通局", "农业农村局", "水利局"]


# --- CSV, names, command --------------------------------------------------------------------------------------------


def test_csv_starts_with_a_bom_and_reads_back_as_the_table(period):
    download = exporter("attachment-1").export(period, "csv")
    assert download.filename == "附件1 2020年9月份民生工程排名情况汇总表.csv"
    assert download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["单位", "9月得分", "9月排名", "1-9月得分", "1-9月排名"]
    assert rows[1][0] == "县区排名"
    assert rows[2] == ["义安区", "1.498", "1", "13.715", "1"]


def test_formula_like_reasons_are_escaped_in_excel_and_csv(period):
    data = tables.attachment3(period)
    data.rows[0] = tables.DepartmentRow(**{**data.rows[0].__dict__, "remarks": "=HYPERLINK(1)"})
    table = attachment3_table(data)
    ws = open_workbook(RENDERERS["xlsx"].render([table]))["附件3"]
    assert (ws["G6"].value, ws["G6"].data_type, ws["G6"].quotePrefix) == ("=HYPERLINK(1)", "s", True)
    assert "'=HYPERLINK(1)" in RENDERERS["csv"].render([table]).decode("utf-8-sig")


def test_export_rankings_command_writes_the_whole_month(period, tmp_path):
    output = tmp_path / "september.xlsx"
    stdout = io.StringIO()
    call_command("export_rankings", "--year", "2020", "--month", "9", "--output", str(output), stdout=stdout)
    workbook = openpyxl.load_workbook(output)
    assert workbook.sheetnames == ["附件1", "附件2", "附件3"]
    assert dec(workbook["附件1"]["B6"].value) == D("1.498")
    assert "已导出" in stdout.getvalue()


def test_export_rankings_command_fails_in_chinese_for_a_missing_period(period, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_rankings", "--year", "2020", "--month", "11", "--output", str(tmp_path / "x.xlsx"))
    assert "没有2020年11月的考评月份" in str(excinfo.value)
    assert excinfo.value.returncode == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_unpublished_export_is_marked_and_dated_today(period):
    Period.objects.filter(pk=period.pk).update(status="closed")
    period.refresh_from_db()
    heading = tables.heading(period)
    assert heading.date_line.endswith("（未发布）")
    ws = open_workbook(exporter("month").export(period, "xlsx").content)["附件2"]
    assert ws["A3"].value == heading.date_line
