"""What each role meets in Chromium on the published September 2020: no dead link on a region user's
dashboard, the 得分说明 of a region and of a department, 附件1 on a phone without sideways scrolling.
With SCREENSHOTS=1 the unit page with its 得分说明 and 附件1 on a phone are saved for the README."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from assessment.models import Period
from projects.models import Unit
from tests.conftest import PUBLISHED_ON, make_user
from tests.september_2020 import build_september_2020

from .test_screenshots import save

pytestmark = pytest.mark.browser


@pytest.fixture
def september(reference_data):
    period = build_september_2020()
    Period.objects.filter(pk=period.pk).update(published_at=PUBLISHED_ON)
    return period


def test_a_region_user_meets_no_dead_link_and_sees_how_its_score_is_made(september, login, new_page):
    """One data build for the region user's dashboard, 附件1 and unit page (the build is the slow part)."""
    region_user = make_user("yian-browser", Role.REGION_USER, "义安区")
    page = login(region_user)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    links = page.eval_on_selector_all("a[href]", "nodes => nodes.map(n => n.getAttribute('href'))")
    assert "考评月份与录入" not in page.locator("nav").inner_text()  # no menu item leading to an empty page
    assert any(link.startswith("/periods/2020/9/") for link in links)
    dead = {}
    for link in sorted(set(links)):
        if link.startswith("/") and not link.startswith(("/admin/", "/static/")):
            status = page.request.get(link).status
            if status in (403, 404, 500):
                dead[link] = status
    assert dead == {}

    page.goto("/periods/2020/9/attachment-1/")
    own = page.locator("tr[data-unit='义安区']")
    expect(own).to_have_class("own-unit")
    assert page.locator("tr[data-unit='铜官区'] a.unit-link").count() == 0  # another unit: no link
    explain = page.locator("#explain")
    expect(explain).to_contain_text("得分说明：义安区 9月")
    expect(explain.locator(".explain-steps")).to_contain_text("(64.350 + 0.050) ÷ 43 = 1.4977… → 1.498")
    expect(explain).to_contain_text("9月份督查发现两处养老服务站进展滞后")
    expect(explain).to_contain_text("已排第 1 名。")

    own.locator("a.unit-link").click()
    expect(page.locator("#explain")).to_contain_text("1.4977… → 1.498")
    expect(page.locator("#explain .explain-ytd")).to_contain_text("1-9月累计：")
    page.wait_for_selector("#unit-chart[data-rendered=true] canvas")
    labels = page.evaluate(
        "() => { const axis = window.unitChart.getModel().getComponent('yAxis', 0).axis;"
        " return axis.getViewLabels().map(l => l.formattedLabel); }"
    )
    assert len(labels) == len(set(labels)) and all(len(label.split(".")[1]) == 3 for label in labels)
    save(page, "unit-explain")
    assert errors == []


def test_a_departments_score_is_explained_as_indicators_plus_items(september, login, office_admin):
    page = login(office_admin)
    unit = Unit.objects.get(name="市城管执法局")
    page.goto(f"/periods/2020/9/attachment-1/?unit={unit.pk}")
    explain = page.locator("#explain")
    expect(explain).to_contain_text("得分说明：市城管执法局 9月")
    expect(explain.locator(".explain-steps")).to_contain_text("项目进展 ")
    expect(explain.locator(".explain-steps")).to_contain_text(" + 工作推进情况 ")
    expect(explain.locator(".explain-ytd")).to_contain_text("1.493※ + 1.483※ + 1.499※")
    expect(explain.locator(".explain-ytd")).to_contain_text("※ 1-3月未纳入考评，按市直单位平均得分计。")

    region = Unit.objects.get(name="经开区")
    page.goto(f"/periods/2020/9/attachment-2/?unit={region.pk}")
    expect(page.locator("#explain")).to_contain_text("适用项目 42 个")
    expect(page.locator("#explain .explain-above")).to_contain_text("分即可与其并列")


def test_attachment1_on_a_phone_has_no_sideways_scroll_and_readable_names(september, browser, live_server, login):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server.url, device_scale_factor=2
    )
    try:
        page = login(make_user("leader-phone", Role.VIEWER), context.new_page())
        page.goto("/periods/2020/9/attachment-1/")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
        name = page.locator("tr[data-unit='市城管执法局'] td.unit-name")
        expect(name).to_contain_text("城管执法局")  # the short name on a phone
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td.unit-name')).lineHeight)")
        assert name.bounding_box()["height"] < 3 * line  # not one character per line
        save(page, "attachment1-phone")
    finally:
        context.close()
