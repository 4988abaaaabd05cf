"""Issue 10, crashes: the grid's save request takes strict JSON types and bounded sizes, and its reply is
proportional to what changed. Each case was a 500, a coercion or a memory blow-up on an earlier main."""

import json

import pytest
from django.urls import reverse

from assessment import rules, services
from assessment.interchange import grid_changes
from assessment.models import AuditEntry, ProjectScore
from projects.models import Project, Unit


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def save_url(period):
    return reverse("entry_grid_save", args=[period.year.year, period.month])


def change(region="义安区", code="4", value="1.5", reason="", version=0):
    return {
        "region": Unit.objects.get(name=region).pk,
        "project": Project.objects.get(code=code).pk,
        "value": value,
        "reason": reason,
        "version": version,
    }


def post(client, period, body):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(save_url(period), data, "application/json")


def test_a_stale_change_of_a_cell_with_a_long_reason_gets_a_reply_proportional_to_the_request(
    client, period, office_staff, department_user
):
    client.force_login(office_staff)
    long_reason = "原" * rules.REASON_MAX_LENGTH
    assert post(client, period, {"changes": [change(value="1.2", reason=long_reason)]}).status_code == 200
    client.force_login(department_user)
    # the same stale change repeated: refused as a whole, the reply does not repeat the reason
    response = post(client, period, {"changes": [change(value="1.4", reason="x")] * 2000})
    assert response.status_code == 400 and len(response.content) < 1000
    assert "出现了多次" in response.json()["errors"][0]["message"]
    # one stale change per cell: one conflict, the reason once
    response = post(client, period, {"changes": [change(value="1.4", reason="x")]})
    assert response.status_code == 200 and len(response.json()["conflicts"]) == 1
    assert len(response.content) < len(long_reason.encode()) * 2 + 1000


def test_more_changes_than_a_request_may_carry_are_refused_before_anything_is_read(client, period, office_staff):
    client.force_login(office_staff)
    body = {
        "changes": [
            {"region": 1, "project": i, "value": "1", "version": 0} for i in range(grid_changes.MAX_CHANGES + 1)
        ]
    }
    response = post(client, period, body)
    assert response.status_code == 400 and "一次最多保存" in response.json()["errors"][0]["message"]


def test_a_reason_longer_than_the_limit_is_refused(client, period, office_staff):
    client.force_login(office_staff)
    response = post(client, period, {"changes": [change(value="1.2", reason="长" * (rules.REASON_MAX_LENGTH + 1))]})
    assert response.status_code == 400 and "原因最多 500 个字" in response.json()["errors"][0]["message"]
    assert not ProjectScore.objects.exists()


WRONG_TYPES = {
    "value as the number 0": lambda c: {**c, "value": 0},
    "value as a float": lambda c: {**c, "value": 1.5},
    "value as a list": lambda c: {**c, "value": ["1"]},
    "region as 3.7": lambda c: {**c, "region": 3.7},
    "region as a string": lambda c: {**c, "region": str(c["region"])},
    "region as true": lambda c: {**c, "region": True},
    "region negative": lambda c: {**c, "region": -1},
    "region huge": lambda c: {**c, "region": 10**30},
    "project as null": lambda c: {**c, "project": None},
    "version as 1.0": lambda c: {**c, "version": 1.0},
    "version as a string": lambda c: {**c, "version": "1"},
    "reason as an object": lambda c: {**c, "reason": {"a": 1}},
    "reason as a number": lambda c: {**c, "reason": 5},
    "change as a list": lambda c: [c],
    "change as a string": lambda c: "x",
}


@pytest.mark.parametrize("mutate", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_wrong_json_types_are_a_400_with_a_chinese_message_and_never_coerced(client, period, office_staff, mutate):
    client.force_login(office_staff)
    assert post(client, period, {"changes": [change(value="1.2", reason="原因")]}).status_code == 200
    saved = ProjectScore.objects.get()
    audit_rows = AuditEntry.objects.count()
    response = post(client, period, {"changes": [mutate(change(value="1.4", reason="新", version=saved.version))]})
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "请求格式错误" in message
    saved.refresh_from_db()
    assert str(saved.score) == "1.200" and AuditEntry.objects.count() == audit_rows


RAW_BODIES = {
    "Infinity": b'{"changes": [{"region": Infinity, "project": 1, "value": "1", "version": 0}]}',
    "NaN": b'{"changes": [{"region": 1, "project": 1, "value": "1", "version": NaN}]}',
    "1e400": b'{"changes": [{"region": 1, "project": 1, "value": "1", "version": 1e400}]}',
    "-1e400": b'{"changes": [{"region": -1e400, "project": 1, "value": "1", "version": 0}]}',
    "deep nesting": b"[" * 100_000,
    "deep nesting of objects": b'{"changes": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    "not UTF-8": b'{"changes": "\xff\xfe"}',
    "a bare list": b"[]",
    "a number": b"1e999999",
    "empty": b"",
    "changes as an object": b'{"changes": {"a": 1}}',
    "a NUL in the reason": b'{"changes": [{"region": 1, "project": 1, "value": "1", "reason": "a\\u0000b"}]}',
}


@pytest.mark.parametrize("body", RAW_BODIES.values(), ids=RAW_BODIES.keys())
def test_malformed_bodies_are_a_400_never_a_500(client, period, office_staff, body):
    client.force_login(office_staff)
    response = post(client, period, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    assert not ProjectScore.objects.exists()


@pytest.mark.parametrize("text", ["a\x00b", "a\x01b", "a\x1bb", "a\x7fb"])
def test_control_characters_in_a_value_or_a_reason_are_refused(client, period, office_staff, text):
    client.force_login(office_staff)
    for cell in (change(value="1.2", reason=text), change(value=text, reason="原因")):
        response = post(client, period, {"changes": [cell]})
        assert response.status_code == 400, cell
        assert response.json()["errors"]
    assert not ProjectScore.objects.exists()
