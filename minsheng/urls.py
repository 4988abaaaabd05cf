from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .health import health

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("notices.urls")),
    path("", include("assessment.urls")),
    path("", include("ledger.urls")),
]
