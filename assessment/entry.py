"""Reads for the score entry pages: each in a fixed number of queries, whatever the number of units or projects."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from projects.models import Indicator, Project, Unit

from .models import Adjustment, AuditEntry, IndicatorScore, Period, PeriodStatus, ProjectScore
from .permissions import can_edit_office_items, can_edit_project_score, user_unit_id
from .roles import Role, is_office, user_roles
from .services import ALLOWED_TRANSITIONS, score_text


def is_department_user(user) -> bool:
    return Role.DEPARTMENT_USER in user_roles(user)


def may_use_entry(user) -> bool:
    """The office and department users use the entry pages; the others only read the published tables."""
    return is_office(user) or is_department_user(user)


def visible_periods(user):
    """Office and department users see every period (they enter into open ones); the others the published."""
    periods = Period.objects.select_related("year").order_by("-year__year", "-month")
    if may_use_entry(user):
        return periods
    return periods.filter(status=PeriodStatus.PUBLISHED)


def visible_projects(user, period: Period):
    """Grid rows: every project for the office, the department's own projects for a department user."""
    projects = Project.objects.filter(year_id=period.year_id).select_related("responsible_department")
    if is_office(user):
        return projects
    return projects.filter(responsible_department_id=user_unit_id(user))


def period_regions(period: Period) -> list[Unit]:
    """Active regions, plus an inactive region that has scores in this period."""
    return list(
        Unit.objects.regions()
        .filter(Q(is_active=True) | Q(project_scores__period=period))
        .distinct()
        .order_by("display_order", "name")
    )


def period_departments(period: Period) -> list[Unit]:
    return list(
        Unit.objects.departments()
        .filter(Q(is_active=True) | Q(indicator_scores__period=period))
        .distinct()
        .order_by("display_order", "name")
    )


def excluded_pairs(period: Period) -> set[tuple[int, int]]:
    """(region id, project id) of the projects that do not apply to a region at all (printed as —)."""
    through = Project.excluded_regions.through
    return set(through.objects.filter(project__year_id=period.year_id).values_list("unit_id", "project_id").iterator())


# Region score grid ------------------------------------------------------------------------------


@dataclass
class GridCell:
    region: Unit
    project: Project
    text: str = ""  # "1.500", "—" or "" (missing)
    reason: str = ""
    version: int = 0  # 0: nothing stored yet
    editable: bool = False
    excluded: bool = False
    updated_by: str = ""
    updated_at: object = None
    project_max: Decimal = Decimal("1.5")

    @property
    def key(self) -> str:
        return f"{self.region.pk}-{self.project.pk}"

    @property
    def below_max(self) -> bool:
        return bool(self.text) and self.text != "—" and Decimal(self.text) < self.project_max


@dataclass
class GridRow:
    project: Project
    cells: list[GridCell]

    @property
    def editable(self) -> bool:
        return any(cell.editable for cell in self.cells)


@dataclass
class ProjectGrid:
    period: Period
    regions: list[Unit]
    rows: list[GridRow]
    max_score: Decimal

    @property
    def editable_count(self) -> int:
        return sum(cell.editable for row in self.rows for cell in row.cells)

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if not cell.excluded and not cell.text)


def project_grid(period: Period, user) -> ProjectGrid:
    """Rows = projects the user may see, columns = regions. Five queries."""
    regions = period_regions(period)
    projects = list(visible_projects(user, period))
    excluded = excluded_pairs(period)
    stored = {
        (s.region_id, s.project_id): s
        for s in ProjectScore.objects.filter(period=period, project__in=[p.pk for p in projects]).select_related(
            "updated_by"
        )
    }
    maximum = period.year.project_max_score
    rows = []
    for project in projects:
        may_edit = can_edit_project_score(user, period, project)
        cells = []
        for region in regions:
            score = stored.get((region.pk, project.pk))
            is_excluded = (region.pk, project.pk) in excluded
            cell = GridCell(
                region=region,
                project=project,
                excluded=is_excluded,
                editable=may_edit and not is_excluded,
                project_max=maximum,
            )
            if score is not None:
                cell.text = score_text(score.score, score.not_applicable)
                cell.reason = score.reason
                cell.version = score.version
                cell.updated_by = score.updated_by.get_username() if score.updated_by else ""
                cell.updated_at = score.updated_at
            cells.append(cell)
        rows.append(GridRow(project, cells))
    return ProjectGrid(period, regions, rows, maximum)


# Department indicator grid -----------------------------------------------------------------------


@dataclass
class IndicatorCell:
    department: Unit
    indicator: Indicator
    text: str = ""
    reason: str = ""
    version: int = 0

    @property
    def key(self) -> str:
        return f"{self.department.pk}-{self.indicator.pk}"


