"""Score imports in the long format (年度,月份,单位,考评项,分值,说明): read, validate, preview, apply.

Reading and validation write nothing; `apply_import` writes everything or nothing through the services.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import load_workbook

from projects.models import AssessmentYear, Indicator, Project, Unit

from . import services
from .models import (
    Adjustment,
    AdjustmentCategory,
    IndicatorScore,
    MonthOverride,
    OverrideKind,
    Period,
    ProjectScore,
)
from .permissions import can_edit_office_items, can_edit_project_score

COLUMNS = ["年度", "月份", "单位", "考评项", "分值", "说明"]
ADJUSTMENT_ITEM = "加扣分"
RECORDED_TOTAL_ITEM = "月度得分"
NOT_ASSESSED_ITEM = "未纳入考评"
NOT_APPLICABLE_MARKS = {"—", "-", "－", "——", "/"}
MAX_DECIMALS = 3

# Keywords of a reason → category of a 加扣分 item; the long format has no category column.
CATEGORY_KEYWORDS = [
    (("采用", "刊登", "刊发"), AdjustmentCategory.INFORMATION_ADOPTED),
    (("标识牌",), AdjustmentCategory.SIGNBOARD),
    (("报送", "上报", "报表"), AdjustmentCategory.INFORMATION_REPORTING),
    (("公示", "公开"), AdjustmentCategory.PUBLICITY),
    (("督查",), AdjustmentCategory.SUPERVISION),
    (("资金",), AdjustmentCategory.FUNDS),
    (("数据",), AdjustmentCategory.DATA_QUALITY),
]


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, corrupt, wrong type, missing columns)."""


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, object]
    labels: dict[str, str] | None = None  # how a field is called in the user's file, for messages

    def label(self, column: str) -> str:
        return (self.labels or {}).get(column, column)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"第{self.line}行 {self.column}：{self.message}" if self.line else f"{self.column}：{self.message}"


@dataclass(frozen=True)
class ParsedRow:
    line: int
    year: int
    month: int
    unit: Unit
    item: str  # a project code, an indicator name, 加扣分, 月度得分 or 未纳入考评
    project: Project | None = None
    indicator: Indicator | None = None
    value: Decimal | None = None
    not_applicable: bool = False
    reason: str = ""

    @property
    def kind(self) -> str:
        if self.project is not None:
            return "project"
        if self.indicator is not None:
            return "indicator"
        return self.item


@dataclass(frozen=True)
class PlannedChange:
    period: str
    unit: str
    item: str
    old: str
    new: str

    @property
    def is_change(self) -> bool:
        return self.old != self.new


@dataclass
class ImportPlan:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> list[PlannedChange]:
        return [change for change in self.changes if change.is_change]


# Reading ---------------------------------------------------------------------------------------


def read_rows(fileobj, filename: str) -> list[RawRow]:
    """The data rows of an .xlsx or .csv file, numbered as Excel numbers them (header = row 1)."""
    suffix = Path(filename).suffix.lower()
    data = fileobj.read()
    if not data:
        raise ImportFileError("文件是空的。")
    if suffix == ".xlsx":
        table = _xlsx_table(data)
    elif suffix == ".csv":
        table = _csv_table(data)
    else:
        raise ImportFileError(f"不支持的文件类型“{suffix or filename}”，请上传 .xlsx 或 .csv 文件。")
    return _rows_under_header(table)


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("文件无法读取，不是有效的 Excel（.xlsx）文件。") from error
    sheet = workbook.worksheets[0]
    table = []
    for row in sheet.iter_rows():
        values = [_xlsx_value(cell) for cell in row]
        table.append((row[0].row if row else len(table) + 1, values))
    return table


class Formula(str):
    """A cell holding a formula: refused, since its cached value is not what Excel shows for sure."""


def _xlsx_value(cell):
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        return Formula(cell.value)
    return cell.value


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”。") from error
    return [(number, values) for number, values in enumerate(csv.reader(io.StringIO(text)), start=1)]


