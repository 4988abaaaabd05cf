"""The ledger in the admin: the slip numbering per year is edited here; findings, slips and files are read-only
(they change only through the ledger's pages and services, which audit)."""

from django.contrib import admin

from assessment.admin import ReadOnlyAdmin

from .models import Evidence, Finding, ReminderSlip, SlipSeries


@admin.register(SlipSeries)
class SlipSeriesAdmin(admin.ModelAdmin):
    list_display = ("year", "prefix", "default_days")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("period", "unit", "source", "points", "reason", "status", "deadline", "repeated", "withdrawn")
    list_filter = ("status", "source", "repeated", "withdrawn", "period__year")
    search_fields = ("reason", "unit__name")


@admin.register(ReminderSlip)
class ReminderSlipAdmin(ReadOnlyAdmin):
    list_display = ("code", "unit", "period", "deadline", "issued_at")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "finding", "kind", "size", "uploaded_at")
