"""Forms in Chromium: the concurrent 加扣分 edit, a full-width number typed into the grid, a form that keeps
what was typed when the session expired, and the warning before leaving unsaved changes."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment import services
from assessment.models import Adjustment, IndicatorScore, ProjectScore
from projects.models import Indicator, Unit

from .test_entry_browser import GRID, cell

pytestmark = pytest.mark.browser


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def test_a_concurrent_adjustment_edit_shows_both_values_and_loses_nothing(
    period, login, new_page, office_staff, office_admin
):
    item = services.add_adjustment(
        user=None,
        period=period,
        unit=Unit.objects.get(name="市交通局"),
        points=Decimal("-0.025"),
        reason="未按时报送信息",
    )
    edit = f"/entry/2020/9/adjustments/{item.pk}/"
    staff = login(office_staff)
    admin = login(office_admin, new_page())
    staff.goto(edit)
    admin.goto(edit)

    staff.fill("#id_points", "-0.05")
    staff.fill("#id_reason", "两次未按时报送信息")
    staff.click("#adjustment-form button[type=submit]")
    expect(staff.locator(".site-message")).to_contain_text("已保存加扣分")

    admin.select_option("#id_category", "publicity")  # the admin, still on the old form, changes only 类别
    admin.click("#adjustment-form button[type=submit]")
    conflict = admin.locator("#adjustment-conflict")
    expect(conflict).to_contain_text("已被office-staff修改，您的修改没有保存")
    expect(conflict.locator(".theirs")).to_have_text("-0.050")
    expect(conflict.locator(".theirs-reason")).to_have_text("两次未按时报送信息")
    expect(conflict.locator(".mine")).to_have_text("-0.025")
    expect(admin.locator("#id_category")).to_have_value("publicity")  # the admin's choice is still there
    item.refresh_from_db()
    assert (item.points, item.reason) == (Decimal("-0.050"), "两次未按时报送信息")

    admin.click("#take-theirs")  # take theirs, then change only the category: nothing of theirs is lost
    expect(admin.locator("#id_points")).to_have_value("-0.050")
    admin.select_option("#id_category", "publicity")
    admin.click("#adjustment-form button[type=submit]")
    expect(admin.locator(".site-message")).to_contain_text("已保存加扣分")
    item.refresh_from_db()
    assert (item.points, item.reason, item.category) == (Decimal("-0.050"), "两次未按时报送信息", "publicity")


def test_a_full_width_number_typed_with_a_chinese_ime_is_saved_and_escape_restores(period, login, office_staff):
    page = login(office_staff)
    page.goto(GRID)
    target = cell(page, "义安区", "4")
    missing = int(page.locator("#missing-count").inner_text())
    target.click()
    page.keyboard.type("１．５")
    expect(target.locator("..")).to_have_class(re.compile(r"\bdirty\b"))
    expect(target.locator("..")).not_to_have_class(re.compile(r"\binvalid\b"))
    page.click("#grid-save")
    expect(page.locator(".grid-message.alert-success")).to_contain_text("已保存 1 格")
    assert ProjectScore.objects.get(period=period).score == Decimal("1.500")
    expect(page.locator("#missing-count")).to_have_text(str(missing - 1))  # "尚有 N 格未录入" follows the save
    expect(page.locator("#cell-info")).to_contain_text("1.500")

    target.click()
    page.keyboard.type("１．２")
    page.keyboard.press("Escape")
    expect(target).to_have_value("1.500")
    expect(page.locator("td.dirty")).to_have_count(0)


def test_the_department_grid_keeps_what_was_typed_when_the_session_expired(period, login, office_staff):
    page = login(office_staff)
    page.goto("/entry/2020/9/departments/")
    department = Unit.objects.get(name="市交通局")
    progress = Indicator.objects.get(year_id=period.year_id, name="项目进展")
    score = page.locator(f'input[name="score-{department.pk}-{progress.pk}"]')
    score.fill("０．９")
    page.fill(f'input[name="reason-{department.pk}-{progress.pk}"]', "四好农村路进度慢")

    page.context.clear_cookies()  # the session expired
    page.click("#indicator-form button[type=submit]")
    expect(page.locator(".session-problem")).to_contain_text(
        "登录已过期：请在新窗口重新登录后再点保存，您的修改仍在页面上。"
    )
    expect(score).to_have_value("０．９")
    assert not IndicatorScore.objects.exists()

    login(office_staff, page.context.new_page())  # signs in again in another window (a new CSRF token)
    page.click("#indicator-form button[type=submit]")
    expect(page.locator(".site-message")).to_contain_text("已保存 1 项指标得分")
    saved = IndicatorScore.objects.get()
    assert (saved.score, saved.reason) == (Decimal("0.900"), "四好农村路进度慢")


def test_the_adjustment_form_keeps_its_data_when_the_session_expired(period, login, office_staff):
    page = login(office_staff)
    page.goto("/entry/2020/9/adjustments/new/")
    page.fill("[data-filter-select]", "交通")  # the unit list can be searched
    expect(page.locator("#id_unit")).to_have_value(str(Unit.objects.get(name="市交通局").pk))
    page.fill("#id_points", "-0.025")
    page.fill("#id_reason", "未按时报送信息")
    page.context.clear_cookies()
    page.click("#adjustment-form button[type=submit]")
    expect(page.locator(".session-problem")).to_contain_text("登录已过期")
    expect(page.locator("#id_reason")).to_have_value("未按时报送信息")
    login(office_staff, page.context.new_page())
    page.click("#adjustment-form button[type=submit]")
    expect(page.locator(".site-message")).to_contain_text("已为市交通局添加加扣分")
    assert Adjustment.objects.get().points == Decimal("-0.025")


def test_leaving_a_changed_form_asks_first(period, login, office_staff):
    page = login(office_staff)
    page.goto("/entry/2020/9/departments/")
    page.locator("input.indicator-score").first.click()
    page.keyboard.type("0.9")  # typed: the page has had a user gesture, as a person's page has
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.click("#logout-form button")
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/entry/2020/9/departments/")  # stayed: the six pasted cells are not lost
