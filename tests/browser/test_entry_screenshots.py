"""The score entry pages render in Chromium without JavaScript errors; with SCREENSHOTS=1 they are saved for the README.

    SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_entry_screenshots.py -m browser

writes docs/screenshots/entry-*.png from an open September 2020 that is mostly entered.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from assessment import services
from projects.models import Indicator, Project, Unit
from tests.browser.test_screenshots import save
from tests.conftest import make_user

pytestmark = pytest.mark.browser

PERIOD = "/entry/2020/9/"
MISSING_PROJECTS = {"6": ["郊区", "经开区"], "29": ["经开区"], "15-1": None}  # None: every region
MISSING_INDICATORS = {"市水利局": None, "市交通局": ["工作推进情况"]}


@pytest.fixture
def september(reference_data, office_staff):
    """September 2020 open: entered by the system except a few cells, then a few edits by named users."""
    period = services.get_or_create_period(year=2020, month=9)
    regions, indicators = list(Unit.objects.regions()), list(Indicator.objects.all())
    items = [
        services.ProjectScoreInput(region, project, Decimal("1.5"))
        for project in Project.objects.all()
        for region in regions
        if project.code not in MISSING_PROJECTS
        or (MISSING_PROJECTS[project.code] is not None and region.name not in MISSING_PROJECTS[project.code])
    ]
    services.save_project_scores(user=None, period=period, items=items)
    items = [
        services.IndicatorScoreInput(department, indicator, indicator.max_score)
        for department in Unit.objects.departments()
        for indicator in indicators
        if department.name not in MISSING_INDICATORS
        or (
            MISSING_INDICATORS[department.name] is not None
            and indicator.name not in MISSING_INDICATORS[department.name]
        )
    ]
    services.save_indicator_scores(user=None, period=period, items=items)

    nongye = make_user("nongye", Role.DEPARTMENT_USER, "市农业农村局")
    yian, tongguan = Unit.objects.get(name="义安区"), Unit.objects.get(name="铜官区")
    services.save_project_scores(
        user=nongye,
        period=period,
        items=[
            services.ProjectScoreInput(tongguan, Project.objects.get(code="1"), Decimal("1.45"), reason="资金拨付滞后"),
            services.ProjectScoreInput(yian, Project.objects.get(code="11"), Decimal("1.4"), reason="改厕进度未达序时"),
        ],
    )
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[services.ProjectScoreInput(yian, Project.objects.get(code="4"), Decimal("1.3"), reason="民生办核减")],
    )
    services.save_indicator_scores(
        user=office_staff,
        period=period,
        items=[
            services.IndicatorScoreInput(
                Unit.objects.get(name="市商务局"),
                Indicator.objects.get(name="工作推进情况"),
                Decimal("0.4"),
                "信息报送不及时",
            )
        ],
    )
    services.add_adjustment(
        user=office_staff, period=period, unit=yian, points=Decimal("0.05"), reason="省民生网站刊登信息"
    )
    return period


@pytest.fixture
def js_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == [], f"JavaScript errors: {errors}"


def test_period_page_renders(september, login, office_staff, js_errors):
    page = login(office_staff)
    page.goto(PERIOD)
    expect(page.locator(".period-status").first).to_have_text("录入中")
    expect(page.locator("#todo")).to_contain_text("市水利局")
    expect(page.locator("#todo")).to_contain_text("6 郊区")
    save(page, "entry-period")


def test_region_grid_with_changes_and_reasons_renders(september, login, js_errors):
    page = login(make_user("nongye-2", Role.DEPARTMENT_USER, "市农业农村局"))
    page.goto(PERIOD + "grid/")
    expect(page.locator("#score-grid tbody tr")).to_have_count(5)
    grid_cell = page.locator("#score-grid tbody tr").nth(4).locator("input.cell-input")  # 15-1: still empty
    grid_cell.nth(0).click()
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")
    page.keyboard.type("1.2")
    page.keyboard.press("Tab")
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")
    page.keyboard.type("1.35")
    page.locator(".reason-input").first.fill("培训人数未达计划")
    grid_cell.nth(2).click()
    expect(page.locator("td.dirty")).to_have_count(4)
    expect(page.locator(".reason-input")).to_have_count(2)
    expect(page.locator("#grid-status")).to_contain_text("1 处需要填写扣分原因")
    page.wait_for_timeout(300)  # let Bootstrap's border transition of the filled reason finish
    save(page, "entry-grid", full_page=False)


def test_department_grid_renders(september, login, office_staff, js_errors):
    page = login(office_staff)
    page.goto(PERIOD + "departments/")
    first = page.locator("input.indicator-score").first
    first.click()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', '1\\t0.5\\r\\n0.8\\t0.5\\r\\n');
            document.activeElement.dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(page.locator(".indicator-message")).to_contain_text("已粘贴 4 格")
    expect(page.locator("#indicator-status")).to_contain_text("需要填写原因")
    save(page, "entry-departments")


def test_upload_preview_renders(september, login, office_staff, js_errors):
    page = login(office_staff)
    page.goto(PERIOD + "upload/")
    rows = ["年度,月份,单位,考评项,分值,说明", "2020,9,郊区,6,1.5,", "2020,9,经开区,6,1.2,管网改造滞后"]
    rows += ["2020,9,经开区,29,1.5,", "2020,9,市水利局,项目进展,1,", "2020,9,市水利局,工作推进情况,0.5,"]
    csv = ("\n".join(rows) + "\n").encode()
    page.set_input_files("input[type=file]", files=[{"name": "9月得分.csv", "mimeType": "text/csv", "buffer": csv}])
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#upload-changes tbody tr")).to_have_count(5)
    expect(page.get_by_role("button", name="确认导入")).to_be_visible()
    save(page, "entry-upload-preview")


def test_change_log_renders(september, login, office_staff, js_errors):
    page = login(office_staff)
    page.goto(PERIOD + "changes/")
    expect(page.locator("table.audit-log tbody")).to_contain_text("民生办核减")
    expect(page.locator("table.audit-log tbody")).to_contain_text("nongye")
    save(page, "entry-changes", full_page=False)
