"""The rectification ledger in the browser: the office issues the slips, a region user reports with a photo
and asks for closing, the office closes it. With SCREENSHOTS=1 the pages are saved for the README:

    SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_ledger_browser.py -m browser
"""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from assessment.models import Period
from ledger.models import Finding, FindingStatus
from tests.browser.test_screenshots import save
from tests.ledger.helpers import PNG
from tests.september_2020 import build_september_2020

pytestmark = pytest.mark.browser
PUBLISHED_ON = datetime(2020, 10, 16, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def september(office_admin):
    period = build_september_2020()
    Period.objects.filter(pk=period.pk).update(published_at=PUBLISHED_ON)
    return Period.objects.select_related("year").get(pk=period.pk)


def test_issue_report_and_close(page, new_page, login, office_admin, region_user, september):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(office_admin)
    page.goto("/ledger/2020/9/slips/")
    page.fill("#id_deadline", (timezone.localdate() + timedelta(days=10)).isoformat())
    page.fill("#id_note", "请举一反三，建立长效机制")
    page.get_by_role("button", name="印发").click()  # forms.js asks /session/ first, then posts
    page.wait_for_selector("text=已印发 14 份工作提示单")
    page.get_by_role("link", name="铜民生提〔2020〕1号").click()
    assert page.locator(".slip-code").inner_text() == "铜民生提〔2020〕1号"
    save(page, "ledger-slip")
    page.goto("/ledger/?year=2020&month=9")
    assert page.locator(".finding-row").count() == 30
    save(page, "ledger-list")

    region = new_page()
    login(region_user, region)
    region.goto("/ledger/")
    assert region.locator(".finding-row").count() == 2
    region.get_by_role("link", name="9月份督查发现两处养老服务站进展滞后").click()
    region.fill("#id_text", "两处养老服务站已建成投用，附现场照片")
    region.set_input_files("#id_files", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}])
    region.check("#id_done")
    region.get_by_role("button", name="提交").click()
    region.wait_for_selector("text=已提交，等待民生办销号")
    assert region.locator(".evidence-list a").inner_text() == "现场照片.png"
    assert region.locator("#decision-form").count() == 0

    finding = Finding.objects.get(period=september, unit__name="义安区", project__code="16")
    page.goto(f"/ledger/findings/{finding.pk}/")
    page.fill("#id_reason", "现场核实已整改到位")
    save(page, "ledger-finding")
    page.get_by_role("button", name="销号").click()
    page.wait_for_selector(".site-message >> text=已销号")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert errors == []
