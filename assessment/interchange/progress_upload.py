"""The browser's progress and information files: the month's Excel templates, and an uploaded file
planned with the import commands' own readers (`progress_format`), restricted to the page's month.

A template is a long-format sheet whose first row is the import header (`PROGRESS_COLUMNS` or
`INFORMATION_COLUMNS`), one row per target (or unit) the user may enter, pre-filled with the month's
stored figures; columns after the header's are for reference (目标任务, 上月累计…) and are not read.
A template row left empty (no 累计完成, 累计拨付, 累计受益人次, 说明; or no 报送, 市采用, 省采用)
is left alone. The upload is all or nothing: any error, nothing is saved.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..models import Period
from .files import ImportFileError, RawRow, is_filled, read_table, rows_under_header
from .plan import RowError
from .progress_format import (
    INFORMATION_COLUMNS,
    MONTH_COLUMNS,
    PROGRESS_COLUMNS,
    Plan,
    apply_information_import,
    apply_progress_import,
    plan_information_import,
    plan_progress_import,
)

PROGRESS, INFORMATION = "progress", "information"
KIND_LABELS = {PROGRESS: "项目进度", INFORMATION: "信息报送"}
REFERENCE_FILL = PatternFill("solid", fgColor="E9ECEF")
EDITABLE_FILL = PatternFill("solid", fgColor="FFF9E5")
HEADER_FILL = PatternFill("solid", fgColor="D0E2FF")


# ---------------------------------------------------------------- templates


def _sheet(title: str, columns: list[str], reference: list[str]):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for index, name in enumerate(columns + reference, start=1):
        cell = sheet.cell(1, index, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL if index <= len(columns) else REFERENCE_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = 12 if index > 4 else 10
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def progress_template(period: Period, rows) -> bytes:
    """`rows`: `selectors.progress_entry.ProgressRow`s the user may edit."""
    reference = [
        "项目名称（参考）",
        "目标任务（参考）",
        "年度预算（参考）",
        "上月累计完成（参考）",
        "上月累计拨付（参考）",
    ]
    workbook, sheet = _sheet("项目进度", PROGRESS_COLUMNS, reference)
    editable = [PROGRESS_COLUMNS.index(name) + 1 for name in MONTH_COLUMNS]
    for number, row in enumerate(rows, start=2):
        target, current, previous = row.target, row.current, row.previous
        values = {
            "年度": period.year.year,
            "月份": period.month,
            "单位": target.unit.name,
            "项目": target.project.code,
            "累计完成": current.completed if current else None,
            "累计拨付": current.paid if current else None,
            "累计受益人次": current.beneficiaries if current else None,
            "说明": current.note if current and current.note else None,
        }
        for index, name in enumerate(PROGRESS_COLUMNS, start=1):
            cell = sheet.cell(number, index, values.get(name))
            if index in editable:
                cell.fill = EDITABLE_FILL
        extra = [
            target.project.name,
            f"{row.quantity}",
            target.budget,
            previous.completed if previous else None,
            previous.paid if previous else None,
        ]
        for offset, value in enumerate(extra, start=len(PROGRESS_COLUMNS) + 1):
            sheet.cell(number, offset, value).fill = REFERENCE_FILL
    sheet.column_dimensions[get_column_letter(len(PROGRESS_COLUMNS) + 1)].width = 30
    return _bytes(workbook)


def information_template(period: Period, rows) -> bytes:
    """`rows`: `selectors.progress_entry.InformationRow`s the user may edit."""
    workbook, sheet = _sheet("信息报送", INFORMATION_COLUMNS, ["1至上月报送（参考）"])
    for number, row in enumerate(rows, start=2):
        current = row.current
        values = [
            period.year.year,
            period.month,
            row.unit.name,
            current.reported if current else None,
            current.city_adopted if current else None,
            current.province_adopted if current else None,
        ]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(number, index, value)
            if index > 3:
                cell.fill = EDITABLE_FILL
        sheet.cell(number, len(INFORMATION_COLUMNS) + 1, row.before.reported).fill = REFERENCE_FILL
    return _bytes(workbook)


# ---------------------------------------------------------------- uploads


@dataclass
class UploadPlan:
    kind: str
    plan: Plan
    skipped: int = 0  # template rows left empty
    errors: list[RowError] = field(default_factory=list)  # the plan's and the month's

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def changed(self):
        return self.plan.changed

    @property
    def questions(self) -> list[str]:
        return self.plan.questions

    @property
    def digest(self) -> str:
        text = "\n".join(f"{c.what}|{c.old}|{c.new}" for c in self.changed)
        return hashlib.sha256(f"{self.kind}\n{text}".encode()).hexdigest()


def _kind_and_rows(data: bytes, filename: str) -> tuple[str, list[RawRow]]:
    table = list(read_table(data, filename))
    header = next((values for _line, values in table if any(is_filled(v) for v in values)), [])
    names = {str(value).strip() for value in header if value is not None}
    if "报送" in names and "累计完成" not in names:
        return INFORMATION, list(rows_under_header(table, INFORMATION_COLUMNS))
    return PROGRESS, list(rows_under_header(table, PROGRESS_COLUMNS))


def _same(value, expected: int) -> bool | None:
    """Whether a year/month cell holds `expected`; None when it is not a whole number (the planner says why)."""
    text = str(value).strip() if value is not None else ""
    try:
        number = float(text) if text else None
    except ValueError:
        return None
    if number is None or number != int(number):
        return None
    return int(number) == expected


def _left_empty(kind: str, values: dict) -> bool:
    if kind == INFORMATION:
        return not any(is_filled(values.get(column)) for column in INFORMATION_COLUMNS[3:])
    return is_filled(values.get("月份")) and not any(is_filled(values.get(column)) for column in MONTH_COLUMNS)


def plan_upload(data: bytes, filename: str, *, user, period: Period) -> UploadPlan:
    """Read and check an uploaded file against the page's month. Raises ImportFileError for a file that
    cannot be read at all."""
    kind, raw_rows = _kind_and_rows(data, filename)
    month_errors, kept, skipped = [], [], 0
    for raw in raw_rows:
        values = raw.values
        if _left_empty(kind, values):
            skipped += 1  # a template row nobody filled
            continue
        if _same(values.get("年度"), period.year.year) is False:
            month_errors.append(RowError(raw.line, raw.label("年度"), f"这里只能导入{period.year.year}年的数据。"))
            continue
        month = values.get("月份")
        if is_filled(month) and _same(month, period.month) is False:
            message = f"这里只能导入{period}的数据，该行是{str(month).strip()}月。"
            month_errors.append(RowError(raw.line, raw.label("月份"), message))
            continue
        kept.append(raw)
    if not kept and not month_errors:
        raise ImportFileError("文件中没有填写任何数据。")
    planner = plan_information_import if kind == INFORMATION else plan_progress_import
    plan = planner(kept, user=user)
    errors = sorted(month_errors + list(plan.errors), key=lambda error: error.line)
    return UploadPlan(kind, plan, skipped, errors)


def apply_upload(upload: UploadPlan, *, user, confirmed: bool):
    if upload.kind == INFORMATION:
        return apply_information_import(upload.plan, user=user)
    return apply_progress_import(upload.plan, user=user, confirmed=confirmed)
