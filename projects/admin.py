from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import AssessmentYear, Indicator, Project, Unit
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
    list_display = ["code", "name", "responsible_department", "year", "display_order"]
    list_filter = ["year", "responsible_department"]
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
