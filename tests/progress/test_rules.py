"""The progress, funds and information rules (projects.progress_rules), tested as plain functions over
Decimals: no database, no float."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects import progress_rules as r

D = Decimal
PROPERTY = settings(max_examples=200, deadline=None)


def cents(low, high):
    return st.integers(low, high).map(lambda n: D(n).scaleb(-2))


# --- rates ------------------------------------------------------------------------------------------------------


def test_the_seeds_rates():
    assert r.funds_rate(D("66900"), D("104892")) == D("63.78")
    assert r.adoption_rate(248, 513) == D("48.34")
    assert r.yi_text(D("66900")) == "6.69"
    assert r.wan_people(636800) == D("63.68")
    assert r.short_text(r.yi(D("41000"))) == "4.1"


def test_half_up_not_bankers():
    assert r.percent(1, 8) == D("12.50")
    assert r.percent(D("0.125"), 1) == D("12.50")
    assert r.percent(D("0.00125"), D("0.01")) == D("12.50")
    assert r.percent(D("1.0005"), 10) == D("10.01")  # 10.005 → 10.01 (half-even would give 10.00)
    assert r.yi(D("12345")) == D("1.23") and r.yi(D("12350")) == D("1.24")  # 1.235 → 1.24


def test_zero_denominators_have_no_rate():
    assert r.completion_rate(D("5"), 0) is None
    assert r.funds_rate(0, 0) is None
    assert r.adoption_rate(0, 0) is None
    assert r.percent_text(None) == "" and r.percent_label(None) == "—"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        r.percent(0.5, 1)
    with pytest.raises(TypeError):
        r.yi(1.5)


@PROPERTY
@given(cents(0, 10**9), cents(1, 10**9))
def test_percent_is_the_half_up_quotient(numerator, denominator):
    exact = numerator * 100 / denominator
    assert r.percent(numerator, denominator) == exact.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# --- 序时进度 and 滞后 ----------------------------------------------------------------------------------------------


def test_schedule_of_construction_is_month_over_due_month_capped():
    assert r.schedule("construction", 6) == D("54.55")  # 6 / 11
    assert r.schedule("construction", 11) == D("100.00")
    assert r.schedule("construction", 12) == D("100.00")
    assert r.schedule("construction", 3, due_month=6) == D("50.00")
    assert r.schedule("construction", 9, due_month=6) == D("100.00")
    assert r.schedule("construction", 5, default_due_month=10) == D("50.00")


def test_schedule_of_the_others_is_month_over_twelve():
    assert r.schedule("subsidy", 6) == D("50.00")
    assert r.schedule("training", 6, due_month=6) == D("50.00")  # a due month is for 工程类 only
    assert r.schedule("other", 1) == D("8.33")
    assert r.schedule("other", 12) == D("100.00")
    with pytest.raises(ValueError):
        r.schedule("other", 13)


def test_lagging_is_more_than_the_tolerance_below_schedule():
    scheduled = D("54.55")
    assert r.is_lagging(D("44.54"), scheduled, D("10"))
    assert not r.is_lagging(D("44.55"), scheduled, D("10"))  # exactly 10 points below: not 滞后
    assert not r.is_lagging(D("60"), scheduled, D("10"))
    assert not r.is_lagging(None, scheduled, D("10"))
    assert r.is_lagging(D("50"), scheduled, D("0"))


@PROPERTY
@given(cents(0, 20000), st.integers(1, 12), st.integers(1, 12), cents(0, 10000))
def test_lagging_property(rate, month, due, tolerance):
    scheduled = r.schedule("construction", month, due)
    assert r.is_lagging(rate, scheduled, tolerance) == (scheduled - rate > tolerance)
    assert D(0) <= scheduled <= D(100)


def test_met_target():
    assert r.has_met_target(D("100.00")) and r.has_met_target(D("120"))
    assert not r.has_met_target(D("99.99")) and not r.has_met_target(None)
    assert r.project_met_target([D("100"), D("101")])
    assert not r.project_met_target([D("100"), D("99.99")])
    assert not r.project_met_target([])
    assert not r.project_met_target([D("100"), None])


# --- totals -----------------------------------------------------------------------------------------------------


def test_funds_add_up():
    total = r.total_funds([r.Funds(D("100.00"), D("50.00")), r.Funds(D("0.50"), D("0.25"))])
    assert total == r.Funds(D("100.50"), D("50.25")) and total.rate == D("50.00")
    assert r.total_funds([]).rate is None


def test_information_adds_up():
    total = r.total_information([r.Information(10, 5, 1), r.Information(3, 1, 0)])
    assert total == r.Information(13, 6, 1) and total.adoption_rate == D("46.15")


# --- checks -----------------------------------------------------------------------------------------------------


def test_adopted_never_above_reported():
    assert r.information_problem(5, 5, 5) is None
    assert r.information_problem(5, 6, 0).field == "city_adopted"
    assert r.information_problem(5, 0, 6).message == "省采用 6 条多于报送 5 条"
    assert r.information_problem(-1, 0, 0).field == "reported"


def test_a_decrease_needs_a_reason():
    before = r.MonthFigures(D("10"), D("100"), 50)
    assert r.decrease_problem(None, before, "") is None
    assert r.decrease_problem(before, r.MonthFigures(D("10"), D("100"), 50), "") is None
    problem = r.decrease_problem(before, r.MonthFigures(D("9.5"), D("100"), 50), "")
    assert problem.field == "completed" and "低于上月（10）" in problem.message
    assert r.decrease_problem(before, r.MonthFigures(D("10"), D("99"), 50), "").field == "paid"
    assert r.decrease_problem(before, r.MonthFigures(D("10"), D("100"), 49), "").field == "beneficiaries"
    assert r.decrease_problem(before, r.MonthFigures(D("1"), D("1"), 1), "更正：上月多报") is None


def test_plausibility():
    assert r.plausibility_problem(D("150"), D("100"), D("150")) is None
    assert "超过目标任务 100 的 150%" in r.plausibility_problem(D("150.01"), D("100"), D("150"))
    assert r.plausibility_problem(D("1"), D("0"), D("150")) is not None
    assert r.plausibility_problem(D("0"), D("0"), D("150")) is None


def test_proposal_points_are_capped():
    assert r.proposal_points(D("0.05"), 1, D("0.1")) == D("0.050")
    assert r.proposal_points(D("0.05"), 3, D("0.1")) == D("0.100")
    assert r.proposal_points(D("-0.025"), 5, D("0.05")) == D("-0.050")
    assert r.proposal_points(D("0.05"), 3) == D("0.150")


# --- printing ---------------------------------------------------------------------------------------------------


def test_printing():
    assert r.wan_text(D("104892")) == "104892.00"
    assert r.wan_text(D("0.005")) == "0.01"
    assert r.percent_label(D("48.3")) == "48.30%"
    assert r.quantity_text(D("120.00")) == "120" and r.quantity_text(D("12.50")) == "12.5"
    assert r.quantity_text(D("0.00")) == "0"
    assert r.target_text(D("20"), "公里", D("100.5"), 11) == "目标 20公里，预算 100.50万元，11月底前"
    assert r.progress_text(D("5"), "户", D("1"), 3) == "完成 5户，拨付 1.00万元，受益 3人次"
