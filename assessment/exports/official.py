"""Render monthly assessment tables (附件1/2/3) with the printed, official look.

Exporters build an `OfficialTable` (plain data, no models) and hand it to
`add_official_sheet` / `official_workbook` for Excel or `render_csv` for CSV.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

KINDS = ("text", "score", "rank", "number")
NUMBER_FORMATS = {"score": "0.000", "rank": "0", "number": "General", "text": "General"}
FORMULA_PREFIXES = ("=", "+", "-", "@")
SCORE_QUANTUM = Decimal("0.001")

MIN_WIDTH = 6
MAX_WIDTH = 50  # longer text wraps instead of widening the page
WIDTH_PADDING = 2
LINE_HEIGHT = 15  # points per line of 11pt CJK text
TITLE_ROW_HEIGHT = 32
LABEL_SIZE = 12
TITLE_SIZE = 16
BODY_SIZE = 11

THIN = Side(style="thin")
THIN_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INVALID_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")


@dataclass(frozen=True)
class Column:
    header: str
    group: str | None = None
    kind: str = "text"
    width: float | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.header!r}: unknown kind {self.kind!r}, expected one of {KINDS}")


@dataclass(frozen=True)
class Section:
    title: str | None
    rows: Sequence[Sequence] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialTable:
    attachment: str
    title: str
    columns: Sequence[Column]
    sections: Sequence[Section]
    subtitle: str | None = None
    notes: Sequence[str] = ()
    landscape: bool = False
    sheet_name: str | None = None

    def __post_init__(self):
        if not self.columns:
            raise ValueError(f"{self.attachment}: a table needs at least one column")
        for section in self.sections:
            for index, row in enumerate(section.rows):
                if len(row) != len(self.columns):
                    raise ValueError(
                        f"{self.attachment} section {section.title!r} row {index}: "
                        f"{len(row)} values for {len(self.columns)} columns"
                    )


@dataclass(frozen=True)
class Fonts:
    label: str = "黑体"
    title: str = "黑体"
    body: str = "仿宋"


# ---------------------------------------------------------------- values


def _check_not_float(value) -> None:
    # bool is an int subclass; floats would silently round scores differently from the CSV.
    if isinstance(value, (float, bool)):
        raise TypeError(f"Scores must be Decimal or int, got {type(value).__name__}: {value!r}")


def quantize_score(value: Decimal | int) -> Decimal:
    """Round to 3 decimals, half up, and drop the sign of a negative zero."""
    _check_not_float(value)
    quantized = Decimal(value).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)
    return abs(quantized) if quantized == 0 else quantized


def score_text(value: Decimal | int | None) -> str:
    """A score with exactly 3 decimals ("1.500"), "" for None."""
    if value is None:
        return ""
    return format(quantize_score(value), "f")


def escape_text(text: str) -> str:
    """Prefix formula-like text with a quote so spreadsheets never evaluate it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _cell_value(value, kind: str):
    """The value to store in a worksheet cell for a column of `kind`."""
    if value is None:
        return None
    if isinstance(value, str):
        return escape_text(value)
    _check_not_float(value)
    if kind == "score":
        return quantize_score(value)
    if _is_number(value):
        return value
    raise TypeError(f"Unsupported cell value {value!r} ({type(value).__name__})")


def _display_text(value, kind: str) -> str:
    """How a value reads once printed: used for CSV and column widths."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_text(value)
    _check_not_float(value)
    if kind == "score":
        return score_text(value)
    if not _is_number(value):
        raise TypeError(f"Unsupported cell value {value!r} ({type(value).__name__})")
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------- measuring


def text_units(text: str) -> int:
    """Width of the longest line, counting full-width (CJK) characters as 2 units."""
    return max((_line_units(line) for line in text.split("\n")), default=0)


def _line_units(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in line)


def _line_count(text: str, width: float) -> int:
    usable = max(width - WIDTH_PADDING, 1)
    return sum(max(1, math.ceil(_line_units(line) / usable)) for line in text.split("\n"))


def column_widths(table: OfficialTable) -> list[float]:
    widths = [_fit_width(table, index) for index in range(len(table.columns))]
    _widen_for_groups(table, widths)
    _widen_for_title(table, widths)
    return widths


def _fit_width(table: OfficialTable, index: int) -> float:
    column = table.columns[index]
    if column.width is not None:
        return column.width
    texts = [column.header] + [_display_text(row[index], column.kind) for s in table.sections for row in s.rows]
    return min(max(MIN_WIDTH, max(text_units(t) for t in texts) + WIDTH_PADDING), MAX_WIDTH)


def _widen_for_groups(table: OfficialTable, widths: list[float]) -> None:
    """Spread extra width over a group's columns when the group title is wider than them."""
    for group, start, end in _group_spans(table.columns):
        if group is None:
            continue
        span = range(start, end + 1)
        if any(table.columns[i].width is not None for i in span):
            continue
        missing = text_units(group) + WIDTH_PADDING - sum(widths[i] for i in span)
        if missing > 0:
            for i in span:
                widths[i] += missing / len(span)


