"""The printed look of the exported workbook, checked against its own print settings: every wrapped
cell's row holds its text, and the notes block is never split across pages (nor under a header)."""

import math
import unicodedata

import pytest

from assessment.exports.registry import exporter
from tests.workbooks import open_workbook, values

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
NARROWEST_DIGIT = 5.25  # points per column width unit where text is narrowest laid out (Excel, 7 px)
CELL_PADDING = 4
QUOTES = "“”‘’"


def units(text: str) -> int:
    """Full-width characters and CJK quotes count as two, everything else as one."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") or c in QUOTES else 1 for c in text)


def merged_width(ws, cell) -> float:
    for cell_range in ws.merged_cells.ranges:
        if cell.coordinate in cell_range:
            columns = range(cell_range.min_col, cell_range.max_col + 1)
            return sum(ws.column_dimensions[ws.cell(1, c).column_letter].width for c in columns)
    return ws.column_dimensions[cell.column_letter].width


def needed_height(ws, cell) -> float:
    size = cell.font.sz
    per_line = (merged_width(ws, cell) * NARROWEST_DIGIT - CELL_PADDING) / (size / 2)
    lines = sum(max(1, math.ceil(units(line) / per_line)) for line in str(cell.value).split("\n"))
    return lines * size * 1.2  # the tightest line a CJK font sets


@pytest.fixture
def workbook(september):
    return open_workbook(exporter("month").export(september, "xlsx").content)


def test_every_wrapped_cell_is_on_a_row_tall_enough_for_its_text(workbook):
    checked = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.alignment.wrap_text:
                    height = ws.row_dimensions[cell.row].height
                    assert height >= needed_height(ws, cell), (ws.title, cell.coordinate, cell.value)
                    checked += 1
    assert checked > 100


def test_the_long_quoted_label_of_attachment2_gets_two_lines(workbook):
    ws = workbook["附件2"]
    label = "17-2、“安康码”便民应用工程(市数据资源局)"
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    one_line = ws.row_dimensions[row - 1].height
    assert ws.row_dimensions[row].height >= needed_height(ws, ws.cell(row, 1))
    assert needed_height(ws, ws.cell(row, 1)) > one_line or ws.row_dimensions[row].height >= one_line


def pages(ws) -> list[int]:
    """The page each row prints on, from the sheet's scale, margins, row heights and manual breaks."""
    landscape = ws.page_setup.orientation == "landscape"
    paper_height = A4[0] if landscape else A4[1]
    printable = paper_height - (ws.page_margins.top + ws.page_margins.bottom) * 72
    capacity = printable * 100 / int(ws.page_setup.scale)
    breaks = {brk.id for brk in ws.row_breaks.brk}
    page, used, result = 1, 0.0, [0]
    for row in range(1, ws.max_row + 1):
        height = ws.row_dimensions[row].height or 15
        if used + height > capacity:  # an automatic break: the spreadsheet would start a page here
            page, used = page + 1, 0.0
        used += height
        result.append(page)
        if row in breaks:
            page, used = page + 1, 0.0
    return result


def note_rows(ws, first_note: str) -> list[int]:
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first_note)
    return list(range(start, ws.max_row + 1))


def test_the_notes_block_is_never_split_across_pages_nor_printed_under_a_header(workbook):
    for title, first_note in (("附件1", "备注："), ("附件2", "注：")):
        ws = workbook[title]
        first = next(
            ws.cell(r, 1).value for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith(first_note)
        )
        rows = note_rows(ws, first)
        page_of = pages(ws)
        assert len({page_of[r] for r in rows}) == 1, title
        notes_page = page_of[rows[0]]
        header = values(ws, 4)
        on_notes_page = [r for r in range(1, ws.max_row + 1) if page_of[r] == notes_page]
        if on_notes_page[0] == rows[0]:  # the notes start a page: no header is repeated above them
            assert all(values(ws, r) != header for r in on_notes_page)


def test_no_page_overflows_so_the_spreadsheet_adds_no_break_of_its_own(workbook):
    for ws in workbook.worksheets:
        landscape = ws.page_setup.orientation == "landscape"
        printable = (A4[0] if landscape else A4[1]) - (ws.page_margins.top + ws.page_margins.bottom) * 72
        capacity = printable * 100 / int(ws.page_setup.scale)
        breaks = sorted(brk.id for brk in ws.row_breaks.brk) + [ws.max_row]
        start = 1
        for end in breaks:
            height = sum(ws.row_dimensions[r].height or 15 for r in range(start, end + 1))
            assert height <= capacity, (ws.title, start, end)
            start = end + 1


def test_a_notes_block_that_does_not_fit_under_the_table_starts_a_page_without_a_header(september):
    from assessment.exports.attachments import attachment2_table
    from assessment.exports.xlsx import official_workbook, workbook_bytes
    from assessment.selectors.tables import attachment2

    data = attachment2(september)
    data.notes = data.notes + [f"{i}、补充说明第{i}条。" for i in range(1, 5)]
    ws = open_workbook(workbook_bytes(official_workbook([attachment2_table(data)])))["附件2"]
    rows = note_rows(ws, data.notes[0])
    page_of = pages(ws)
    assert len({page_of[r] for r in rows}) == 1
    assert page_of[rows[0] - 1] != page_of[rows[0]]  # a page break right before the notes
    assert all(values(ws, r) != values(ws, 4) for r in rows)
