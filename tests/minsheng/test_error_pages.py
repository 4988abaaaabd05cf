"""Chinese 400/403/404/500 pages in the site's layout; the 500 page needs no database; the DEBUG page
never shows DATABASE_URL's password."""

import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.views.debug import technical_500_response

from assessment import access, services

LAYOUT = "民生工程月度考评"  # the navbar brand of base.html


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def grid_url(period):
    return reverse("entry_grid", args=[period.year.year, period.month])


def test_403_tells_the_user_why_in_the_words_of_the_code(client, region_user, period):
    client.force_login(region_user)
    response = client.get(grid_url(period))
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限（403）" in page and "您的角色不能录入得分。" in page
    assert LAYOUT in page and "退出登录" in page  # the site's layout, signed in
    assert "403 Forbidden" not in page


def test_403_of_a_user_without_a_role_gives_that_reason(client, outsider, period):
    client.force_login(outsider)
    page = client.get(grid_url(period)).content.decode()
    assert "您的角色不能录入得分。" in page or "您还没有分配角色，请联系民生办。" in page


def test_404_of_an_unknown_page_is_chinese(client, office_staff):
    client.force_login(office_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在（404）" in page and "没有找到您要访问的页面。" in page and "/no-such-page/" in page
    assert LAYOUT in page and "Resolver404" not in page and "Not Found" not in page


def test_404_of_a_missing_month_gives_the_services_words(client, office_staff, reference_data):
    client.force_login(office_staff)
    response = client.get(reverse("entry_period", args=[2020, 12]))
    assert response.status_code == 404
    assert access.NO_PERIOD in response.content.decode()


def test_a_failed_csrf_check_is_a_chinese_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期，请重新提交" in page and LAYOUT in page and "CSRF verification failed" not in page


def test_400_is_chinese(client, db, settings):
    settings.ALLOWED_HOSTS = ["minsheng.example.gov.cn"]
    response = client.get(reverse("login"), HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "请求无效（400）" in response.content.decode()


def test_the_500_page_renders_without_touching_the_database():
    page = render_to_string("500.html")  # no db fixture: any query would raise here
    assert "服务器暂时无法处理您的请求（500）" in page and LAYOUT in page and "退出登录" not in page


def test_a_database_outage_shows_the_chinese_500_page(office_staff):
    client = Client(raise_request_exception=False)
    client.force_login(office_staff)  # the session lives in the database, which is now down
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("could not connect")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器暂时无法处理您的请求（500）" in page and "数据库暂时无法连接" in page
    assert "Server Error (500)" not in page


# The DEBUG page ----------------------------------------------------------------------------------

DATABASE_PASSWORD = "Pa55-w0rd-7q2x"
DATABASE_URL = f"postgres://minsheng:{DATABASE_PASSWORD}@db.internal:5432/minsheng"


def debug_page(rf, monkeypatch, settings) -> str:
    settings.DEBUG = True
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    # The development server copies the whole environment into request.META.
    request = rf.get("/entry/", DATABASE_URL=DATABASE_URL, PGPASSWORD=DATABASE_PASSWORD)
    try:
        url = DATABASE_URL  # noqa: F841 - a local variable holding the URL, as in a settings traceback
        conn_params = {"host": "db.internal", "password": DATABASE_PASSWORD}  # noqa: F841 - as psycopg2's
        raise OperationalError("could not connect to server")
    except OperationalError:
        return technical_500_response(request, *sys.exc_info()).content.decode()


def test_the_debug_page_never_shows_the_database_password(rf, monkeypatch, settings):
    page = debug_page(rf, monkeypatch, settings)
    assert "could not connect to server" in page and "DATABASE_URL" in page  # it is the debug page
    assert DATABASE_PASSWORD not in page
    meta_row = page.split("<td>DATABASE_URL</td>", 1)[1].split("</tr>", 1)[0]
    assert "********************" in meta_row and "db.internal" not in meta_row  # the whole URL is hidden


def test_the_debug_page_still_shows_harmless_request_data(rf, monkeypatch, settings):
    page = debug_page(rf, monkeypatch, settings)
    assert "/entry/" in page and "REQUEST_METHOD" in page