def title_units(title: str) -> float:
    """Width of the title in body-font units, since it is printed in a bigger font."""
    return text_units(title) * TITLE_SIZE / BODY_SIZE + WIDTH_PADDING


def _widen_for_title(table: OfficialTable, widths: list[float]) -> None:
    """Official tables span the title's width: grow auto-sized columns in proportion until the title fits."""
    auto = [i for i, column in enumerate(table.columns) if column.width is None]
    missing = title_units(table.title) - sum(widths)
    if missing <= 0 or not auto:
        return
    auto_total = sum(widths[i] for i in auto)
    for i in auto:
        widths[i] += missing * widths[i] / auto_total


def _group_spans(columns: Sequence[Column]) -> list[tuple[str | None, int, int]]:
    """(group, first index, last index) for runs of consecutive columns sharing a group."""
    spans: list[tuple[str | None, int, int]] = []
    for index, column in enumerate(columns):
        if spans and column.group is not None and spans[-1][0] == column.group:
            spans[-1] = (column.group, spans[-1][1], index)
        else:
            spans.append((column.group, index, index))
    return spans


# ---------------------------------------------------------------- worksheet


def safe_sheet_name(name: str) -> str:
    return INVALID_SHEET_CHARS.sub("_", name)[:31] or "Sheet"


def add_official_sheet(workbook: Workbook, table: OfficialTable, fonts: Fonts = Fonts()) -> Worksheet:
    ws = workbook.create_sheet(safe_sheet_name(table.sheet_name or table.attachment))
    widths = column_widths(table)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    _write_heading(ws, table, fonts, widths)
    header_start = 4 if table.subtitle else 3
    body_start = _write_headers(ws, table, fonts, header_start)
    notes_start = _write_body(ws, table, fonts, body_start, widths)
    _write_notes(ws, table, fonts, notes_start, sum(widths))
    _set_print_setup(ws, table, header_start, body_start)
    return ws


