"""Who may write what. Views and services both ask here; `None` as user means a trusted command."""

from django.core.exceptions import PermissionDenied

from projects.models import Project

from .models import Period, PeriodStatus
from .roles import Role, is_office, user_roles


def user_unit_id(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.unit_id if profile is not None else None


def can_edit_office_items(user, period: Period) -> bool:
    """Indicator scores, 加扣分 items and month overrides: the office, while not published."""
    if user is None:
        return not period.is_published
    return is_office(user) and period.status in (PeriodStatus.OPEN, PeriodStatus.CLOSED)


def can_edit_project_score(user, period: Period, project: Project) -> bool:
    """Region project scores: the office while not published; the responsible department while open."""
    if can_edit_office_items(user, period):
        return True
    if user is None or Role.DEPARTMENT_USER not in user_roles(user):
        return False
    return period.is_open and project.responsible_department_id == user_unit_id(user)


def require(allowed: bool, message: str = "您没有权限进行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def has_any_role(user) -> bool:
    return bool(user_roles(user))


def can_view_period(user, period: Period) -> bool:
    """Published tables: every role. Unpublished periods: only the office."""
    if is_office(user):
        return True
    return period.is_published and has_any_role(user)


def can_view_unit(user, unit) -> bool:
    """A unit's page: the office and viewers see every unit; department and region users only their own."""
    roles = user_roles(user)
    if is_office(user) or Role.VIEWER in roles:
        return True
    if roles & {Role.DEPARTMENT_USER, Role.REGION_USER}:
        return unit.pk == user_unit_id(user)
    return False
