"""The official look in Excel: one sheet per `OfficialTable`, laid out for A4 as GB/T 9704 prints it.

- 附件N top left in 黑体 3号; the title in 小标宋 2号 centred over the table; the office and date line;
  one or two header rows (grouped headers merged); thin borders; the body in 仿宋; the 注 below.
- Every row is as tall as its wrapped text (full-width characters and CJK quotes measured as two
  units), so nothing prints over the next row.
- The sheet is paginated here, not by the spreadsheet: the print scale is fixed (one page wide), the
  header rows are repeated at each page break, and the notes start a page of their own (without a
  header) when they do not fit under the table, so they are never split from one another.
- GB/T margins, page numbers "— N —" (odd pages right, even pages left), each sheet numbered from 1.

Speed: every cell gets one of a few shared styles (built once per workbook), merged ranges are
recorded without creating a placeholder for every covered cell, so a national 附件2 (2,800 regions)
costs about what writing its values costs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .. import rules
from .tables import (
    BODY_SIZE,
    FOOTER_DISTANCE,
    LABEL_SIZE,
    NUMBER_FORMATS,
    PAGE_NUMBER_SIZE,
    TITLE_SIZE,
    Fonts,
    Layout,
    OfficialTable,
    cell_value,
    group_spans,
    layout,
    line_count,
    points_to_width_units,
    row_height,
)

THIN = Side(style="thin")
THIN_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NO_BORDER = Border(left=Side(), right=Side(), top=Side(), bottom=Side())
INVALID_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")
DEFAULT_FONTS = Fonts()
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GB2312 = 134  # font charset: lets Excel substitute a Chinese font of the same family when one is missing
SERIF, SANS = 1, 2  # font families
DEFAULT_FONT = Font(name="Arial", sz=10, family=SANS)


def safe_sheet_name(name: str) -> str:
    return INVALID_SHEET_CHARS.sub("_", name)[:31] or "Sheet"


def page_number_footer(fonts: Fonts) -> str:
    """'— 3 —' in 宋体 4号 (the em dashes around the number, as GB/T 9704 prints page numbers)."""
    return f'&"{fonts.page_number}"&{PAGE_NUMBER_SIZE}— &P —'


@dataclass(frozen=True)
class StyleSpec:
    font: str  # "label" | "title" | "body" | "header"
    horizontal: str = "center"
    vertical: str = "center"
    wrap: bool = True
    border: bool = True
    number_format: str = "General"


class SharedStyle(StyleArray):
    """A style array shared, never copied, by every cell of one style: the cells are written once and
    never restyled, and the saved workbook looks each cell's style up by this array's hash, so the hash
    is computed once instead of once per cell."""

    def __new__(cls, array: StyleArray):
        shared = super().__new__(cls, array)
        shared._hash = hash(tuple(array))
        return shared

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return tuple(self) == tuple(other)


class Styles:
    """The few cell styles a sheet uses, each registered once in the workbook and then shared by every
    cell that uses it (setting a Font and an Alignment per cell costs more than writing the value)."""

    def __init__(self, workbook: Workbook, fonts: Fonts):
        self.workbook = workbook
        self.fonts = {
            "label": Font(name=fonts.label, size=LABEL_SIZE, charset=GB2312, family=SANS),
            "title": Font(name=fonts.title, size=TITLE_SIZE, charset=GB2312, family=SERIF),
            "body": Font(name=fonts.body, size=BODY_SIZE, charset=GB2312, family=SERIF),
            "header": Font(name=fonts.body, size=BODY_SIZE, bold=True, charset=GB2312, family=SERIF),
        }
        self.arrays: dict[StyleSpec, StyleArray] = {}

    def __call__(self, spec: StyleSpec) -> StyleArray:
        array = self.arrays.get(spec)
        if array is None:
            array = self.arrays[spec] = SharedStyle(self._register(spec))
        return array

    def _register(self, spec: StyleSpec) -> StyleArray:
        """The workbook's indices of the spec's font, alignment, border and number format (what
        openpyxl's style setters record on a cell)."""
        workbook = self.workbook
        array = StyleArray()
        array.fontId = workbook._fonts.add(self.fonts[spec.font])
        alignment = Alignment(horizontal=spec.horizontal, vertical=spec.vertical, wrap_text=spec.wrap)
        array.alignmentId = workbook._alignments.add(alignment)
        array.borderId = workbook._borders.add(THIN_BORDER if spec.border else NO_BORDER)
        if spec.number_format in BUILTIN_FORMATS_REVERSE:
            array.numFmtId = BUILTIN_FORMATS_REVERSE[spec.number_format]
        else:
            array.numFmtId = workbook._number_formats.add(spec.number_format) + BUILTIN_FORMATS_MAX_SIZE
        return array


def new_cell(ws: Worksheet, row: int, column: int, value, style: StyleArray) -> Cell:
    """A cell with a known plain value (a string already escaped, a number) and a shared style, made
    without the type sniffing and style copy of `Cell()` (a national 附件2 has 126,000 cells)."""
    cell = Cell.__new__(Cell)
    cell.parent, cell.row, cell.column, cell._style = ws, row, column, style
    cell._value, cell._hyperlink, cell._comment = value, None, None
    cell.data_type = "s" if isinstance(value, str) else "n"
    if rules.looks_like_formula(value):
        cell._style = quoted(style)
    return cell


def quoted(style: StyleArray) -> StyleArray:
    """The style with Excel's quote prefix: the cell is text as typed, shown without an apostrophe."""
    array = StyleArray(style)
    array.quotePrefix = 1
    return array


def text_cell(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write a value into a cell of an ordinary sheet: text always as a string cell (never a formula, whatever
    it starts with), formula-like text with the quote prefix (`rules.looks_like_formula`)."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if rules.looks_like_formula(value):
            cell.quotePrefix = True
    return cell


class SheetWriter:
    """Writes one table into a sheet row by row, paginating as it goes."""

    def __init__(self, ws: Worksheet, table: OfficialTable, styles: Styles, plan: Layout):
        self.ws, self.table, self.styles, self.plan = ws, table, styles, plan
        self.ncols = len(table.columns)
        self.row = 1
        self.page_used = 0.0
        self.header_rows: list[tuple[float, list]] = []  # (height, cells) of the header, to repeat

    # ------------------------------------------------------------ primitives

    def put(self, column: int, value, spec: StyleSpec | StyleArray) -> None:
        if isinstance(value, str):
            value = value or None
        style = spec if isinstance(spec, StyleArray) else self.styles(spec)
        self.ws._cells[(self.row, column)] = new_cell(self.ws, self.row, column, value, style)

    def merge(self, first_col: int, last_col: int, rows: int = 1) -> None:
        if last_col > first_col or rows > 1:
            cell_range = CellRange(min_col=first_col, min_row=self.row, max_col=last_col, max_row=self.row + rows - 1)
            self.ws.merged_cells.ranges.add(cell_range)  # no placeholder cell for every covered cell

    def end_row(self, height: float) -> None:
        self.ws.row_dimensions[self.row].height = height
        self.page_used += height
        self.row += 1

    def break_page(self) -> None:
        self.ws.row_breaks.append(Break(id=self.row - 1))
        self.page_used = 0.0

    def fits(self, height: float) -> bool:
        return self.page_used + height <= self.plan.page_height

    # ------------------------------------------------------------ parts

    def heading(self, fonts: Fonts) -> None:
        table = self.table
        self.put(1, table.attachment, StyleSpec("label", horizontal="left", wrap=False, border=False))
        self.end_row(row_height(1, LABEL_SIZE))
        self.put(1, table.title, StyleSpec("title", border=False))
        self.merge(1, self.ncols)
        self.end_row(row_height(line_count(table.title, sum(self.plan.widths), TITLE_SIZE), TITLE_SIZE))
        if table.subtitle:
            self.put(1, table.subtitle, StyleSpec("body", horizontal="right", wrap=False, border=False))
            self.merge(1, self.ncols)
            self.end_row(row_height(1))

    def headers(self) -> None:
        """One or two header rows; kept to be repeated on every later page."""
        columns = self.table.columns
        two_levels = any(column.group for column in columns)
        widths = self.plan.widths
        top, bottom = [None] * self.ncols, [None] * self.ncols
        top_merges, spans = [], group_spans(columns)
        for group, first, end in spans:
            if group is None:
                for index in range(first, end + 1):
                    top[index] = columns[index].header
            else:
                top[first] = group
                top_merges.append((first + 1, end + 1))
                for index in range(first, end + 1):
                    bottom[index] = columns[index].header
        lines_top = max(line_count(text, widths[i]) for i, text in enumerate(top) if text) if any(top) else 1
        if two_levels:
            lines_bottom = max((line_count(text, widths[i]) for i, text in enumerate(bottom) if text), default=1)
            ungrouped = [i for i, column in enumerate(columns) if not column.group]
            # an ungrouped header spans both rows: they must hold its lines together
            lines_span = max((line_count(columns[i].header, widths[i]) for i in ungrouped), default=1)
            lines_top = max(lines_top, lines_span - lines_bottom, 1)
            self.header_rows = [
                (row_height(lines_top), top, top_merges, [i + 1 for i in ungrouped]),
                (row_height(lines_bottom), bottom, [], []),
            ]
        else:
            self.header_rows = [(row_height(lines_top), top, [], [])]
        self.write_headers()

    def write_headers(self) -> None:
        spec = StyleSpec("header")
        two_levels = len(self.header_rows) == 2
        for height, texts, merges, spanning in self.header_rows:
            for column in range(1, self.ncols + 1):
                self.put(column, texts[column - 1], spec)  # covered cells too: their borders print
            for first, last in merges:
                self.merge(first, last)
            if two_levels:
                for column in spanning:
                    self.merge(column, column, rows=2)
            self.end_row(height)

    def header_height(self) -> float:
        return sum(height for height, *_ in self.header_rows)

    def body(self) -> None:
        table = self.table
        columns = table.columns
        first_text = next((i for i, c in enumerate(columns) if c.kind == "text"), None)
        specs = []
        for index, column in enumerate(columns):
            horizontal = column.align or ("left" if index == first_text else "center")
            number_format = table.score_format if column.kind == "score" else NUMBER_FORMATS[column.kind]
            specs.append(self.styles(StyleSpec("body", horizontal=horizontal, number_format=number_format)))
        section_spec = StyleSpec("header")
        wrapping = [i for i, column in enumerate(columns) if column.kind == "text"]
        for section in table.sections:
            if section.title:
                self.before_body_row(row_height(1))
                self.put(1, section.title, section_spec)
                for column in range(2, self.ncols + 1):
                    self.put(column, None, section_spec)
                self.merge(1, self.ncols)
                self.end_row(row_height(1))
            for values in section.rows:
                lines = 1
                for index in wrapping:
                    value = values[index]
                    if isinstance(value, str) and value:
                        lines = max(lines, line_count(value, self.plan.widths[index]))
                height = row_height(lines)
                self.before_body_row(height)
                for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                    self.put(index + 1, cell_value(value, column.kind), specs[index])
                self.end_row(height)

    def before_body_row(self, height: float) -> None:
        if not self.fits(height):
            self.break_page()
            self.write_headers()

    def notes(self) -> None:
        """The 注 block: one merged, wrapped row per line, kept together on a page; when it does not fit
        under the table it starts the next page (which repeats no header)."""
        notes = self.table.notes
        if not notes:
            return
        total = sum(self.plan.widths)
        heights = [row_height(line_count(note, total)) for note in notes]
        if not self.fits(sum(heights)):
            self.break_page()
        spec = StyleSpec("body", horizontal="left", vertical="top", border=False)
        for note, height in zip(notes, heights, strict=True):
            if not self.fits(height):  # a block longer than a page: it can only go on over the next
                self.break_page()
            self.put(1, note, spec)
            self.merge(1, self.ncols)
            self.end_row(height)


def add_official_sheet(
    workbook: Workbook, table: OfficialTable, fonts: Fonts = DEFAULT_FONTS, styles: Styles | None = None
) -> Worksheet:
    """Add the table as a sheet, written row by row."""
    styles = styles or Styles(workbook, fonts)
    ws = workbook.create_sheet(safe_sheet_name(table.sheet_name or table.attachment))
    plan = layout(table)
    # What a streamed sheet writes before its first row: widths, print setup, the frozen header.
    for index, width in enumerate(plan.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = points_to_width_units(width)
    header_rows = 2 if any(column.group for column in table.columns) else 1
    body_start = (3 if table.subtitle else 2) + header_rows + 1
    _set_print_setup(ws, plan, body_start, fonts)
    writer = SheetWriter(ws, table, styles, plan)
    writer.heading(fonts)
    writer.headers()
    writer.body()
    writer.notes()
    return ws


def _set_print_setup(ws: Worksheet, plan: Layout, body_start: int, fonts: Fonts) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if plan.page.landscape else "portrait"
    ws.page_setup.scale = plan.percent  # the layout paginated for this scale: one page wide
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.firstPageNumber = 1  # every sheet (attachment) numbers its pages from 1
    ws.page_setup.useFirstPageNumber = True
    margins = plan.page.margins
    inch = 72
    ws.page_margins.left = margins["left"] / inch
    ws.page_margins.right = margins["right"] / inch
    ws.page_margins.top = margins["top"] / inch
    ws.page_margins.bottom = margins["bottom"] / inch
    ws.page_margins.header = 0.3
    ws.page_margins.footer = FOOTER_DISTANCE / inch
    footer = page_number_footer(fonts)
    ws.HeaderFooter.differentOddEven = True
    ws.oddFooter.right.text = footer + "　"  # odd pages: right, one character in
    ws.evenFooter.left.text = "　" + footer
    ws.freeze_panes = f"A{body_start}"


def _set_default_font(workbook: Workbook) -> None:
    """Column widths are counted in digits of the workbook's default font: Arial (Liberation Sans on
    Linux has the same metrics) measures the same in Excel, WPS and LibreOffice, where Calibri is
    often replaced by a wider font and every column would print wider than laid out."""
    workbook._fonts = IndexedList([DEFAULT_FONT])
    workbook._named_styles["Normal"].font = DEFAULT_FONT


def official_workbook(tables: Sequence[OfficialTable], fonts: Fonts = DEFAULT_FONTS) -> Workbook:
    """The tables as a workbook. (openpyxl's write-only mode would stream the rows, but it takes a
    styled cell only through an exception per cell, which costs more than it saves.)"""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _set_default_font(workbook)
    styles = Styles(workbook, fonts)
    for table in tables:
        add_official_sheet(workbook, table, fonts, styles)
    author = next((table.author for table in tables if table.author), "")
    if author:
        workbook.properties.creator = author
        workbook.properties.lastModifiedBy = author
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
