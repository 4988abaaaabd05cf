from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import AssessmentYear, Indicator, InformationReport, Progress, Project, Target, Unit
from .resources import ProjectResource, UnitResource

admin.site.site_header = "民生工程月度考评系统"
admin.site.site_title = "民生工程月度考评系统"
admin.site.index_title = "管理"


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "office_name", "region_label", "department_label", "project_max_score"]
    search_fields = ["title"]
    inlines = [IndicatorInline]


@admin.register(Unit)
class UnitAdmin(ImportExportModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "short_name", "kind", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    ordering = ["kind", "display_order", "name"]


@admin.register(Project)
class ProjectAdmin(ImportExportModelAdmin):
    resource_classes = [ProjectResource]
    list_display = ["code", "name", "project_type", "responsible_department", "year", "display_order"]
    list_filter = ["year", "project_type", "responsible_department"]
    search_fields = ["code", "name", "responsible_department__name"]
    ordering = ["year", "display_order"]
    filter_horizontal = ["excluded_regions"]
    list_select_related = ["responsible_department", "year"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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
