"""Under the Content-Security-Policy the pages work and Chromium reports no violation: no inline script,
no inline style, the chart with its tooltip, the print buttons, the progress bars, the admin."""

from decimal import Decimal

import pytest

from assessment import services
from assessment.models import PeriodStatus
from tests.periods import fill_period, open_october_with_a_few_cells

pytestmark = pytest.mark.browser


@pytest.fixture
def data(office_admin):
    """August and September 2020 published (every cell entered), October open with a few cells."""
    for month, score in ((8, Decimal("1.4")), (9, Decimal("1.5"))):
        period = services.get_or_create_period(year=2020, month=month)
        fill_period(period, score=score)
        for status in (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED):
            services.change_period_status(user=office_admin, period=period, status=status)
    return open_october_with_a_few_cells()


@pytest.fixture
def watched(page, login, office_admin, data):
    """The signed-in page, with every CSP violation and JavaScript error it reports."""
    problems = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    login(office_admin)
    yield page
    assert problems == [], problems


def test_dashboard_progress_bars_get_their_width_from_the_script(watched):
    watched.goto("/")
    bar = watched.locator("#open-period .progress-bar").first
    percent = bar.get_attribute("data-width-percent")
    assert bar.evaluate("element => element.style.width") == f"{percent}%"
    navbar = watched.locator(".navbar-minsheng")
    assert navbar.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(155, 28, 28)"


def test_the_unit_chart_renders_and_its_tooltip_shows(watched, data):
    watched.goto(f"/units/{data.pk}/?year=2020")
    chart = watched.locator("#unit-chart[data-rendered=true]")
    chart.wait_for()
    box = chart.bounding_box()
    watched.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    watched.wait_for_timeout(300)
    watched.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
    watched.wait_for_timeout(300)


def test_the_print_button_prints(watched):
    watched.goto("/periods/2020/9/attachment-1/")
    watched.evaluate("() => { window.print = () => { window.printed = true; }; }")
    watched.get_by_role("button", name="打印").click()
    assert watched.evaluate("() => window.printed") is True


PAGES = [
    "/entry/",
    "/entry/2020/10/",
    "/entry/2020/10/grid/",
    "/entry/2020/10/departments/",
    "/entry/2020/10/adjustments/",
    "/entry/2020/10/upload/",
    "/entry/2020/10/changes/",
    "/periods/2020/9/tables/",
    "/periods/2020/9/attachment-2/",
    "/periods/2020/9/attachment-3/",
    "/account/password/",
    "/admin/",
    "/admin/projects/project/",
    "/admin/projects/project/import/",
    "/admin/auth/user/add/",
]


def test_pages_load_without_a_violation(watched):
    for path in PAGES:  # one test: the data is built once
        response = watched.goto(path)
        assert response.status == 200, path
        assert response.headers["content-security-policy"], path
        watched.wait_for_load_state("networkidle")


def test_the_grid_works_under_the_policy(watched):
    watched.goto("/entry/2020/10/grid/")
    cell = watched.locator("td.cell.editable input").first
    cell.fill("1.2")
    cell.press("Tab")
    assert "dirty" in (watched.locator("td.cell.editable").first.get_attribute("class") or "")
