"""Applying a valid import plan: every row through the services, all or nothing, derived once per period."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from .. import services
from ..models import OverrideKind, Period
from ..results import one_derivation
from .long_format import ADJUSTMENT_ITEM, NOT_ASSESSED_ITEM, RECORDED_TOTAL_ITEM, ParsedRow, category_for
from .plan import ImportPlan


@dataclass
class ImportSummary:
    rows: int
    changed: int
    periods: list[str]


def apply_import(plan: ImportPlan, *, user=None) -> ImportSummary:
    """Write every row of a valid plan, or nothing: any refusal rolls the whole import back."""
    if not plan.ok:
        raise ValidationError([str(error) for error in plan.errors])
    by_period = defaultdict(list)
    for row in plan.rows:
        by_period[(row.year, row.month)].append(row)
    try:
        with one_derivation():
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
    if adjustments:
        services.replace_adjustment_sets(user=user, period=period, sets=adjustments)
    overrides = [
        (row.unit, OVERRIDE_KINDS[row.item], row.value if row.item == RECORDED_TOTAL_ITEM else None)
        for row in rows
        if row.item in OVERRIDE_KINDS
    ]
    if overrides:
        services.set_month_overrides(user=user, period=period, items=overrides)


OVERRIDE_KINDS = {RECORDED_TOTAL_ITEM: OverrideKind.RECORDED_TOTAL, NOT_ASSESSED_ITEM: OverrideKind.NOT_ASSESSED}
