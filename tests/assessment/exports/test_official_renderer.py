"""The shared official-look renderer: model-free, so no database and no Django."""

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from assessment.exports.csv_text import render_csv
from assessment.exports.tables import WIDTH_UNIT, Column, Fonts, OfficialTable, Page, Section, text_units
from assessment.exports.xlsx import add_official_sheet, official_workbook, workbook_bytes
from assessment.rules import score_text

SUBTITLE = "市民生办　　2020年10月16日"
NOTE = "备注：市数据资源局和市城管执法局未纳入一季度考评，一季度按市直单位平均得分计"

# Layout of ranking_table(): label, title, subtitle, two header rows, then the body.
HEADER_ROWS = (4, 5)
REGION_TITLE_ROW = 6
FIRST_REGION_ROW = 7
DEPARTMENT_TITLE_ROW = 9
FIRST_DEPARTMENT_ROW = 10
NOTE_ROW = 13


def ranking_table(**overrides):
    """A small 附件1: two sections, grouped month / year-to-date headers, Decimal scores, int ranks."""
    fields = dict(
        attachment="附件1",
        title="9月份民生工程排名情况汇总表",
        subtitle=SUBTITLE,
        columns=[
            Column("单位"),
            Column("得分", group="9月", kind="score"),
            Column("排名", group="9月", kind="rank"),
            Column("得分", group="1-9月", kind="score"),
            Column("排名", group="1-9月", kind="rank"),
        ],
        sections=[
            Section(
                "县区排名",
                [
                    ["义安区", Decimal("1.498"), 1, Decimal("13.715"), 1],
                    ["铜官区", Decimal("1.5"), 1, Decimal("13.441"), 4],
                ],
            ),
            Section(
                "市直责任单位排名",
                [
                    ["市委组织部", Decimal("1.55"), 1, Decimal("13.5"), 1],
                    ["市城管执法局", Decimal("1.475"), 15, Decimal("13.375"), 14],
                    ["市水利局", Decimal("1.25"), 22, None, None],
                ],
            ),
        ],
        notes=[NOTE],
    )
    fields.update(overrides)
    return OfficialTable(**fields)


def department_table():
    """A small 附件3 with no groups, no subtitle and formula-like remarks."""
    return OfficialTable(
        attachment="附件3",
        title="9月份民生工程市直部门得分情况统计表",
        columns=[
            Column("序号", kind="rank"),
            Column("责任部门"),
            Column("加(扣)分", kind="score"),
            Column("备注"),
        ],
        sections=[
            Section(
                None,
                [
                    [1, "商务局", Decimal("0.05"), "=1+1"],
                    [2, "城管执法局", Decimal("-0.025"), "-0.05扣分"],
                    [3, "水利局", Decimal("-0.1"), "—"],
                    [4, "交通局", None, "@SUM(A1)"],
                ],
            )
        ],
        landscape=True,
    )


def reopen(*tables, **options):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(official_workbook(list(tables), **options))))


def merged(ws):
    return {str(cell_range) for cell_range in ws.merged_cells.ranges}


# ---------------------------------------------------------------- helpers


def test_score_text_gives_exactly_three_decimals_rounding_half_up():
    assert score_text(Decimal("1.5")) == "1.500"
    assert score_text(Decimal("1.4985")) == "1.499"
    assert score_text(Decimal("-0.05")) == "-0.050"
    assert score_text(Decimal("-0.0004")) == "0.000"
    assert score_text(13) == "13.000"
    assert score_text(None) == ""


def test_float_scores_are_refused():
    with pytest.raises(TypeError):
        score_text(1.5)
    table = ranking_table(sections=[Section(None, [["义安区", 1.498, 1, None, None]])])
    with pytest.raises(TypeError):
        official_workbook([table])


def test_rows_with_the_wrong_number_of_values_are_refused():
    with pytest.raises(ValueError, match="县区排名"):
        ranking_table(sections=[Section("县区排名", [["义安区", Decimal("1.498")]])])


def test_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("得分", kind="percent")


