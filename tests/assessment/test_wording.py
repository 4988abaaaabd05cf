"""How the official tables word months, points and rank moves."""

from decimal import Decimal

from assessment import wording

D = Decimal


def test_month_ranges_and_point_phrases_read_as_printed():
    assert wording.month_range_text([1, 2, 3]) == "1-3月"
    assert wording.month_range_text([2]) == "2月"
    assert wording.month_range_text([1, 2, 5]) == "1-2、5月"
    assert wording.adjustment_phrase("省民生网站刊登信息", D("0.050")) == "省民生网站刊登信息加0.05分"
    assert wording.adjustment_phrase("未按时报送资金报表", D("-0.05")) == "未按时报送资金报表扣0.05分"
    assert wording.adjustment_phrase("未按时公示扣0.05分", D("-0.05")) == "未按时公示扣0.05分"
    assert wording.rank_change_text(2) == "▲2" and wording.rank_change_text(-1) == "▼1"
    assert wording.rank_change_text(0) == wording.rank_change_text(None) == "—"


def test_a_whole_quarter_is_named_as_the_notice_names_it():
    assert wording.months_phrase([1, 2, 3]) == "一季度"
    assert wording.months_phrase([1, 2]) == "1-2月"
    sentence = wording.imputation_sentence(["市城管执法局", "市数据资源局"], [1, 2, 3], "市直单位")
    assert sentence == "市城管执法局和市数据资源局未纳入一季度考评，一季度按市直单位平均得分计"
