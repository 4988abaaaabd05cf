"""Users with their unit and roles, managed by the office admin in the Django admin.

An office admin (民生办管理员, not a superuser) never gets more than they hold: superusers are not listed
and cannot be opened, the superuser flag is not on their form, and the groups and permissions they can
give (to anyone, themselves included) are the ones within their own permissions. Groups or permissions a
user already has beyond that (given by a superuser) are kept when an office admin saves the user.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission

from .models import UserProfile


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name_plural = "所属单位（部门用户、县区用户必填）"


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithUnitAdmin(UserAdmin):
    inlines = [UserProfileInline]
    list_display = ["username", "first_name", "is_active", "is_staff", "unit_name", "role_names"]
    list_filter = ["is_active", "is_staff", "groups"]
    list_select_related = ["profile__unit"]

    @admin.display(description="所属单位")
    def unit_name(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.unit if profile and profile.unit else "—"

    @admin.display(description="角色")
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all()) or "—"

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "is_superuser"]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "groups":
                kwargs["queryset"] = assignable_groups(request.user)
            elif db_field.name == "user_permissions":
                kwargs["queryset"] = held_permissions(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if "is_superuser" in form.changed_data or (obj.pk is None and obj.is_superuser):
                obj.is_superuser = False  # never reached through the form: it has no such field
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """What the user has beyond the editor's reach stays as it was (the form could not show it)."""
        user = form.instance
        kept_groups = kept_permissions = []
        if change and not request.user.is_superuser:
            kept_groups = list(user.groups.exclude(pk__in=assignable_groups(request.user)))
            kept_permissions = list(user.user_permissions.exclude(pk__in=held_permissions(request.user)))
        super().save_related(request, form, formsets, change)
        if kept_groups:
            user.groups.add(*kept_groups)
        if kept_permissions:
            user.user_permissions.add(*kept_permissions)


def held_permissions(user):
    """The permissions `user` holds (directly or through groups), as a queryset of Permission."""
    if user.is_superuser:
        return Permission.objects.all()
    held = Permission.objects.filter(user=user) | Permission.objects.filter(group__user=user)
    return Permission.objects.filter(pk__in=held.values("pk"))


def assignable_groups(user):
    """The groups `user` may give: those holding no permission beyond the user's own."""
    if user.is_superuser:
        return Group.objects.all()
    beyond = Permission.objects.exclude(pk__in=held_permissions(user).values("pk"))
    return Group.objects.exclude(permissions__in=beyond)
