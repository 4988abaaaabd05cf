"""The Excel entry template of a period's region grid, and reading it back as long-format rows.

The template has one score column and one reason column per region; only the cells the user may
edit are unlocked (the sheet is protected without a password, to guide, not to secure: the server
checks every row again). Reading turns each filled cell into a `RawRow` of the long format
(年度,月份,单位,考评项,分值,说明) whose labels name the user's column, so errors read
"第5行 义安区（D列）：…".
"""

import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import rules
from ..exports.xlsx import text_cell
from ..selectors.grid import ProjectGrid
from .archive import Capacity
from .capacity import import_capacity
from .files import XLSX, ImportFileError, RawRow, cell_value, suffix_of, xlsx_rows
from .long_format import COLUMNS, read_long_format

SHEET_TITLE = "县区项目得分"
MARKER = "民生工程县区项目得分录入模板"
HEADER_ROW = 3
FIRST_DATA_ROW = 4
FIXED_COLUMNS = ["编号", "项目名称", "责任部门"]
REASON_SUFFIX = "扣分原因"
EDITABLE_FILL = PatternFill("solid", fgColor="FFF9E5")
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")


def grid_template(grid: ProjectGrid) -> bytes:
    """The grid as an .xlsx pre-filled with the stored values; the user's editable cells unlocked."""
    period = grid.period
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet["A1"] = MARKER
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"], sheet["B2"], sheet["C2"], sheet["D2"] = "年度", period.year.year, "月份", period.month
    maximum = rules.maximum_text(grid.max_score)
    sheet["E2"] = f"满分 {maximum}；不适用填“{rules.NOT_APPLICABLE}”；低于满分须填扣分原因；灰色格子不能修改"
    headers = list(FIXED_COLUMNS)
    for region in grid.regions:
        headers += [region.name, f"{region.name}{REASON_SUFFIX}"]
    for column, title in enumerate(headers, start=1):
        cell = text_cell(sheet, HEADER_ROW, column, title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    score_check = DataValidation(
        type="custom",
        formula1=f'OR(ISBLANK(D{FIRST_DATA_ROW}),D{FIRST_DATA_ROW}="—",AND(ISNUMBER(D{FIRST_DATA_ROW}),'
        f"D{FIRST_DATA_ROW}>=0,D{FIRST_DATA_ROW}<={grid.max_score}))",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="得分无效",
        error=f"{rules.OUT_OF_RANGE.format(maximum=maximum)}，或填“{rules.NOT_APPLICABLE}”表示不适用。",
    )
    sheet.add_data_validation(score_check)
    for offset, row in enumerate(grid.rows):
        number = FIRST_DATA_ROW + offset
        project = row.project
        text_cell(sheet, number, 1, project.code)
        text_cell(sheet, number, 2, project.name)
        text_cell(sheet, number, 3, project.responsible_department.name)
        for index, cell in enumerate(row.cells):
            score_column = len(FIXED_COLUMNS) + 1 + 2 * index
            if cell.excluded:
                value = rules.NOT_APPLICABLE
            elif cell.text and cell.text != rules.NOT_APPLICABLE:
                value = float(cell.text)  # a number cell in Excel; read back by its shortest repr
            else:
                value = cell.text or None
            score = sheet.cell(number, score_column, value)
            score.number_format = "0.000"
            reason = text_cell(sheet, number, score_column + 1, cell.reason or None)
            if cell.editable:
                for target in (score, reason):
                    target.protection = Protection(locked=False)
                    target.fill = EDITABLE_FILL
                score_check.add(score.coordinate)
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 16
    for index in range(len(grid.regions)):
        sheet.column_dimensions[get_column_letter(len(FIXED_COLUMNS) + 1 + 2 * index)].width = 10
        sheet.column_dimensions[get_column_letter(len(FIXED_COLUMNS) + 2 + 2 * index)].width = 24
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, len(FIXED_COLUMNS) + 1)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column stays possible
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def is_grid_template(data: bytes, capacity: Capacity) -> bool:
    """Whether an .xlsx is the entry template (its first cell is the marker); False for anything unreadable
    (the long-format reader then says why)."""
    try:
        for _, row in xlsx_rows(data, capacity, max_row=1):
            return bool(row) and cell_value(row[0]) == MARKER
    except ImportFileError:
        return False
    return False


