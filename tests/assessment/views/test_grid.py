"""The region score grid page and its JSON save endpoint."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertNotContains

from assessment import services
from assessment.models import AuditEntry, PeriodStatus, ProjectScore
from projects.models import Project, Unit, UnitKind


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def grid_url(period, name="entry_grid"):
    return reverse(name, args=[period.year.year, period.month])


def cell(region="义安区", code="4", value="1.5", reason="", version=0):
    return {
        "region": Unit.objects.get(name=region).pk,
        "project": Project.objects.get(code=code).pk,
        "value": value,
        "reason": reason,
        "version": version,
    }


def save(client, period, *changes):
    return client.post(grid_url(period, "entry_grid_save"), json.dumps({"changes": list(changes)}), "application/json")


def test_office_grid_shows_every_project_and_region_with_editable_cells(client, period, office_staff):
    client.force_login(office_staff)
    response = client.get(grid_url(period))
    assert response.status_code == 200
    grid = response.context["grid"]
    assert len(grid.rows) == 43 and len(grid.regions) == 5
    assert grid.editable_count == 43 * 5
    assert 'id="grid-save"' in response.content.decode()


def test_department_user_sees_only_its_own_projects(client, period, department_user):
    client.force_login(department_user)
    grid = client.get(grid_url(period)).context["grid"]
    assert [row.project.code for row in grid.rows] == ["4"]
    assert all(cell.editable for cell in grid.rows[0].cells)


def test_department_user_grid_is_read_only_in_a_closed_period(client, period, department_user):
    period.status = PeriodStatus.CLOSED
    period.save()
    client.force_login(department_user)
    response = client.get(grid_url(period))
    assert response.context["grid"].editable_count == 0
    assert "审核中" in response.content.decode() and 'id="grid-save"' not in response.content.decode()


def test_excluded_region_prints_a_dash_and_is_not_editable(client, period, office_staff):
    project = Project.objects.get(code="4")
    project.excluded_regions.add(Unit.objects.get(name="经开区"))
    client.force_login(office_staff)
    grid = client.get(grid_url(period)).context["grid"]
    row = next(row for row in grid.rows if row.project == project)
    excluded = next(cell for cell in row.cells if cell.region.name == "经开区")
    assert excluded.excluded and not excluded.editable


def test_grid_page_takes_a_fixed_number_of_queries(client, period, office_staff, django_assert_max_num_queries):
    client.force_login(office_staff)
    client.get(grid_url(period))  # warm the session and the role cache path
    with django_assert_max_num_queries(13) as small:
        client.get(grid_url(period))
    department = Unit.objects.get(name="市交通局")
    for number in range(5):
        Unit.objects.create(name=f"新区{number}", short_name=f"新{number}", kind=UnitKind.REGION, display_order=90)
        Project.objects.create(year=period.year, code=f"9{number}", name="新项目", responsible_department=department)
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[
            services.ProjectScoreInput(Unit.objects.get(name="新区1"), Project.objects.get(code="91"), Decimal("1.5"))
        ],
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(grid_url(period))
    assert len(response.context["grid"].regions) == 10 and len(response.context["grid"].rows) == 48


def test_save_writes_scores_with_versions_and_audit(client, period, department_user):
    client.force_login(department_user)
    response = save(client, period, cell(value="1.5"), cell(region="铜官区", value="1.2", reason="进度滞后"))
    assert response.status_code == 200
    data = response.json()
    assert {item["value"] for item in data["saved"]} == {"1.500", "1.200"}
    assert data["conflicts"] == [] and data["errors"] == []
    score = ProjectScore.objects.get(period=period, region__name="铜官区")
    assert (score.score, score.reason, score.version, score.updated_by) == (
        Decimal("1.200"),
        "进度滞后",
        1,
        department_user,
    )
    entry = AuditEntry.objects.get(unit__name="铜官区", project__code="4")
    assert (entry.username, entry.old_value, entry.new_value, entry.reason) == (
        "jiaotong-user",
        "",
        "1.200",
        "进度滞后",
    )


def test_dash_saves_not_applicable(client, period, office_staff):
    client.force_login(office_staff)
    response = save(client, period, cell(value="—"))
    assert response.json()["saved"][0]["value"] == "—"
    assert ProjectScore.objects.get(period=period).not_applicable


@pytest.mark.parametrize(
    ("value", "reason", "message"),
    [
        ("1.6", "", "0 到 1.5"),
        ("-0.1", "x", "0 到 1.5"),
        ("1.2345", "x", "3 位小数"),
        ("abc", "", "不是有效的数字"),
        ("1.2", "", "扣分原因"),
    ],
)
def test_server_refuses_invalid_cells_and_saves_nothing(client, period, office_staff, value, reason, message):
    client.force_login(office_staff)
    response = save(client, period, cell(region="铜官区", value="1.5"), cell(value=value, reason=reason))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 1 and message in errors[0]["message"] and "义安区 · 4" in errors[0]["message"]
    assert not ProjectScore.objects.exists() and not AuditEntry.objects.filter(action__startswith="score.").exists()


def test_emptying_a_saved_cell_clears_it_and_audits_the_deletion(client, period, department_user):
    client.force_login(department_user)
    save(client, period, cell(value="1.2", reason="进度滞后"), cell(region="铜官区", value="1.5"))
    response = save(client, period, cell(value="", reason="重复录入", version=1))
    assert response.status_code == 200
    data = response.json()
    assert data["conflicts"] == [] and data["errors"] == []
    assert [(item["key"], item["value"], item["version"]) for item in data["saved"]] == [
        (f"{cell()['region']}-{cell()['project']}", "", 0)
    ]
    assert list(ProjectScore.objects.filter(period=period).values_list("region__name", flat=True)) == ["铜官区"]
    entry = AuditEntry.objects.get(action="score.deleted")
    assert (entry.subject, entry.unit.name, entry.project.code) == ("score", "义安区", "4")
    assert (entry.username, entry.old_value, entry.new_value, entry.reason) == (
        "jiaotong-user",
        "1.200",
        "",
        "重复录入",
    )


def test_emptying_a_cell_needs_no_reason_and_an_empty_cell_stays_a_no_op(client, period, office_staff):
    client.force_login(office_staff)
    save(client, period, cell(value="—"))
    data = save(client, period, cell(value="", version=1), cell(region="铜官区", value="", version=0)).json()
    assert [item["value"] for item in data["saved"]] == [""] and data["errors"] == []
    assert not ProjectScore.objects.exists()
    log = (
        AuditEntry.objects.filter(action__startswith="score.")
        .order_by("id")
        .values_list("action", "old_value", "reason")
    )
    assert list(log) == [("score.created", "", ""), ("score.deleted", "—", "")]


def test_emptying_a_cell_someone_else_changed_meanwhile_is_a_conflict(client, period, office_staff, department_user):
    client.force_login(department_user)
    save(client, period, cell(value="1.5"))  # version 1, as both users load it
    region, project = Unit.objects.get(name="义安区"), Project.objects.get(code="4")
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[services.ProjectScoreInput(region, project, Decimal("1.3"), reason="民生办核减", expected_version=1)],
    )
    data = save(client, period, cell(value="", version=1)).json()
    assert data["saved"] == []
    [conflict] = data["conflicts"]
    assert (conflict["mine"], conflict["theirs"], conflict["theirs_by"], conflict["theirs_version"]) == (
        "",
        "1.300",
        "office-staff",
        2,
    )
    assert ProjectScore.objects.get(period=period).score == Decimal("1.300")
    assert not AuditEntry.objects.filter(action__endswith=".deleted").exists()


def test_department_user_cannot_clear_another_departments_cell(client, period, office_staff, department_user):
    client.force_login(office_staff)
    save(client, period, cell(code="1"))
    client.force_login(department_user)
    assert save(client, period, cell(code="1", value="", version=1)).status_code == 403
    assert ProjectScore.objects.filter(period=period, project__code="1").exists()
    assert not AuditEntry.objects.filter(action__endswith=".deleted").exists()


def test_department_user_cannot_save_another_departments_cell(client, period, department_user):
    client.force_login(department_user)
    response = save(client, period, cell(code="4"), cell(code="1"))
    assert response.status_code == 403
    assert not ProjectScore.objects.exists()


def test_department_user_cannot_save_in_a_closed_period(client, period, department_user):
    period.status = PeriodStatus.CLOSED
    period.save()
    client.force_login(department_user)
    assert save(client, period, cell()).status_code == 403
    assert not ProjectScore.objects.exists()


def test_office_cannot_save_in_a_published_period(client, period, office_admin):
    period.status = PeriodStatus.PUBLISHED
    period.save()
    client.force_login(office_admin)
    response = save(client, period, cell())
    assert response.status_code in (400, 403)
    assert not ProjectScore.objects.exists()


@pytest.mark.parametrize("persona", ["region_user", "viewer", "outsider"])
def test_roles_that_enter_nothing_get_403_on_save(client, period, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = save(client, period, cell())
    assert response.status_code == 403 and not ProjectScore.objects.exists()
    assert response.json()["errors"][0]["message"] in ("您的角色不能录入得分。", "您还没有分配角色，请联系民生办。")


def test_concurrent_edit_is_refused_for_that_cell_and_reports_both_values(
    client, period, office_staff, department_user
):
    client.force_login(department_user)
    save(client, period, cell(value="1.5"))  # version 1, as both users load it
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[
            services.ProjectScoreInput(
                Unit.objects.get(name="义安区"),
                Project.objects.get(code="4"),
                Decimal("1.3"),
                reason="民生办核减",
                expected_version=1,
            )
        ],
    )
    response = save(client, period, cell(value="1.4", reason="我的原因", version=1), cell(region="铜官区", value="1.5"))
    data = response.json()
    assert [item["key"] for item in data["saved"]] == [f"{cell(region='铜官区')['region']}-{cell()['project']}"]
    [conflict] = data["conflicts"]
    assert (conflict["mine"], conflict["theirs"], conflict["theirs_by"], conflict["theirs_version"]) == (
        "1.400",
        "1.300",
        "office-staff",
        2,
    )
    assert conflict["theirs_reason"] == "民生办核减"
    assert ProjectScore.objects.get(period=period, region__name="义安区").score == Decimal("1.300")
    # keeping mine: the user saves again with the version now known
    again = save(client, period, cell(value="1.4", reason="我的原因", version=2)).json()
    assert again["saved"][0]["value"] == "1.400" and again["conflicts"] == []


def test_new_cell_saved_by_someone_else_meanwhile_is_a_conflict(client, period, office_staff, department_user):
    client.force_login(office_staff)
    save(client, period, cell(value="1.5"))
    client.force_login(department_user)
    data = save(client, period, cell(value="1.4", reason="x", version=0)).json()
    assert data["saved"] == [] and data["conflicts"][0]["theirs"] == "1.500"


def test_malformed_request_is_a_400(client, period, office_staff):
    client.force_login(office_staff)
    url = grid_url(period, "entry_grid_save")
    response = client.post(url, "not json", "application/json")
    assert response.status_code == 400 and "不是有效的 JSON" in response.json()["errors"][0]["message"]
    response = client.post(url, json.dumps({"changes": [{"value": "1"}]}), "application/json")
    assert response.status_code == 400 and "region 应为非负整数" in response.json()["errors"][0]["message"]
    assert not ProjectScore.objects.exists()


def test_save_requires_the_csrf_token(period, office_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(office_staff)
    assert save(client, period, cell()).status_code == 403
    assert not ProjectScore.objects.exists()


def test_cell_history_lists_every_change_of_the_cell(client, period, office_staff):
    client.force_login(office_staff)
    save(client, period, cell(value="1.5"))
    save(client, period, cell(value="1.1", reason="未按时报送", version=1))
    url = reverse("entry_cell_history", args=[2020, 9, cell()["region"], cell()["project"]])
    response = client.get(url)
    assert [(e.old_value, e.new_value) for e in response.context["entries"]] == [("1.500", "1.100"), ("", "1.500")]
    assert "未按时报送" in response.content.decode()


def test_another_departments_cell_history_is_404(client, period, department_user):
    client.force_login(department_user)
    url = reverse("entry_cell_history", args=[2020, 9, cell()["region"], cell(code="1")["project"]])
    assertNotContains(client.get(url), "修改历史", status_code=404)
