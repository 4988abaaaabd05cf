"""Reads for the dashboard: the latest published month's highlights and the open month's progress."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Abs, Cast, Round

from projects.models import Unit, UnitKind

from ..models import Period, PeriodStatus, ProjectScore, ResultSummary, UnitResult
from .rankings import RankingRow, Rankings, ranking_row
from .tables import RankedUnit


@dataclass(frozen=True)
class ProjectDeductions:
    project_id: int
    label: str
    department: str
    regions: int
    points: Decimal
    regions_list: list[str]


@dataclass(frozen=True)
class Completeness:
    unit_id: int | None
    label: str
    entered: int
    expected: int

    @property
    def percent(self) -> int:
        return 100 if not self.expected else self.entered * 100 // self.expected

    @property
    def is_complete(self) -> bool:
        return self.entered >= self.expected


@dataclass(frozen=True)
class RankGroup:
    """The units sharing one rank: shown as a list, or summed up ("并列第1名 16 个单位") when many."""

    rank: int
    rows: list[RankingRow]  # at most NAMES_SHOWN of them
    size: int  # how many units share the rank

    @property
    def tied(self) -> bool:
        return self.size > 1

    @property
    def summarised(self) -> bool:
        return self.size > HIGHLIGHTS

    @property
    def more(self) -> int:
        """Units of the tie not listed by name."""
        return self.size - len(self.rows)


@dataclass(frozen=True)
class OpenMonth:
    period: Period
    completeness: list[Completeness]

    @property
    def entered(self) -> int:
        return sum(c.entered for c in self.completeness)

    @property
    def expected(self) -> int:
        return sum(c.expected for c in self.completeness)


@dataclass
class Dashboard:
    published: Period | None = None
    rankings: Rankings | None = None
    top: dict[str, list[RankGroup]] = field(default_factory=dict)
    bottom: dict[str, list[RankGroup]] = field(default_factory=dict)  # in rank order
    hidden: dict[str, int] = field(default_factory=dict)  # ranked units between the top and the bottom
    moves: list[RankedUnit] = field(default_factory=list)
    deductions: list[ProjectDeductions] = field(default_factory=list)
    open_months: list[OpenMonth] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)

    @property
    def open_period(self) -> Period | None:
        return self.open_months[0].period if self.open_months else None

    @property
    def completeness(self) -> list[Completeness]:
        return self.open_months[0].completeness if self.open_months else []


HIGHLIGHTS = 3
MOVES = 5
DEDUCTED_PROJECTS = 5


def published_highlights(dashboard: Dashboard, period: Period) -> None:
    """Top and bottom units (whole ties, a big tie summed up), biggest rank moves, most deducted
    projects: each read from the database in rank order with a limit, whatever the number of units."""
    dashboard.published = period
    for name, kind in (("regions", UnitKind.REGION), ("departments", UnitKind.DEPARTMENT)):
        ranked = UnitResult.objects.filter(period=period, unit__kind=kind, rank__isnull=False).select_related("unit")
        top = _edge_groups(ranked, top=True)
        rest = ranked.filter(rank__gt=top[-1].rank) if top else ranked
        bottom = _edge_groups(rest, top=False)
        dashboard.top[name], dashboard.bottom[name] = top, bottom
        dashboard.hidden[name] = ranked.count() - sum(group.size for group in top + bottom)
    moved = (
        UnitResult.objects.filter(period=period, rank_change__isnull=False)
        .exclude(rank_change=0)
        .select_related("unit")
        .annotate(distance=Abs("rank_change"))
        .order_by("-distance", "-rank_change", "unit_id")[:MOVES]
    )
    dashboard.moves = [RankedUnit.of(ranking_row(result)) for result in moved]
    dashboard.deductions = most_deducted_projects(period)


def _edge_groups(ranked, *, top: bool) -> list[RankGroup]:
    """The first (or last) rank groups holding at least HIGHLIGHTS units: a tie is never cut in two, and
    a group lists at most NAMES_SHOWN of its units. Three queries."""
    direction = "rank" if top else "-rank"
    ordered = ranked.order_by(direction, "unit__display_order", "unit__name")
    first = list(ordered[:HIGHLIGHTS])
    # with nothing ranked the edge matches no row: the same three queries whatever the data
    edge = first[-1].rank if first else (0 if top else 2**31 - 1)
    within = ranked.filter(rank__lte=edge) if top else ranked.filter(rank__gte=edge)
    sizes = dict(within.order_by().values_list("rank").annotate(n=Count("id")))
    groups: dict[int, RankGroup] = {}
    for result in ordered.filter(pk__in=within.values("pk"))[: NAMES_SHOWN + HIGHLIGHTS]:
        group = groups.setdefault(result.rank, RankGroup(result.rank, [], sizes[result.rank]))
        if len(group.rows) < NAMES_SHOWN:
            group.rows.append(ranking_row(result))
    ordered_groups = sorted(groups.values(), key=lambda g: g.rank)
    return ordered_groups


NAMES_SHOWN = 20
PROJECT_VALUES = (
    "project_id",
    "project__code",
    "project__printed_code",
    "project__name",
    "project__display_order",
    "project__responsible_department__short_name",
)


def most_deducted_projects(period: Period, limit: int = DEDUCTED_PROJECTS) -> list[ProjectDeductions]:
    """Project rows with the most regions below the maximum this month, counted and summed in the
    database (points lost as integer thousandths, never as SQLite REAL). Two queries."""
    maximum = period.year.project_max_score
    lost = ProjectScore.objects.filter(period=period, not_applicable=False, score__lt=maximum)
    thousandths = Cast(Round((Value(maximum) - F("score")) * 1000), IntegerField())
    top = list(
        lost.values(*PROJECT_VALUES)
        .annotate(regions=Count("id"), thousandths=Sum(thousandths))
        .order_by("-regions", "-thousandths", "project__display_order", "project_id")[:limit]
    )
    shown_ids = [row["project_id"] for row in top] or [0]  # never empty: a fixed number of queries
    names = defaultdict(list)
    for project_id, name in (
        lost.filter(project_id__in=shown_ids)
        .order_by("region__display_order", "region__name")
        .values_list("project_id", "region__short_name")
    ):
        names[project_id].append(name)
    summary = []
    for row in top:
        shown = names[row["project_id"]][:NAMES_SHOWN]
        if row["regions"] > NAMES_SHOWN:
            shown.append(f"等{row['regions']}个")
        code = row["project__printed_code"] or row["project__code"]
        summary.append(
            ProjectDeductions(
                row["project_id"],
                f"{code}、{row['project__name']}",
                row["project__responsible_department__short_name"],
                row["regions"],
                Decimal(row["thousandths"]).scaleb(-3),
                shown,
            )
        )
    return summary


def completeness(period: Period, department_id: int | None = None) -> list[Completeness]:
    """Cells entered / expected per responsible department, plus the office's indicator scores, as the
    derivation keeps them (units with a month override expect nothing). Two queries."""
    return _completeness_of([period], department_id)[period.pk]


def open_months(department_id: int | None = None) -> list[OpenMonth]:
    """Every month not yet published (newest first), with its entry progress. Three queries, whatever
    the number of open months."""
    periods = list(
        Period.objects.select_related("year").exclude(status=PeriodStatus.PUBLISHED).order_by("-year__year", "-month")
    )
    lines = _completeness_of(periods, department_id)
    return [OpenMonth(period, lines[period.pk]) for period in periods]


def _completeness_of(periods: list[Period], department_id: int | None) -> dict[int, list[Completeness]]:
    summaries: dict[int, dict] = {period.pk: {} for period in periods}
    for summary in ResultSummary.objects.filter(period__in=[period.pk for period in periods]):
        summaries[summary.period_id][summary.kind] = summary.completeness
    departments = Unit.objects.filter(responsible_projects__year_id__in={period.year_id for period in periods})
    if department_id is not None:
        departments = departments.filter(id=department_id)
    by_year: dict[int, list[Unit]] = {}
    for department in (
        departments.annotate(year_id=F("responsible_projects__year_id")).distinct().order_by("display_order", "name")
    ):
        by_year.setdefault(department.year_id, []).append(department)
    return {
        period.pk: _lines(period, summaries[period.pk], by_year.get(period.year_id, []), department_id)
        for period in periods
    }


def _lines(period: Period, summaries: dict, departments: list[Unit], department_id: int | None) -> list[Completeness]:
    regions = summaries.get(UnitKind.REGION, {})
    lines = [Completeness(d.id, d.short_name, *regions.get(str(d.id), (0, 0))) for d in departments]
    if department_id is None:
        done, expected = summaries.get(UnitKind.DEPARTMENT, {}).get("indicators", (0, 0))
        lines.append(Completeness(None, f"{period.year.office_name}（部门考评指标）", done, expected))
    return lines


def latest_period(*, published: bool) -> Period | None:
    periods = Period.objects.select_related("year").order_by("-year__year", "-month")
    condition = Q(status=PeriodStatus.PUBLISHED)
    return (periods.filter(condition) if published else periods.exclude(condition)).first()
