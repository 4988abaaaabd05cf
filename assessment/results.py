"""Derive and store a year's results when its numbers change, in the transaction of the change.

Writes run inside `one_derivation()` (every service does): they mark the periods they touch with
`mark_changed`, naming the units whose numbers changed, and the outermost block derives each touched
period once, in month order, before the transaction commits — an import of a month derives that month
once, however many rows it has.

A derivation costs what changed, not the year: the changed units' month scores come from their raw
numbers; every other unit of the same kind keeps its stored month score; that month's ranks, means
and summary are recomputed from those scores; the year to date of each later month continues from the
month before it (`UnitResult.ytd_total`) and stops as soon as nothing passes on differently. Deriving a
whole year month by month is therefore linear in its months.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from projects.models import Unit, UnitKind

from . import scoring
from .models import (
    Adjustment,
    IndicatorScore,
    MonthOverride,
    OverrideKind,
    Period,
    PeriodStatus,
    ProjectScore,
    ResultSummary,
    UnitResult,
)
from .selectors.reference import YearReference, period_unit_flags, period_units, year_reference

KINDS = (UnitKind.REGION, UnitKind.DEPARTMENT)
EVERY_UNIT = None  # in a batch: every unit of the kind may have changed


@dataclass
class Batch:
    """The periods touched by the writes of one outermost service call, the units whose numbers
    changed in each (per kind; EVERY_UNIT for all of them), and the periods it has locked."""

    changed: dict[int, Period] = field(default_factory=dict)
    units: dict[int, dict[str, set[int] | None]] = field(default_factory=dict)
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
                derive(period, batch.units[period.pk])
    finally:
        _state.batch = None


def current_batch() -> Batch:
    if _state.batch is None:
        raise RuntimeError("a write of official numbers must run inside one_derivation()")
    return _state.batch


def mark_changed(period: Period, units: Iterable[Unit] | None = None) -> None:
    """The numbers of these units (None: of any unit) changed in the period: derive it when the
    outermost write finishes."""
    batch = current_batch()
    batch.changed[period.pk] = period
    touched = batch.units.setdefault(period.pk, {})
    if units is None:
        touched.update(dict.fromkeys(KINDS, EVERY_UNIT))
        return
    for unit in units:
        ids = touched.setdefault(unit.kind, set())
        if ids is not EVERY_UNIT:
            ids.add(unit.pk)


def recompute_results(period: Period) -> None:
    """Rebuild the whole period from its raw numbers, and the year to date of the later months."""
    derive(period, dict.fromkeys(KINDS, EVERY_UNIT))


# ---------------------------------------------------------------- the engine's input


def period_inputs(period: Period, units: list[Unit], reference: YearReference | None = None, *, only=False):
    """The pure engine's input for the given units of one period, and what each unit still lacks.
    `only`: read the raw numbers of these units alone (else of the whole period)."""
    reference = reference or year_reference(period.year_id)
    ids = [unit.id for unit in units]
    regions = [unit.id for unit in units if unit.is_region]
    departments = [unit.id for unit in units if not unit.is_region]

    def of(queryset, unit_field, wanted):
        return queryset.filter(**{f"{unit_field}__in": wanted}) if only else queryset

    project_scores = defaultdict(dict)
    if regions:
        rows = of(ProjectScore.objects.filter(period=period), "region_id", regions)
        for region_id, project_id, score, not_applicable in rows.values_list(
            "region_id", "project_id", "score", "not_applicable"
        ):
            project_scores[region_id][project_id] = (score, not_applicable)
    indicator_scores = defaultdict(dict)
    if departments:
        rows = of(IndicatorScore.objects.filter(period=period), "department_id", departments)
        for department_id, indicator_id, score in rows.values_list("department_id", "indicator_id", "score"):
            indicator_scores[department_id][indicator_id] = score
    adjustments = defaultdict(list)
    for unit_id, points in of(Adjustment.objects.filter(period=period), "unit_id", ids).values_list(
        "unit_id", "points"
    ):
        adjustments[unit_id].append(points)
    overrides = {
        unit_id: (kind, score)
        for unit_id, kind, score in of(MonthOverride.objects.filter(period=period), "unit_id", ids).values_list(
            "unit_id", "kind", "score"
        )
    }

    inputs, missing = [], {}
    for unit in units:
        override = overrides.get(unit.id)
        common = {
            "adjustments": tuple(adjustments[unit.id]),
            "recorded_total": override[1] if override else None,
            "not_assessed": bool(override and override[0] == OverrideKind.NOT_ASSESSED),
        }
        if unit.is_region:
            applicable = reference.applicable_projects(unit.id)
            entered = project_scores[unit.id]
            scores = tuple(entered[p.id][0] for p in applicable if p.id in entered and not entered[p.id][1])
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


# ---------------------------------------------------------------- stored rows


STORED_FIELDS = (
    "score",
    "rank",
    "ytd_score",
    "ytd_total",
    "ytd_rank",
    "rank_change",
    "ytd_rank_change",
    "imputed",
    "imputed_months",
    "adjustment_total",
    "missing",
)


@dataclass
class Row:
    """A unit's stored (or freshly derived) result, as plain values."""

    unit_id: int
    score: object = None
    rank: int | None = None
    ytd_score: object = None
    ytd_total: object = None
    ytd_rank: int | None = None
    rank_change: int | None = None
    ytd_rank_change: int | None = None
    imputed: bool = False
    imputed_months: list = field(default_factory=list)
    adjustment_total: object = scoring.ZERO
    missing: list = field(default_factory=list)
    id: int | None = None

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in STORED_FIELDS)

    def carry(self) -> scoring.Carry:
        return scoring.Carry(self.ytd_total, self.rank, self.ytd_rank, tuple(self.imputed_months))

    def with_year(self, result: scoring.UnitYearResult) -> "Row":
        return Row(
            unit_id=self.unit_id,
            score=result.score,
            rank=result.rank,
            ytd_score=result.ytd_score,
            ytd_total=result.ytd_total,
            ytd_rank=result.ytd_rank,
            rank_change=result.rank_change,
            ytd_rank_change=result.ytd_rank_change,
            imputed=result.imputed,
            imputed_months=list(result.imputed_months),
            adjustment_total=self.adjustment_total,
            missing=self.missing,
            id=self.id,
        )


