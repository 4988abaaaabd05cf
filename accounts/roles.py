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


def is_department_user(user) -> bool:
    return Role.DEPARTMENT_USER in user_roles(user)


def has_any_role(user) -> bool:
    return bool(user_roles(user))


# What the office admin manages in the Django admin besides the scores: users, their units and the
# reference data. Scores and audit stay under the admin's own read-only rules.
OFFICE_ADMIN_PERMISSIONS = {
    "auth": {"user": ("add", "change", "view"), "group": ("view",)},
    "accounts": {"userprofile": ("add", "change", "delete", "view")},
    "assessment": {
        "period": ("add", "view"),
        "adjustment": ("add", "change", "delete", "view"),
        "adjustmentrule": ("add", "change", "delete", "view"),
        "projectscore": ("view",),
        "indicatorscore": ("view",),
        "monthoverride": ("view",),
        "unitresult": ("view",),
        "auditentry": ("view",),
        "proposalrule": ("add", "change", "delete", "view"),
        "proposal": ("view",),
    },
    "notices": {
        "noticetemplate": ("add", "change", "view"),
        "findingrule": ("add", "change", "delete", "view"),
        "notice": ("view",),
        "noticeversion": ("view",),
    },
    "projects": {
        **{model: ("add", "change", "delete", "view") for model in ("assessmentyear", "unit", "project", "indicator")},
        **{model: ("view",) for model in ("target", "progress", "informationreport")},
    },
    "ledger": {
        "slipseries": ("add", "change", "view"),
        "finding": ("view",),
        "reminderslip": ("view",),
        "evidence": ("view",),
    },
}


def ensure_role_groups(**kwargs) -> None:
    """After every migrate: the role groups exist and the office admin's group has its admin permissions."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db import DEFAULT_DB_ALIAS

    # The permissions of apps listed after this one (notices) are created by their own post_migrate,
    # which comes later: create them all now (idempotent), or a fresh database misses them.
    using = kwargs.get("using", DEFAULT_DB_ALIAS)
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    codenames = [
        (app, f"{action}_{model}")
        for app, models in OFFICE_ADMIN_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    wanted = [
        permission
        for permission in Permission.objects.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in codenames
    ]
    Group.objects.get(name=Role.OFFICE_ADMIN.value).permissions.add(*wanted)


def grant_admin_site_to_office_admins(sender, instance, action, pk_set, **kwargs) -> None:
    """A user put into the office admin group may open the admin site (to manage users and reference data)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    if action != "post_add" or not isinstance(instance, get_user_model()) or instance.is_staff:
        return
    if Group.objects.filter(pk__in=pk_set, name=Role.OFFICE_ADMIN.value).exists():
        instance.is_staff = True
        instance.save(update_fields=["is_staff"])
