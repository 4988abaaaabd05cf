"""Admin for the assessment models.

Official numbers change only through the services (permission check, audit row, recomputed results),
so the admin shows scores and results read-only, writes 加扣分 items through the services, and
never lets anyone — superusers included — add, change or delete an audit entry.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from . import services
from .models import (
    Adjustment,
    AdjustmentRule,
    AuditEntry,
    IndicatorScore,
    MonthOverride,
    Period,
    ProjectScore,
    Proposal,
    ProposalRule,
    UnitResult,
)
from .services import ensure_writable
from .services.adjustments import check_item


def _writable(period) -> bool:
    try:
        ensure_writable(period)
    except ValidationError:
        return False
    return True


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


class AdjustmentAdminForm(forms.ModelForm):
    """The year's rules shown as form errors (the services check them again when saving). The admin has
    no confirmation step: an office admin editing here saves an unusual but allowed value as typed."""

    class Meta:
        model = Adjustment
        fields = ["period", "unit", "points", "category", "reason"]

    def clean(self):
        data = super().clean()
        item = self.instance
        for name in ("period", "unit", "points", "category"):
            if data.get(name) is not None:
                setattr(item, name, data[name])
        if item.period_id:
            try:
                ensure_writable(item.period)  # a published month (or one before it) takes no item
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        if item.period_id and item.unit_id and item.points is not None:
            try:
                check_item(item, confirmed=True)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return data


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    """加扣分 items written through the services, so each change is checked and audited."""

    form = AdjustmentAdminForm

    list_display = ["period", "unit", "points", "category", "reason", "updated_by", "updated_at"]
    list_filter = ["period", "category", "unit__kind"]
    search_fields = ["unit__name", "reason"]
    list_select_related = ["period__year", "unit", "updated_by"]
    fields = ["period", "unit", "points", "category", "reason"]
    actions = None  # no bulk delete: it would bypass the audit

    def get_readonly_fields(self, request, obj=None):
        return ["period", "unit"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        """An item of a month that takes no write (published, or before a published month) is view only."""
        return super().has_change_permission(request, obj) and (obj is None or _writable(obj.period))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _writable(obj.period))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The month checked by the form can be published before the service saves: then the service's
        refusal is shown as a message on the same form (nothing was written), not as a 500."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            messages.error(request, "没有保存：" + "；".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            messages.error(request, "没有删除：" + "；".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.update_adjustment(
                user=request.user,
                adjustment=obj,
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
                confirmed=True,
            )
        else:
            created = services.add_adjustment(
                user=request.user,
                period=data["period"],
                unit=data["unit"],
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
                confirmed=True,
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.delete_adjustment(user=request.user, adjustment=obj, reason="后台删除")


@admin.register(AdjustmentRule)
class AdjustmentRuleAdmin(admin.ModelAdmin):
    """A year's rules for 加扣分 items (see assessment.limits): the services check every item against them."""

    list_display = ["year", "category", "minimum", "maximum", "allowed_values", "usual_values", "per_month"]
    list_filter = ["year", "category"]
    list_select_related = ["year"]


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


@admin.register(ProposalRule)
class ProposalRuleAdmin(admin.ModelAdmin):
    """The year's rules that propose 加扣分 items (they never enter a score until the office accepts one)."""

    list_display = ["year", "source", "points", "cap", "category", "reason", "is_active", "display_order"]
    list_editable = ["is_active", "display_order"]
    list_filter = ["year", "source", "category", "is_active"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    """Proposals are accepted or rejected on the review page (through the services, audited)."""

    list_display = ["period", "unit", "points", "reason", "category", "status", "decided_by", "decided_at"]
    list_filter = ["period__year", "status", "category"]
    list_select_related = ["period__year", "unit", "decided_by"]
