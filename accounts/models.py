"""A user's unit: department and region users act for exactly one unit; roles are Django groups."""

from django.conf import settings
from django.db import models

from projects.models import Unit


class UserProfile(models.Model):
    """Links a department or region user to the one unit they act for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name="用户")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属单位")

    class Meta:
        verbose_name = "用户所属单位"
        verbose_name_plural = "用户所属单位"

    def __str__(self):
        return f"{self.user} → {self.unit or '—'}"


def user_unit_id(user) -> int | None:
    """The unit a department or region user acts for (None for the office, viewers and anonymous users)."""
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    return profile.unit_id if profile is not None else None


def display_name(user) -> str:
    """姓名 where it is known, the login otherwise; '系统' for a trusted command."""
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()