def read_upload(data: bytes, filename: str, capacity: Capacity | None = None) -> Iterator[RawRow]:
    """Rows of an uploaded file, streamed: the grid template (wide) or the long format; raises
    ImportFileError (perhaps while iterating). `capacity` defaults to every month of every year."""
    if capacity is None:
        capacity = import_capacity()
    if suffix_of(filename) == XLSX and is_grid_template(data, capacity):
        return read_grid_template(data, capacity)
    return read_long_format(data, filename, capacity)


def _value(row, column: int):
    """The value of a 1-based column of a streamed row (rows may be shorter than the sheet)."""
    return cell_value(row[column - 1]) if column <= len(row) else None


def _header_regions(headers: list) -> list[tuple[int, int | None, str]]:
    """(score column, reason column or None, region name) of the header row."""
    if [str(h or "").strip() for h in headers[: len(FIXED_COLUMNS)]] != FIXED_COLUMNS:
        raise ImportFileError(f"第{HEADER_ROW}行 表头：应以 {'、'.join(FIXED_COLUMNS)} 开头，请使用下载的录入模板。")
    regions = []
    for column in range(len(FIXED_COLUMNS) + 1, len(headers) + 1):
        name = str(headers[column - 1] or "").strip()
        if not name or name.endswith(REASON_SUFFIX):
            continue
        following = str(headers[column] or "").strip() if column < len(headers) else ""
        regions.append((column, column + 1 if following == f"{name}{REASON_SUFFIX}" else None, name))
    if not regions:
        raise ImportFileError(f"第{HEADER_ROW}行 表头：没有县区列。")
    return regions


def read_grid_template(data: bytes, capacity: Capacity) -> Iterator[RawRow]:
    """Each filled unlocked region cell of the template as a long-format row, streamed; empty cells stay
    as they are."""
    year = month = None
    regions = None
    for number, row in xlsx_rows(data, capacity):
        if number == 2:
            year, month = _value(row, 2), _value(row, 4)
        if number == HEADER_ROW:
            regions = _header_regions([_value(row, column) for column in range(1, len(row) + 1)])
        if number < FIRST_DATA_ROW:
            continue
        code = _value(row, 1)
        if code is None or str(code).strip() == "":
            continue
        for score_column, reason_column, region in regions:
            if score_column > len(row):
                continue
            score_cell = row[score_column - 1]
            value = cell_value(score_cell)
            if value is None or str(value).strip() == "":
                continue
            if score_cell.protection.locked:
                continue  # not the user's to change: excluded, or another department's cell
            reason = _value(row, reason_column) if reason_column else None
            yield _template_row(number, region, score_column, reason_column, year, month, code, value, reason)
    if regions is None:
        raise ImportFileError(f"第{HEADER_ROW}行 表头：应以 {'、'.join(FIXED_COLUMNS)} 开头，请使用下载的录入模板。")


def _template_row(number, region, score_column, reason_column, year, month, code, value, reason) -> RawRow:
    letter = get_column_letter(score_column)
    labels = {
        "分值": f"{region}（{letter}列）",
        "说明": f"{region}{REASON_SUFFIX}（{get_column_letter(reason_column)}列）"
        if reason_column
        else f"{region}{REASON_SUFFIX}",
        "考评项": "编号（A列）",
        "单位": f"{region}（{letter}列表头）",
        "年度": "年度（B2）",
        "月份": "月份（D2）",
    }
    values = dict.fromkeys(COLUMNS)
    values.update({"年度": year, "月份": month, "单位": region, "考评项": str(code).strip()})
    values.update({"分值": value, "说明": reason})
    return RawRow(number, values, labels)
