"""Overdue findings (dashboard, unit page, ledger filter, command) and 重复发现 from one month to the next."""

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import Adjustment, AdjustmentCategory, Period, PeriodStatus, ProjectScore
from ledger.models import Finding
from ledger.services import sync_findings
from projects.models import Project, Unit
from tests.ledger.helpers import issue_september

D = Decimal


@pytest.fixture
def overdue(september):
    issue_september(september)
    late = timezone.localdate() - timedelta(days=3)
    Finding.objects.filter(period=september, unit__name__in=["义安区", "市水利局"]).update(deadline=late)
    return late


def test_overdue_findings_on_the_dashboard_and_the_unit_page(client, overdue, september, office_staff, region_user):
    client.force_login(office_staff)
    home = client.get(reverse("home")).content.decode()
    assert 'id="overdue-findings"' in home
    assert "市水利局：水利薄弱环节治理项目整体进展滞后影响我市在全省排名" in home
    assert "义安区：9月份督查发现两处养老服务站进展滞后" in home
    assert "铜官区：" not in home.split('id="overdue-findings"')[1]

    client.force_login(region_user)
    home = client.get(reverse("home")).content.decode()
    panel = home.split('id="overdue-findings"')[1]
    assert "义安区：" in panel and "市水利局" not in panel
    unit = Unit.objects.get(name="义安区")
    page = client.get(reverse("unit_detail", args=[unit.pk])).content.decode()
    assert 'id="overdue-findings"' in page and "义安区：部分项目点未使用民生工程标识牌" in page
    ledger_page = client.get(reverse("ledger_unit", args=[unit.pk])).content.decode()
    assert "逾期 2 项" in ledger_page


def test_the_ledger_filters(client, overdue, september, office_staff):
    client.force_login(office_staff)
    page = client.get(reverse("ledger"), {"overdue": "1"}).content.decode()
    assert page.count('class="finding-row') == 4  # 义安区 2, 市水利局 2
    water = Unit.objects.get(name="市水利局")
    page = client.get(
        reverse("ledger"), {"unit": water.pk, "month": 9, "year": 2020, "status": "pending"}
    ).content.decode()
    assert page.count('class="finding-row') == 2
    assert client.get(reverse("ledger"), {"status": "closed"}).content.decode().count('class="finding-row') == 0
    assert client.get(reverse("ledger"), {"month": "x", "unit": "../", "status": "bogus"}).status_code == 200


def test_closed_findings_are_not_overdue(overdue, september):
    from ledger.selectors import overdue_findings

    Finding.objects.filter(period=september, unit__name="市水利局").update(status="closed")
    rows, total = overdue_findings(_office())
    assert total == 2 and {row.finding.unit.name for row in rows} == {"义安区"}


def _office():
    from accounts.roles import Role
    from tests.conftest import make_user

    return make_user("office-for-overdue", Role.OFFICE_STAFF)


def command(*args) -> dict:
    out = StringIO()
    call_command("rectifications", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_lists_a_units_findings(overdue, september):
    payload = command("--year", "2020", "--month", "9", "--unit", "市水利局")
    assert list(payload) == ["items"]
    items = sorted(payload["items"], key=lambda item: item["source"])
    assert items == [
        {
            "unit": "市水利局",
            "month": 9,
            "project": None,
            "source": "加扣分",
            "points": "-0.100",
            "reason": "水利薄弱环节治理项目整体进展滞后影响我市在全省排名",
            "status": "待整改",
            "deadline": overdue.isoformat(),
            "overdue": True,
            "repeated": False,
        },
        {
            "unit": "市水利局",
            "month": 9,
            "project": None,
            "source": "指标得分",
            "points": "-0.150",
            "reason": (
                "中小河流治理续建项目完工率和续建项目投资完成率在全省排名靠后；排涝泵站建设续建项目投资完成率位于全省倒数第三"
            ),
            "status": "待整改",
            "deadline": overdue.isoformat(),
            "overdue": True,
            "repeated": False,
        },
    ]
    traffic = command("--year", "2020", "--unit", "市交通局")["items"]
    assert {item["reason"] for item in traffic} == {
        "9月份督查发现“四好农村路”建设未达计划进度",
        "上报进展时审核不严，造成枞阳县“四好农村路”部分数据错误",
    }
    zongyang = command("--year", "2020", "--month", "9", "--unit", "枞阳县")["items"]
    toilets = next(item for item in zongyang if item["project"] and item["project"].startswith("12-1、"))
    assert (toilets["points"], toilets["reason"], toilets["source"]) == (
        "-0.025",
        "农村改厕、美丽乡村建设进度慢",
        "项目得分",
    )
    assert len([item for item in zongyang if item["source"] == "项目得分"]) == 7
    assert len(command("--year", "2020")["items"]) == 30
    assert command("--year", "2020", "--month", "8")["items"] == []


def test_the_command_refuses_unknown_years_and_units(september):
    with pytest.raises(CommandError, match="没有2019年的考评年度"):
        command("--year", "2019")
    with pytest.raises(CommandError, match="没有名为“水利局”的单位"):
        command("--year", "2020", "--unit", "水利局")


def october_with(september, region, project, reason):
    """October published with one repeated deduction (built directly: the ledger reads what is stored)."""
    october = Period.objects.create(year=september.year, month=10, status=PeriodStatus.PUBLISHED)
    ProjectScore.objects.create(period=october, region=region, project=project, score=D("1.4"), reason=reason)
    ProjectScore.objects.create(
        period=october,
        region=region,
        project=Project.objects.get(year=september.year, code="4"),
        score=D("1.45"),
        reason="新问题",
    )
    Adjustment.objects.create(
        period=october, unit=region, points=D("-0.05"), reason="标识牌仍未设置", category=AdjustmentCategory.SIGNBOARD
    )
    return october


def test_a_finding_repeated_the_next_month_is_flagged(september):
    region = Unit.objects.get(name="义安区")
    project = Project.objects.get(year=september.year, code="16")
    october = october_with(september, region, project, "养老服务站仍未建成")
    sync_findings(period=october)
    flags = {(f.project.code if f.project_id else f.source): f.repeated for f in Finding.objects.filter(period=october)}
    assert flags == {"16": True, "4": False, "adjustment": True}  # the signboard item repeats by category
    payload = command("--year", "2020", "--month", "10", "--unit", "义安区")["items"]
    assert sorted(item["repeated"] for item in payload) == [False, True, True]
    assert not Finding.objects.filter(period=september, repeated=True).exists()
    # another region's same project is not a repeat
    assert not Finding.objects.filter(period=october, unit__name="铜官区").exists()


def test_withdrawing_the_earlier_finding_updates_the_next_months_flag(september):
    region = Unit.objects.get(name="义安区")
    project = Project.objects.get(year=september.year, code="16")
    october = october_with(september, region, project, "养老服务站仍未建成")
    sync_findings(period=october)
    # September's 义安区 project 16 finding is withdrawn: October's is no longer a repeat
    Finding.objects.filter(period=september, unit=region, project=project).update(withdrawn=True)
    from ledger.services import flag_repeats

    flag_repeats(september)
    assert not Finding.objects.get(period=october, project=project).repeated


def test_the_repeated_page_badge(client, september, office_staff):
    region = Unit.objects.get(name="义安区")
    october = october_with(september, region, Project.objects.get(year=september.year, code="16"), "仍未建成")
    sync_findings(period=october)
    client.force_login(office_staff)
    page = client.get(reverse("ledger"), {"repeated": "1"}).content.decode()
    assert page.count('class="finding-row') == 2 and page.count("repeated-flag") == 2
