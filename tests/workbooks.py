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
