"""The official look in Excel: one sheet per `OfficialTable`, A4, fonts, merged headers, print setup."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .tables import (
    BODY_SIZE,
    LABEL_SIZE,
    LINE_HEIGHT,
    NUMBER_FORMATS,
    TITLE_ROW_HEIGHT,
    TITLE_SIZE,
    Fonts,
    OfficialTable,
    cell_value,
    column_widths,
    escape_text,
    group_spans,
    line_count,
    title_units,
)

THIN = Side(style="thin")
THIN_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INVALID_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")
DEFAULT_FONTS = Fonts()
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_sheet_name(name: str) -> str:
    return INVALID_SHEET_CHARS.sub("_", name)[:31] or "Sheet"


def add_official_sheet(workbook: Workbook, table: OfficialTable, fonts: Fonts = DEFAULT_FONTS) -> Worksheet:
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
    for group, first, end in group_spans(table.columns):
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
        _set_value(cell, cell_value(value, column.kind))
        cell.number_format = NUMBER_FORMATS[column.kind]
        cell.font = Font(name=fonts.body, size=BODY_SIZE)
        cell.border = THIN_BORDER
        horizontal = "left" if index == left_column else "center"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if isinstance(cell.value, str):
            lines = max(lines, line_count(cell.value, widths[index]))
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
        ws.row_dimensions[row].height = line_count(note, total_width) * LINE_HEIGHT


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


def official_workbook(tables: Sequence[OfficialTable], fonts: Fonts = DEFAULT_FONTS) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        add_official_sheet(workbook, table, fonts)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
