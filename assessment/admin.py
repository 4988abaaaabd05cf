"""Admin for the assessment models.

Official numbers change only through the services (permission check, audit row, recomputed results),
so the admin shows scores and results read-only, writes 加扣分 items through the services, and
never lets anyone — superusers included — add, change or delete an audit entry.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import (
    Adjustment,
    AuditEntry,
    IndicatorScore,
    MonthOverride,
    Period,
    ProjectScore,
    UnitResult,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never writable through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """Months are created here or on the entry pages; the status changes only on the period page (audited)."""

    list_display = ["__str__", "status", "published_at", "results_updated_at"]
    list_filter = ["year", "status"]
    list_select_related = ["year"]
    readonly_fields = ["status", "published_at", "results_updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["year", "month", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = services.get_or_create_period(year=obj.year.year, month=obj.month, user=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return
        obj.pk = created.pk


@admin.register(ProjectScore)
class ProjectScoreAdmin(ReadOnlyAdmin):
    list_display = ["period", "region", "project", "score", "not_applicable", "reason", "version", "updated_by"]
    list_filter = ["period", "region", "project__responsible_department"]
    search_fields = ["project__code", "project__name", "region__name", "reason"]
    list_select_related = ["period__year", "region", "project", "updated_by"]


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ReadOnlyAdmin):
    list_display = ["period", "department", "indicator", "score", "reason", "version", "updated_by"]
    list_filter = ["period", "indicator__name"]
    search_fields = ["department__name", "reason"]
    list_select_related = ["period__year", "department", "indicator", "updated_by"]


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    """加扣分 items written through the services, so each change is checked and audited."""

    list_display = ["period", "unit", "points", "category", "reason", "updated_by", "updated_at"]
    list_filter = ["period", "category", "unit__kind"]
    search_fields = ["unit__name", "reason"]
    list_select_related = ["period__year", "unit", "updated_by"]
    fields = ["period", "unit", "points", "category", "reason"]
    actions = None  # no bulk delete: it would bypass the audit

    def get_readonly_fields(self, request, obj=None):
        return ["period", "unit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.update_adjustment(
                user=request.user,
                adjustment=obj,
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
            )
        else:
            created = services.add_adjustment(
                user=request.user,
                period=data["period"],
                unit=data["unit"],
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.delete_adjustment(user=request.user, adjustment=obj, reason="后台删除")


@admin.register(MonthOverride)
class MonthOverrideAdmin(ReadOnlyAdmin):
    list_display = ["period", "unit", "kind", "score", "reason"]
    list_filter = ["period", "kind"]
    list_select_related = ["period__year", "unit"]


@admin.register(UnitResult)
class UnitResultAdmin(ReadOnlyAdmin):
    list_display = ["period", "unit", "score", "rank", "ytd_score", "ytd_rank", "imputed", "missing"]
    list_filter = ["period", "unit__kind"]
    list_select_related = ["period__year", "unit"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "period", "action", "target_text", "old_value", "new_value"]
    list_filter = ["period", "action"]
    search_fields = ["username", "actor_name", "reason", "old_value", "new_value", "unit__name"]
    list_select_related = ["period__year", "unit", "project", "indicator"]
    date_hierarchy = "created_at"
    actions = None
