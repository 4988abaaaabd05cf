"""What signing out, starting a month and a refused or stale status change tell the user."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import PeriodStatus
from projects.models import Project, Unit


def test_signing_out_says_so_on_the_login_page(client, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("logout"), follow=True)
    assert "您已安全退出登录。" in response.content.decode()


def test_starting_a_month_says_so(client, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("entry_period_create"), {"year": 2020, "month": 9}, follow=True)
    assert "已开始2020年9月的考评，现在可以录入。" in response.content.decode()


@pytest.fixture
def closed(reference_data):
    period = services.get_or_create_period(year=2020, month=9)
    region = Unit.objects.get(name="义安区")
    items = [services.ProjectScoreInput(region, p, Decimal("1.5")) for p in Project.objects.all()[:3]]
    services.save_project_scores(user=None, period=period, items=items)
    return services.change_period_status(user=None, period=period, status=PeriodStatus.CLOSED)


def test_a_refused_publish_is_one_message_with_the_units_folded(client, closed, office_admin):
    client.force_login(office_admin)
    url = reverse("entry_period_status", args=[2020, 9])
    response = client.post(url, {"status": "published", "from_status": "closed"}, follow=True)
    page = response.content.decode()
    assert page.count("site-message") == 1
    assert "尚有得分未录入，不能发布：" in page and "27 个单位，展开查看" in page
    assert "<li>义安区：" in page


def test_a_status_change_from_a_stale_page_is_not_carried_out(client, closed, office_admin):
    client.force_login(office_admin)
    url = reverse("entry_period_status", args=[2020, 9])
    response = client.post(url, {"status": "closed", "from_status": "open"}, follow=True)
    assert "状态已被他人改为“审核中”，您的操作没有执行" in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == PeriodStatus.CLOSED


def test_the_status_buttons_say_what_will_happen(client, closed, office_admin):
    client.force_login(office_admin)
    page = client.get(reverse("entry_period", args=[2020, 9])).content.decode()
    assert "发布：2020年9月的附件1-3将对所有角色可见，27 个单位的得分和排名成为正式结果并锁定" in page
    assert 'name="from_status" value="closed"' in page


def test_the_office_sets_the_notice_date_on_the_period_page(client, closed, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("entry_period_notice_date", args=[2020, 9]), {"notice_date": "2020-10-16"}, follow=True
    )
    page = response.content.decode()
    assert "通报日期已设为2020年10月16日。" in page and "市民生办　2020年10月16日（未发布）" in page
    closed.refresh_from_db()
    assert str(closed.notice_date) == "2020-10-16"
