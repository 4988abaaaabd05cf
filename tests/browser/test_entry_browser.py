"""End to end in Chromium: keyboard entry, paste from Excel, validation, save, conflicts, publishing."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from assessment import services
from assessment.models import PeriodStatus, ProjectScore
from projects.models import Indicator, Project, Unit
from tests.conftest import make_user

pytestmark = pytest.mark.browser

GRID = "/entry/2020/9/grid/"


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def key(region: str, code: str) -> str:
    return f"{Unit.objects.get(name=region).pk}-{Project.objects.get(code=code).pk}"


def cell(page, region: str, code: str):
    return page.locator(f'input.cell-input[data-key="{key(region, code)}"]')


def focused_key(page) -> str:
    return page.evaluate("document.activeElement.dataset.key")


def paste(page, text: str) -> None:
    """What Excel puts on the clipboard for a copied block: text/plain, tab-separated, one line per row."""
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            document.activeElement.dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )


def test_department_user_types_pastes_sees_a_range_error_saves_and_reloads(period, login):
    # 市农业农村局 is responsible for projects 1, 10, 11, 12-1 and 15-1: five rows in its grid.
    user = make_user("nongye", Role.DEPARTMENT_USER, "市农业农村局")
    page = login(user)
    page.goto(GRID)
    expect(page.locator("#score-grid tbody tr")).to_have_count(5)
    save = page.locator("#grid-save")
    expect(save).to_be_disabled()

    cell(page, "义安区", "1").click()
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")
    assert focused_key(page) == key("铜官区", "1")
    page.keyboard.type("1.45")
    page.keyboard.press("Enter")
    assert focused_key(page) == key("铜官区", "10")
    page.keyboard.type("1.5")
    page.keyboard.press("ArrowUp")
    assert focused_key(page) == key("铜官区", "1")
    page.keyboard.press("ArrowLeft")  # the whole value is selected on focus: move, do not edit
    assert focused_key(page) == key("义安区", "1")
    expect(cell(page, "铜官区", "1").locator("..")).to_have_class(re.compile(r"\bdirty\b"))
    expect(cell(page, "铜官区", "1").locator("..")).to_have_class(re.compile(r"needs-reason"))

    # a 3 × 4 block copied from Excel, pasted at project 11 × 义安区; one value is out of range
    cell(page, "义安区", "11").click()
    paste(page, "1.5\t1.5\t1.5\t1.5\r\n1.5\t1.3\t1.5\t1.5\r\n1.5\t1.5\t1.5\t9\r\n")
    expect(page.locator(".grid-message").last).to_contain_text("已粘贴 12 格")
    assert cell(page, "郊区", "12-1").input_value() == "1.5"
    bad = cell(page, "郊区", "15-1")
    expect(bad).to_have_value("9")
    expect(bad.locator("..")).to_have_class(re.compile(r"\binvalid\b"))
    expect(page.locator("#grid-status")).to_contain_text("得分应在 0 到 1.5 之间")
    expect(save).to_be_disabled()

    bad.click()
    page.keyboard.type("1.5")
    expect(page.locator("#grid-status")).not_to_contain_text("错误")
    expect(save).to_be_disabled()  # two scores below the maximum still lack their reason
    page.fill(f"#reason-{key('铜官区', '1')}", "资金拨付滞后")
    page.fill(f"#reason-{key('铜官区', '12-1')}", "进度未达序时")
    expect(save).to_be_enabled()
    save.click()
    expect(page.locator(".grid-message.alert-success")).to_contain_text("已保存 15 格")
    expect(page.locator("td.dirty")).to_have_count(0)

    page.reload()
    expect(cell(page, "铜官区", "1")).to_have_value("1.450")
    expect(cell(page, "铜官区", "12-1")).to_have_value("1.300")
    expect(cell(page, "郊区", "15-1")).to_have_value("1.500")
    assert ProjectScore.objects.filter(period=period).count() == 15
    assert ProjectScore.objects.get(region__name="铜官区", project__code="1").reason == "资金拨付滞后"

    # emptying a saved cell is a change like any other: marked, no reason required, cleared on save
    cleared = cell(page, "铜官区", "1")
    cleared.click()
    page.keyboard.press("Backspace")
    expect(cleared.locator("..")).to_have_class(re.compile(r"\bdirty\b"))
    expect(cleared.locator("..")).to_have_class(re.compile(r"\bclearing\b"))
    expect(cleared).to_have_attribute("placeholder", "将清空")
    expect(page.locator("#grid-status")).to_contain_text("1 格将清空")
    expect(save).to_be_enabled()
    save.click()
    expect(page.locator(".grid-message.alert-success").last).to_contain_text("已保存 1 格")
    expect(page.locator("td.dirty")).to_have_count(0)
    page.reload()
    expect(cell(page, "铜官区", "1")).to_have_value("")
    assert not ProjectScore.objects.filter(region__name="铜官区", project__code="1").exists()


def test_a_concurrent_edit_is_detected_and_nothing_is_lost(period, login, new_page, office_staff, department_user):
    mine = login(department_user)
    theirs = login(office_staff, new_page())
    mine.goto(GRID)
    theirs.goto(GRID)

    cell(theirs, "义安区", "4").fill("1.3")
    theirs.fill(f"#reason-{key('义安区', '4')}", "民生办核减")
    theirs.click("#grid-save")
    expect(theirs.locator(".grid-message.alert-success")).to_contain_text("已保存 1 格")

    cell(mine, "义安区", "4").fill("1.4")
    mine.fill(f"#reason-{key('义安区', '4')}", "部门自评")
    mine.click("#grid-save")
    conflict = mine.locator("#conflict-panel")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("1.400")
    expect(conflict).to_contain_text("1.300")
    expect(conflict).to_contain_text("office-staff")
    expect(cell(mine, "义安区", "4")).to_have_value("1.4")  # my value is still on the page
    assert ProjectScore.objects.get(period=period).score == Decimal("1.300")

    mine.click("#conflict-panel .keep-mine")
    mine.click("#grid-save")
    expect(mine.locator(".grid-message.alert-success")).to_contain_text("已保存 1 格")
    assert ProjectScore.objects.get(period=period).score == Decimal("1.400")


def fill_everything(period):
    regions, projects = list(Unit.objects.regions()), list(Project.objects.all())
    items = [services.ProjectScoreInput(r, p, Decimal("1.5")) for r in regions for p in projects]
    items[0] = services.ProjectScoreInput(regions[0], projects[0], Decimal("1.2"), reason="进度滞后")
    services.save_project_scores(user=None, period=period, items=items)
    items = [
        services.IndicatorScoreInput(d, i, i.max_score)
        for d in Unit.objects.departments()
        for i in Indicator.objects.all()
    ]
    services.save_indicator_scores(user=None, period=period, items=items)


def test_office_admin_publishes(period, login, office_admin):
    fill_everything(period)
    services.change_period_status(user=None, period=period, status=PeriodStatus.CLOSED)
    page = login(office_admin)
    page.goto("/entry/2020/9/")
    expect(page.locator("#todo-complete")).to_be_visible()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".period-status").first).to_have_text("审核中")  # cancelled: nothing happened
    assert "27 个单位的得分和排名成为正式结果并锁定" in asked[0]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".period-status").first).to_have_text("已发布")
    expect(page.get_by_role("alert").first).to_contain_text("已发布")
    expect(page.get_by_role("button", name="重新开放")).to_be_visible()
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED


def test_region_user_sees_the_published_ranking_and_cannot_open_the_grid(period, login, region_user):
    fill_everything(period)
    services.change_period_status(user=None, period=period, status=PeriodStatus.CLOSED)
    services.change_period_status(user=None, period=period, status=PeriodStatus.PUBLISHED)
    page = login(region_user)
    response = page.goto("/periods/2020/9/attachment-1/")
    assert response.status == 200
    expect(page.locator("body")).to_contain_text("义安区")
    expect(page.locator("body")).to_contain_text("排名")
    response = page.goto(GRID)
    assert response.status == 403
    assert page.locator("input.cell-input").count() == 0
