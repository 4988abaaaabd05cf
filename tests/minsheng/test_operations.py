"""What the operator watches: /health/, the request id on responses and in every log line, logs on stdout."""

import io
import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from minsheng.request_id import HEADER, RequestIdFilter

# /health/ ----------------------------------------------------------------------------------------


def test_health_answers_ok_without_login_when_the_database_answers(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_with_a_chinese_message_when_the_database_is_down(client, db, caplog):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "error", "database": "unavailable", "message": "数据库无法连接。"}
    assert any("the database does not answer" in record.message for record in caplog.records)


def test_health_is_503_when_collectstatic_was_not_run(client, db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "static": "missing",
        "message": "静态文件尚未收集，请运行 manage.py collectstatic。",
    }


def test_health_only_answers_get_and_head(client, db):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


# Request id --------------------------------------------------------------------------------------


def test_the_proxys_request_id_is_returned(client, db):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="4f1c2b3a9e8d7c6b")
    assert response[HEADER] == "4f1c2b3a9e8d7c6b"


def test_a_request_id_is_generated_when_none_came_and_differs_per_request(client, db):
    first = client.get(reverse("login"))[HEADER]
    second = client.get(reverse("login"))[HEADER]
    assert len(first) == 32 and first != second


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "new\nline", "<script>"])
def test_an_unsafe_incoming_request_id_is_replaced(client, db, bad):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=bad)
    assert response[HEADER] != bad and len(response[HEADER]) == 32


@pytest.fixture
def stdout_log():
    """The configured stdout handler, writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_logging_goes_to_stdout_with_the_request_id_in_the_format(settings):
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters)]
    assert len(handlers) == 1 and type(handlers[0]) is logging.StreamHandler
    assert settings.LOGGING["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    assert "[%(request_id)s]" in handlers[0].formatter._fmt


def test_every_log_line_of_a_request_carries_its_id(client, db, stdout_log):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404-abc")  # Django logs the 404 after the middleware
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("down")):
        client.get(reverse("health"), HTTP_X_REQUEST_ID="req-health-def")  # logged inside the view
    lines = stdout_log.getvalue().splitlines()
    assert any("[req-404-abc] django.request: Not Found: /no-such-page/" in line for line in lines), lines
    assert any("[req-health-def] minsheng.health: health check" in line for line in lines), lines


def test_log_lines_outside_a_request_have_a_dash(stdout_log):
    logging.getLogger("minsheng.test").warning("outside any request")
    assert "WARNING [-] minsheng.test: outside any request" in stdout_log.getvalue()