def _rows_under_header(table: list[tuple[int, list]]) -> list[RawRow]:
    table = [(number, values) for number, values in table if any(_is_filled(v) for v in values)]
    if not table:
        raise ImportFileError("文件中没有数据。")
    header_line, header = table[0]
    names = [str(value).strip() if value is not None else "" for value in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ImportFileError(f"第{header_line}行 表头：缺少列 {'、'.join(missing)}（应为 {','.join(COLUMNS)}）。")
    positions = {column: names.index(column) for column in COLUMNS}
    rows = []
    for number, values in table[1:]:
        cells = {column: values[i] if i < len(values) else None for column, i in positions.items()}
        rows.append(RawRow(number, cells))
    if not rows:
        raise ImportFileError("文件中只有表头，没有数据行。")
    return rows


def _is_filled(value) -> bool:
    return value is not None and str(value).strip() != ""


# Validation ------------------------------------------------------------------------------------


class RowInvalid(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def parse_decimal(value, column: str) -> Decimal:
    """A number from an Excel number cell or text; a float is read by its shortest repr, never converted."""
    if isinstance(value, Formula):
        raise RowInvalid(column, "不能使用公式，请粘贴为数值。")
    if isinstance(value, bool):
        raise RowInvalid(column, f"“{value}”不是有效的数字。")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace("＋", "+").replace("－", "-").replace("．", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise RowInvalid(column, f"“{text}”不是有效的数字。") from None
    if not number.is_finite():
        raise RowInvalid(column, f"“{value}”不是有效的数字。")
    if -number.as_tuple().exponent > MAX_DECIMALS and number != number.quantize(Decimal("0.001")):
        raise RowInvalid(column, f"“{value}”最多保留 {MAX_DECIMALS} 位小数。")
    return number.quantize(Decimal("0.001"))


def parse_whole(value, column: str, low: int, high: int, what: str) -> int:
    if not _is_filled(value):
        raise RowInvalid(column, f"请填写{what}。")
    number = parse_decimal(value, column)
    if number != number.to_integral_value() or not low <= number <= high:
        raise RowInvalid(column, f"{what}“{value}”无效，应为 {low}–{high} 的整数。")
    return int(number)


def category_for(reason: str) -> str:
    for keywords, category in CATEGORY_KEYWORDS:
        if any(keyword in reason for keyword in keywords):
            return category
    return AdjustmentCategory.OTHER


class Lookups:
    """Reference data for validation, loaded once: a fixed number of queries per import."""

    def __init__(self):
        self.years = {y.year: y for y in AssessmentYear.objects.all()}
        units = list(Unit.objects.all())
        self.units = {u.name: u for u in units}
        by_short = defaultdict(list)
        for unit in units:
            by_short[unit.short_name].append(unit)
        self.short_units = by_short
        self.projects = {
            (p.year.year, p.code): p for p in Project.objects.select_related("year", "responsible_department")
        }
        self.excluded = defaultdict(set)
        for project_id, region_id in Project.excluded_regions.through.objects.values_list("project_id", "unit_id"):
            self.excluded[project_id].add(region_id)
        self.indicators = {(i.year.year, i.name): i for i in Indicator.objects.select_related("year")}
        self.periods = {(p.year.year, p.month): p for p in Period.objects.select_related("year")}

    def unit(self, name: str) -> Unit:
        if name in self.units:
            return self.units[name]
        matches = self.short_units.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise RowInvalid("单位", f"简称“{name}”对应多个单位，请填写全称。")
        raise RowInvalid("单位", f"找不到单位“{name}”。")


def parse_row(raw: RawRow, lookups: Lookups) -> ParsedRow:
    values = raw.values
    year = parse_whole(values.get("年度"), "年度", 2000, 2100, "年度")
    if year not in lookups.years:
        raise RowInvalid("年度", f"没有{year}年的考评年度。")
    month = parse_whole(values.get("月份"), "月份", 1, 12, "月份")
    unit_name = str(values.get("单位") or "").strip()
    if not unit_name:
        raise RowInvalid("单位", "请填写单位。")
    unit = lookups.unit(unit_name)
    item = str(values.get("考评项") or "").strip()
    if not item:
        raise RowInvalid("考评项", "请填写考评项。")
    reason = str(values.get("说明") or "").strip()
    if isinstance(values.get("说明"), Formula):
        raise RowInvalid("说明", "不能使用公式。")
    base = {"line": raw.line, "year": year, "month": month, "unit": unit, "item": item, "reason": reason}
    value = values.get("分值")
    if item == NOT_ASSESSED_ITEM:
        if _is_filled(value):
            raise RowInvalid("分值", "未纳入考评时分值应为空。")
        return ParsedRow(**base)
    if item == RECORDED_TOTAL_ITEM:
        return ParsedRow(**base, value=_required_number(value, "分值", low=Decimal("0")))
    if item == ADJUSTMENT_ITEM:
        points = _required_number(value, "分值")
        if points == 0:
            raise RowInvalid("分值", "加扣分不能为 0。")
        if not reason:
            raise RowInvalid("说明", "加扣分必须填写原因。")
        return ParsedRow(**base, value=points)
    project = lookups.projects.get((year, _project_code(item)))
    if project is not None:
        return _project_row(base, project, value, lookups)
    indicator = lookups.indicators.get((year, item))
    if indicator is not None:
        return _indicator_row(base, indicator, value)
    raise RowInvalid("考评项", f"“{item}”不是{year}年的项目编号、指标名称，也不是加扣分、月度得分或未纳入考评。")


def _project_code(item: str) -> str:
    return item.split("、")[0].strip()


def _required_number(value, column: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    if not _is_filled(value):
        raise RowInvalid(column, "请填写分值。")
    number = parse_decimal(value, column)
    if (low is not None and number < low) or (high is not None and number > high):
        raise RowInvalid(column, f"分值 {value} 超出范围（{low}–{high}）。")
    return number


def _project_row(base: dict, project: Project, value, lookups: Lookups) -> ParsedRow:
    unit = base["unit"]
    if not unit.is_region:
        raise RowInvalid("单位", f"项目 {project.code} 的得分只能给县区，“{unit.name}”不是县区。")
    if unit.id in lookups.excluded[project.id]:
        raise RowInvalid("考评项", f"项目 {project.code} 不适用于{unit.name}。")
    if isinstance(value, str) and value.strip() in NOT_APPLICABLE_MARKS:
        return ParsedRow(**base, project=project, not_applicable=True)
    maximum = lookups.years[base["year"]].project_max_score
    score = _required_number(value, "分值", low=Decimal("0"), high=maximum)
    if score < maximum and not base["reason"]:
        raise RowInvalid("说明", f"得分低于满分 {maximum}，请填写扣分原因。")
    return ParsedRow(**base, project=project, value=score)


def _indicator_row(base: dict, indicator: Indicator, value) -> ParsedRow:
    unit = base["unit"]
    if not unit.is_department:
        raise RowInvalid("单位", f"指标“{indicator.name}”只能给责任单位，“{unit.name}”不是责任单位。")
    score = _required_number(value, "分值", low=Decimal("0"), high=indicator.max_score)
    if score < indicator.max_score and not base["reason"]:
        raise RowInvalid("说明", f"得分低于满分 {indicator.max_score}，请填写原因。")
    return ParsedRow(**base, indicator=indicator, value=score)


def _duplicate_key(row: ParsedRow):
    if row.item == ADJUSTMENT_ITEM:
        return None
    if row.item in (RECORDED_TOTAL_ITEM, NOT_ASSESSED_ITEM):
        return (row.year, row.month, row.unit.id, "override")
    return (row.year, row.month, row.unit.id, row.kind, row.item)


def _period_errors(row: ParsedRow, lookups: Lookups, user) -> RowError | None:
    period = lookups.periods.get((row.year, row.month))
    if period is None:
        later = sorted(
            month
            for (year, month), p in lookups.periods.items()
            if year == row.year and month > row.month and p.is_published
        )
        if later:
            months = "、".join(f"{month}月" for month in later)
            return RowError(row.line, "月份", f"{months}已发布，新增{row.month}月会改变其累计得分，请先重新开放。")
        return None
    try:
        services.ensure_writable(period)
    except ValidationError as error:
        return RowError(row.line, "月份", "".join(error.messages))
    allowed = (
        can_edit_project_score(user, period, row.project)
        if row.project is not None
        else can_edit_office_items(user, period)
    )
    if not allowed:
        return RowError(row.line, "考评项", f"您不能修改{period}{row.unit.name}的“{row.item}”。")
    return None


def plan_import(raw_rows: Iterable[RawRow], *, user=None) -> ImportPlan:
    """Validate every row and compare it with what is stored. Writes nothing."""
    lookups = Lookups()
    plan = ImportPlan()
    first_line = {}
    for raw in raw_rows:
        try:
            row = parse_row(raw, lookups)
        except RowInvalid as invalid:
            plan.errors.append(RowError(raw.line, raw.label(invalid.column), invalid.message))
            continue
        key = _duplicate_key(row)
        if key is not None and key in first_line:
            plan.errors.append(RowError(raw.line, raw.label("考评项"), f"与第{first_line[key]}行重复。"))
            continue
        if key is not None:
            first_line[key] = raw.line
        error = _period_errors(row, lookups, user)
        if error is not None:
            plan.errors.append(RowError(error.line, raw.label(error.column), error.message))
            continue
        plan.rows.append(row)
    if plan.ok:
        plan.changes = planned_changes(plan.rows, lookups)
    return plan


# Preview ---------------------------------------------------------------------------------------


def planned_changes(rows: list[ParsedRow], lookups: Lookups) -> list[PlannedChange]:
    """Old → new for every row, from what is stored now (a fixed number of queries)."""
    periods = [lookups.periods[key] for key in {(r.year, r.month) for r in rows} if key in lookups.periods]
    project_scores = {
        (s.period_id, s.region_id, s.project_id): services.score_text(s.score, s.not_applicable)
        for s in ProjectScore.objects.filter(period__in=periods)
    }
    indicator_scores = {
        (s.period_id, s.department_id, s.indicator_id): services.score_text(s.score)
        for s in IndicatorScore.objects.filter(period__in=periods)
    }
    overrides = {
        (o.period_id, o.unit_id): services.override_text(o) for o in MonthOverride.objects.filter(period__in=periods)
    }
    adjustments = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period__in=periods).order_by("id"):
        adjustments[(adjustment.period_id, adjustment.unit_id)].append(
            _adjustment_text(adjustment.points, adjustment.reason)
        )

    changes = []
    new_adjustments = defaultdict(list)
    for row in rows:
        period = lookups.periods.get((row.year, row.month))
        period_id = period.id if period else None
        label = f"{row.year}年{row.month}月"
        if row.item == ADJUSTMENT_ITEM:
            new_adjustments[(label, period_id, row.unit)].append(_adjustment_text(row.value, row.reason))
            continue
        if row.project is not None:
            old = project_scores.get((period_id, row.unit.id, row.project.id), "")
            new = services.score_text(row.value, row.not_applicable)
            item = f"{row.project.display_code}、{row.project.name}"
        elif row.indicator is not None:
            old = indicator_scores.get((period_id, row.unit.id, row.indicator.id), "")
            new, item = services.score_text(row.value), row.indicator.name
        else:
            old = overrides.get((period_id, row.unit.id), "")
            new = NOT_ASSESSED_ITEM if row.item == NOT_ASSESSED_ITEM else services.score_text(row.value)
            item = RECORDED_TOTAL_ITEM
        changes.append(PlannedChange(label, row.unit.name, item, old, new))
    for (label, period_id, unit), texts in new_adjustments.items():
        old = "；".join(sorted(adjustments.get((period_id, unit.id), [])))
        changes.append(PlannedChange(label, unit.name, ADJUSTMENT_ITEM, old, "；".join(sorted(texts))))
    return changes


def _adjustment_text(points: Decimal, reason: str) -> str:
    return f"{points:+.3f} {reason}"


# Applying --------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    rows: int
    changed: int
    periods: list[str]


@transaction.atomic
def apply_import(plan: ImportPlan, *, user=None) -> ImportSummary:
    """Write every row of a valid plan, or nothing: any refusal rolls the whole import back."""
    if not plan.ok:
        raise ValidationError([str(error) for error in plan.errors])
    by_period = defaultdict(list)
    for row in plan.rows:
        by_period[(row.year, row.month)].append(row)
    try:
        for (year, month), rows in sorted(by_period.items()):
            period = services.get_or_create_period(year=year, month=month, user=user)
            _apply_period(period, rows, user)
    except PermissionDenied as denied:
        raise ValidationError(str(denied)) from denied
    periods = [f"{year}年{month}月" for year, month in sorted(by_period)]
    return ImportSummary(rows=len(plan.rows), changed=len(plan.changed), periods=periods)


def _apply_period(period: Period, rows: list[ParsedRow], user) -> None:
    project_items = [
        services.ProjectScoreInput(r.unit, r.project, r.value, r.not_applicable, r.reason)
        for r in rows
        if r.project is not None
    ]
    if project_items:
        services.save_project_scores(user=user, period=period, items=project_items, reason="导入")
    indicator_items = [
        services.IndicatorScoreInput(r.unit, r.indicator, r.value, r.reason) for r in rows if r.indicator is not None
    ]
    if indicator_items:
        services.save_indicator_scores(user=user, period=period, items=indicator_items, reason="导入")
    adjustments = defaultdict(list)
    for row in rows:
        if row.item == ADJUSTMENT_ITEM:
            adjustments[row.unit].append((row.value, row.reason, category_for(row.reason)))
    for unit, items in adjustments.items():
        services.replace_adjustments(user=user, period=period, unit=unit, items=items)
    for row in rows:
        if row.item == RECORDED_TOTAL_ITEM:
            services.set_month_override(
                user=user, period=period, unit=row.unit, kind=OverrideKind.RECORDED_TOTAL, score=row.value
            )
        elif row.item == NOT_ASSESSED_ITEM:
            services.set_month_override(user=user, period=period, unit=row.unit, kind=OverrideKind.NOT_ASSESSED)
