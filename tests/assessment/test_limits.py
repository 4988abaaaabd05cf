"""The allowed values of 加扣分 items (assessment.limits, pure)."""

from decimal import Decimal as D

from assessment import limits

ADOPTED = limits.Limit(
    "information_adopted", "信息采用", minimum=D("0.05"), maximum=D("0.1"), allowed=(D("0.05"), D("0.1")), per_month=2
)


def test_without_rules_a_year_takes_items_within_the_default_half_point():
    year = limits.YearLimits.of([])
    assert year.check(D("0.05"), "other", 1).problems == []
    assert year.check(D("5"), "other", 1).problems == ["每项的加扣分应在 -0.500 到 +0.500 之间（现为 +5.000）"]
    assert year.check(D("-3"), "other", 1).problems  # −3 is refused too


def test_a_value_above_the_usual_size_asks_for_confirmation_but_is_allowed():
    verdict = limits.YearLimits.of([]).check(D("-0.3"), "other", 1)
    assert verdict.problems == []
    assert verdict.unusual == ["-0.300 超过了通常的 ±0.2"]
    assert verdict.confirmation.startswith("请确认：-0.300 超过了通常的 ±0.2")


def test_a_category_allows_only_its_values_and_so_many_items_a_month():
    year = limits.YearLimits.of([ADOPTED])
    assert year.check(D("0.1"), "information_adopted", 2).problems == []
    assert year.check(D("0.075"), "information_adopted", 1).problems == [
        "“信息采用”只能是 +0.050、+0.100（现为 +0.075）"
    ]
    assert year.check(D("0.05"), "information_adopted", 3).problems == [
        "“信息采用”每个单位每月最多 2 项（本月已有 2 项）"
    ]


def test_a_category_with_usual_values_asks_only_about_those():
    signboard = limits.Limit("signboard", "标识牌", maximum=D("-0.01"), usual=(D("-0.05"),))
    year = limits.YearLimits.of([signboard])
    assert year.check(D("-0.05"), "signboard", 1).unusual == []
    assert year.check(D("-0.1"), "signboard", 1).unusual == ["-0.100 不是“标识牌”的常见分值（-0.050）"]
    assert year.check(D("0.05"), "signboard", 1).problems == ["标识牌的加扣分应不高于 -0.010（现为 +0.050）"]


def test_values_are_read_like_any_typed_number():
    assert limits.parse_values("0.05、０．１, -0.025") == (D("-0.025"), D("0.05"), D("0.1"))
