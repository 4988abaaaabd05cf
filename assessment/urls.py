from django.urls import path

from .views import adjustments, audit, dashboard, departments, grid, periods, site, tables, units, upload

PERIOD = "entry/<int:year>/<int:month>/"
TABLES = "periods/<int:year>/<int:month>/"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("session/", site.session_state, name="session_state"),
    path("favicon.ico", site.favicon, name="favicon"),
    path(TABLES + "tables/", tables.period_tables, name="period_tables"),
    path(TABLES + "attachment-1/", tables.attachment, {"identifier": "attachment-1"}, name="attachment1"),
    path(TABLES + "attachment-2/", tables.attachment, {"identifier": "attachment-2"}, name="attachment2"),
    path(TABLES + "attachment-3/", tables.attachment, {"identifier": "attachment-3"}, name="attachment3"),
    path(TABLES + "workbook/", tables.export, {"identifier": "month", "fmt": "xlsx"}, name="period_workbook"),
    path(TABLES + "export/<slug:identifier>.<slug:fmt>", tables.export, name="period_export"),
    path("units/<int:unit_id>/", units.unit_detail, name="unit_detail"),
    path("entry/", periods.period_list, name="entry_periods"),
    path("entry/new/", periods.period_create, name="entry_period_create"),
    path(PERIOD, periods.period_detail, name="entry_period"),
    path(PERIOD + "status/", periods.period_status, name="entry_period_status"),
    path(PERIOD + "notice-date/", periods.period_notice_date, name="entry_period_notice_date"),
    path(PERIOD + "grid/", grid.project_grid, name="entry_grid"),
    path(PERIOD + "grid/save/", grid.project_grid_save, name="entry_grid_save"),
    path(PERIOD + "grid/<int:region_id>/<int:project_id>/history/", grid.cell_history, name="entry_cell_history"),
    path(PERIOD + "grid/template.xlsx", grid.template_download, name="entry_template"),
    path(PERIOD + "upload/", upload.upload, name="entry_upload"),
    path(PERIOD + "upload/confirm/", upload.upload_confirm, name="entry_upload_confirm"),
    path(PERIOD + "departments/", departments.indicator_grid_page, name="entry_indicators"),
    path(PERIOD + "adjustments/", adjustments.adjustment_list, name="entry_adjustments"),
    path(PERIOD + "adjustments/new/", adjustments.adjustment_add, name="entry_adjustment_add"),
    path(PERIOD + "adjustments/<int:pk>/", adjustments.adjustment_edit, name="entry_adjustment_edit"),
    path(PERIOD + "adjustments/<int:pk>/delete/", adjustments.adjustment_delete, name="entry_adjustment_delete"),
    path(PERIOD + "changes/", audit.audit_log, name="entry_audit_log"),
]
