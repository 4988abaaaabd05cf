from django.urls import path

from . import views_entry as views

PERIOD = "entry/<int:year>/<int:month>/"

urlpatterns = [
    path("entry/", views.period_list, name="entry_periods"),
    path("entry/new/", views.period_create, name="entry_period_create"),
    path(PERIOD, views.period_detail, name="entry_period"),
    path(PERIOD + "status/", views.period_status, name="entry_period_status"),
    path(PERIOD + "grid/", views.project_grid, name="entry_grid"),
    path(PERIOD + "grid/save/", views.project_grid_save, name="entry_grid_save"),
    path(PERIOD + "grid/<int:region_id>/<int:project_id>/history/", views.cell_history, name="entry_cell_history"),
    path(PERIOD + "grid/template.xlsx", views.template_download, name="entry_template"),
    path(PERIOD + "upload/", views.upload, name="entry_upload"),
    path(PERIOD + "upload/confirm/", views.upload_confirm, name="entry_upload_confirm"),
    path(PERIOD + "departments/", views.indicator_grid, name="entry_indicators"),
    path(PERIOD + "adjustments/", views.adjustment_list, name="entry_adjustments"),
    path(PERIOD + "adjustments/new/", views.adjustment_add, name="entry_adjustment_add"),
    path(PERIOD + "adjustments/<int:pk>/", views.adjustment_edit, name="entry_adjustment_edit"),
    path(PERIOD + "adjustments/<int:pk>/delete/", views.adjustment_delete, name="entry_adjustment_delete"),
    path(PERIOD + "changes/", views.audit_log, name="entry_audit_log"),
]
