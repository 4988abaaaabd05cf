"""Reads for a unit's page: its months of a year against its peers, and every deduction and bonus."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from projects.models import AssessmentYear, Unit

from .. import wording
from ..models import Adjustment, IndicatorScore, Period, ProjectScore, ResultSummary, UnitResult


@dataclass(frozen=True)
class UnitMonthRow:
    period: Period
    score: Decimal | None
    rank: int | None
    ytd_score: Decimal | None
    ytd_rank: int | None
    rank_change: int | None
    imputed: bool
    peer_average: Decimal | None
    peer_count: int
    adjustment_total: Decimal
    missing: tuple[str, ...] = ()

    @property
    def change(self) -> str:
        return wording.rank_change_text(self.rank_change)

    @property
    def missing_text(self) -> str:
        """'缺 3 项' for a month still being entered: no score, no rank."""
        return f"缺 {len(self.missing)} 项" if self.missing else ""


@dataclass(frozen=True)
class ScoreItem:
    """A deduction or bonus with its reason, as listed on the unit page."""

    period: Period
    kind: str  # "project" | "indicator" | "adjustment"
    item: str
    score: Decimal | None  # the score given (project, indicator)
    points: Decimal  # signed points gained or lost
    reason: str


@dataclass
class UnitYear:
    unit: Unit
    assessment_year: AssessmentYear
    months: list[UnitMonthRow]
    items: list[ScoreItem]
    peer_label: str
    years: list[int] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        """Plain JSON for the chart: Decimals as strings, never floats."""

        def text(value):
            return None if value is None else format(value, "f")

        return {
            "months": [f"{row.period.month}月" for row in self.months],
            "score": [text(row.score) for row in self.months],
            "peer_average": [text(row.peer_average) for row in self.months],
            "rank": [row.rank for row in self.months],
            "unit": self.unit.name,
            "peer_label": f"{self.peer_label}平均",
            "title": f"{self.assessment_year.year}年{self.unit.name}月度得分与排名",
        }

    @property
    def deductions(self) -> list[ScoreItem]:
        return [item for item in self.items if item.points < 0]

    @property
    def bonuses(self) -> list[ScoreItem]:
        return [item for item in self.items if item.points > 0]


MONTH_FIELDS = ("period_id", "unit_id", "score", "rank", "ytd_score", "ytd_rank", "rank_change", "imputed")
MONTH_FIELDS += ("adjustment_total", "missing")


def unit_year(unit: Unit, assessment_year: AssessmentYear, periods: list[Period]) -> UnitYear:
    """A unit's months of a year (the given, visible periods), with its peers' average (kept with the
    results, so the page costs the same whatever the number of peers). Five queries."""
    by_id = {period.id: period for period in periods}
    own = {
        result.period_id: result
        for result in UnitResult.objects.filter(period_id__in=by_id, unit=unit).only(*MONTH_FIELDS)
    }
    peers = {
        summary.period_id: summary
        for summary in ResultSummary.objects.filter(period_id__in=by_id, kind=unit.kind).only(
            "period_id", "scored", "mean"
        )
    }
    months = []
    for period in sorted(periods, key=lambda p: p.month):
        result = own.get(period.id)
        if result is None:
            continue
        months.append(
            UnitMonthRow(
                period,
                result.score,
                result.rank,
                result.ytd_score,
                result.ytd_rank,
                result.rank_change,
                result.imputed,
                peers[period.id].mean if period.id in peers else None,
                peers[period.id].scored if period.id in peers else 0,
                result.adjustment_total,
                tuple(result.missing),
            )
        )
    return UnitYear(
        unit=unit,
        assessment_year=assessment_year,
        months=months,
        items=_unit_items(unit, assessment_year, by_id),
        peer_label=wording.peer_label(assessment_year, unit.kind),
    )


def _unit_items(unit: Unit, assessment_year: AssessmentYear, periods: dict[int, Period]) -> list[ScoreItem]:
    items = []
    if unit.is_region:
        maximum = assessment_year.project_max_score
        for score in (
            ProjectScore.objects.filter(period_id__in=periods, region=unit, not_applicable=False, score__lt=maximum)
            .select_related("project")
            .order_by("project__display_order", "project__id")
        ):
            items.append(
                ScoreItem(
                    periods[score.period_id],
                    "project",
                    str(score.project),
                    score.score,
                    score.score - maximum,
                    score.reason,
                )
            )
    else:
        for score in (
            IndicatorScore.objects.filter(period_id__in=periods, department=unit)
            .select_related("indicator")
            .order_by("indicator__display_order", "indicator__id")
        ):
            if score.score < score.indicator.max_score:
                items.append(
                    ScoreItem(
                        periods[score.period_id],
                        "indicator",
                        score.indicator.name,
                        score.score,
                        score.score - score.indicator.max_score,
                        score.reason,
                    )
                )
    for adjustment in Adjustment.objects.filter(period_id__in=periods, unit=unit).order_by("id"):
        items.append(
            ScoreItem(
                periods[adjustment.period_id], "adjustment", "加(扣)分", None, adjustment.points, adjustment.reason
            )
        )
    order = {"project": 0, "indicator": 0, "adjustment": 1}
    return sorted(items, key=lambda item: (-item.period.month, order[item.kind]))


def unit_years(unit: Unit) -> list[int]:
    """Years with results for the unit. One query."""
    return sorted(set(UnitResult.objects.filter(unit=unit).values_list("period__year__year", flat=True)), reverse=True)
