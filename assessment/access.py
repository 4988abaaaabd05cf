"""Who may see and change what: the one place where the roles meet the assessment's objects.

The predicates (`can_*`) answer for services and selectors; `None` as user means a trusted command.
The `*_for_user` helpers are for views, in the style of healthchecks' `_get_check_for_user`: one call
returns the object (or raises 404 / 403) and whether the user may write it, so a view never
re-derives a rule. Services check again on their own.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import user_unit_id
from accounts.roles import Role, has_any_role, is_department_user, is_office, user_roles
from projects.models import Project, Unit

from .models import Adjustment, Period, PeriodStatus

NO_ROLE = "您还没有分配角色，请联系民生办。"
NOT_ENTRY_ROLE = "您的角色不能录入得分。"
OFFICE_ONLY = "只有民生办可以进行此操作。"
NOT_ALLOWED = "您没有权限进行此操作。"
NO_PERIOD = "没有该考评月份，或该月份尚未发布。"


# ---------------------------------------------------------------- predicates


def require(allowed: bool, message: str = NOT_ALLOWED) -> None:
    if not allowed:
        raise PermissionDenied(message)


def may_use_entry(user) -> bool:
    """The office and department users use the entry pages; the others only read the published tables."""
    return is_office(user) or is_department_user(user)


def sees_unpublished(user, *, tables: bool) -> bool:
    """Unpublished months: the office everywhere; department users on the entry pages (they enter into
    open months) but not in the draft tables."""
    return is_office(user) or (not tables and is_department_user(user))


def can_view_period(user, period: Period, *, tables: bool = True) -> bool:
    """Published months: every role. Unpublished: see `sees_unpublished`."""
    if sees_unpublished(user, tables=tables):
        return True
    return period.is_published and has_any_role(user)


def can_edit_office_items(user, period: Period) -> bool:
    """Indicator scores, 加扣分 items and month overrides: the office, while not published."""
    if user is None:
        return not period.is_published
    return is_office(user) and period.status in (PeriodStatus.OPEN, PeriodStatus.CLOSED)


def can_edit_project_score(user, period: Period, project: Project) -> bool:
    """Region project scores: the office while not published; the responsible department while open."""
    if can_edit_office_items(user, period):
        return True
    if user is None or not is_department_user(user):
        return False
    return period.is_open and project.responsible_department_id == user_unit_id(user)


def can_edit_progress(user, period: Period, unit: Unit) -> bool:
    """A unit's progress and information counts of a month: the office while not published; the unit's
    own department or region user while the month is open."""
    if can_edit_office_items(user, period):
        return True
    if user is None or period.status != PeriodStatus.OPEN:
        return False
    return own_unit_id(user) == unit.pk


def can_edit_targets(user) -> bool:
    """A year's targets (目标任务, 年度预算, 完成时限): the office, or a trusted command."""
    return user is None or is_office(user)


def may_enter_in(user, period: Period) -> bool:
    """Whether the user may enter anything at all in the period now."""
    return can_edit_office_items(user, period) or (is_department_user(user) and period.is_open)


def own_department_id(user) -> int | None:
    """A department user's department: the projects it is responsible for are its grid."""
    return user_unit_id(user) if is_department_user(user) else None


def own_unit_id(user) -> int | None:
    """The unit a department or region user acts for; None for the office and viewers."""
    if is_office(user) or not user_roles(user) & {Role.DEPARTMENT_USER, Role.REGION_USER}:
        return None
    return user_unit_id(user)


@dataclass(frozen=True)
class UnitScope:
    """Which unit pages open for a user: every unit (office, viewers) or only its own; `own` is highlighted."""

    every: bool
    own: int | None

    def allows(self, unit_id: int) -> bool:
        return self.every or (self.own is not None and unit_id == self.own)


def unit_scope(user) -> UnitScope:
    """Decided once per page, so a table of units needs no query per link."""
    own = own_unit_id(user)
    return UnitScope(every=is_office(user) or Role.VIEWER in user_roles(user), own=own)


def can_view_unit(user, unit: Unit) -> bool:
    """A unit's page: the office and viewers see every unit; department and region users only their own."""
    return unit_scope(user).allows(unit.pk)


# ---------------------------------------------------------------- for views


def require_role(user) -> None:
    require(has_any_role(user), NO_ROLE)


def require_entry_role(user) -> None:
    require_role(user)
    require(may_use_entry(user), NOT_ENTRY_ROLE)


def require_office(user) -> None:
    require_role(user)
    require(is_office(user), OFFICE_ONLY)


def period_for_user(user, year: int, month: int, *, tables: bool = False) -> tuple[Period, bool]:
    """The period (404 when it does not exist or the user may not see it) and whether the user may
    enter anything in it now."""
    if not tables:
        require_role(user)
    period = Period.objects.select_related("year").filter(year__year=year, month=month).first()
    if period is None or not can_view_period(user, period, tables=tables):
        raise Http404(NO_PERIOD)
    return period, may_enter_in(user, period)


def cell_for_user(user, period: Period, region_id: int, project_id: int) -> tuple[Unit, Project, bool]:
    """A region × project cell: 404 for another department's project; whether the user may write it."""
    region = Unit.objects.regions().filter(pk=region_id).first()
    projects = Project.objects.filter(year_id=period.year_id, pk=project_id).select_related("responsible_department")
    department = own_department_id(user)
    if not is_office(user):
        projects = projects.filter(responsible_department_id=department)
    project = projects.first()
    if region is None or project is None:
        raise Http404("没有这个单元格。")
    return region, project, can_edit_project_score(user, period, project)


def adjustment_for_user(user, period: Period, pk: int) -> tuple[Adjustment, bool]:
    """A 加扣分 item of the period (office only) and whether the user may change it now."""
    require_office(user)
    adjustment = Adjustment.objects.select_related("unit", "period__year", "updated_by").filter(pk=pk, period=period)
    item = adjustment.first()
    if item is None:
        raise Http404("该加扣分已不存在（可能已被他人删除）。")
    return item, can_edit_office_items(user, period)


def unit_for_user(user, unit_id: int) -> Unit:
    """The unit, or 404 for another unit's page."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can_view_unit(user, unit):
        raise Http404("没有该单位。")
    return unit


# ---------------------------------------------------------------- progress entry (for views)

NOT_PROGRESS_ROLE = "您的角色不能录入项目进度和信息报送。"


def may_enter_progress(user) -> bool:
    """Progress and information are entered by the office and by department and region users for
    their own unit (`can_edit_progress` decides each row)."""
    return is_office(user) or own_unit_id(user) is not None


def require_progress_role(user) -> None:
    require_role(user)
    require(may_enter_progress(user), NOT_PROGRESS_ROLE)


def progress_period_for_user(user, year: int, month: int) -> tuple[Period, bool]:
    """A progress entry page's period (404 when it does not exist) and whether the user may enter in it
    now: the office while not published, a unit's user while the month is open. A unit's user sees only
    its own rows (the views filter by `own_unit_id`)."""
    require_progress_role(user)
    period = Period.objects.select_related("year").filter(year__year=year, month=month).first()
    if period is None:
        raise Http404(NO_PERIOD)
    if is_office(user):
        return period, can_edit_office_items(user, period)
    return period, period.is_open
