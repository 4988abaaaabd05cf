from django.urls import path

from . import views

NOTICE = "periods/<int:year>/<int:month>/notice/"

urlpatterns = [
    path(NOTICE, views.notice_detail, name="notice"),
    path(NOTICE + "generate/", views.notice_generate, name="notice_generate"),
    path(NOTICE + "edit/", views.notice_edit, name="notice_edit"),
    path(NOTICE + "versions/<int:number>/", views.notice_version, name="notice_version"),
    path(NOTICE + "notice.docx", views.notice_docx, name="notice_docx"),
]
