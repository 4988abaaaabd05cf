"""Drafts read right (缺 N 项, the draft marker, October's year to date), the dashboard's ties and open
months, 变更记录 paged and filtered, draft file names, links and highlights by role."""

from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessment import services
from assessment.models import AuditEntry
from projects.models import Unit
from tests.conftest import make_user
from tests.periods import open_october_with_a_few_cells
from tests.queries import query_count


@pytest.fixture
def october(september):
    """October open: 市教体局's projects entered for 义安区 only, and a −0.1 item for 市交通局 alone."""
    open_october_with_a_few_cells()
    period = services.get_or_create_period(year=2020, month=10)
    services.add_adjustment(
        user=None, period=period, unit=Unit.objects.get(name="市交通局"), points=Decimal("-0.1"), reason="督查发现问题"
    )
    return period


@pytest.fixture
def office(client, september):
    client.force_login(make_user("office-x", Role.OFFICE_ADMIN))
    return client


def test_a_draft_attachment1_marks_itself_and_shows_incomplete_units_without_score_or_rank(office, october):
    response = office.get(reverse("attachment1", args=[2020, 10]))
    page = response.content.decode()
    assert "草稿·未发布" in page and "不是正式结果" in page
    rows = {row.unit: row for _, rows in response.context["data"].blocks for row in rows}
    jiaotong = rows["市交通局"]
    # its −0.1 alone makes no month score, no rank, and no "1–10月" carried from September
    assert (jiaotong.score, jiaotong.rank, jiaotong.ytd_score, jiaotong.ytd_rank) == (None, None, None, None)
    assert f"缺 {len(jiaotong.missing)} 项" in page and "“缺 N 项”：该单位本月尚有 N 项得分未录入" in page
    assert "-0.100" not in page and "13.100" not in page


def test_the_draft_workbook_and_attachments_say_draft_in_their_names(office, october):
    workbook = office.get(reverse("period_workbook", args=[2020, 10]))
    assert unquote(workbook["Content-Disposition"]).endswith(
        "2020年10月份民生工程月度考评（附件1-3）（草稿·未发布）.xlsx"
    )
    single = office.get(reverse("attachment1", args=[2020, 10]) + "?format=csv")
    name = unquote(single["Content-Disposition"])
    assert name.endswith("附件1 2020年10月份民生工程排名情况汇总表（草稿·未发布）.csv")
    text = b"".join(single.streaming_content).decode("utf-8-sig")
    assert "未录入完的单位（不计得分和排名）：" in text and "市交通局缺2项" in text
    published = office.get(reverse("attachment1", args=[2020, 9]) + "?format=xlsx")
    assert unquote(published["Content-Disposition"]).endswith("附件1 2020年9月份民生工程排名情况汇总表.xlsx")


def test_the_dashboard_never_cuts_a_tie_and_lists_the_bottom_in_rank_order(office, october):
    dashboard = office.get(reverse("home")).context["dashboard"]
    top = dashboard.top["departments"]
    assert [(group.rank, len(group.rows)) for group in top] == [(1, 2), (3, 12)]
    assert top[1].summarised and not top[0].summarised
    assert [group.rank for group in dashboard.bottom["departments"]] == [20, 22]
    assert dashboard.hidden["departments"] == 5 and dashboard.hidden["regions"] == 0
    page = office.get(reverse("home")).content.decode()
    assert "并列第3名" in page and "12 个单位" in page and "其余 5 个单位" in page
    assert [month.period.month for month in dashboard.open_months] == [10]
    assert "草稿·未发布" in page


def test_every_open_month_shows_its_progress(office, october):
    services.get_or_create_period(year=2020, month=11)
    dashboard = office.get(reverse("home")).context["dashboard"]
    assert [month.period.month for month in dashboard.open_months] == [11, 10]
    assert dashboard.open_months[1].entered > dashboard.open_months[0].entered == 0


def test_the_dashboard_takes_the_same_queries_however_many_months_are_open(office, october):
    one_open = query_count(office, reverse("home"))
    services.get_or_create_period(year=2020, month=11)
    services.get_or_create_period(year=2020, month=12)
    assert query_count(office, reverse("home")) == one_open
    assert len(office.get(reverse("home")).context["dashboard"].open_months) == 3


def test_a_region_user_gets_links_only_to_its_own_unit_and_sees_it_highlighted(client, september):
    client.force_login(make_user("yian-x", Role.REGION_USER, "义安区"))
    own, other = Unit.objects.get(name="义安区"), Unit.objects.get(name="铜官区")
    for url in (reverse("home"), reverse("attachment1", args=[2020, 9]), reverse("attachment2", args=[2020, 9])):
        page = client.get(url).content.decode()
        assert f"/units/{other.pk}/" not in page and f"?unit={other.pk}" not in page, url
        assert "考评月份与录入" not in page
    page = client.get(reverse("attachment1", args=[2020, 9])).content.decode()
    assert 'data-unit="义安区" class="own-unit"' in page and f"/units/{own.pk}/" in page
    assert "得分说明：义安区 9月" in page  # its own 得分说明 beside the table


def test_the_change_log_is_paged_and_filtered(office, october):
    page = office.get(reverse("entry_audit_log", args=[2020, 9]))
    assert page.context["page"].paginator.per_page == 100
    total = AuditEntry.objects.filter(period__year__year=2020, period__month=9).count()
    assert page.context["page"].paginator.count == total > 100
    second = office.get(reverse("entry_audit_log", args=[2020, 9]) + "?subject=adjustment&page=2")
    assert second.status_code == 200
    found = office.get(reverse("entry_audit_log", args=[2020, 9]) + "?q=养老服务站")
    assert found.context["page"].paginator.count >= 1
    assert all("养老服务站" in e.new_value + e.old_value + e.reason for e in found.context["entries"])
    assert "共 " in found.content.decode() and "条" in found.content.decode()


def test_favicon_answers_on_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
