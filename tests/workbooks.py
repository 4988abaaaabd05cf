"""Reading exported workbooks back in tests."""

import io
from decimal import Decimal

import openpyxl


def open_workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def dec(value):
    """Excel stores numbers as floats: read them back as the Decimal they print as."""
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def values(ws, row: int) -> list:
    return [dec(c.value) for c in ws[row]]


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def table_rows(ws, header_row: int, header_rows: int = 1) -> list[tuple[int, list]]:
    """(row number, values) of every row below the header, without the copies of the header that the
    renderer repeats at each page break."""
    header = values(ws, header_row)
    rows, row = [], header_row + header_rows
    while row <= ws.max_row:
        current = values(ws, row)
        if current == header:
            row += header_rows
            continue
        rows.append((row, current))
        row += 1
    return rows
