"""The scoring rules as plain functions over Decimals: no ORM, no I/O.

A unit's month score comes from its own numbers (or a recorded total); units not assessed are
credited with their peers' mean; the year to date is the sum of the rounded month scores; ranks
are standard competition ranks (1, 1, 3) of the 3-decimal values, per kind of unit.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

ZERO = Decimal("0")
THOUSANDTH = Decimal("0.001")

SUM_THEN_DIVIDE = "sum_then_divide"
AVERAGE_THEN_ADD = "average_then_add"

K = TypeVar("K", bound=Hashable)


def round_score(value: Decimal) -> Decimal:
    """四舍五入 to 3 decimals: half-up, never banker's rounding, never float."""
    if not isinstance(value, Decimal):
        raise TypeError(f"scores must be Decimal, not {type(value).__name__}")
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def decimal_sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def region_month_score(
    project_scores: Sequence[Decimal], adjustments: Sequence[Decimal], formula: str = SUM_THEN_DIVIDE
) -> Decimal | None:
    """A region's month score from its applicable project scores and its 加扣分 points."""
    if not project_scores:
        return None
    count = len(project_scores)
    if formula == SUM_THEN_DIVIDE:
        raw = (decimal_sum(project_scores) + decimal_sum(adjustments)) / count
    elif formula == AVERAGE_THEN_ADD:
        raw = decimal_sum(project_scores) / count + decimal_sum(adjustments)
    else:
        raise ValueError(f"unknown region formula {formula!r}")
    return round_score(raw)


def department_month_score(indicator_scores: Sequence[Decimal], adjustments: Sequence[Decimal]) -> Decimal | None:
    """A department's month score: its indicator scores plus its 加扣分 points."""
    if not indicator_scores and not adjustments:
        return None
    return round_score(decimal_sum(indicator_scores) + decimal_sum(adjustments))


def mean_score(scores: Sequence[Decimal]) -> Decimal | None:
    if not scores:
        return None
    return round_score(decimal_sum(scores) / len(scores))


def competition_ranks(scores: Mapping[K, Decimal | None]) -> dict[K, int | None]:
    """Standard competition ranking of the 3-decimal values: 1, 1, 3. Units without a score get None."""
    rounded = {key: round_score(value) for key, value in scores.items() if value is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first_position = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[rounded[key]] if key in rounded else None for key in scores}


@dataclass(frozen=True)
class UnitMonth:
    """Everything entered for one unit in one month."""

    unit_id: Hashable
    kind: str
    project_scores: tuple[Decimal, ...] = ()
    indicator_scores: tuple[Decimal, ...] = ()
    adjustments: tuple[Decimal, ...] = ()
    recorded_total: Decimal | None = None
    not_assessed: bool = False
    complete: bool = True  # every applicable project or indicator entered (a draft month may lack some)


@dataclass(frozen=True)
class MonthScore:
    score: Decimal | None
    imputed: bool = False


def own_month_score(unit: UnitMonth, formula: str) -> Decimal | None:
    """None for a unit not assessed, and for a unit that has not entered everything yet: an incomplete
    month is neither scored nor ranked."""
    if unit.not_assessed:
        return None
    if unit.recorded_total is not None:
        return round_score(unit.recorded_total)
    if not unit.complete:
        return None
    if unit.kind == "region":
        return region_month_score(unit.project_scores, unit.adjustments, formula)
    return department_month_score(unit.indicator_scores, unit.adjustments)


def month_scores(units: Sequence[UnitMonth], formula: str = SUM_THEN_DIVIDE) -> dict[Hashable, MonthScore]:
    """Month scores of all units; a unit not assessed gets the mean of its assessed peers, marked imputed."""
    own = {unit.unit_id: own_month_score(unit, formula) for unit in units}
    results = {}
    for unit in units:
        if unit.not_assessed:
            peers = [own[u.unit_id] for u in units if u.kind == unit.kind and not u.not_assessed]
            results[unit.unit_id] = MonthScore(mean_score([s for s in peers if s is not None]), imputed=True)
        else:
            results[unit.unit_id] = MonthScore(own[unit.unit_id])
    return results


@dataclass(frozen=True)
class UnitYearResult:
    """A unit's result for one month: the month and the year to date, with ranks among its kind."""

    score: Decimal | None
    rank: int | None
    ytd_score: Decimal | None
    ytd_rank: int | None
    rank_change: int | None
    ytd_rank_change: int | None
    imputed: bool
    imputed_months: list[int] = field(default_factory=list)


def rank_change(previous: int | None, current: int | None) -> int | None:
    """Positive when the unit moved up (a smaller rank number)."""
    if previous is None or current is None:
        return None
    return previous - current


def ranks_by_kind(values: Mapping[K, Decimal | None], kinds: Mapping[K, str]) -> dict[K, int | None]:
    ranks = {}
    for kind in set(kinds.values()):
        ranks.update(competition_ranks({key: value for key, value in values.items() if kinds[key] == kind}))
    return ranks


def year_results(
    months: Mapping[int, Mapping[K, MonthScore]], kinds: Mapping[K, str]
) -> dict[int, dict[K, UnitYearResult]]:
    """Results of every month of a year from the month scores of every month, ranked per kind.

    The year to date of a month is the sum of the unit's month scores so far; a unit without a score
    this month (incomplete, or absent) has no year to date this month either, so it is not ranked on
    the earlier months alone."""
    results: dict[int, dict[K, UnitYearResult]] = {}
    ytd: dict[K, Decimal | None] = dict.fromkeys(kinds)
    imputed_months: dict[K, list[int]] = {key: [] for key in kinds}
    previous: dict[K, UnitYearResult] = {}
    for month in sorted(months):
        scores = months[month]
        for key, month_score in scores.items():
            if month_score.score is not None:
                ytd[key] = (ytd[key] or ZERO) + month_score.score
            if month_score.imputed:
                imputed_months[key].append(month)
        month_ranks = ranks_by_kind({key: s.score for key, s in scores.items()}, kinds)
        shown = {key: ytd[key] if scores.get(key, MonthScore(None)).score is not None else None for key in kinds}
        ytd_ranks = ranks_by_kind(shown, kinds)
        current = {}
        for key in kinds:
            before = previous.get(key)
            month_score = scores.get(key, MonthScore(None))
            current[key] = UnitYearResult(
                score=month_score.score,
                rank=month_ranks.get(key),
                ytd_score=shown[key],
                ytd_rank=ytd_ranks[key],
                rank_change=rank_change(before.rank if before else None, month_ranks.get(key)),
                ytd_rank_change=rank_change(before.ytd_rank if before else None, ytd_ranks[key]),
                imputed=month_score.imputed,
                imputed_months=list(imputed_months[key]),
            )
        results[month] = current
        previous = current
    return results


def missing_items(expected: Iterable[str], entered: Iterable[str]) -> list[str]:
    """What a unit still lacks this month, in the expected order."""
    done = set(entered)
    return [item for item in expected if item not in done]
