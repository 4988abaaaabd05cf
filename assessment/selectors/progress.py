"""Reads of progress, funds and information reporting for 1–M月 of a year, in a fixed number of queries.

`progress_overview(year=…, month=…)` reads everything once (five queries whatever the size of the
year) and computes every figure with `projects.progress_rules`; the pages, the exports, the 小结 and
`progress_summary` all read that one object:

- `overview.projects`: per project, its targets (units) with rates against 序时进度, 滞后 and met marks;
- `overview.units`: per unit, its targets, funds and lagging project codes, and its information counts;
- `overview.by_type`, `overview.funds`: funds per project type and for the whole office;
- `overview.information` / `information_month`: the counts of 1–M月 and of the month itself.

A target's figures for month M are its latest entered month at or before M (a unit that has not
entered June yet shows May's cumulative figures, with `as_of_month` = 5).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from projects import progress_rules as rules
from projects.models import AssessmentYear, InformationReport, Progress, Project, ProjectType, Target, Unit
from projects.progress_rules import Funds, Information

from ..models import Period, Proposal


@dataclass
class TargetProgress:
    """One project × unit for the month."""

    target: Target
    progress: Progress | None  # the latest month at or before M, None when nothing was entered yet
    schedule: Decimal
    due_month: int

    @property
    def project(self) -> Project:
        return self.target.project

    @property
    def unit(self) -> Unit:
        return self.target.unit

    @property
    def as_of_month(self) -> int | None:
        return self.progress.month if self.progress else None

    @property
    def completed(self) -> Decimal:
        return self.progress.completed if self.progress else rules.ZERO

    @property
    def paid(self) -> Decimal:
        return self.progress.paid if self.progress else rules.ZERO

    @property
    def beneficiaries(self) -> int:
        return self.progress.beneficiaries if self.progress else 0

    @property
    def note(self) -> str:
        return self.progress.note if self.progress else ""

    @property
    def rate(self) -> Decimal | None:
        return rules.completion_rate(self.completed, self.target.quantity)

    @property
    def funds(self) -> Funds:
        return Funds(self.target.budget, self.paid)

    @property
    def funds_rate(self) -> Decimal | None:
        return self.funds.rate

    @property
    def met_target(self) -> bool:
        return rules.has_met_target(self.rate)

    lagging: bool = False


@dataclass
class ProjectProgress:
    project: Project
    schedule: Decimal  # of the year's default due month (a target may have its own)
    targets: list[TargetProgress] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.project.display_code

    @property
    def project_type(self) -> str:
        return self.project.project_type

    @property
    def funds(self) -> Funds:
        return rules.total_funds(t.funds for t in self.targets)

    @property
    def beneficiaries(self) -> int:
        return sum(t.beneficiaries for t in self.targets)

    @property
    def met_target(self) -> bool:
        return rules.project_met_target(t.rate for t in self.targets)

    @property
    def lagging_units(self) -> list[Unit]:
        return [t.unit for t in self.targets if t.lagging]

    def for_unit(self, unit_id: int) -> TargetProgress | None:
        return next((t for t in self.targets if t.target.unit_id == unit_id), None)


@dataclass
class UnitProgress:
    unit: Unit
    targets: list[TargetProgress] = field(default_factory=list)
    information: Information = field(default_factory=Information)  # 1–M月
    information_month: Information = field(default_factory=Information)  # month M only
    reported_months: set[int] = field(default_factory=set)

    @property
    def has_targets(self) -> bool:
        return bool(self.targets)

    @property
    def funds(self) -> Funds | None:
        return rules.total_funds(t.funds for t in self.targets) if self.targets else None

    @property
    def lagging(self) -> list[str]:
        """The codes of the unit's projects that are 滞后 this month, in display order."""
        return [t.project.display_code for t in self.targets if t.lagging]

    @property
    def lagging_targets(self) -> list[TargetProgress]:
        return [t for t in self.targets if t.lagging]


@dataclass
class ProgressOverview:
    year: AssessmentYear
    month: int
    projects: list[ProjectProgress]
    units: list[UnitProgress]

    @property
    def targets(self) -> list[TargetProgress]:
        return [t for p in self.projects for t in p.targets]

    @property
    def funds(self) -> Funds:
        return rules.total_funds(p.funds for p in self.projects)

    @property
    def by_type(self) -> dict[str, Funds]:
        """Funds per project type, in the order of ProjectType (types without projects left out)."""
        totals = {}
        for value, _label in ProjectType.choices:
            projects = [p for p in self.projects if p.project_type == value]
            if projects:
                totals[value] = rules.total_funds(p.funds for p in projects)
        return totals

    @property
    def completed_projects(self) -> list[ProjectProgress]:
        return [p for p in self.projects if p.met_target]

    @property
    def subsidy_projects(self) -> list[ProjectProgress]:
        return [p for p in self.projects if p.project_type == ProjectType.SUBSIDY]

    @property
    def beneficiaries(self) -> int:
        return sum(p.beneficiaries for p in self.subsidy_projects)

    @property
    def subsidy_paid(self) -> Decimal:
        return rules.total_funds(p.funds for p in self.subsidy_projects).paid

    @property
    def information(self) -> Information:
        return rules.total_information(u.information for u in self.units)

    @property
    def information_month(self) -> Information:
        return rules.total_information(u.information_month for u in self.units)

    @property
    def lagging(self) -> list[TargetProgress]:
        return [t for t in self.targets if t.lagging]

    def unit(self, unit_id: int) -> UnitProgress | None:
        return next((u for u in self.units if u.unit.pk == unit_id), None)


