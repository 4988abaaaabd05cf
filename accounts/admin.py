"""Users with their unit and roles, managed by the office admin in the Django admin."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

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
        return super().get_queryset(request).prefetch_related("groups")
