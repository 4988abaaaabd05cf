"""Planning an import: every row validated, checked against the periods and the user's rights, and
compared with what is stored (old → new). Writes nothing."""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .. import rules
from ..access import can_edit_office_items, can_edit_project_score
from ..models import Adjustment, IndicatorScore, MonthOverride, OverrideKind, Period, ProjectScore, year_limits
from ..services import ensure_writable
from .files import RawRow
from .long_format import (
    ADJUSTMENT_ITEM,
    NOT_ASSESSED_ITEM,
    RECORDED_TOTAL_ITEM,
    Lookups,
    ParsedRow,
    RowInvalid,
    category_for,
    parse_row,
)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"第{self.line}行 {self.column}：{self.message}" if self.line else f"{self.column}：{self.message}"


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


MAX_ERRORS = 100  # checking stops at the 100th error: the user fixes those first
STOPPED = "发现 {count} 处错误后停止检查（已读取 {rows} 行数据），请先改正这些错误。"


def listed_errors(errors: list, stopped_message: str = "") -> list[str]:
    """Errors as a command prints them: at most MAX_ERRORS, how many more, and why checking stopped."""
    lines = [str(error) for error in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        lines.append(f"……另有 {len(errors) - MAX_ERRORS} 处错误未列出。")
    return lines + ([stopped_message] if stopped_message else [])


@dataclass
class ImportPlan:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    rows_read: int = 0  # data rows read from the file (all of them unless checking stopped)
    stopped: bool = False  # True when checking stopped at MAX_ERRORS

    @property
    def stopped_message(self) -> str:
        return STOPPED.format(count=len(self.errors), rows=self.rows_read) if self.stopped else ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> list[PlannedChange]:
        return [change for change in self.changes if change.is_change]

    @property
    def digest(self) -> str:
        """Fingerprint of what the plan would change, to tell whether it is still what the user previewed."""
        text = "\n".join(f"{c.period}|{c.unit}|{c.item}|{c.old}|{c.new}" for c in self.changed)
        return hashlib.sha256(text.encode()).hexdigest()


def _month_error(year: int, month: int, lookups: Lookups) -> tuple[str, str] | None:
    """Why no row of this month can be written, as (column, message); None when it can."""
    period = lookups.periods.get((year, month))
    if period is None:
        later = sorted(m for (y, m), p in lookups.periods.items() if y == year and m > month and p.is_published)
        if later:
            months = "、".join(f"{m}月" for m in later)
            return "月份", f"{months}已发布，新增{month}月会改变其累计得分，请先重新开放。"
        return None
    try:
        ensure_writable(period)
    except ValidationError as error:
        return "月份", "".join(error.messages)
    return None


def _rights_error(row: ParsedRow, lookups: Lookups, user) -> tuple[str, str] | None:
    period = lookups.periods.get((row.year, row.month))
    if period is None:
        return None  # created by the import: the services check the user when they write
    if row.project is not None:
        allowed = can_edit_project_score(user, period, row.project)
    else:
        allowed = can_edit_office_items(user, period)
    return None if allowed else ("考评项", f"您不能修改{period}{row.unit.name}的“{row.item}”。")


class _ItemChecks:
    """A 加扣分 row against its year's rules, counted with the file's other items of that unit, month
    and category (the import replaces a unit's items of the month). The rules cost one query a year."""

    def __init__(self):
        self.limits = {}
        self.counts = Counter()

    def error(self, row: ParsedRow, lookups: Lookups) -> tuple[str, str] | None:
        if row.item != ADJUSTMENT_ITEM:
            return None
        year_id = lookups.years[row.year].id
        if year_id not in self.limits:
            self.limits[year_id] = year_limits(year_id)
        category = category_for(row.reason)
        self.counts[(row.year, row.month, row.unit.pk, category)] += 1
        verdict = self.limits[year_id].check(
            row.value, category, self.counts[(row.year, row.month, row.unit.pk, category)]
        )
        return ("分值", "；".join(verdict.problems)) if verdict.problems else None


def plan_import(raw_rows: Iterable[RawRow], *, user=None, period: Period | None = None) -> ImportPlan:
    """Validate every row and compare it with what is stored; `period` refuses rows of another month.

    The rows are consumed as they come (a streamed file is never held whole); checking stops after
    `MAX_ERRORS` errors. Raises ImportFileError when the file turns out unreadable while it is read."""
    lookups = Lookups()
    plan = ImportPlan()
    first_line = {}
    checked_months = {}
    item_checks = _ItemChecks()
    for raw in raw_rows:
        if len(plan.errors) >= MAX_ERRORS:
            plan.stopped = True
            break
        plan.rows_read += 1
        try:
            row = parse_row(raw, lookups)
        except RowInvalid as invalid:
            plan.errors.append(RowError(raw.line, raw.label(invalid.column), invalid.message))
            continue
        if period is not None and (row.year, row.month) != (period.year.year, period.month):
            message = f"这里只能导入{period}的数据，该行是{row.year}年{row.month}月。"
            plan.errors.append(RowError(raw.line, raw.label("月份"), message))
            continue
        key = row.duplicate_key
        if key is not None and key in first_line:
            plan.errors.append(RowError(raw.line, raw.label("考评项"), f"与第{first_line[key]}行重复。"))
            continue
        if key is not None:
            first_line[key] = raw.line
        month = (row.year, row.month)
        if month not in checked_months:  # a month's writability costs queries: once per month
            checked_months[month] = _month_error(row.year, row.month, lookups)
        error = checked_months[month] or _rights_error(row, lookups, user) or item_checks.error(row, lookups)
        if error is not None:
            plan.errors.append(RowError(raw.line, raw.label(error[0]), error[1]))
            continue
        plan.rows.append(row)
    if plan.ok:
        plan.changes = planned_changes(plan.rows, lookups)
    return plan


def planned_changes(rows: list[ParsedRow], lookups: Lookups) -> list[PlannedChange]:
    """Old → new for every row, from what is stored now (a fixed number of queries)."""
    periods = [lookups.periods[key] for key in {(r.year, r.month) for r in rows} if key in lookups.periods]
    project_scores = {
        (s.period_id, s.region_id, s.project_id): s.text for s in ProjectScore.objects.filter(period__in=periods)
    }
    indicator_scores = {
        (s.period_id, s.department_id, s.indicator_id): s.text
        for s in IndicatorScore.objects.filter(period__in=periods)
    }
    overrides = {(o.period_id, o.unit_id): o.text for o in MonthOverride.objects.filter(period__in=periods)}
    adjustments = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period__in=periods).order_by("id"):
        adjustments[(adjustment.period_id, adjustment.unit_id)].append(_item_text(adjustment.points, adjustment.reason))

    changes = []
    new_adjustments = defaultdict(list)
    for row in rows:
        period = lookups.periods.get((row.year, row.month))
        period_id = period.id if period else None
        label = f"{row.year}年{row.month}月"
        if row.item == ADJUSTMENT_ITEM:
            new_adjustments[(label, period_id, row.unit)].append(_item_text(row.value, row.reason))
            continue
        if row.project is not None:
            old = project_scores.get((period_id, row.unit.id, row.project.id), "")
            new, item = rules.score_text(row.value, row.not_applicable), str(row.project)
        elif row.indicator is not None:
            old = indicator_scores.get((period_id, row.unit.id, row.indicator.id), "")
            new, item = rules.score_text(row.value), row.indicator.name
        else:
            old = overrides.get((period_id, row.unit.id), "")
            new = OverrideKind.NOT_ASSESSED.label if row.item == NOT_ASSESSED_ITEM else rules.score_text(row.value)
            item = RECORDED_TOTAL_ITEM
        changes.append(PlannedChange(label, row.unit.name, item, old, new))
    for (label, period_id, unit), texts in new_adjustments.items():
        old = "；".join(sorted(adjustments.get((period_id, unit.id), [])))
        changes.append(PlannedChange(label, unit.name, ADJUSTMENT_ITEM, old, "；".join(sorted(texts))))
    return changes


def _item_text(points, reason: str) -> str:
    return f"{rules.points_text(points)} {reason}"
