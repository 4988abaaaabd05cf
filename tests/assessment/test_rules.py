"""The one parser of a typed or uploaded number, and the rules every score shares."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import rules

D = Decimal


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1.5", D("1.500")),
        (" 1.50 ", D("1.500")),
        ("１．５", D("1.500")),
        ("1.5000", D("1.500")),
        (".5", D("0.500")),
        ("+0.05", D("0.050")),
        ("－0.025", D("-0.025")),
        (1.315, D("1.315")),  # an Excel number cell, read by its shortest repr
        (2, D("2.000")),
        (D("0.1"), D("0.100")),
    ],
)
def test_numbers_typed_or_uploaded_are_read_exactly(value, number):
    assert rules.parse_number(value) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "“abc”不是有效的数字"),
        ("1e0", "“1e0”不是有效的数字"),
        ("1,5", "“1,5”不是有效的数字"),
        ("Infinity", "“Infinity”不是有效的数字"),
        ("1.2345", "“1.2345”最多保留 3 位小数"),
        (1e-05, "“1e-05”最多保留 3 位小数"),
        (True, "“True”不是有效的数字"),
        (float("nan"), "“nan”不是有效的数字"),
        ("9" * 40, "不是有效的数字"),
        ("1\x00", "“1”不是有效的数字"),
    ],
)
def test_what_is_not_a_number_is_said_in_one_set_of_words(value, message):
    with pytest.raises(rules.InvalidNumber) as refused:
        rules.parse_number(value)
    assert message in str(refused.value)


def test_a_cell_is_a_score_in_range_a_not_applicable_mark_or_empty():
    maximum = D("1.5")
    assert rules.parse_cell("1.5", maximum=maximum, not_applicable_allowed=True) == rules.Cell(D("1.500"))
    assert rules.parse_cell("——", maximum=maximum, not_applicable_allowed=True).not_applicable
    assert rules.parse_cell("／", maximum=maximum, not_applicable_allowed=True).not_applicable
    assert rules.parse_cell("  ", maximum=maximum, not_applicable_allowed=True).is_empty
    with pytest.raises(rules.InvalidNumber, match="得分应在 0 到 1.5 之间"):
        rules.parse_cell("1.501", maximum=maximum, not_applicable_allowed=True)
    with pytest.raises(rules.InvalidNumber, match="只能用于县区项目得分"):
        rules.parse_cell("—", maximum=D("1"), not_applicable_allowed=False)


def test_a_score_below_the_maximum_needs_its_reason_in_the_same_words_everywhere():
    assert rules.reason_problem(D("1.4"), D("1.5"), " ") == "得分低于满分 1.5，请填写扣分原因"
    assert rules.reason_problem(D("0.9"), D("1.000"), "") == "得分低于满分 1，请填写扣分原因"
    assert rules.reason_problem(D("1.5"), D("1.5"), "") is None
    assert rules.reason_problem(None, D("1.5"), "") is None


def test_points_are_signed_never_zero_and_need_a_reason():
    assert rules.parse_points("-0.05") == D("-0.050")
    with pytest.raises(rules.InvalidNumber, match="加扣分不能为 0"):
        rules.parse_points("0.000")
    with pytest.raises(rules.InvalidNumber, match="请填写分值"):
        rules.parse_points("")
    assert rules.points_problem(D("0.05"), "").message == "加扣分必须填写原因"


def test_texts_refuse_control_characters_and_excess_length():
    assert rules.text_problem("扣分\x00原因") == "不能包含控制字符（如 NUL）"
    assert rules.text_problem("第一行\n第二行\t") is None
    assert rules.text_problem("字" * 501) == "原因最多 500 个字（现有 501 个字）"


def test_score_text_rounds_half_up_and_marks_not_applicable():
    assert rules.score_text(D("1.4985")) == "1.499"
    assert rules.score_text(D("-0.0004")) == "0.000"
    assert rules.score_text(None, not_applicable=True) == "—"
    assert rules.points_text(D("0.05")) == "+0.050"
    with pytest.raises(TypeError):
        rules.score_text(1.5)


def test_the_browser_grids_get_the_same_marks_and_messages():
    config = rules.client_config(D("1.500"))
    assert config["max"] == "1.5"
    assert config["notApplicableMarks"] == list(rules.NOT_APPLICABLE_MARKS)
    assert config["messages"]["outOfRange"] == rules.OUT_OF_RANGE
    assert config["messages"]["reasonRequired"] == rules.REASON_REQUIRED


@given(st.integers(min_value=-(10**9) + 1, max_value=10**9 - 1))
def test_every_thousandth_reads_back_as_itself(thousandths):
    number = D(thousandths).scaleb(-3)
    assert rules.parse_number(rules.score_text(number)) == number
    assert rules.parse_number(str(number).replace(".", "．")) == number
