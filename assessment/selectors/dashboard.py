"""Reads for the dashboard: the latest published month's highlights and the open month's progress."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from ..models import IndicatorScore, MonthOverride, Period, PeriodStatus, ProjectScore
from ..scoring import decimal_sum
from .rankings import RankingRow, Rankings, rankings
from .reference import period_units, split_units, year_reference
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


@dataclass
class Dashboard:
    published: Period | None = None
    rankings: Rankings | None = None
    top: dict[str, list[RankingRow]] = field(default_factory=dict)
    bottom: dict[str, list[RankingRow]] = field(default_factory=dict)
    moves: list[RankedUnit] = field(default_factory=list)
    deductions: list[ProjectDeductions] = field(default_factory=list)
    open_period: Period | None = None
    completeness: list[Completeness] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)

    @property
    def entered(self) -> int:
        return sum(c.entered for c in self.completeness)

    @property
    def expected(self) -> int:
        return sum(c.expected for c in self.completeness)


HIGHLIGHTS = 3
MOVES = 5
DEDUCTED_PROJECTS = 5


def published_highlights(dashboard: Dashboard, period: Period) -> None:
    """Top and bottom units, biggest rank moves, most deducted projects. Four queries."""
    table = rankings(period)
    dashboard.published, dashboard.rankings = period, table
    for kind, rows in (("regions", table.regions), ("departments", table.departments)):
        ranked = [row for row in rows if row.rank is not None]
        dashboard.top[kind] = ranked[:HIGHLIGHTS]
        dashboard.bottom[kind] = ranked[HIGHLIGHTS:][-HIGHLIGHTS:][::-1]  # never repeats a unit of the top
    moved = [row for row in table.regions + table.departments if row.rank_change]
    moved.sort(key=lambda row: (-abs(row.rank_change), -row.rank_change, row.unit_id))
    dashboard.moves = [RankedUnit.of(row) for row in moved[:MOVES]]
    dashboard.deductions = most_deducted_projects(period)


def most_deducted_projects(period: Period, limit: int = DEDUCTED_PROJECTS) -> list[ProjectDeductions]:
    """Project rows with the most regions below the maximum this month. One query."""
    maximum = period.year.project_max_score
    lost: dict[int, list[ProjectScore]] = defaultdict(list)
    for score in (
        ProjectScore.objects.filter(period=period, not_applicable=False, score__lt=maximum)
        .select_related("project__responsible_department", "region")
        .order_by("region__display_order", "region__name")
    ):
        lost[score.project_id].append(score)
    summary = []
    for items in lost.values():
        project = items[0].project
        summary.append(
            ProjectDeductions(
                project.id,
                str(project),
                project.responsible_department.short_name,
                len(items),
                decimal_sum(maximum - item.score for item in items),
                [item.region.short_name for item in items],
            )
        )
    order = {items[0].project_id: (items[0].project.display_order, items[0].project_id) for items in lost.values()}
    summary.sort(key=lambda p: (-p.regions, -p.points, order[p.project_id]))
    return summary[:limit]


def completeness(period: Period, department_id: int | None = None) -> list[Completeness]:
    """Cells entered / expected per responsible department, plus the office's indicator scores.

    Units with a month override (recorded total, not assessed) expect nothing. Seven queries."""
    overridden = set(MonthOverride.objects.filter(period=period).values_list("unit_id", flat=True))
    regions, departments = split_units(period_units(period))
    region_ids = [r.id for r in regions if r.is_active and r.id not in overridden]
    reference = year_reference(period.year_id)
    entered_cells = set(ProjectScore.objects.filter(period=period).values_list("project_id", "region_id"))
    expected, entered = Counter(), Counter()
    responsible = {}
    for project in reference.projects:
        department = project.responsible_department
        responsible[department.id] = department
        for region_id in region_ids:
            if reference.applies(project.id, region_id):
                expected[department.id] += 1
                entered[department.id] += (project.id, region_id) in entered_cells
    lines = [
        Completeness(d.id, d.short_name, entered[d.id], expected[d.id])
        for d in sorted(responsible.values(), key=lambda d: (d.display_order, d.name))
        if department_id is None or d.id == department_id
    ]
    if department_id is None:
        assessed = [d.id for d in departments if d.is_active and d.id not in overridden]
        done = IndicatorScore.objects.filter(period=period, department_id__in=assessed).count()
        expected_count = len(reference.indicators) * len(assessed)
        lines.append(Completeness(None, f"{period.year.office_name}（部门考评指标）", done, expected_count))
    return lines


def latest_period(*, published: bool) -> Period | None:
    periods = Period.objects.select_related("year").order_by("-year__year", "-month")
    condition = Q(status=PeriodStatus.PUBLISHED)
    return (periods.filter(condition) if published else periods.exclude(condition)).first()
