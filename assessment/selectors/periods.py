"""Reads about periods: which a user may open, what is still missing, who still has to enter what."""

from dataclasses import dataclass, field

from accounts.roles import is_office
from projects.models import Unit

from ..access import sees_unpublished
from ..models import IndicatorScore, Period, PeriodStatus, ProjectScore, UnitResult
from ..services.periods import allowed_transitions
from .reference import period_units, reference_for_user, split_units


def visible_periods(user, *, year=None, tables: bool = False):
    """The periods a user may open, newest first (`tables`: the official tables, where department users
    see only published months). One query when evaluated."""
    periods = Period.objects.select_related("year").order_by("-year__year", "-month")
    if year is not None:
        periods = periods.filter(year=year)
    if not sees_unpublished(user, tables=tables):
        periods = periods.filter(status=PeriodStatus.PUBLISHED)
    return periods


def find_period(year: int, month: int) -> Period | None:
    return Period.objects.select_related("year").filter(year__year=year, month=month).first()


def period_missing(period: Period) -> list[str]:
    """What is still missing in a period, one line per unit, e.g. '义安区：4、12-1'. One query."""
    results = (
        UnitResult.objects.filter(period=period).select_related("unit").order_by("unit__kind", "unit__display_order")
    )
    return [f"{r.unit.name}：{'、'.join(r.missing)}" for r in results if r.missing]


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
    regions, departments = split_units(period_units(period))
    regions = [r for r in regions if r.is_active]
    office = is_office(user)
    reference = reference_for_user(period, user)
    entered = set(ProjectScore.objects.filter(period=period).values_list("region_id", "project_id").iterator())
    todo: dict[int, DepartmentTodo] = {}

    def line(department):
        return todo.setdefault(department.pk, DepartmentTodo(department))

    for project in reference.projects:
        for region in regions:
            if reference.applies(project.pk, region.pk) and (region.pk, project.pk) not in entered:
                line(project.responsible_department).cells.append(f"{project.display_code} {region.name}")
    if office:
        scored = set(IndicatorScore.objects.filter(period=period).values_list("department_id", "indicator_id"))
        for department in departments:
            if not department.is_active:
                continue
            for indicator in reference.indicators:
                if (department.pk, indicator.pk) not in scored:
                    line(department).indicators.append(indicator.name)
    order = {d.pk: index for index, d in enumerate(departments)}
    return sorted(todo.values(), key=lambda t: order.get(t.department.pk, len(order)))


@dataclass(frozen=True)
class StatusAction:
    status: str
    label: str
    needs_reason: bool
    style: str


ACTION_STYLES = {
    PeriodStatus.CLOSED: ("结束录入，提交审核", "warning"),
    PeriodStatus.PUBLISHED: ("发布", "success"),
}


def status_actions(user, period: Period) -> list[StatusAction]:
    """The status changes this user may make now (the service checks again)."""
    actions = []
    for target, _ in allowed_transitions(user, period):
        if target == PeriodStatus.OPEN:
            label, style = ("重新开放", "danger") if period.is_published else ("退回录入", "secondary")
        else:
            label, style = ACTION_STYLES[target]
        actions.append(StatusAction(target, label, period.is_published, style))
    return actions
