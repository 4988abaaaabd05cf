"""The department grid in Chromium: paste a block from Excel, arrow keys and Enter, changed cells marked, save."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment import services
from assessment.models import IndicatorScore
from assessment.selectors.reference import period_units
from projects.models import Indicator

from .test_entry_browser import paste

pytestmark = pytest.mark.browser

DEPARTMENTS = "/entry/2020/9/departments/"


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def test_office_staff_pastes_a_block_moves_with_the_keys_saves_and_reloads(period, login, office_staff):
    departments = period_units(period, "department")[:4]
    progress, work = Indicator.objects.filter(year_id=period.year_id).order_by("display_order")
    keys = [[f"{d.pk}-{progress.pk}", f"{d.pk}-{work.pk}"] for d in departments]
    errors = []

    page = login(office_staff)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(DEPARTMENTS)

    def score(row: int, col: int):
        return page.locator(f'input[name="score-{keys[row][col]}"]')

    def reason(row: int, col: int):
        return page.locator(f'input[name="reason-{keys[row][col]}"]')

    def focused() -> str:
        return page.evaluate("document.activeElement.name")

    expect(page.locator("#indicator-status")).to_have_text("没有未保存的修改")

    # a 2 × 2 block copied from Excel, pasted at the first department's 项目进展
    score(0, 0).click()
    paste(page, "1\t0.5\r\n0.9\t0.5\r\n")
    expect(page.locator(".indicator-message")).to_contain_text("已粘贴 4 格")
    assert [score(r, c).input_value() for r in (0, 1) for c in (0, 1)] == ["1", "0.5", "0.9", "0.5"]
    expect(score(1, 0).locator("..")).to_have_class(re.compile(r"\bdirty\b"))
    expect(reason(1, 0).locator("..")).to_have_class(re.compile(r"\bneeds-reason\b"))  # 0.9 is below 1

    # arrow keys and Enter move between the score inputs; Enter does not submit the form
    page.keyboard.press("ArrowDown")
    assert focused() == f"score-{keys[1][0]}"
    page.keyboard.press("ArrowDown")
    assert focused() == f"score-{keys[2][0]}"
    page.keyboard.type("1")
    page.keyboard.press("ArrowRight")  # the caret is at the end: move past the reason to the next score
    assert focused() == f"score-{keys[2][1]}"
    page.keyboard.type("0.5")
    page.keyboard.press("ArrowLeft")  # the caret is at the end, not at the start: it moves within the input
    assert focused() == f"score-{keys[2][1]}"
    page.keyboard.press("Enter")
    assert focused() == f"score-{keys[3][1]}"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert focused() == f"score-{keys[1][1]}"
    assert page.url.endswith(DEPARTMENTS)
    expect(page.locator("#indicator-grid td.indicator-cell.dirty")).to_have_count(6)
    expect(page.locator("#indicator-status")).to_contain_text("6 项修改未保存")
    expect(page.locator("#indicator-status")).to_contain_text("1 项低于满分")

    reason(1, 0).fill("进度滞后")
    expect(reason(1, 0).locator("..")).not_to_have_class(re.compile(r"\bneeds-reason\b"))
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存 6 项指标得分")

    page.reload()
    assert [score(r, c).input_value() for r in range(3) for c in (0, 1)] == [
        "1.000",
        "0.500",
        "0.900",
        "0.500",
        "1.000",
        "0.500",
    ]
    expect(reason(1, 0)).to_have_value("进度滞后")
    expect(score(3, 0)).to_have_value("")
    expect(page.locator("#indicator-grid td.dirty")).to_have_count(0)
    assert IndicatorScore.objects.filter(period=period).count() == 6
    saved = IndicatorScore.objects.get(period=period, department=departments[1], indicator=progress)
    assert (saved.score, saved.reason) == (Decimal("0.900"), "进度滞后")
    assert errors == []