def stored_rows(period: Period, kind: str) -> dict[int, Row]:
    """The stored results of one kind of unit in a period. One query."""
    rows = UnitResult.objects.filter(period=period, unit__kind=kind).values_list("id", "unit_id", *STORED_FIELDS)
    return {values[1]: Row(values[1], *values[2:], id=values[0]) for values in rows}


def earlier_carries(period: Period, kind: str, unit_ids: set[int]) -> dict[int, scoring.Carry]:
    """What units absent from the previous month carry from their latest earlier month (their running
    total and imputed months; no rank to compare with). One query."""
    carries = {}
    rows = (
        UnitResult.objects.filter(
            period__year_id=period.year_id, period__month__lt=period.month, unit_id__in=unit_ids, unit__kind=kind
        )
        .order_by("unit_id", "period__month")
        .values_list("unit_id", "ytd_total", "imputed_months")
    )
    for unit_id, total, imputed_months in rows:
        carries[unit_id] = scoring.Carry(total, None, None, tuple(imputed_months))
    return carries


def write_rows(period: Period, rows: list[Row], gone: list[Row]) -> None:
    """Replace the given rows of a period (new rows have no id) and delete the gone ones."""
    stale = [row.id for row in rows + gone if row.id is not None]
    for start in range(0, len(stale), 500):
        UnitResult.objects.filter(id__in=stale[start : start + 500]).delete()
    UnitResult.objects.bulk_create(
        UnitResult(period=period, unit_id=row.unit_id, **dict(zip(STORED_FIELDS, row.values(), strict=True)))
        for row in rows
    )


# ---------------------------------------------------------------- deriving


@dataclass
class Context:
    """What one derivation of a period reads at most once."""

    period: Period
    periods: list[Period]
    _reference: YearReference | None = None

    @property
    def reference(self) -> YearReference:
        if self._reference is None:
            self._reference = year_reference(self.period.year_id)
        return self._reference

    def previous(self, period: Period) -> Period | None:
        earlier = [p for p in self.periods if p.month < period.month]
        return earlier[-1] if earlier else None

    def later(self, period: Period) -> list[Period]:
        return [p for p in self.periods if p.month > period.month]


@transaction.atomic
def derive(period: Period, changes: dict[str, set[int] | None]) -> None:
    """Derive the changed units of a period (per kind; EVERY_UNIT for all) and what follows from them."""
    periods = list(Period.objects.filter(year_id=period.year_id).select_related("year").order_by("month"))
    period = next(p for p in periods if p.pk == period.pk)
    context = Context(period, periods)
    for kind in KINDS:
        if kind in changes:
            _derive_kind(context, kind, changes[kind])
    Period.objects.filter(year_id=period.year_id, month__gte=period.month).exclude(
        status=PeriodStatus.PUBLISHED
    ).update(results_updated_at=timezone.now())


