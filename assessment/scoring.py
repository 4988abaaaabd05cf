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
    by_kind: dict[str, dict[Hashable, tuple[Decimal | None, bool]]] = {}
    for unit in units:
        by_kind.setdefault(unit.kind, {})[unit.unit_id] = (own_month_score(unit, formula), unit.not_assessed)
    results = {}
    for own in by_kind.values():
        results.update(kind_month_scores(own))
    return {unit.unit_id: results[unit.unit_id] for unit in units}


def kind_month_scores(own: Mapping[K, tuple[Decimal | None, bool]]) -> dict[K, MonthScore]:
    """Month scores of the units of one kind from (own score, not assessed): the units not assessed get
    the mean of the assessed units' scores, marked imputed."""
    peers = mean_score([score for score, not_assessed in own.values() if not not_assessed and score is not None])
    return {
        key: MonthScore(peers, imputed=True) if not_assessed else MonthScore(score)
        for key, (score, not_assessed) in own.items()
    }


@dataclass(frozen=True)
class UnitYearResult:
    """A unit's result for one month: the month and the year to date, with ranks among its kind.

    `ytd_total` is the running sum of the month scores so far, kept even in a month without a score
    (whose year to date is not shown): the next month continues from it."""

    score: Decimal | None
    rank: int | None
    ytd_score: Decimal | None
    ytd_rank: int | None
    rank_change: int | None
    ytd_rank_change: int | None
    imputed: bool
    imputed_months: list[int] = field(default_factory=list)
    ytd_total: Decimal | None = None


@dataclass(frozen=True)
class Carry:
    """What a unit's month passes on to the next month of the year."""

    total: Decimal | None = None
    rank: int | None = None
    ytd_rank: int | None = None
    imputed_months: tuple[int, ...] = ()

    @classmethod
    def of(cls, result: UnitYearResult) -> "Carry":
        return cls(result.ytd_total, result.rank, result.ytd_rank, tuple(result.imputed_months))


NO_CARRY = Carry()
NO_SCORE = MonthScore(None)


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


def month_step(
    month: int, scores: Mapping[K, MonthScore], previous: Mapping[K, Carry], keys: Iterable[K] | None = None
) -> dict[K, UnitYearResult]:
    """The results of one month for the units of ONE kind, from their month scores and what the
    previous month passed on. `keys` (default: the units with a score entry) are the units to report.

    The year to date is the running sum of the month scores; a unit without a score this month
    (incomplete, or absent) shows no year to date this month, so it is not ranked on earlier months."""
    keys = list(scores) if keys is None else list(keys)
    totals, shown = {}, {}
    for key in keys:
        carry = previous.get(key, NO_CARRY)
        score = scores.get(key, NO_SCORE).score
        totals[key] = carry.total if score is None else (carry.total or ZERO) + score
        shown[key] = totals[key] if score is not None else None
    month_ranks = competition_ranks({key: scores.get(key, NO_SCORE).score for key in keys})
    ytd_ranks = competition_ranks(shown)
    results = {}
    for key in keys:
        carry = previous.get(key, NO_CARRY)
        month_score = scores.get(key, NO_SCORE)
        imputed_months = list(carry.imputed_months) + ([month] if month_score.imputed else [])
        results[key] = UnitYearResult(
            score=month_score.score,
            rank=month_ranks[key],
            ytd_score=shown[key],
            ytd_rank=ytd_ranks[key],
            rank_change=rank_change(carry.rank, month_ranks[key]),
            ytd_rank_change=rank_change(carry.ytd_rank, ytd_ranks[key]),
            imputed=month_score.imputed,
            imputed_months=imputed_months,
            ytd_total=totals[key],
        )
    return results


def year_results(
    months: Mapping[int, Mapping[K, MonthScore]], kinds: Mapping[K, str]
) -> dict[int, dict[K, UnitYearResult]]:
    """Results of every month of a year from the month scores of every month, ranked per kind: one
    `month_step` per month and kind, each month continuing from the one before."""
    groups: dict[str, list[K]] = {}
    for key, kind in kinds.items():
        groups.setdefault(kind, []).append(key)
    results: dict[int, dict[K, UnitYearResult]] = {}
    previous: dict[K, Carry] = {}
    for month in sorted(months):
        current: dict[K, UnitYearResult] = {}
        for keys in groups.values():
            current.update(month_step(month, months[month], previous, keys))
        results[month] = current
        previous = {key: Carry.of(result) for key, result in current.items()}
    return results


def missing_items(expected: Iterable[str], entered: Iterable[str]) -> list[str]:
    """What a unit still lacks this month, in the expected order."""
    done = set(entered)
    return [item for item in expected if item not in done]
