from django.urls import path

from minsheng.urls import urlpatterns as project_urls

from . import views

urlpatterns = [
    path("bench/empty/", views.empty, name="bench_empty"),
    path("bench/floor/<str:name>/", views.floor, name="bench_floor"),
    *project_urls,
]
