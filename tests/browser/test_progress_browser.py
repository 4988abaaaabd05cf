"""The progress grid and pages in Chromium: type, paste, a decrease asks for its reason, save, a
conflict with both values, the funds chart drawn, no CSP violation. With SCREENSHOTS=1 the pages are
saved to docs/screenshots/progress-*.png.

    SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_progress_browser.py -m browser
"""

import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from assessment import services
from projects.models import Progress, Project, Target, Unit
from tests.conftest import make_user
from tests.progress.county import load_county

from .test_entry_browser import paste

pytestmark = pytest.mark.browser
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
D = Decimal


def shot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


@pytest.fixture
def county():
    with tempfile.TemporaryDirectory() as directory:
        load_county(Path(directory))


def violations(page) -> list:
    found = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_office_types_pastes_gives_a_reason_saves_and_meets_a_conflict(county, login, new_page):
    office = make_user("county-office", Role.OFFICE_STAFF)
    project = Project.objects.get(year__year=2021, code="2")  # 工程类, a target per town
    targets = list(Target.objects.filter(project=project).select_related("unit").order_by("unit__display_order"))
    page = login(office)
    problems = violations(page)
    page.goto(f"/progress/2021/6/entry/project/{project.pk}/")
    rows = page.locator("tr.progress-row")
    expect(rows).to_have_count(len(targets))
    status = page.locator("#grid-status")
    expect(status).to_have_text("没有未保存的修改")

    def field(row: int, name: str):
        return rows.nth(row).locator(f'input[data-field="{name}"]')

    # June's figures exist; a lower completed figure without a reason is refused before saving
    june = Progress.objects.get(target=targets[0], month=6)
    field(0, "completed").fill(str(june.completed - 1))
    expect(status).to_contain_text("低于上月") if Progress.objects.filter(target=targets[0], month=5).exists() else None
    field(0, "completed").fill(str(june.completed + 5))
    expect(field(0, "completed").locator("..")).to_have_class(re.compile(r"\bdirty\b"))
    # a 2 × 2 block from Excel pasted into the second row's 累计完成 / … (completed, rate, …): keys skip read-only cells
    field(1, "completed").click()
    paste(page, "12\r\n13\r\n")
    expect(page.locator(".grid-message")).to_contain_text("已粘贴 2 格")
    field(3, "paid").fill("1.234")
    expect(status).to_contain_text("最多保留 2 位小数")
    expect(page.locator("#grid-save")).to_be_disabled()
    field(3, "paid").press("Escape")
    expect(page.locator("#grid-save")).to_be_enabled()
    shot(page, "progress-grid")

    # someone else saves row 1 meanwhile
    services.save_progress(
        user=None,
        target=targets[1],
        month=6,
        completed=D("11"),
        paid=Progress.objects.get(target=targets[1], month=6).paid,
        note="他人更正",
    )
    page.locator("#grid-save").click()
    expect(page.locator(".grid-message").last).to_contain_text("已被他人修改")
    expect(page.locator("#conflict-list")).to_contain_text("您填写的是")
    assert Progress.objects.get(target=targets[0], month=6).completed == june.completed + 5
    assert Progress.objects.get(target=targets[2], month=6).completed == D("13")
    assert Progress.objects.get(target=targets[1], month=6).completed == D("11")
    page.locator(".keep-mine").click()
    page.locator("#grid-save").click()
    expect(page.locator(".grid-message").last).to_contain_text("已保存 1 行")
    assert Progress.objects.get(target=targets[1], month=6).completed == D("12")
    assert not problems, problems


def test_the_pages_render_with_the_chart_and_without_a_csp_violation(county, login):
    office = make_user("county-office", Role.OFFICE_STAFF)
    page = login(office)
    problems = violations(page)
    for name, path in [
        ("progress-projects", "/progress/2021/6/projects/"),
        ("progress-units", "/progress/2021/6/units/"),
        ("progress-information", "/progress/2021/6/information/"),
        ("progress-summary", "/progress/2021/6/summary/"),
        ("progress-entry", "/progress/2021/6/entry/"),
        ("progress-information-grid", "/progress/2021/6/entry/information/"),
    ]:
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        shot(page, name)
    page.goto("/progress/2021/6/funds/")
    expect(page.locator("#funds-chart")).to_have_attribute("data-rendered", "true")
    shot(page, "progress-funds")
    assert not problems, problems


def test_a_region_user_enters_its_information_counts(county, login):
    town = Unit.objects.get(name="籍山镇")
    user = make_user("jishan", Role.REGION_USER, "籍山镇")
    page = login(user)
    page.goto("/progress/2021/6/entry/information/")
    rows = page.locator("tr.progress-row")
    expect(rows).to_have_count(1)
    row = rows.first
    row.locator('input[data-field="city_adopted"]').fill("999")
    expect(page.locator("#grid-status")).to_contain_text("多于报送")
    june = town.information_reports.get(month=6)
    row.locator('input[data-field="city_adopted"]').fill(str(june.city_adopted - 1))
    page.locator("#grid-save").click()
    expect(page.locator(".grid-message").last).to_contain_text("已保存 1 行")
    assert town.information_reports.get(month=6).city_adopted == june.city_adopted - 1


def test_the_rates_follow_what_is_typed_and_escape_restores_them(county, login):
    office = make_user("county-office", Role.OFFICE_STAFF)
    project = Project.objects.get(year__year=2021, code="2")
    page = login(office)
    page.goto(f"/progress/2021/6/entry/project/{project.pk}/")
    row = page.locator("tr.progress-row").first  # 籍山镇: 20公里, 30.00% and 滞后 in June
    rate = row.locator('[data-show="rate"]')
    expect(rate).to_have_text("30.00%")
    expect(row).to_have_class(re.compile(r"\blagging\b"))
    completed = row.locator('input[data-field="completed"]')
    completed.fill("13.333")
    expect(rate).to_have_text("30.00%")  # not a valid value: the saved rate stays
    completed.fill("13.33")
    expect(rate).to_have_text("66.65%")  # 13.33 ÷ 20, half-up
    expect(row).not_to_have_class(re.compile(r"\blagging\b"))
    completed.press("Escape")
    expect(rate).to_have_text("30.00%")
    expect(row).to_have_class(re.compile(r"\blagging\b"))
