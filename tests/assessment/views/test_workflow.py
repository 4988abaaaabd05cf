"""Period list and page, the status workflow through the UI, 加扣分 items, department grid, audit pages, admin."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessment import services
from assessment.models import Adjustment, AuditEntry, IndicatorScore, Period, PeriodStatus, ProjectScore
from projects.models import Indicator, Project, Unit
from tests.queries import query_count


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def fill(period, user=None):
    regions, projects = list(Unit.objects.regions()), list(Project.objects.all())
    items = [services.ProjectScoreInput(r, p, Decimal("1.5")) for r in regions for p in projects]
    services.save_project_scores(user=user, period=period, items=items)
    items = [
        services.IndicatorScoreInput(d, i, i.max_score)
        for d in Unit.objects.departments()
        for i in Indicator.objects.all()
    ]
    services.save_indicator_scores(user=user, period=period, items=items)


def set_status(period, status):
    Period.objects.filter(pk=period.pk).update(status=status)


def url(name, period, *args):
    return reverse(name, args=[period.year.year, period.month, *args])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_period_list_shows_unpublished_months_only_to_entry_roles(client, period, region_user, department_user):
    august = services.get_or_create_period(year=2020, month=8)
    set_status(august, PeriodStatus.PUBLISHED)
    client.force_login(region_user)
    assert [p.month for p in client.get(reverse("entry_periods")).context["periods"]] == [8]
    assert client.get(url("entry_period", period)).status_code == 404
    assert client.get(url("entry_period", august)).status_code == 200
    client.force_login(department_user)
    assert [p.month for p in client.get(reverse("entry_periods")).context["periods"]] == [9, 8]


def test_office_starts_a_new_month(client, reference_data, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("entry_period_create"), {"year": 2020, "month": 10})
    assert response.status_code == 302 and Period.objects.filter(month=10).exists()
    creation = AuditEntry.objects.get(period__month=10, action__startswith="period.")
    assert (creation.action, creation.username) == ("period.created", "office-staff")


def test_period_page_lists_what_each_department_still_has_to_enter(client, period, office_staff):
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[
            services.ProjectScoreInput(r, Project.objects.get(code="4"), Decimal("1.5")) for r in Unit.objects.regions()
        ],
    )
    client.force_login(office_staff)
    response = client.get(url("entry_period", period))
    todo = {line.department.name: line for line in response.context["todo"]}
    assert "市交通局" not in todo or not todo["市交通局"].cells
    assert todo["市水利局"].cells == [
        "6 义安区",
        "6 铜官区",
        "6 枞阳县",
        "6 郊区",
        "6 经开区",
        "29 义安区",
        "29 铜官区",
        "29 枞阳县",
        "29 郊区",
        "29 经开区",
    ]
    assert todo["市水利局"].indicators == ["项目进展", "工作推进情况"]
    assert "结束录入，提交审核" in response.content.decode()


def test_department_user_sees_only_its_own_todo_and_no_status_actions(client, period, department_user):
    client.force_login(department_user)
    response = client.get(url("entry_period", period))
    assert [line.department.name for line in response.context["todo"]] == ["市交通局"]
    assert response.context["todo"][0].cells == ["4 义安区", "4 铜官区", "4 枞阳县", "4 郊区", "4 经开区"]
    assert response.context["actions"] == []


def test_period_page_runs_the_same_queries_when_units_and_projects_double(client, period, office_staff):
    client.force_login(office_staff)
    client.get(url("entry_period", period))
    before = query_count(client, url("entry_period", period))
    department = Unit.objects.get(name="市交通局")
    for number in range(5):
        Unit.objects.create(name=f"新区{number}", short_name=f"新{number}", kind="region", display_order=90)
        Unit.objects.create(name=f"新局{number}", short_name=f"局{number}", kind="department", display_order=90)
        Project.objects.create(year=period.year, code=f"9{number}", name="新项目", responsible_department=department)
    fill(period)
    response = client.get(url("entry_period", period))
    assert response.status_code == 200 and response.context["todo_count"] == 0
    assert query_count(client, url("entry_period", period)) == before


def test_publishing_an_incomplete_period_is_refused_and_lists_what_is_missing(client, period, office_admin):
    set_status(period, PeriodStatus.CLOSED)
    client.force_login(office_admin)
    response = client.post(url("entry_period_status", period), {"status": "published"})
    messages = texts(response)
    assert len(messages) == 1 and "不能发布" in messages[0] and "<li>义安区：1、2、3" in messages[0]
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED


def test_workflow_through_the_ui(client, period, office_staff, office_admin):
    fill(period)
    client.force_login(office_staff)
    client.post(url("entry_period_status", period), {"status": "closed"})
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.CLOSED
    assert client.post(url("entry_period_status", period), {"status": "published"}).status_code == 403
    client.force_login(office_admin)
    client.post(url("entry_period_status", period), {"status": "published"})
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.PUBLISHED
    response = client.post(url("entry_period_status", period), {"status": "open"})
    assert any("原因" in m for m in texts(response))
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.PUBLISHED
    client.post(url("entry_period_status", period), {"status": "open", "reason": "义安区数据有误"})
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.OPEN
    log = client.get(url("entry_audit_log", period), {"subject": "period"}).context["entries"]
    assert [(e.new_value, e.reason) for e in log] == [
        ("录入中", "义安区数据有误"),
        ("已发布", ""),
        ("审核中", ""),
        ("录入中", ""),
    ]


def test_status_actions_offered_match_the_role(client, period, office_staff, office_admin):
    set_status(period, PeriodStatus.CLOSED)
    client.force_login(office_staff)
    assert [a.status for a in client.get(url("entry_period", period)).context["actions"]] == ["open"]
    client.force_login(office_admin)
    assert [a.status for a in client.get(url("entry_period", period)).context["actions"]] == ["open", "published"]


def test_department_user_cannot_change_the_status(client, period, department_user):
    client.force_login(department_user)
    assert client.post(url("entry_period_status", period), {"status": "closed"}).status_code == 403
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.OPEN


# Department grid --------------------------------------------------------------------------------


def test_department_grid_saves_changed_cells_with_reasons(client, period, office_staff):
    client.force_login(office_staff)
    department, indicator = Unit.objects.get(name="市水利局"), Indicator.objects.get(name="项目进展")
    key = f"{department.pk}-{indicator.pk}"
    response = client.post(url("entry_indicators", period), {f"score-{key}": "0.9", f"reason-{key}": "进度滞后"})
    assert response.status_code == 302
    score = IndicatorScore.objects.get(period=period)
    assert (score.department, score.score, score.reason) == (department, Decimal("0.900"), "进度滞后")
    assert AuditEntry.objects.filter(action__startswith="indicator.", new_value="0.900").exists()


def test_department_grid_refuses_a_score_below_max_without_reason(client, period, office_staff):
    client.force_login(office_staff)
    department, indicator = Unit.objects.get(name="市水利局"), Indicator.objects.get(name="项目进展")
    key = f"{department.pk}-{indicator.pk}"
    response = client.post(url("entry_indicators", period), {f"score-{key}": "0.9"})
    assert response.status_code == 400 and "请填写扣分原因" in response.content.decode()
    assert not IndicatorScore.objects.exists()


def test_department_grid_reports_a_concurrent_edit(client, period, office_staff, office_admin):
    department, indicator = Unit.objects.get(name="市水利局"), Indicator.objects.get(name="项目进展")
    services.save_indicator_scores(
        user=office_admin, period=period, items=[services.IndicatorScoreInput(department, indicator, Decimal("1"))]
    )
    key = f"{department.pk}-{indicator.pk}"
    services.save_indicator_scores(
        user=office_admin,
        period=period,
        items=[services.IndicatorScoreInput(department, indicator, Decimal("0.8"), "核减", expected_version=1)],
    )
    client.force_login(office_staff)
    response = client.post(
        url("entry_indicators", period), {f"score-{key}": "0.9", f"reason-{key}": "我的", f"version-{key}": "1"}
    )
    assert "已被他人修改" in response.content.decode() and "0.800" in response.content.decode()
    assert IndicatorScore.objects.get().score == Decimal("0.800")


def test_department_grid_clears_an_emptied_cell(client, period, office_staff):
    department, indicator = Unit.objects.get(name="市水利局"), Indicator.objects.get(name="项目进展")
    key = f"{department.pk}-{indicator.pk}"
    services.save_indicator_scores(
        user=office_staff,
        period=period,
        items=[services.IndicatorScoreInput(department, indicator, Decimal("0.9"), "进度滞后")],
    )
    client.force_login(office_staff)
    response = client.post(
        url("entry_indicators", period), {f"score-{key}": "", f"reason-{key}": "录错单位", f"version-{key}": "1"}
    )
    assert response.status_code == 302 and any("清空 1 项" in m for m in texts(response))
    assert not IndicatorScore.objects.filter(period=period).exists()
    entry = AuditEntry.objects.get(action="indicator.deleted")
    assert (entry.unit, entry.indicator, entry.old_value, entry.new_value, entry.reason) == (
        department,
        indicator,
        "0.900",
        "",
        "录错单位",
    )


def test_department_grid_refuses_to_clear_a_cell_changed_meanwhile(client, period, office_staff, office_admin):
    department, indicator = Unit.objects.get(name="市水利局"), Indicator.objects.get(name="项目进展")
    key = f"{department.pk}-{indicator.pk}"
    first = services.IndicatorScoreInput(department, indicator, Decimal("1"))
    services.save_indicator_scores(user=office_admin, period=period, items=[first])
    second = services.IndicatorScoreInput(department, indicator, Decimal("0.8"), "核减", expected_version=1)
    services.save_indicator_scores(user=office_admin, period=period, items=[second])
    client.force_login(office_staff)
    response = client.post(url("entry_indicators", period), {f"score-{key}": "", f"version-{key}": "1"})
    assert "已被他人修改" in response.content.decode() and "您的值 （清空）" in response.content.decode()
    assert IndicatorScore.objects.get().score == Decimal("0.800")
    assert not AuditEntry.objects.filter(action="indicator.deleted").exists()


# 加扣分 -------------------------------------------------------------------------------------------


def test_adjustments_are_added_edited_and_removed_through_the_pages(client, period, office_staff):
    client.force_login(office_staff)
    unit = Unit.objects.get(name="市商务局")
    response = client.post(
        url("entry_adjustment_add", period),
        {"unit": unit.pk, "points": "0.05", "category": "information_adopted", "reason": "信息被省网站采用"},
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    client.post(
        url("entry_adjustment_edit", period, adjustment.pk),
        {"points": "0.1", "category": "information_adopted", "reason": "两条信息被采用"},
    )
    adjustment.refresh_from_db()
    assert (adjustment.points, adjustment.unit) == (Decimal("0.100"), unit)
    assert "两条信息被采用" in client.get(url("entry_adjustments", period)).content.decode()
    client.post(url("entry_adjustment_delete", period, adjustment.pk), {"reason": "重复录入"})
    assert not Adjustment.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="adjustment.").order_by("id").values_list("action", "reason")
    )
    assert actions == [
        ("adjustment.created", "信息被省网站采用"),
        ("adjustment.changed", "两条信息被采用"),
        ("adjustment.deleted", "重复录入"),
    ]


def test_adjustment_of_zero_or_without_reason_is_refused(client, period, office_staff):
    client.force_login(office_staff)
    unit = Unit.objects.get(name="市商务局")
    response = client.post(url("entry_adjustment_add", period), {"unit": unit.pk, "points": "0", "category": "other"})
    assert response.status_code == 200 and "不能为 0" in response.content.decode()
    assert not Adjustment.objects.exists()


def test_adjustments_cannot_be_changed_in_a_published_period(client, period, office_admin):
    adjustment = Adjustment.objects.create(period=period, unit=Unit.objects.get(name="义安区"), points=1, reason="x")
    set_status(period, PeriodStatus.PUBLISHED)
    client.force_login(office_admin)
    assert client.post(url("entry_adjustment_delete", period, adjustment.pk), {"reason": "x"}).status_code == 403
    assert client.get(url("entry_adjustment_add", period)).status_code == 403
    assert Adjustment.objects.exists()


def test_adjustment_of_another_period_is_404(client, period, office_staff):
    other = services.get_or_create_period(year=2020, month=8)
    adjustment = Adjustment.objects.create(period=other, unit=Unit.objects.get(name="义安区"), points=1, reason="x")
    client.force_login(office_staff)
    response = client.get(url("entry_adjustment_edit", period, adjustment.pk))
    assert response.status_code == 404 and Adjustment.objects.get(pk=adjustment.pk).reason == "x"


# Audit ---------------------------------------------------------------------------------------------


def test_audit_log_filters_by_unit(client, period, office_staff):
    fill(period, office_staff)
    client.force_login(office_staff)
    unit = Unit.objects.get(name="义安区")
    entries = client.get(url("entry_audit_log", period), {"unit": unit.pk}).context["entries"]
    assert len(entries) == 43 and {e.unit_id for e in entries} == {unit.pk}


def test_audit_entries_cannot_be_added_changed_or_deleted_in_the_admin(client, period, superuser, office_staff):
    fill(period, office_staff)
    entry = AuditEntry.objects.first()
    client.force_login(superuser)
    assert client.get(reverse("admin:assessment_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:assessment_auditentry_add")).status_code == 403
    change = client.post(reverse("admin:assessment_auditentry_change", args=[entry.pk]), {"old_value": "forged"})
    assert change.status_code == 403
    assert (
        client.post(reverse("admin:assessment_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    entry.refresh_from_db()
    assert entry.old_value != "forged"


@pytest.mark.parametrize(
    "model", ["period", "projectscore", "indicatorscore", "adjustment", "unitresult", "auditentry"]
)
def test_admin_changelists_open_for_a_superuser(client, period, superuser, office_staff, model):
    fill(period, office_staff)
    unit = Unit.objects.get(name="义安区")
    services.add_adjustment(user=office_staff, period=period, unit=unit, points=Decimal("0.05"), reason="信息采用")
    client.force_login(superuser)
    response = client.get(reverse(f"admin:assessment_{model}_changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count > 0


def test_scores_are_read_only_in_the_admin(client, period, superuser, office_staff):
    fill(period, office_staff)
    client.force_login(superuser)
    score = ProjectScore.objects.first()
    assert client.get(reverse("admin:assessment_projectscore_add")).status_code == 403
    client.post(reverse("admin:assessment_projectscore_change", args=[score.pk]), {"score": "0"})
    score.refresh_from_db()
    assert score.score == Decimal("1.500")


def test_adjustment_added_in_the_admin_is_audited(client, period, superuser):
    client.force_login(superuser)
    unit = Unit.objects.get(name="铜官区")
    response = client.post(
        reverse("admin:assessment_adjustment_add"),
        {"period": period.pk, "unit": unit.pk, "points": "-0.05", "category": "other", "reason": "标识牌缺失"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action__startswith="adjustment.", unit=unit, new_value__startswith="-0.050"
    ).exists()


def test_admin_user_page_links_a_user_to_a_unit(client, superuser, department_user):
    client.force_login(superuser)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200 and "市交通局" in response.content.decode()