def _merge_across(ws: Worksheet, row: int, ncols: int) -> None:
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def _write_heading(ws: Worksheet, table: OfficialTable, fonts: Fonts, widths: list[float]) -> None:
    ncols = len(table.columns)
    label = ws.cell(row=1, column=1, value=escape_text(table.attachment))
    label.font = Font(name=fonts.label, size=LABEL_SIZE)
    label.alignment = Alignment(horizontal="left", vertical="center")

    title = ws.cell(row=2, column=1, value=escape_text(table.title))
    title.font = Font(name=fonts.title, size=TITLE_SIZE, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _merge_across(ws, 2, ncols)
    title_lines = math.ceil(title_units(table.title) / sum(widths))
    ws.row_dimensions[2].height = TITLE_ROW_HEIGHT * max(title_lines, 1)

    if table.subtitle:
        subtitle = ws.cell(row=3, column=1, value=escape_text(table.subtitle))
        subtitle.font = Font(name=fonts.body, size=BODY_SIZE)
        subtitle.alignment = Alignment(horizontal="right", vertical="center")
        _merge_across(ws, 3, ncols)


def _write_headers(ws: Worksheet, table: OfficialTable, fonts: Fonts, start: int) -> int:
    """Write one or two header rows from `start`; return the first body row."""
    two_levels = any(column.group for column in table.columns)
    last = start + 1 if two_levels else start
    for group, first, end in _group_spans(table.columns):
        if group is None:
            for index in range(first, end + 1):
                _header_cell(ws, start, index + 1, table.columns[index].header, fonts)
                if two_levels:
                    ws.merge_cells(start_row=start, start_column=index + 1, end_row=last, end_column=index + 1)
        else:
            _header_cell(ws, start, first + 1, group, fonts)
            if end > first:
                ws.merge_cells(start_row=start, start_column=first + 1, end_row=start, end_column=end + 1)
            for index in range(first, end + 1):
                _header_cell(ws, last, index + 1, table.columns[index].header, fonts)
    _border_block(ws, start, last, len(table.columns))
    return last + 1


def _header_cell(ws: Worksheet, row: int, column: int, text: str, fonts: Fonts) -> None:
    cell = ws.cell(row=row, column=column)
    _set_value(cell, escape_text(text))
    cell.font = Font(name=fonts.body, size=BODY_SIZE, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _border_block(ws: Worksheet, first_row: int, last_row: int, ncols: int) -> None:
    """Border every cell, merged ones included, so merged edges print on every side."""
    for row in range(first_row, last_row + 1):
        for column in range(1, ncols + 1):
            ws.cell(row=row, column=column).border = THIN_BORDER


def _set_value(cell, value) -> None:
    cell.value = value
    if isinstance(value, str):
        # openpyxl guesses "f" for text starting with "="; escaped text must stay a string.
        cell.data_type = "s"


def _write_body(ws: Worksheet, table: OfficialTable, fonts: Fonts, start: int, widths: list[float]) -> int:
    """Write sections and rows from `start`; return the next free row."""
    ncols = len(table.columns)
    left_column = next((i for i, c in enumerate(table.columns) if c.kind == "text"), None)
    row = start
    for section in table.sections:
        if section.title:
            _section_title(ws, row, section.title, fonts, ncols)
            row += 1
        for values in section.rows:
            _body_row(ws, row, table.columns, values, fonts, left_column, widths)
            row += 1
    return row


def _section_title(ws: Worksheet, row: int, title: str, fonts: Fonts, ncols: int) -> None:
    cell = ws.cell(row=row, column=1)
    _set_value(cell, escape_text(title))
    cell.font = Font(name=fonts.body, size=BODY_SIZE, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    _merge_across(ws, row, ncols)
    _border_block(ws, row, row, ncols)


def _body_row(ws, row, columns, values, fonts, left_column, widths) -> None:
    lines = 1
    for index, (column, value) in enumerate(zip(columns, values, strict=True)):
        cell = ws.cell(row=row, column=index + 1)
        _set_value(cell, _cell_value(value, column.kind))
        cell.number_format = NUMBER_FORMATS[column.kind]
        cell.font = Font(name=fonts.body, size=BODY_SIZE)
        cell.border = THIN_BORDER
        horizontal = "left" if index == left_column else "center"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if isinstance(cell.value, str):
            lines = max(lines, _line_count(cell.value, widths[index]))
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_HEIGHT


def _write_notes(ws: Worksheet, table: OfficialTable, fonts: Fonts, start: int, total_width: float) -> None:
    ncols = len(table.columns)
    for offset, note in enumerate(table.notes):
        row = start + offset
        cell = ws.cell(row=row, column=1)
        _set_value(cell, escape_text(note))
        cell.font = Font(name=fonts.body, size=BODY_SIZE)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        _merge_across(ws, row, ncols)
        # Excel does not grow merged rows for wrapped text, so size them here.
        ws.row_dimensions[row].height = _line_count(note, total_width) * LINE_HEIGHT


def _set_print_setup(ws: Worksheet, table: OfficialTable, header_start: int, body_start: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if table.landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = f"{header_start}:{body_start - 1}"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = ws.cell(row=body_start, column=1)


def official_workbook(tables: Sequence[OfficialTable], fonts: Fonts = Fonts()) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        add_official_sheet(workbook, table, fonts)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- CSV


def csv_header(column: Column) -> str:
    return f"{column.group} {column.header}" if column.group else column.header


def render_csv(table: OfficialTable) -> str:
    """CSV text of the table; the caller adds a BOM if Excel must detect UTF-8."""
    ncols = len(table.columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_text(csv_header(column)) for column in table.columns])
    for section in table.sections:
        if section.title:
            writer.writerow(_padded(section.title, ncols))
        for row in section.rows:
            writer.writerow([_display_text(value, col.kind) for col, value in zip(table.columns, row, strict=True)])
    for note in table.notes:
        writer.writerow(_padded(note, ncols))
    return buffer.getvalue()


def _padded(text: str, ncols: int) -> list[str]:
    """A line with `text` in the first column, keeping the CSV rectangular."""
    return [escape_text(text)] + [""] * (ncols - 1)
