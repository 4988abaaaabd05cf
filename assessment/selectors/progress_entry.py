"""Reads of the progress and information entry grids, in a fixed number of queries.

A grid row is one target's figures of the period's month (the row the user types into), with the
latest earlier month's figures beside it (the cumulative figures must not go below them without a
reason) and the rates they give. A unit's user sees only its own unit's rows; the office sees all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from projects import progress_rules as rules
from projects.models import InformationReport, Progress, Project, ProjectType, Target, Unit

from .. import access
from ..interchange.progress_grid import INFORMATION_FIELDS, LABELS, information_text, progress_text, stamp
from ..models import Period
from .progress_pages import region_first
from .reference import period_units


def _owner_filter(user) -> int | None:
    """None: every unit (the office); else the user's own unit id."""
    return None if access.is_office(user) else access.own_unit_id(user)


@dataclass
class ProgressRow:
    target: Target
    current: Progress | None  # this month's row
    previous: Progress | None  # the latest earlier month's row
    editable: bool
    schedule: Decimal
    lagging: bool

    @property
    def id(self) -> int:
        return self.target.pk

    @property
    def version(self) -> str:
        return stamp(self.current)

    @property
    def values(self) -> dict[str, str]:
        return progress_text(self.current)

    @property
    def previous_values(self) -> dict[str, str]:
        return progress_text(self.previous)

    @property
    def label(self) -> str:
        project = self.target.project
        return f"{self.target.unit.name} · {project.display_code}、{project.name}"

    @property
    def rate(self) -> str:
        if self.current is None:
            return ""
        return rules.percent_label(rules.completion_rate(self.current.completed, self.target.quantity))

    @property
    def funds_rate(self) -> str:
        if self.current is None:
            return ""
        return rules.percent_label(rules.funds_rate(self.current.paid, self.target.budget))

    @property
    def quantity(self) -> str:
        return f"{rules.quantity_text(self.target.quantity)}{self.target.measure}"

    @property
    def budget(self) -> str:
        return rules.wan_text(self.target.budget)

    @property
    def is_subsidy(self) -> bool:
        return self.target.project.project_type == ProjectType.SUBSIDY


@dataclass
class ProgressGrid:
    period: Period
    title: str
    rows: list[ProgressRow] = field(default_factory=list)

    @property
    def editable_count(self) -> int:
        return sum(1 for row in self.rows if row.editable)

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.rows if row.current is None)


def _targets(period: Period, user):
    targets = Target.objects.filter(project__year=period.year).select_related("project__responsible_department", "unit")
    owner = _owner_filter(user)
    return targets if owner is None else targets.filter(unit_id=owner)


def progress_grid(period: Period, user, *, may_enter: bool, project: Project | None = None, unit: Unit | None = None):
    """One project's targets (units as rows) or one unit's targets (projects as rows). Two queries."""
    targets = _targets(period, user)
    if project is not None:
        targets = targets.filter(project=project)
    if unit is not None:
        targets = targets.filter(unit=unit)
    targets = sorted(
        targets, key=lambda t: (t.project.display_order, t.project.pk, t.unit.kind != "region", t.unit.display_order)
    )
    month = period.month
    current, previous = {}, {}
    rows = Progress.objects.filter(target__in=[t.pk for t in targets], month__lte=month).select_related("updated_by")
    for row in rows.order_by("target_id", "month"):
        if row.month == month:
            current[row.target_id] = row
        else:
            previous[row.target_id] = row  # ordered by month: the latest earlier month wins
    year = period.year
    title = str(project) if project is not None else (unit.name if unit is not None else "")
    grid = ProgressGrid(period, title)
    for target in targets:
        scheduled = rules.schedule(target.project.project_type, month, target.due_month, year.progress_due_month)
        row = current.get(target.pk)
        rate = rules.completion_rate(row.completed, target.quantity) if row else None
        grid.rows.append(
            ProgressRow(
                target=target,
                current=row,
                previous=previous.get(target.pk),
                editable=may_enter and access.can_edit_progress(user, period, target.unit),
                schedule=scheduled,
                lagging=rules.is_lagging(rate, scheduled, year.lag_tolerance),
            )
        )
    return grid


