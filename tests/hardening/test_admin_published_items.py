"""Issue 10: writing a 加扣分 item of a published month through the admin is refused as a form error (or
the item is shown read-only), never a 500; nothing is written."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from assessment import services
from assessment.models import Adjustment, AdjustmentCategory, AuditEntry, Period, PeriodStatus
from projects.models import Unit


@pytest.fixture
def admin_client(client, office_admin):
    client.force_login(office_admin)
    return client


@pytest.fixture
def published(reference_data):
    period = services.get_or_create_period(year=2020, month=9)
    item = services.add_adjustment(
        user=None,
        period=period,
        unit=Unit.objects.get(name="义安区"),
        points=Decimal("0.05"),
        reason="信息被采用",
        category=AdjustmentCategory.INFORMATION_ADOPTED,
        confirmed=True,
    )
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    return Period.objects.get(pk=period.pk), item


def test_the_office_admin_group_may_manage_adjustments_in_the_admin(office_admin):
    assert Group.objects.get(name=Role.OFFICE_ADMIN.value).permissions.filter(codename="add_adjustment").exists()


def test_adding_an_item_to_a_published_month_is_a_form_error(admin_client, published):
    period, _ = published
    before = (Adjustment.objects.count(), AuditEntry.objects.count())
    response = admin_client.post(
        "/admin/assessment/adjustment/add/",
        {
            "period": period.pk,
            "unit": Unit.objects.get(name="铜官区").pk,
            "points": "0.05",
            "category": AdjustmentCategory.INFORMATION_ADOPTED,
            "reason": "信息被采用",
        },
    )
    assert response.status_code == 200
    assert "已发布" in str(response.context["adminform"].form.errors)
    assert (Adjustment.objects.count(), AuditEntry.objects.count()) == before


def test_changing_or_deleting_an_item_of_a_published_month_is_refused_without_a_500(admin_client, published):
    _, item = published
    url = f"/admin/assessment/adjustment/{item.pk}/change/"
    response = admin_client.post(url, {"points": "0.1", "category": item.category, "reason": "改"})
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "已发布" in response.content.decode() or response.context["adminform"].form.errors
    response = admin_client.post(f"/admin/assessment/adjustment/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code in (200, 302, 403)
    item.refresh_from_db()
    assert item.points == Decimal("0.050")


def test_a_month_published_between_the_form_check_and_the_save_is_a_message_not_a_500(
    admin_client, reference_data, monkeypatch
):
    period = services.get_or_create_period(year=2020, month=9)
    from assessment import admin as assessment_admin

    real = assessment_admin.services.add_adjustment

    def publish_first(**kwargs):
        Period.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
        return real(**kwargs)

    monkeypatch.setattr(assessment_admin.services, "add_adjustment", publish_first)
    response = admin_client.post(
        "/admin/assessment/adjustment/add/",
        {
            "period": period.pk,
            "unit": Unit.objects.get(name="铜官区").pk,
            "points": "0.05",
            "category": AdjustmentCategory.INFORMATION_ADOPTED,
            "reason": "信息被采用",
        },
        follow=True,
    )
    assert response.status_code == 200 and "已发布" in response.content.decode()
    assert not Adjustment.objects.exists()
