"""The official tables as CSV (UTF-8 with BOM, so that Excel detects the encoding)."""

from __future__ import annotations

import csv
import io

from .. import rules
from .tables import Column, OfficialTable, csv_value

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
UTF8_BOM = "\ufeff"


def csv_header(column: Column) -> str:
    return f"{column.group} {column.header}" if column.group else column.header


def render_csv(table: OfficialTable) -> str:
    """CSV text of the table; the caller adds a BOM if Excel must detect UTF-8."""
    ncols = len(table.columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([rules.csv_text(csv_header(column)) for column in table.columns])
    for section in table.sections:
        if section.title:
            writer.writerow(_padded(section.title, ncols))
        for row in section.rows:
            writer.writerow([csv_value(value, col.kind) for col, value in zip(table.columns, row, strict=True)])
    for note in table.notes:
        writer.writerow(_padded(note, ncols))
    return buffer.getvalue()


def _padded(text: str, ncols: int) -> list[str]:
    """A line with `text` in the first column, keeping the CSV rectangular."""
    return [rules.csv_text(text)] + [""] * (ncols - 1)