@dataclass
class IndicatorGrid:
    period: Period
    indicators: list[Indicator]
    rows: list[tuple[Unit, list[IndicatorCell]]]
    editable: bool

    def cell(self, key: str) -> IndicatorCell | None:
        for _, cells in self.rows:
            for cell in cells:
                if cell.key == key:
                    return cell
        return None


def indicator_grid(period: Period, user) -> IndicatorGrid:
    """Rows = departments, columns = indicators. Three queries."""
    departments = period_departments(period)
    indicators = list(Indicator.objects.filter(year_id=period.year_id))
    stored = {(s.department_id, s.indicator_id): s for s in IndicatorScore.objects.filter(period=period)}
    rows = []
    for department in departments:
        cells = []
        for indicator in indicators:
            score = stored.get((department.pk, indicator.pk))
            cell = IndicatorCell(department, indicator)
            if score is not None:
                cell.text, cell.reason, cell.version = score_text(score.score), score.reason, score.version
            cells.append(cell)
        rows.append((department, cells))
    return IndicatorGrid(period, indicators, rows, can_edit_office_items(user, period))


# Period page -------------------------------------------------------------------------------------


@dataclass
class DepartmentTodo:
    """What one department still has to enter: empty region × project cells, missing indicators."""

    department: Unit
    cells: list[str] = field(default_factory=list)  # "4 义安区"
    indicators: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cells) + len(self.indicators)


def period_todo(period: Period, user) -> list[DepartmentTodo]:
    """Who still has to enter what, by department; a department user sees only its own line. Six queries."""
    regions = [r for r in period_regions(period) if r.is_active]
    departments = {d.pk: d for d in period_departments(period)}
    projects = list(visible_projects(user, period))
    excluded = excluded_pairs(period)
    entered = set(ProjectScore.objects.filter(period=period).values_list("region_id", "project_id").iterator())
    todo: dict[int, DepartmentTodo] = {}

    def line(department):
        return todo.setdefault(department.pk, DepartmentTodo(department))

    for project in projects:
        for region in regions:
            key = (region.pk, project.pk)
            if key not in excluded and key not in entered:
                line(project.responsible_department).cells.append(f"{project.display_code} {region.name}")
    if is_office(user):
        indicators = list(Indicator.objects.filter(year_id=period.year_id))
        scored = set(IndicatorScore.objects.filter(period=period).values_list("department_id", "indicator_id"))
        for department in departments.values():
            if not department.is_active:
                continue
            for indicator in indicators:
                if (department.pk, indicator.pk) not in scored:
                    line(department).indicators.append(indicator.name)
    order = {pk: index for index, pk in enumerate(departments)}
    return sorted(todo.values(), key=lambda t: order.get(t.department.pk, len(order)))


@dataclass(frozen=True)
class StatusAction:
    status: str
    label: str
    needs_reason: bool
    style: str


ACTION_LABELS = {
    (PeriodStatus.OPEN, PeriodStatus.CLOSED): ("结束录入，提交审核", "warning"),
    (PeriodStatus.CLOSED, PeriodStatus.OPEN): ("退回录入", "secondary"),
    (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED): ("发布", "success"),
    (PeriodStatus.PUBLISHED, PeriodStatus.OPEN): ("重新开放", "danger"),
}


def status_actions(user, period: Period) -> list[StatusAction]:
    """The status changes this user may make now (the services check again)."""
    actions = []
    for target, allowed in ALLOWED_TRANSITIONS.get(period.status, {}).items():
        if user is None or not allowed(user):
            continue
        label, style = ACTION_LABELS[(period.status, target)]
        actions.append(StatusAction(target, label, period.status == PeriodStatus.PUBLISHED, style))
    return actions


# Audit -------------------------------------------------------------------------------------------


def period_audit(period: Period, *, unit_id: int | None = None, item: str = "", limit: int = 500):
    """The period's 变更记录, newest first, optionally for one unit or kind of item. One query."""
    entries = AuditEntry.objects.filter(period=period).select_related("unit", "project", "indicator")
    if unit_id:
        entries = entries.filter(unit_id=unit_id)
    if item:
        entries = entries.filter(item=item)
    return list(entries[:limit])


def cell_history(period: Period, region: Unit, project: Project):
    return list(AuditEntry.objects.filter(period=period, unit=region, project=project).order_by("-created_at", "-id"))


def audit_items(period: Period) -> list[str]:
    return sorted(set(AuditEntry.objects.filter(period=period).values_list("item", flat=True).distinct()))


# 加扣分 ------------------------------------------------------------------------------------------


def period_adjustments(period: Period) -> dict[Unit, list[Adjustment]]:
    """The period's 加扣分 items grouped by unit, regions first. One query."""
    grouped = defaultdict(list)
    for adjustment in (
        Adjustment.objects.filter(period=period)
        .select_related("unit", "updated_by")
        .order_by("-unit__kind", "unit__display_order", "id")
    ):
        grouped[adjustment.unit].append(adjustment)
    return dict(grouped)