def progress_overview(*, year: AssessmentYear, month: int) -> ProgressOverview:
    """Everything about 1–M月 of a year. Four queries: projects, targets, progress, information."""
    projects = list(Project.objects.filter(year=year).select_related("responsible_department"))
    targets = list(Target.objects.filter(project__year=year).select_related("unit"))
    latest: dict[int, Progress] = {}
    for row in Progress.objects.filter(target__project__year=year, month__lte=month).order_by("target_id", "month"):
        latest[row.target_id] = row  # ordered by month: the last one wins
    reports = list(InformationReport.objects.filter(year=year, month__lte=month).select_related("unit"))

    by_project = {project.pk: project for project in projects}
    project_rows = {
        project.pk: ProjectProgress(project, rules.schedule(project.project_type, month, None, year.progress_due_month))
        for project in projects
    }
    units: dict[int, UnitProgress] = {}
    for target in targets:
        project = target.project = by_project[target.project_id]
        due = rules.due_month_of(project.project_type, target.due_month, year.progress_due_month)
        scheduled = rules.schedule(project.project_type, month, target.due_month, year.progress_due_month)
        progress = latest.get(target.pk)
        if progress is not None:
            progress.target = target
        row = TargetProgress(target, progress, scheduled, due)
        row.lagging = rules.is_lagging(row.rate, scheduled, year.lag_tolerance)
        project_rows[project.pk].targets.append(row)
        units.setdefault(target.unit_id, UnitProgress(target.unit)).targets.append(row)
    for report in reports:
        unit = units.setdefault(report.unit_id, UnitProgress(report.unit))
        counts = Information(report.reported, report.city_adopted, report.province_adopted)
        unit.information = unit.information + counts
        unit.reported_months.add(report.month)
        if report.month == month:
            unit.information_month = counts
    for row in project_rows.values():
        row.targets.sort(key=lambda t: _unit_order(t.unit))
    for unit in units.values():
        unit.targets.sort(key=lambda t: (t.project.display_order, t.project.pk))
    return ProgressOverview(
        year=year,
        month=month,
        projects=[project_rows[project.pk] for project in projects],
        units=sorted(units.values(), key=lambda u: _unit_order(u.unit)),
    )


def _unit_order(unit: Unit):
    return (unit.kind != "region", unit.display_order, unit.name)


# --- the figures of progress_summary and of the 小结 ------------------------------------------------------------


def summary_json(overview: ProgressOverview) -> dict:
    """The `progress_summary --json` object (README "Progress, funds and information")."""
    funds, information = overview.funds, overview.information
    units = []
    for unit in overview.units:
        entry = {"unit": unit.unit.name}
        if unit.has_targets:
            unit_funds = unit.funds
            entry.update(
                budget=rules.wan_text(unit_funds.budget),
                paid=rules.wan_text(unit_funds.paid),
                paid_rate=rules.percent_text(unit_funds.rate),
            )
        entry.update(
            lagging=unit.lagging,
            reported=unit.information.reported,
            city_adopted=unit.information.city_adopted,
            province_adopted=unit.information.province_adopted,
            adoption_rate=rules.percent_text(unit.information.adoption_rate),
        )
        units.append(entry)
    return {
        "year": overview.year.year,
        "month": overview.month,
        "projects": len(overview.projects),
        "budget": rules.wan_text(funds.budget),
        "paid": rules.wan_text(funds.paid),
        "paid_yi": rules.yi_text(funds.paid),
        "paid_rate": rules.percent_text(funds.rate),
        "completed_projects": [p.code for p in overview.completed_projects],
        "beneficiaries": overview.beneficiaries,
        "subsidy_paid": rules.wan_text(overview.subsidy_paid),
        "information": {
            "reported": information.reported,
            "city_adopted": information.city_adopted,
            "province_adopted": information.province_adopted,
            "adoption_rate": rules.percent_text(information.adoption_rate),
        },
        "units": units,
    }


# --- the information reporting table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InformationRow:
    unit: Unit
    month: Information
    year_to_date: Information


def information_table(overview: ProgressOverview) -> list[InformationRow]:
    """Per unit (display order): the month's counts and 1–M月's; the totals are overview.information*."""
    return [InformationRow(u.unit, u.information_month, u.information) for u in overview.units]


def year_months(year: AssessmentYear) -> list[int]:
    """The months of a year that have any progress or information entered (for a month picker). Two queries."""
    months = set(Progress.objects.filter(target__project__year=year).values_list("month", flat=True).distinct())
    months |= set(InformationReport.objects.filter(year=year).values_list("month", flat=True).distinct())
    return sorted(months)


def targets_by_unit(year: AssessmentYear) -> dict[int, list[Target]]:
    """A year's targets per unit id, with project and unit. One query."""
    result = defaultdict(list)
    for target in Target.objects.filter(project__year=year).select_related("project", "unit"):
        result[target.unit_id].append(target)
    return dict(result)


def period_proposals(period: Period) -> list[Proposal]:
    """The month's proposed 加扣分 (pending, accepted, rejected) in display order. One query."""
    return list(Proposal.objects.filter(period=period).select_related("unit", "rule", "adjustment", "decided_by"))
