"""Reading an uploaded .xlsx or .csv into numbered rows of cells, as Excel numbers them.

A file that cannot be read as a whole raises `ImportFileError` with the user's message.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

XLSX, CSV = ".xlsx", ".csv"
NOT_EXCEL = "文件无法读取，不是有效的 Excel（.xlsx）文件。"


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, corrupt, wrong type, missing columns)."""


class Formula(str):
    """A cell holding a formula: refused, since its cached value is not what Excel shows for sure."""


def is_formula(cell) -> bool:
    return cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))


def cell_value(cell):
    """A worksheet cell's value, with formulas marked so that the row parser can refuse them.

    Text is read as Excel shows it: OOXML's escapes of control characters (`_x0000_`) are undone, so the
    row parser's control-character check sees and refuses them."""
    if is_formula(cell):
        return Formula(cell.value)
    return unescape(cell.value) if isinstance(cell.value, str) else cell.value


def is_filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def suffix_of(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in (XLSX, CSV):
        raise ImportFileError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件。")
    return suffix


def open_workbook(data: bytes, *, read_only: bool = False):
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(NOT_EXCEL) from error


def read_table(data: bytes, filename: str) -> list[tuple[int, list]]:
    """(row number, cell values) of the first sheet or of the CSV, header included."""
    if not data:
        raise ImportFileError("文件是空的。")
    if suffix_of(filename) == XLSX:
        return _xlsx_table(data)
    return _csv_table(data)


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    sheet = open_workbook(data).worksheets[0]
    table = []
    for row in sheet.iter_rows():
        values = [cell_value(cell) for cell in row]
        table.append((row[0].row if row else len(table) + 1, values))
    return table


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”。") from error
    return [(number, values) for number, values in enumerate(csv.reader(io.StringIO(text)), start=1)]


@dataclass(frozen=True)
class RawRow:
    """One data row of a file in the long format's columns, numbered as Excel numbers it."""

    line: int
    values: dict[str, object]
    labels: dict[str, str] | None = None  # how a column is called in the user's file, for messages

    def label(self, column: str) -> str:
        return (self.labels or {}).get(column, column)


def rows_under_header(table: list[tuple[int, list]], columns: list[str]) -> list[RawRow]:
    """The rows below the first non-empty row, which must name every column."""
    table = [(number, values) for number, values in table if any(is_filled(v) for v in values)]
    if not table:
        raise ImportFileError("文件中没有数据。")
    header_line, header = table[0]
    names = [str(value).strip() if value is not None else "" for value in header]
    missing = [column for column in columns if column not in names]
    if missing:
        raise ImportFileError(f"第{header_line}行 表头：缺少列 {'、'.join(missing)}（应为 {','.join(columns)}）。")
    positions = {column: names.index(column) for column in columns}
    rows = [
        RawRow(number, {column: values[i] if i < len(values) else None for column, i in positions.items()})
        for number, values in table[1:]
    ]
    if not rows:
        raise ImportFileError("文件中只有表头，没有数据行。")
    return rows
