"""The office edits the year's notice template and the rules grouping the findings here. The notices and
their versions are read-only: they change through the notice page (services, versions, audit)."""

from django.contrib import admin

from .models import FindingRule, Notice, NoticeTemplate, NoticeVersion


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "salutation")


@admin.register(FindingRule)
class FindingRuleAdmin(admin.ModelAdmin):
    list_display = ("priority", "group", "source", "category", "keywords", "is_active")
    list_editable = ("is_active",)
    list_filter = ("group", "is_active")
    ordering = ("priority", "id")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ("period", "title", "version", "updated_at")


@admin.register(NoticeVersion)
class NoticeVersionAdmin(ReadOnly):
    list_display = ("notice", "number", "kind", "actor_name", "created_at")