@dataclass
class EntryProject:
    project: Project
    targets: int
    entered: int

    @property
    def missing(self) -> int:
        return self.targets - self.entered


@dataclass
class EntryOverview:
    projects: list[EntryProject]
    units: list[Unit]  # the units whose targets the user sees (a unit's user: its own)
    information_missing: int


def entry_overview(period: Period, user) -> EntryOverview:
    """The entry page's lists: projects with targets (and how many are entered this month), the units. Four queries."""
    targets = list(_targets(period, user))
    entered = set(
        Progress.objects.filter(target__in=[t.pk for t in targets], month=period.month).values_list(
            "target_id", flat=True
        )
    )
    projects: dict[int, EntryProject] = {}
    units: dict[int, Unit] = {}
    for target in targets:
        line = projects.setdefault(target.project_id, EntryProject(target.project, 0, 0))
        line.targets += 1
        line.entered += target.pk in entered
        units[target.unit_id] = target.unit
    ordered = sorted(projects.values(), key=lambda p: (p.project.display_order, p.project.pk))
    info_units = information_units(period, user)
    reported = set(
        InformationReport.objects.filter(year=period.year, month=period.month, unit__in=info_units).values_list(
            "unit_id", flat=True
        )
    )
    unit_list = sorted(units.values(), key=lambda u: (u.kind != "region", u.display_order, u.name))
    return EntryOverview(ordered, unit_list, sum(1 for u in info_units if u.pk not in reported))


def information_units(period: Period, user) -> list[Unit]:
    owner = _owner_filter(user)
    units = region_first(period_units(period))
    return units if owner is None else [u for u in units if u.pk == owner]


@dataclass
class InformationRow:
    unit: Unit
    current: InformationReport | None
    before: rules.Information  # 1 … M-1月
    editable: bool

    @property
    def id(self) -> int:
        return self.unit.pk

    @property
    def version(self) -> str:
        return stamp(self.current)

    @property
    def values(self) -> dict[str, str]:
        return information_text(self.current)

    @property
    def label(self) -> str:
        return self.unit.name

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """(field, its label, the stored value as text) of the month's counts."""
        values = self.values
        return [(name, LABELS[name], values[name]) for name in INFORMATION_FIELDS]

    @property
    def year_to_date(self) -> rules.Information:
        month = (
            rules.Information(self.current.reported, self.current.city_adopted, self.current.province_adopted)
            if self.current
            else rules.Information()
        )
        return self.before + month


@dataclass
class InformationGrid:
    period: Period
    rows: list[InformationRow]
    fields: tuple[str, ...] = INFORMATION_FIELDS

    @property
    def labels(self) -> list[str]:
        return [LABELS[name] for name in self.fields]

    @property
    def editable_count(self) -> int:
        return sum(1 for row in self.rows if row.editable)


def information_grid(period: Period, user, *, may_enter: bool) -> InformationGrid:
    """A row per unit (a unit's user: its own). Two queries."""
    units = information_units(period, user)
    current, before = {}, {}
    reports = InformationReport.objects.filter(year=period.year, month__lte=period.month, unit__in=units)
    for report in reports.select_related("updated_by"):
        if report.month == period.month:
            current[report.unit_id] = report
        else:
            counts = rules.Information(report.reported, report.city_adopted, report.province_adopted)
            before[report.unit_id] = before.get(report.unit_id, rules.Information()) + counts
    rows = [
        InformationRow(
            unit,
            current.get(unit.pk),
            before.get(unit.pk, rules.Information()),
            may_enter and access.can_edit_progress(user, period, unit),
        )
        for unit in units
    ]
    return InformationGrid(period, rows)
