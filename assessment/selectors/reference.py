"""A year's reference data as the assessment reads it: which projects apply to which region, and the
units of a period. The one home of both rules; everything that lays out a grid, a table or a
derivation asks here."""

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Exists, OuterRef, Q

from accounts.roles import is_office
from projects.models import Indicator, Project, Unit, UnitKind

from ..access import own_department_id
from ..models import Adjustment, IndicatorScore, MonthOverride, Period, ProjectScore


@dataclass
class YearReference:
    """The projects and indicators of a year, with the regions each project does not apply to."""

    projects: list[Project]
    indicators: list[Indicator]
    excluded: dict[int, set[int]] = field(default_factory=dict)  # project id → region ids

    def applies(self, project_id: int, region_id: int) -> bool:
        """A project applies to a region unless the region is one of its excluded regions (printed —)."""
        return region_id not in self.excluded.get(project_id, ())

    def applicable_projects(self, region_id: int) -> list[Project]:
        return [project for project in self.projects if self.applies(project.id, region_id)]

    def excluded_pairs(self) -> set[tuple[int, int]]:
        """(region id, project id) of every region × project that never applies."""
        return {(region, project) for project, regions in self.excluded.items() for region in regions}


ALL_DEPARTMENTS = object()


def year_reference(year_id: int, *, department_id=ALL_DEPARTMENTS) -> YearReference:
    """Three queries; `department_id` keeps only that department's projects (None: no projects)."""
    projects = Project.objects.filter(year_id=year_id).select_related("responsible_department")
    if department_id is not ALL_DEPARTMENTS:
        projects = projects.filter(responsible_department_id=department_id)
    projects = list(projects)
    excluded = defaultdict(set)
    through = Project.excluded_regions.through
    for project_id, region_id in through.objects.filter(project__year_id=year_id).values_list("project_id", "unit_id"):
        excluded[project_id].add(region_id)
    indicators = list(Indicator.objects.filter(year_id=year_id))
    return YearReference(projects, indicators, dict(excluded))


def reference_for_user(period: Period, user) -> YearReference:
    """The office sees every project of the year; a department user the projects it is responsible for."""
    if is_office(user):
        return year_reference(period.year_id)
    return year_reference(period.year_id, department_id=own_department_id(user))


NUMBER_TABLES = (
    (ProjectScore, "region"),
    (IndicatorScore, "department"),
    (Adjustment, "unit"),
    (MonthOverride, "unit"),
)


def period_units_query(period: Period, kind: str | None):
    """The queryset of `period_units`, to filter or page in the database."""
    has_numbers = [
        Exists(model.objects.filter(period=period, **{unit_field: OuterRef("pk")}))
        for model, unit_field in NUMBER_TABLES
    ]
    # A published month keeps the units it was published with (every one of them has numbers in it):
    # a unit created or activated later does not join its tables.
    present = Q(pk__in=[]) if period.is_published else Q(is_active=True)
    units = Unit.objects.filter(reduce(operator.or_, has_numbers, present))
    return units if kind is None else units.filter(kind=kind)


def period_units(period: Period, kind: str | None = None) -> list[Unit]:
    """The units of a period, in display order: every active unit, plus any inactive unit that has
    numbers in the period (so a unit deactivated later keeps its published rows). One query."""
    return list(period_units_query(period, kind).order_by("kind", "display_order", "name"))


def period_unit_flags(period: Period, kind: str) -> dict[int, bool]:
    """The ids of the units of a period (as `period_units`) with their active flag. One query."""
    return dict(period_units_query(period, kind).values_list("id", "is_active"))


def split_units(units: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """(regions, departments), each in display order."""
    return [u for u in units if u.kind == UnitKind.REGION], [u for u in units if u.kind == UnitKind.DEPARTMENT]
