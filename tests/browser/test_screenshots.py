"""The official tables, unit page and dashboard render in Chromium; with SCREENSHOTS=1 they are saved for the README.

    SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py -m browser

writes docs/screenshots/*.png from the September 2020 data (tests/september_2020.py).
"""

import os
import zoneinfo
from datetime import datetime
from pathlib import Path

import pytest

from assessment.models import Period
from projects.models import Unit
from tests.periods import open_october_with_a_few_cells
from tests.september_2020 import build_september_2020

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PUBLISHED_ON = datetime(2020, 10, 16, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def save(page, name: str, *, full_page: bool = True) -> None:
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)


@pytest.fixture
def september(office_admin):
    """January–September 2020 published on 2020-10-16, and October open with a few cells entered."""
    period = build_september_2020()
    Period.objects.filter(pk=period.pk).update(published_at=PUBLISHED_ON)
    open_october_with_a_few_cells()
    return period


@pytest.fixture
def signed_in(page, login, office_admin, september):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(office_admin)
    yield page
    assert errors == [], f"JavaScript errors: {errors}"


def test_dashboard_renders(signed_in):
    page = signed_in
    page.goto("/")
    assert page.locator("#latest-published").inner_text().startswith("最新发布：2020年9月")
    assert "2020年10月" in page.locator("#open-period").inner_text()
    save(page, "dashboard")


def test_period_overview_renders(signed_in):
    page = signed_in
    page.goto("/periods/2020/9/tables/")
    assert page.locator("a", has_text="下载全月 Excel").count() == 1
    save(page, "period-tables")


def test_attachment1_renders_with_every_unit_and_prints_without_navigation(signed_in):
    page = signed_in
    page.goto("/periods/2020/9/attachment-1/")
    assert page.locator("tr[data-unit]").count() == 27
    assert page.locator("tr[data-unit='义安区'] td").nth(1).inner_text() == "1.498"
    save(page, "attachment1")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("a", has_text="下载 Excel").is_visible()
    save(page, "attachment1-print")


def test_attachment2_renders(signed_in):
    page = signed_in
    page.goto("/periods/2020/9/attachment-2/")
    assert page.locator("table.region-table tbody tr").count() == 44  # 43 project rows + 民生办加(扣)分
    save(page, "attachment2")


def test_attachment3_renders(signed_in):
    page = signed_in
    page.goto("/periods/2020/9/attachment-3/")
    assert page.locator("table.department-table tbody tr").count() == 22
    save(page, "attachment3")


def test_unit_page_draws_the_chart(signed_in):
    page = signed_in
    unit = Unit.objects.get(name="市城管执法局")
    page.goto(f"/units/{unit.pk}/?year=2020")
    page.wait_for_selector("#unit-chart[data-rendered=true] canvas")
    assert page.evaluate("window.unitChart.getOption().toolbox[0].feature.saveAsImage.title") == "保存为图片"
    save(page, "unit-detail")
