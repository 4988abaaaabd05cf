"""Reading an uploaded .xlsx or .csv into numbered rows of cells, as Excel numbers them, streamed.

A file that cannot be read as a whole raises `ImportFileError` with the user's message — possibly only
when the rows are iterated (a file too long is refused when its row past the capacity is met). An .xlsx
is checked as an archive first (`archive.check_xlsx`) and read in openpyxl's read-only mode, so memory
does not grow with the file.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from .archive import NOT_EXCEL, ArchiveRefused, Capacity, check_xlsx

XLSX, CSV = ".xlsx", ".csv"
NO_SHEET = "Excel 文件中没有可读取的工作表（文件可能已损坏）。"
DEFAULT_CAPACITY = Capacity(max_rows=200_000, max_columns=256)
SHEETS_CAPACITY = Capacity(max_rows=20_000, max_columns=64)  # a year's reference data: a few hundred rows
TOO_MANY_ROWS = "文件超过 {limit} 行，超出一次导入所需，已拒绝。"
TOO_MANY_COLUMNS = "第{line}行有 {width} 列，超出一次导入所需的 {limit} 列，已拒绝。"


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, corrupt, wrong type, missing columns)."""


class Formula(str):
    """A cell holding a formula: refused, since its cached value is not what Excel shows for sure."""


def is_formula(cell) -> bool:
    """A formula cell; a text cell that merely starts with '=' (the quote-prefixed text our exports write,
    or text typed after an apostrophe) is text."""
    return cell.data_type == "f"


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


def open_workbook(data: bytes, capacity: Capacity):
    """The workbook in openpyxl's streaming (read-only) mode, after the archive has been checked."""
    try:
        check_xlsx(data, capacity)
    except ArchiveRefused as refused:
        raise ImportFileError(str(refused)) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(NOT_EXCEL) from error


def xlsx_rows(data: bytes, capacity: Capacity, *, max_row: int | None = None) -> Iterator[tuple[int, list]]:
    """(row number, cells) of the first sheet, streamed; the cells are openpyxl's read-only cells.

    Rows are numbered as Excel numbers them (missing rows come as empty ones); more rows or a wider row
    than the capacity is refused as soon as it is met. A workbook that cannot be read — a sheet listed
    without its XML, a damaged member, an entity declaration — is `NOT_EXCEL`.
    """
    workbook = open_workbook(data, capacity)
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ImportFileError(NO_SHEET)
        sheet = sheets[0]
        sheet.reset_dimensions()  # the declared size is not trusted: the rows are counted as they come
        for number, row in enumerate(sheet.iter_rows(max_row=max_row), start=1):
            check_size(number, len(row), capacity)
            yield number, row
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl and the XML parser raise many kinds for a damaged file
        raise ImportFileError(NOT_EXCEL) from error
    finally:
        workbook.close()


def check_size(number: int, width: int, capacity: Capacity) -> None:
    if number > capacity.max_rows:
        raise ImportFileError(TOO_MANY_ROWS.format(limit=capacity.max_rows))
    if width > capacity.max_columns:
        raise ImportFileError(TOO_MANY_COLUMNS.format(line=number, width=width, limit=capacity.max_columns))


def read_table(data: bytes, filename: str, capacity: Capacity | None = None) -> Iterator[tuple[int, list]]:
    """(row number, cell values) of the first sheet or of the CSV, header included, streamed; within
    `capacity` (default `DEFAULT_CAPACITY`: callers that know their data pass a tighter one)."""
    capacity = capacity or DEFAULT_CAPACITY
    if not data:
        raise ImportFileError("文件是空的。")
    if suffix_of(filename) == XLSX:
        return ((number, [cell_value(cell) for cell in row]) for number, row in xlsx_rows(data, capacity))
    return _csv_table(data, capacity)


def read_sheets(data: bytes, filename: str, capacity: Capacity | None = None) -> dict[str, list[tuple[int, list]]]:
    """Every sheet of an .xlsx by its name, as `read_table` reads the first one (a workbook of several
    tables, such as the reference data of a year); the archive is checked first and each sheet is
    streamed within `capacity` (default: `SHEETS_CAPACITY`)."""
    if not data:
        raise ImportFileError("文件是空的。")
    if suffix_of(filename) != XLSX:
        raise ImportFileError("请上传 .xlsx 文件（含多个工作表）。")
    capacity = capacity or SHEETS_CAPACITY
    workbook = open_workbook(data, capacity)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            table = []
            for number, row in enumerate(sheet.iter_rows(), start=1):
                check_size(number, len(row), capacity)
                table.append((number, [cell_value(cell) for cell in row]))
            sheets[sheet.title.strip()] = table
        return sheets
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl and the XML parser raise many kinds for a damaged file
        raise ImportFileError(NOT_EXCEL) from error
    finally:
        workbook.close()


def _csv_table(data: bytes, capacity: Capacity) -> Iterator[tuple[int, list]]:
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        for number, values in enumerate(csv.reader(text), start=1):
            check_size(number, len(values), capacity)
            yield number, values
    except UnicodeDecodeError as error:
        raise ImportFileError("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”。") from error
    except csv.Error as error:
        raise ImportFileError(f"CSV 文件格式错误：{error}") from error


@dataclass(frozen=True)
class RawRow:
    """One data row of a file in the long format's columns, numbered as Excel numbers it."""

    line: int
    values: dict[str, object]
    labels: dict[str, str] | None = None  # how a column is called in the user's file, for messages

    def label(self, column: str) -> str:
        return (self.labels or {}).get(column, column)


def rows_under_header(table: Iterable[tuple[int, list]], columns: list[str]) -> Iterator[RawRow]:
    """The rows below the first non-empty row, which must name every column; streamed."""
    filled = ((number, values) for number, values in table if any(is_filled(v) for v in values))
    first = next(filled, None)
    if first is None:
        raise ImportFileError("文件中没有数据。")
    header_line, header = first
    names = [str(value).strip() if value is not None else "" for value in header]
    missing = [column for column in columns if column not in names]
    if missing:
        raise ImportFileError(f"第{header_line}行 表头：缺少列 {'、'.join(missing)}（应为 {','.join(columns)}）。")
    positions = {column: names.index(column) for column in columns}
    any_row = False
    for number, values in filled:
        any_row = True
        yield RawRow(number, {column: values[i] if i < len(values) else None for column, i in positions.items()})
    if not any_row:
        raise ImportFileError("文件中只有表头，没有数据行。")