def _derive_kind(context: Context, kind: str, changed: set[int] | None) -> None:
    period = context.period
    stored = stored_rows(period, kind)
    if changed is EVERY_UNIT:
        units = period_units(period, kind)
        active = {unit.id: unit.is_active for unit in units}
    else:
        active = period_unit_flags(period, kind)
        wanted = (set(changed) & set(active)) | (set(active) - set(stored))
        units = list(Unit.objects.filter(id__in=wanted)) if wanted else []
    inputs, missing = period_inputs(period, units, context.reference, only=changed is not EVERY_UNIT)

    own = {uid: (row.score if not row.imputed else None, row.imputed) for uid, row in stored.items() if uid in active}
    fresh = {}
    for unit in inputs:
        own[unit.unit_id] = (scoring.own_month_score(unit, period.year.region_formula), unit.not_assessed)
        previous = stored.get(unit.unit_id)
        fresh[unit.unit_id] = Row(
            unit.unit_id,
            adjustment_total=scoring.decimal_sum(unit.adjustments),
            missing=missing[unit.unit_id],
            id=previous.id if previous else None,
        )
    scores = scoring.kind_month_scores(own)
    base = {uid: fresh.get(uid) or stored[uid] for uid in active}
    rows = _month_rows(context, period, kind, scores, base, carries=None)
    _save(period, stored, rows, gone=[row for uid, row in stored.items() if uid not in active])
    _save_summary(context, kind, rows, active)
    _propagate(context, kind, before=stored, after=rows)


def _month_rows(context, period, kind, scores, base: dict[int, Row], carries) -> dict[int, Row]:
    """The month's rows of one kind from its month scores and what the previous month passes on."""
    if carries is None:
        carries = _carries(context, period, kind, set(base))
    results = scoring.month_step(period.month, scores, carries, keys=list(base))
    return {uid: base[uid].with_year(results[uid]) for uid in base}


def _carries(context: Context, period: Period, kind: str, unit_ids: set[int]) -> dict[int, scoring.Carry]:
    previous = context.previous(period)
    if previous is None:
        return {}
    carries = {uid: row.carry() for uid, row in stored_rows(previous, kind).items()}
    absent = unit_ids - set(carries)
    if absent:
        carries.update(earlier_carries(previous, kind, absent))
    return carries


def _save(period: Period, stored: dict[int, Row], rows: dict[int, Row], gone: list[Row]) -> None:
    changed = [row for uid, row in rows.items() if uid not in stored or stored[uid].values() != row.values()]
    if changed or gone:
        write_rows(period, changed, gone)


def _propagate(context: Context, kind: str, before: dict[int, Row], after: dict[int, Row]) -> None:
    """Carry a month's new running totals, ranks and imputed months into the later months, until a
    month passes on nothing new. Published later months are computed through, never rewritten."""
    for later in context.later(context.period):
        old = {uid: row.carry() for uid, row in before.items()}
        new = {uid: row.carry() for uid, row in after.items()}
        if old == new:
            return
        stored = stored_rows(later, kind)
        scores = {uid: scoring.MonthScore(row.score, row.imputed) for uid, row in stored.items()}
        carries = dict(new)
        absent = set(stored) - set(new)
        if absent:
            carries.update(earlier_carries(later, kind, absent))
        rows = _month_rows(context, later, kind, scores, stored, carries)
        if later.status != PeriodStatus.PUBLISHED:
            _save(later, stored, rows, gone=[])
        before, after = stored, rows


# ---------------------------------------------------------------- the summary of a kind


def _save_summary(context: Context, kind: str, rows: dict[int, Row], active: dict[int, bool]) -> None:
    scores = [row.score for row in rows.values() if row.score is not None]
    overridden = set(MonthOverride.objects.filter(period=context.period).values_list("unit_id", flat=True))
    counted = {uid: row.missing for uid, row in rows.items() if active.get(uid) and uid not in overridden}
    if kind == UnitKind.REGION:
        completeness = region_completeness(context.reference, counted)
    else:
        expected = len(context.reference.indicators) * len(counted)
        completeness = {"indicators": [expected - sum(len(m) for m in counted.values()), expected]}
    ResultSummary.objects.update_or_create(
        period=context.period,
        kind=kind,
        defaults={
            "scored": len(scores),
            "score_total": scoring.decimal_sum(scores),
            "mean": scoring.mean_score(scores),
            "completeness": completeness,
        },
    )


def region_completeness(reference: YearReference, missing: dict[int, list[str]]) -> dict[str, list[int]]:
    """{responsible department id: [entered, expected]} over the given regions (active, not overridden)
    from what each still lacks: every applicable project is expected of its responsible department."""
    department_of = {project.code: project.responsible_department_id for project in reference.projects}
    expected = defaultdict(int)
    regions = set(missing)
    for project in reference.projects:
        excluded = reference.excluded.get(project.id, set())
        expected[project.responsible_department_id] += len(regions) - len(excluded & regions)
    lacking = defaultdict(int)
    for codes in missing.values():
        for code in codes:
            lacking[department_of.get(code)] += 1
    return {str(d): [expected[d] - lacking[d], expected[d]] for d in expected}
