from django.urls import path

from . import views

urlpatterns = [
    path("ledger/", views.ledger_list, name="ledger"),
    path("ledger/export.xlsx", views.ledger_export, name="ledger_export"),
    path("ledger/units/<int:unit_id>/", views.ledger_unit, name="ledger_unit"),
    path("ledger/findings/<int:pk>/", views.finding_detail, name="ledger_finding"),
    path("ledger/findings/<int:pk>/report/", views.finding_report, name="ledger_finding_report"),
    path("ledger/findings/<int:pk>/decide/", views.finding_decide, name="ledger_finding_decide"),
    path("ledger/evidence/<int:pk>/", views.evidence_download, name="ledger_evidence"),
    path("ledger/<int:year>/<int:month>/slips/", views.month_slips, name="ledger_slips"),
    path("ledger/slips/<int:pk>/", views.slip_detail, name="ledger_slip"),
    path("ledger/slips/<int:pk>/export.<slug:fmt>", views.slip_export, name="ledger_slip_export"),
]
