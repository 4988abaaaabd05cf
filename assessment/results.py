"""Derive and store a year's results when its numbers change, in the transaction of the change.

Writes run inside `one_derivation()` (every service does): they mark the periods they touch with
`mark_changed`, and the outermost block derives each touched period once, in month order, before the
transaction commits — an import of a month derives that month once, however many rows it has.

Month scores of a changed period are computed from its raw numbers; the other periods keep their
stored month scores, so a change costs one period's raw rows, not the whole year's.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from projects.models import Unit

from . import scoring
from .models import (
    Adjustment,
    IndicatorScore,
    MonthOverride,
    OverrideKind,
    Period,
    PeriodStatus,
    ProjectScore,
    UnitResult,
)
from .selectors.reference import YearReference, period_units, year_reference


@dataclass
class Batch:
    """The periods touched by the writes of one outermost service call, and the ones it has locked."""

    changed: dict[int, Period] = field(default_factory=dict)
    locked: dict[int, Period] = field(default_factory=dict)


class _State(threading.local):
    batch: Batch | None = None


_state = _State()


@contextmanager
def one_derivation():
    """A transaction whose writes are derived once, when the outermost block ends."""
    if _state.batch is not None:
        with transaction.atomic():
            yield _state.batch
        return
    batch = _state.batch = Batch()
    try:
        with transaction.atomic():
            yield batch
            for period in sorted(batch.changed.values(), key=lambda p: (p.year_id, p.month)):
                recompute_results(period)
    finally:
        _state.batch = None


def current_batch() -> Batch:
    if _state.batch is None:
        raise RuntimeError("a write of official numbers must run inside one_derivation()")
    return _state.batch


def mark_changed(period: Period) -> None:
    """The period's numbers changed: derive it when the outermost write finishes."""
    current_batch().changed[period.pk] = period


def period_inputs(period: Period, units: list[Unit], reference: YearReference | None = None):
    """The pure engine's input for one period, and what each unit still lacks."""
    reference = reference or year_reference(period.year_id)
    project_scores = defaultdict(dict)
    for row in ProjectScore.objects.filter(period=period).values("region_id", "project_id", "score", "not_applicable"):
        project_scores[row["region_id"]][row["project_id"]] = row
    indicator_scores = defaultdict(dict)
    for row in IndicatorScore.objects.filter(period=period).values("department_id", "indicator_id", "score"):
        indicator_scores[row["department_id"]][row["indicator_id"]] = row["score"]
    adjustments = defaultdict(list)
    for unit_id, points in Adjustment.objects.filter(period=period).values_list("unit_id", "points"):
        adjustments[unit_id].append(points)
    overrides = {o.unit_id: o for o in MonthOverride.objects.filter(period=period)}

    inputs, missing = [], {}
    for unit in units:
        override = overrides.get(unit.id)
        common = {
            "adjustments": tuple(adjustments[unit.id]),
            "recorded_total": override.score if override else None,
            "not_assessed": bool(override and override.kind == OverrideKind.NOT_ASSESSED),
        }
        if unit.is_region:
            applicable = reference.applicable_projects(unit.id)
            entered = project_scores[unit.id]
            scores = tuple(
                entered[p.id]["score"] for p in applicable if p.id in entered and not entered[p.id]["not_applicable"]
            )
            lacking = [p.code for p in applicable if p.id not in entered]
            inputs.append(scoring.UnitMonth(unit.id, "region", project_scores=scores, complete=not lacking, **common))
        else:
            entered = indicator_scores[unit.id]
            lacking = [i.name for i in reference.indicators if i.id not in entered]
            indicator_values = tuple(entered.values())
            department = scoring.UnitMonth(
                unit.id, "department", indicator_scores=indicator_values, complete=not lacking, **common
            )
            inputs.append(department)
        missing[unit.id] = [] if override else lacking
    return inputs, missing


YEAR_TO_DATE_FIELDS = ["ytd_score", "ytd_rank", "rank_change", "ytd_rank_change", "imputed_months"]


@transaction.atomic
def recompute_results(period: Period) -> None:
    """Rebuild the period's results and the year-to-date figures of every later unpublished period."""
    units = period_units(period)
    inputs, missing = period_inputs(period, units)
    stored = defaultdict(dict)
    for result in (
        UnitResult.objects.filter(period__year_id=period.year_id).exclude(period=period).select_related("period")
    ):
        stored[result.period.month][result.unit_id] = result
    months = {
        month: {uid: scoring.MonthScore(r.score, r.imputed) for uid, r in results.items()}
        for month, results in stored.items()
    }
    months[period.month] = scoring.month_scores(inputs, period.year.region_formula)
    yearly = scoring.year_results(months, _unit_kinds(units, months))

    UnitResult.objects.filter(period=period).delete()
    UnitResult.objects.bulk_create(
        _new_result(period, unit.unit_id, yearly[period.month][unit.unit_id], unit, missing[unit.unit_id])
        for unit in inputs
    )
    later = Period.objects.filter(year_id=period.year_id, month__gt=period.month).exclude(status=PeriodStatus.PUBLISHED)
    later_months = set(later.values_list("month", flat=True))
    changed = []
    for month in sorted(later_months & set(stored)):
        for unit_id, result in stored[month].items():
            fresh = yearly[month][unit_id]
            if any(getattr(result, name) != getattr(fresh, name) for name in YEAR_TO_DATE_FIELDS):
                for name in YEAR_TO_DATE_FIELDS:
                    setattr(result, name, getattr(fresh, name))
                changed.append(result)
    UnitResult.objects.bulk_update(changed, YEAR_TO_DATE_FIELDS, batch_size=500)
    Period.objects.filter(year_id=period.year_id, month__gte=period.month).exclude(
        status=PeriodStatus.PUBLISHED
    ).update(results_updated_at=timezone.now())


def _new_result(period, unit_id, result: scoring.UnitYearResult, unit: scoring.UnitMonth, missing) -> UnitResult:
    return UnitResult(
        period=period,
        unit_id=unit_id,
        score=result.score,
        rank=result.rank,
        ytd_score=result.ytd_score,
        ytd_rank=result.ytd_rank,
        rank_change=result.rank_change,
        ytd_rank_change=result.ytd_rank_change,
        imputed=result.imputed,
        imputed_months=result.imputed_months,
        adjustment_total=scoring.decimal_sum(unit.adjustments),
        missing=missing,
    )


def _unit_kinds(units: list[Unit], months) -> dict[int, str]:
    """Kinds of every unit with a result this year, including units no longer active."""
    kinds = {unit.id: unit.kind for unit in units}
    unknown = {uid for scores in months.values() for uid in scores} - set(kinds)
    if unknown:
        kinds.update(Unit.objects.filter(id__in=unknown).values_list("id", "kind"))
    return kinds
