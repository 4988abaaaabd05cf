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
    confirm: str = ""  # what will happen, asked before the form is posted


ACTION_STYLES = {
    PeriodStatus.CLOSED: ("结束录入，提交审核", "warning"),
    PeriodStatus.PUBLISHED: ("发布", "success"),
}


def status_actions(user, period: Period) -> list[StatusAction]:
    """The status changes this user may make now (the service checks again), each with what it will do.
    One query (the period's results, for the counts)."""
    transitions = allowed_transitions(user, period)
    if not transitions:
        return []
    results = list(UnitResult.objects.filter(period=period).values_list("missing", flat=True))
    units, lacking = len(results), sum(1 for missing in results if missing)
    actions = []
    for target, _ in transitions:
        if target == PeriodStatus.OPEN:
            label, style = ("重新开放", "danger") if period.is_published else ("退回录入", "secondary")
        else:
            label, style = ACTION_STYLES[target]
        confirm = confirmation(period, target, units, lacking)
        actions.append(StatusAction(target, label, period.is_published, style, confirm))
    return actions


def confirmation(period: Period, target: str, units: int, lacking: int) -> str:
    """What pressing the button will do, in the words the confirmation dialog shows."""
    if target == PeriodStatus.CLOSED:
        still = f"尚有 {lacking} 个单位未录入完。" if lacking else "所有单位都已录入完。"
        return f"结束录入：{period}转入审核，各部门不能再修改，只有民生办可以修改。共 {units} 个单位，{still}确定吗？"
    if target == PeriodStatus.PUBLISHED:
        return (
            f"发布：{period}的附件1-3将对所有角色可见，{units} 个单位的得分和排名成为正式结果并锁定，"
            "之后的修改须先重新开放。确定发布吗？"
        )
    if period.is_published:
        return (
            f"重新开放：{period}回到“录入中”，{units} 个单位的已发布结果不再是正式结果，"
            "各部门和民生办可以再修改，之后须重新发布。确定重新开放吗？"
        )
    return f"退回录入：{period}回到“录入中”，各部门可以再修改自己的得分。确定吗？"
