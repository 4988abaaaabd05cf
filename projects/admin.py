"""Admin for the reference data. Every change is checked against published history and audited
(`assessment.reference_history`): a change that would rewrite a published month is a form error, and
each save, deletion or import writes a `reference.*` audit entry with who, old, new and 修改原因."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from import_export.admin import ImportExportModelAdmin

from assessment import rules
from assessment.reference_history import FROZEN, current_change, problem, reference_change

from .models import AssessmentYear, Indicator, InformationReport, Progress, Project, Target, Unit
from .resources import ProjectResource, UnitResource

admin.site.site_header = "民生工程月度考评系统"
admin.site.site_title = "民生工程月度考评系统"
admin.site.index_title = "管理"


class ReferenceGuardForm(forms.ModelForm):
    """Refuses, as a form error, a change that would rewrite a published month's 附件1–3."""

    def clean(self):
        data = super().clean()
        model = self._meta.model
        instance = self.instance
        if instance.pk is None:
            candidate = model(**{name: value for name, value in data.items() if name in FROZEN.get(model, ())})
            message = problem(model, candidate, created=True)
        else:
            message = problem(
                model,
                instance,
                changed=[name for name in self.changed_data if name in FROZEN.get(model, ())],
                excluded_regions="excluded_regions" in self.changed_data,
            )
            if message is None and "year" in self.changed_data and data.get("year") is not None:
                moved = model(**{name: data.get(name) for name in FROZEN[model] if name in data})
                message = problem(model, moved, created=True)
        if message:
            raise forms.ValidationError(message)
        return data


class ReferenceForm(ReferenceGuardForm):
    change_reason = forms.CharField(
        label="修改原因",
        max_length=rules.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="记入变更记录（谁、何时、原值、新值、原因）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["change_reason"].required = False

    def clean_change_reason(self):
        reason = (self.cleaned_data.get("change_reason") or "").strip()
        text_problem = rules.text_problem(reason)
        if text_problem:
            raise forms.ValidationError(text_problem)
        return reason

    def clean(self):
        data = super().clean()
        change = current_change()
        if change is not None:
            change.reason = data.get("change_reason") or ("新增" if self.instance.pk is None else "")
        return data


class ReferenceAdmin(admin.ModelAdmin):
    """Every write view runs inside `reference_change` (the audit's who and why); a refusal raised while
    saving (the last line of the guard) is shown as a message, and nothing is written."""

    form = ReferenceForm

    def _guarded(self, request, view, reason: str):
        with reference_change(user=request.user, reason=reason):
            try:
                return view()
            except ValidationError as error:
                messages.error(request, "没有保存：" + "；".join(error.messages))
                return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        return self._guarded(request, lambda: view(request, object_id, form_url, extra_context), "")

    def delete_view(self, request, object_id, extra_context=None):
        view = super().delete_view
        return self._guarded(request, lambda: view(request, object_id, extra_context), "后台删除")

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        return self._guarded(request, lambda: view(request, extra_context), "在列表中修改")


class ReferenceImportAdmin(ReferenceAdmin, ImportExportModelAdmin):
    """Units and projects: also imported from xlsx/csv, under the same guard and audit."""

    def import_action(self, request, *args, **kwargs):
        view = super().import_action
        return self._guarded(request, lambda: view(request, *args, **kwargs), "从文件导入")

    def process_import(self, request, *args, **kwargs):
        view = super().process_import
        return self._guarded(request, lambda: view(request, *args, **kwargs), "从文件导入")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = ReferenceGuardForm
    extra = 0


@admin.register(AssessmentYear)
class AssessmentYearAdmin(ReferenceAdmin):
    list_display = ["year", "title", "office_name", "region_label", "department_label", "project_max_score"]
    search_fields = ["title"]
    inlines = [IndicatorInline]


@admin.register(Unit)
class UnitAdmin(ReferenceImportAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "short_name", "kind", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    ordering = ["kind", "display_order", "name"]


@admin.register(Project)
class ProjectAdmin(ReferenceImportAdmin):
    resource_classes = [ProjectResource]
    list_display = ["code", "name", "project_type", "responsible_department", "year", "display_order"]
    list_filter = ["year", "project_type", "responsible_department"]
    search_fields = ["code", "name", "responsible_department__name"]
    ordering = ["year", "display_order"]
    filter_horizontal = ["excluded_regions"]
    list_select_related = ["responsible_department", "year"]


@admin.register(Indicator)
class IndicatorAdmin(ReferenceAdmin):
    list_display = ["name", "year", "max_score", "display_order"]
    list_filter = ["year"]
    search_fields = ["name"]
    ordering = ["year", "display_order"]


class ImplementationDataAdmin(admin.ModelAdmin):
    """Targets, progress and information counts are written through the services (checked and audited:
    the entry pages and the import commands); the admin shows them read-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(ImplementationDataAdmin):
    list_display = ["project", "unit", "quantity", "measure", "budget", "due_month"]
    list_filter = ["project__year", "project__project_type", "unit"]
    search_fields = ["project__code", "project__name", "unit__name"]
    list_select_related = ["project", "unit"]


@admin.register(Progress)
class ProgressAdmin(ImplementationDataAdmin):
    list_display = ["target", "month", "completed", "paid", "beneficiaries", "note", "confirmed"]
    list_filter = ["target__project__year", "month", "target__unit"]
    search_fields = ["target__project__code", "target__project__name", "target__unit__name", "note"]
    list_select_related = ["target__project", "target__unit"]


@admin.register(InformationReport)
class InformationReportAdmin(ImplementationDataAdmin):
    list_display = ["unit", "year", "month", "reported", "city_adopted", "province_adopted"]
    list_filter = ["year", "month", "unit"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "year"]