def test_cjk_characters_count_as_two_width_units():
    assert text_units("义安区") == 6
    assert text_units("1-9月") == 5


# ---------------------------------------------------------------- layout


def test_workbook_has_one_sheet_per_table_named_after_the_attachment():
    wb = reopen(ranking_table(), department_table(), ranking_table(attachment="附件9", sheet_name="排名[汇总]"))
    assert wb.sheetnames == ["附件1", "附件3", "排名_汇总_"]


def test_label_title_and_subtitle_rows():
    ws = reopen(ranking_table())["附件1"]
    assert ws["A1"].value == "附件1"
    assert ws["A2"].value == "9月份民生工程排名情况汇总表"
    assert ws["A2"].alignment.horizontal == "center"
    assert ws["A2"].font.sz > ws["A4"].font.sz
    assert ws["A3"].value == SUBTITLE
    assert ws["A3"].alignment.horizontal == "right"
    assert {"A2:E2", "A3:E3"} <= merged(ws)


def test_grouped_headers_merge_across_and_ungrouped_headers_merge_down():
    ws = reopen(ranking_table())["附件1"]
    assert [ws.cell(4, c).value for c in (1, 2, 4)] == ["单位", "9月", "1-9月"]
    assert [ws.cell(5, c).value for c in range(2, 6)] == ["得分", "排名", "得分", "排名"]
    assert {"A4:A5", "B4:C4", "D4:E4"} <= merged(ws)


def test_table_without_groups_has_a_single_header_row_right_below_the_title():
    ws = reopen(department_table())["附件3"]
    assert [ws.cell(3, c).value for c in range(1, 5)] == ["序号", "责任部门", "加(扣)分", "备注"]
    assert ws["A4"].value == 1
    assert ws.freeze_panes == "A4"


def test_section_titles_are_bold_rows_merged_across_the_table():
    ws = reopen(ranking_table())["附件1"]
    assert ws.cell(REGION_TITLE_ROW, 1).value == "县区排名"
    assert ws.cell(DEPARTMENT_TITLE_ROW, 1).value == "市直责任单位排名"
    assert ws.cell(DEPARTMENT_TITLE_ROW, 1).font.b
    for row in (REGION_TITLE_ROW, DEPARTMENT_TITLE_ROW):
        assert f"A{row}:E{row}" in merged(ws)
    assert ws.cell(FIRST_DEPARTMENT_ROW, 1).value == "市委组织部"


def test_notes_are_merged_wrapped_and_taller_than_one_line():
    ws = reopen(ranking_table(), department_table())["附件1"]
    note = ws.cell(NOTE_ROW, 1)
    assert note.value == NOTE
    assert note.alignment.wrap_text
    assert f"A{NOTE_ROW}:E{NOTE_ROW}" in merged(ws)
    assert ws.row_dimensions[NOTE_ROW].height > 15


SIDES = ("left", "right", "top", "bottom")


def outer_sides(ws, cell):
    """The sides of `cell` that are visible: all four, or only those on the edge of its merged range."""
    for cell_range in ws.merged_cells.ranges:
        if cell.coordinate in cell_range:
            edges = {
                "left": cell.column == cell_range.min_col,
                "right": cell.column == cell_range.max_col,
                "top": cell.row == cell_range.min_row,
                "bottom": cell.row == cell_range.max_row,
            }
            return [side for side in SIDES if edges[side]]
    return list(SIDES)


def test_every_header_and_body_cell_is_written_with_a_thin_border():
    ws = official_workbook([ranking_table()])["附件1"]
    for row in ws.iter_rows(min_row=HEADER_ROWS[0], max_row=NOTE_ROW - 1, max_col=5):
        for cell in row:
            assert {getattr(cell.border, side).style for side in SIDES} == {"thin"}, cell.coordinate


def test_merged_header_and_section_cells_keep_thin_outer_borders_after_reopening():
    ws = reopen(ranking_table())["附件1"]
    for row in ws.iter_rows(min_row=HEADER_ROWS[0], max_row=NOTE_ROW - 1, max_col=5):
        for cell in row:
            for side in outer_sides(ws, cell):
                assert getattr(cell.border, side).style == "thin", (cell.coordinate, side)


