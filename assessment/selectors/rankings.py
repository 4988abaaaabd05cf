"""附件1's core: every unit's derived result of a period, each kind in rank order. One query."""

from dataclasses import dataclass, field
from decimal import Decimal

from projects.models import UnitKind

from ..models import Period, UnitResult


@dataclass(frozen=True)
class RankingRow:
    unit: str
    short_name: str
    unit_id: int
    kind: str
    score: Decimal | None
    rank: int | None
    ytd_score: Decimal | None
    ytd_rank: int | None
    rank_change: int | None
    ytd_rank_change: int | None
    imputed: bool
    imputed_months: list[int]
    adjustment_total: Decimal
    missing: list[str]


@dataclass
class Rankings:
    period: Period
    regions: list[RankingRow] = field(default_factory=list)
    departments: list[RankingRow] = field(default_factory=list)

    @property
    def imputed_units(self) -> list[RankingRow]:
        return [row for row in self.regions + self.departments if row.imputed_months]

    @property
    def is_complete(self) -> bool:
        return not any(row.missing for row in self.regions + self.departments)


def _rank_key(row: RankingRow, order: int):
    return (row.rank is None, row.rank or 0, order)


def ranking_row(result: UnitResult) -> RankingRow:
    """A stored result as a table row (needs `result.unit` loaded)."""
    unit = result.unit
    return RankingRow(
        unit=unit.name,
        short_name=unit.short_name,
        unit_id=unit.id,
        kind=unit.kind,
        score=result.score,
        rank=result.rank,
        ytd_score=result.ytd_score,
        ytd_rank=result.ytd_rank,
        rank_change=result.rank_change,
        ytd_rank_change=result.ytd_rank_change,
        imputed=result.imputed,
        imputed_months=list(result.imputed_months),
        adjustment_total=result.adjustment_total,
        missing=list(result.missing),
    )


def rankings(period: Period, kind: str | None = None) -> Rankings:
    """Each kind ordered by month rank, ties in display order; `kind` reads only one kind. One query."""
    table = Rankings(period)
    results = UnitResult.objects.filter(period=period).select_related("unit")
    if kind is not None:
        results = results.filter(unit__kind=kind)
    ordered = []
    for order, result in enumerate(results.order_by("unit__kind", "unit__display_order", "unit__name")):
        row = ranking_row(result)
        ordered.append((_rank_key(row, order), row))
    for _, row in sorted(ordered, key=lambda pair: pair[0]):
        (table.regions if row.kind == UnitKind.REGION else table.departments).append(row)
    return table
