"""The roles of the system: Django groups, plus a user's unit for department and region users."""

from enum import StrEnum


class Role(StrEnum):
    OFFICE_ADMIN = "民生办管理员"
    OFFICE_STAFF = "民生办工作人员"
    DEPARTMENT_USER = "部门用户"
    REGION_USER = "县区用户"
    VIEWER = "领导/观察员"


OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF})


def user_roles(user) -> frozenset[Role]:
    """The roles of a user; cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_minsheng_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.OFFICE_ADMIN}
        user._minsheng_roles = cached
    return cached


def is_office(user) -> bool:
    return bool(user_roles(user) & OFFICE_ROLES)


def is_office_admin(user) -> bool:
    return Role.OFFICE_ADMIN in user_roles(user)
