from django.urls import path

from . import views_tables as views

urlpatterns = [
    path("", views.home, name="home"),
    path("periods/<int:year>/<int:month>/tables/", views.period_tables, name="period_tables"),
    path("periods/<int:year>/<int:month>/attachment-1/", views.attachment1, name="attachment1"),
    path("periods/<int:year>/<int:month>/attachment-2/", views.attachment2, name="attachment2"),
    path("periods/<int:year>/<int:month>/attachment-3/", views.attachment3, name="attachment3"),
    path("periods/<int:year>/<int:month>/workbook/", views.period_workbook, name="period_workbook"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
]