def test_notes_have_no_border():
    ws = reopen(ranking_table())["附件1"]
    assert not ws.cell(NOTE_ROW, 1).border.left.style


# ---------------------------------------------------------------- cell values


def test_scores_are_number_cells_with_three_decimals():
    ws = reopen(ranking_table())["附件1"]
    cell = ws.cell(FIRST_REGION_ROW + 1, 2)  # 铜官区 Decimal("1.5")
    assert cell.data_type == "n"
    assert cell.number_format == "0.000"
    assert Decimal(str(cell.value)) == Decimal("1.5")
    assert Decimal(str(ws.cell(FIRST_REGION_ROW, 4).value)) == Decimal("13.715")


def test_scores_are_stored_as_literal_values_never_formulas():
    data = workbook_bytes(official_workbook([ranking_table()]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>1.498</v>" in sheet_xml
    assert "<v>13.715</v>" in sheet_xml
    assert "<f>" not in sheet_xml


def test_ranks_are_integer_number_cells():
    ws = reopen(ranking_table())["附件1"]
    cell = ws.cell(FIRST_DEPARTMENT_ROW + 1, 3)  # 市城管执法局 rank 15
    assert cell.value == 15
    assert isinstance(cell.value, int)
    assert cell.data_type == "n"
    assert cell.number_format == "0"


def test_negative_scores_stay_numbers():
    ws = reopen(department_table())["附件3"]
    cell = ws["C5"]
    assert cell.data_type == "n"
    assert Decimal(str(cell.value)) == Decimal("-0.025")


def test_none_becomes_an_empty_cell():
    ws = reopen(ranking_table())["附件1"]
    assert ws.cell(FIRST_DEPARTMENT_ROW + 2, 4).value is None


def test_formula_like_text_is_stored_as_quote_prefixed_text_without_an_apostrophe():
    ws = reopen(department_table())["附件3"]
    for coordinate, text in (("D4", "=1+1"), ("D5", "-0.05扣分"), ("D7", "@SUM(A1)")):
        assert (ws[coordinate].value, ws[coordinate].data_type, ws[coordinate].quotePrefix) == (text, "s", True)


def test_em_dash_is_not_escaped():
    ws = reopen(department_table())["附件3"]
    assert ws["D6"].value == "—"


def test_body_is_centred_except_the_first_text_column():
    ws = reopen(department_table())["附件3"]
    assert ws["A4"].alignment.horizontal == "center"
    assert ws["B4"].alignment.horizontal == "left"
    assert ws["C4"].alignment.horizontal == "center"


# ---------------------------------------------------------------- fonts and widths


def test_default_fonts_are_the_official_ones():
    ws = reopen(ranking_table())["附件1"]
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 16  # 3号
    assert ws["A1"].alignment.horizontal == "left"
    assert ws["A2"].font.name == "方正小标宋简体" and ws["A2"].font.sz == 22  # 2号
    assert ws["A2"].font.charset == 134  # GB2312: a missing 小标宋 falls back to a Chinese serif (宋体)
    assert ws["A4"].font.name == "仿宋"
    assert ws["A4"].font.b
    assert ws.cell(FIRST_REGION_ROW, 1).font.name == "仿宋"
    assert not ws.cell(FIRST_REGION_ROW, 1).font.b


def test_font_names_are_configurable():
    fonts = Fonts(label="宋体", title="方正小标宋简体", body="楷体")
    ws = reopen(ranking_table(), fonts=fonts)["附件1"]
    assert ws["A1"].font.name == "宋体"
    assert ws["A2"].font.name == "方正小标宋简体"
    assert ws.cell(FIRST_REGION_ROW, 1).font.name == "楷体"


def test_columns_with_longer_chinese_names_are_wider():
    short = reopen(ranking_table(sections=[Section(None, [["郊区", None, None, None, None]])]))["附件1"]
    long = reopen(ranking_table())["附件1"]
    assert long.column_dimensions["A"].width > short.column_dimensions["A"].width
    assert long.column_dimensions["A"].width >= text_units("市城管执法局")


def test_narrow_tables_fill_the_page_width_so_the_label_sits_at_the_page_left():
    table = ranking_table()
    ws = reopen(table)["附件1"]
    total = sum(ws.column_dimensions[letter].width for letter in "ABCDE") * WIDTH_UNIT
    assert total == pytest.approx(Page(landscape=False).width, rel=0.01)
    assert not ws.print_options.horizontalCentered
    assert ws.row_dimensions[2].height >= 22 * 1.4  # the 2号 title on one line


def test_explicit_column_width_wins():
    columns = [Column("单位", width=30), *ranking_table().columns[1:]]
    ws = reopen(ranking_table(columns=columns))["附件1"]
    assert ws.column_dimensions["A"].width == 30


# ---------------------------------------------------------------- printing


def test_print_setup_is_a4_with_gbt_margins_a_fixed_scale_and_page_numbers():
    ws = reopen(ranking_table())["附件1"]
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.scale) == 100
    assert ws.print_title_rows is None
    assert round(ws.page_margins.top * 25.4) == 37 and round(ws.page_margins.left * 25.4) == 28
    assert ws.oddFooter.right.text.endswith("— &P —　") and ws.evenFooter.left.text.startswith("　")
    assert int(ws.page_setup.firstPageNumber) == 1 and ws.page_setup.useFirstPageNumber
    assert ws.freeze_panes == "A6"


def test_landscape_flag_sets_landscape_orientation():
    wb = reopen(ranking_table(), department_table())
    assert wb["附件1"].page_setup.orientation == "portrait"
    assert wb["附件3"].page_setup.orientation == "landscape"


def test_a_table_left_open_prints_portrait_while_its_body_stays_at_least_10_5_points():
    narrow = department_table()
    narrow = OfficialTable(**{**narrow.__dict__, "landscape": None})
    assert reopen(narrow)["附件3"].page_setup.orientation == "portrait"
    wide_columns = [Column(f"指标{i}", kind="score") for i in range(14)] + [Column("备注", wrap=True)]
    wide = OfficialTable(
        attachment="附件3",
        title="宽表",
        columns=wide_columns,
        sections=[Section(None, [[Decimal("1.5")] * 14 + ["备注"]])],
        landscape=None,
    )
    ws = reopen(wide)["附件3"]
    assert ws.page_setup.orientation == "landscape"


def test_add_official_sheet_appends_to_an_existing_workbook():
    wb = openpyxl.Workbook()
    ws = add_official_sheet(wb, ranking_table())
    assert wb.sheetnames == ["Sheet", "附件1"]
    assert ws.title == "附件1"


# ---------------------------------------------------------------- CSV


def test_csv_has_prefixed_group_headers_section_lines_and_three_decimal_scores():
    lines = list(csv.reader(io.StringIO(render_csv(ranking_table()))))
    assert lines[0] == ["单位", "9月 得分", "9月 排名", "1-9月 得分", "1-9月 排名"]
    assert lines[1] == ["县区排名", "", "", "", ""]
    assert lines[2] == ["义安区", "1.498", "1", "13.715", "1"]
    assert lines[3] == ["铜官区", "1.500", "1", "13.441", "4"]
    assert lines[4][0] == "市直责任单位排名"
    assert lines[7] == ["市水利局", "1.250", "22", "", ""]
    assert lines[8][0] == NOTE
    assert len(lines) == 9


def test_csv_escapes_formula_like_text_but_not_negative_scores():
    lines = list(csv.reader(io.StringIO(render_csv(department_table()))))
    assert lines[1] == ["1", "商务局", "0.050", "'=1+1"]
    assert lines[2] == ["2", "城管执法局", "-0.025", "'-0.05扣分"]
    assert lines[3][3] == "—"
    assert lines[4] == ["4", "交通局", "", "'@SUM(A1)"]


def test_csv_is_plain_text_without_bom():
    text = render_csv(ranking_table())
    assert isinstance(text, str)
    assert not text.startswith("\ufeff")
