"""The scoring rules of the monthly assessment (民生工程月度考评), tested as plain functions over Decimals.

No database and no Django models: assessment.scoring is a pure module. Property tests build every
Decimal from integers (thousandths and finer) so that no float is ever involved.
"""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.scoring import (
    AVERAGE_THEN_ADD,
    SUM_THEN_DIVIDE,
    MonthScore,
    UnitMonth,
    competition_ranks,
    department_month_score,
    mean_score,
    missing_items,
    month_scores,
    rank_change,
    ranks_by_kind,
    region_month_score,
    round_score,
    year_results,
)

D = Decimal
PROPERTY = settings(max_examples=200, deadline=None)


def thousandths(min_value, max_value):
    """Decimals with exactly 3 decimals, built from integer thousandths."""
    return st.integers(min_value, max_value).map(lambda n: D(n).scaleb(-3))


def fine_decimals(min_value=-(10**9), max_value=10**9, places=6):
    """Decimals with more places than a score keeps, built from integers."""
    return st.integers(min_value, max_value).map(lambda n: D(n).scaleb(-places))


def region(unit_id, *project_scores, adjustments=(), **extra):
    return UnitMonth(unit_id, "region", project_scores=tuple(project_scores), adjustments=tuple(adjustments), **extra)


def department(unit_id, *indicator_scores, adjustments=(), **extra):
    return UnitMonth(
        unit_id, "department", indicator_scores=tuple(indicator_scores), adjustments=tuple(adjustments), **extra
    )


# --- round_score -----------------------------------------------------------------------------------------------


def test_half_up_rounding_never_bankers():
    # Banker's rounding (ROUND_HALF_EVEN) would give 0.002, 1.500 and 2.000 here.
    assert round_score(D("0.0025")) == D("0.003")
    assert round_score(D("1.4995")) == D("1.500")
    assert round_score(D("1.5005")) == D("1.501")
    assert round_score(D("2.0005")) == D("2.001")
    assert D("0.0025").quantize(D("0.001"), rounding=ROUND_HALF_EVEN) == D("0.002")


def test_rounding_keeps_three_decimals_even_for_whole_numbers():
    assert str(round_score(D("1"))) == "1.000"
    assert str(round_score(D("1.5"))) == "1.500"
    assert str(round_score(D("1.49949"))) == "1.499"


def test_negative_half_rounds_away_from_zero():
    assert round_score(D("-0.0025")) == D("-0.003")
    assert round_score(D("-0.10049")) == D("-0.100")


def test_float_input_is_refused():
    with pytest.raises(TypeError):
        round_score(1.5)
    with pytest.raises(TypeError):
        round_score(0.0025)


def test_float_input_is_refused_through_the_score_functions():
    with pytest.raises(TypeError):
        department_month_score([D("1")], [0.5])
    with pytest.raises(TypeError):
        month_scores([UnitMonth("x", "department", recorded_total=1.5)])


@PROPERTY
@given(fine_decimals())
def test_rounded_score_has_three_decimals_and_is_within_half_a_thousandth(x):
    result = round_score(x)
    assert result.as_tuple().exponent == -3
    assert abs(result - x) <= D("0.0005")


@PROPERTY
@given(st.integers(0, 10**7))
def test_exact_halves_round_up_for_positives_and_away_from_zero_for_negatives(n):
    half = D(10 * n + 5).scaleb(-4)  # n thousandths plus half a thousandth
    assert round_score(half) == D(n + 1).scaleb(-3)
    assert round_score(-half) == -D(n + 1).scaleb(-3)


@PROPERTY
@given(fine_decimals())
def test_rounding_is_idempotent(x):
    once = round_score(x)
    assert round_score(once) == once
    assert str(round_score(once)) == str(once)


@PROPERTY
@given(fine_decimals())
def test_rounding_agrees_with_quantize_half_up(x):
    expected = x.quantize(D("0.001"), rounding=ROUND_HALF_UP)
    assert round_score(x) == expected
    assert str(round_score(x)) == str(expected)


@PROPERTY
@given(st.integers(0, 10**6))
def test_rounding_differs_from_bankers_exactly_on_even_halves(n):
    even_half = D(20 * n + 5).scaleb(-4)  # an even number of thousandths plus a half: banker's rounds down
    assert round_score(even_half) == D(2 * n + 1).scaleb(-3)
    assert even_half.quantize(D("0.001"), rounding=ROUND_HALF_EVEN) == D(2 * n).scaleb(-3)


# --- region and department month scores ------------------------------------------------------------------------


def test_region_score_adds_adjustments_before_dividing():
    # 43 applicable projects at 1.5 with +0.05 加扣分: (64.5 + 0.05) / 43 = 1.50116… → 1.501.
    projects = [D("1.5")] * 43
    assert region_month_score(projects, [D("0.05")]) == D("1.501")
    assert region_month_score(projects, [D("0.05")], SUM_THEN_DIVIDE) == D("1.501")


def test_average_then_add_gives_a_different_result_for_43_projects():
    projects = [D("1.5")] * 43
    sum_then_divide = region_month_score(projects, [D("0.05")], SUM_THEN_DIVIDE)
    average_then_add = region_month_score(projects, [D("0.05")], AVERAGE_THEN_ADD)
    assert (sum_then_divide, average_then_add) == (D("1.501"), D("1.550"))
    assert sum_then_divide != average_then_add


def test_region_score_sums_several_adjustments_including_deductions():
    projects = [D("1.5"), D("1.4"), D("1.3"), D("1.2")]
    # (5.4 + 0.1 - 0.05) / 4 = 1.3625 → 1.363 (half up)
    assert region_month_score(projects, [D("0.1"), D("-0.05")]) == D("1.363")
    # 5.4 / 4 + 0.05 = 1.4
    assert region_month_score(projects, [D("0.1"), D("-0.05")], AVERAGE_THEN_ADD) == D("1.400")


def test_region_score_is_rounded_half_up():
    # (1.0 + 1.0 + 1.001 + 1.001) / 4 = 1.0005 → 1.001 (banker's would say 1.000)
    assert region_month_score([D("1"), D("1"), D("1.001"), D("1.001")], []) == D("1.001")


def test_region_without_project_scores_has_no_score():
    assert region_month_score([], []) is None
    assert region_month_score([], [D("0.05")]) is None
    assert region_month_score([], [D("0.05")], AVERAGE_THEN_ADD) is None


def test_unknown_region_formula_is_refused():
    with pytest.raises(ValueError):
        region_month_score([D("1.5")], [], "divide_then_guess")


def test_department_score_is_indicators_plus_adjustments():
    # Published September 2020 examples.
    assert department_month_score([D("1"), D("0.5")], [D("0.05")]) == D("1.550")  # 商务局
    assert department_month_score([D("0.85"), D("0.5")], [D("-0.1")]) == D("1.250")  # 水利局


def test_department_without_anything_entered_has_no_score():
    assert department_month_score([], []) is None


@PROPERTY
@given(st.lists(thousandths(0, 1500), min_size=1, max_size=60))
def test_without_adjustments_both_region_formulas_agree_on_the_rounded_mean(scores):
    expected = round_score(sum(scores, D(0)) / len(scores))
    assert region_month_score(scores, []) == expected
    assert region_month_score(scores, [], AVERAGE_THEN_ADD) == expected
    assert region_month_score(scores, [D("0.05"), D("-0.05")]) == expected


@PROPERTY
@given(st.lists(thousandths(0, 1500), min_size=1, max_size=60), st.lists(thousandths(-200, 200), max_size=4))
def test_region_formulas_match_their_definitions(scores, adjustments):
    total, adjustment, n = sum(scores, D(0)), sum(adjustments, D(0)), len(scores)
    assert region_month_score(scores, adjustments, SUM_THEN_DIVIDE) == round_score((total + adjustment) / n)
    assert region_month_score(scores, adjustments, AVERAGE_THEN_ADD) == round_score(total / n + adjustment)


# --- month scores of all units: recorded totals and peer means ---------------------------------------------------


def test_recorded_total_is_the_month_score_as_given_rounded():
    scores = month_scores(
        [
            region("铜官区", D("1.0"), recorded_total=D("1.4985")),
            department("商务局", D("0.1"), recorded_total=D("1.55")),
        ]
    )
    assert scores["铜官区"] == MonthScore(D("1.499"), imputed=False)
    assert scores["商务局"] == MonthScore(D("1.550"), imputed=False)


def test_month_scores_use_the_unit_kind_formula():
    scores = month_scores(
        [
            region("义安区", *[D("1.5")] * 43, adjustments=[D("0.05")]),
            department("商务局", D("1"), D("0.5"), adjustments=[D("0.05")]),
        ]
    )
    assert scores["义安区"].score == D("1.501")
    assert scores["商务局"].score == D("1.550")
    averaged = month_scores([region("义安区", *[D("1.5")] * 43, adjustments=[D("0.05")])], AVERAGE_THEN_ADD)
    assert averaged["义安区"].score == D("1.550")


def test_not_assessed_department_gets_peer_mean_rounded_half_up():
    scores = month_scores(
        [
            department("商务局", D("1"), D("0.5")),  # 1.500
            department("水利局", D("1"), D("0.501")),  # 1.501
            department("交通局", not_assessed=True),
        ]
    )
    # (1.500 + 1.501) / 2 = 1.5005 → 1.501; banker's rounding would give 1.500.
    assert scores["交通局"] == MonthScore(D("1.501"), imputed=True)
    assert scores["商务局"] == MonthScore(D("1.500"), imputed=False)
    assert str(scores["交通局"].score) == "1.501"


def test_imputed_unit_is_not_part_of_its_own_peer_mean():
    scores = month_scores(
        [
            department("商务局", D("1"), D("0.5")),  # 1.500
            department("水利局", D("0.9"), D("0.5")),  # 1.400
            # Numbers entered for a unit that is not assessed must not count, for itself or for the others.
            department("交通局", D("0"), not_assessed=True),
            department("教体局", recorded_total=D("9.999"), not_assessed=True),
        ]
    )
    assert scores["交通局"] == MonthScore(D("1.450"), imputed=True)
    assert scores["教体局"] == MonthScore(D("1.450"), imputed=True)


def test_peer_mean_ignores_units_without_a_score():
    scores = month_scores(
        [
            department("商务局", D("1"), D("0.5")),
            department("水利局"),  # nothing entered: no score, not a peer of the mean
            department("交通局", not_assessed=True),
        ]
    )
    assert scores["水利局"] == MonthScore(None, imputed=False)
    assert scores["交通局"] == MonthScore(D("1.500"), imputed=True)


def test_peer_mean_is_taken_over_units_of_the_same_kind_only():
    scores = month_scores(
        [
            region("铜官区", D("1.4")),
            region("义安区", D("1.5")),
            region("郊区", not_assessed=True),
            department("商务局", D("1"), D("0.5"), adjustments=[D("0.05")]),
            department("水利局", not_assessed=True),
        ]
    )
    assert scores["郊区"] == MonthScore(D("1.450"), imputed=True)
    assert scores["水利局"] == MonthScore(D("1.550"), imputed=True)


def test_not_assessed_unit_without_assessed_peers_has_no_score():
    scores = month_scores([department("交通局", not_assessed=True)])
    assert scores["交通局"].score is None


def test_mean_score_is_rounded_half_up_and_none_when_empty():
    assert mean_score([D("1.000"), D("1.001")]) == D("1.001")
    assert mean_score([D("1"), D("1"), D("2")]) == D("1.333")
    assert mean_score([]) is None


# --- ranks ------------------------------------------------------------------------------------------------------


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    assert competition_ranks({"a": D("2"), "b": D("2"), "c": D("1")}) == {"a": 1, "b": 1, "c": 3}


def test_september_2020_region_ranks():
    scores = {
        "铜官区": D("1.498"),
        "义安区": D("1.498"),
        "郊区": D("1.495"),
        "枞阳县": D("1.492"),
        "开发区": D("1.485"),
    }
    assert competition_ranks(scores) == {"铜官区": 1, "义安区": 1, "郊区": 3, "枞阳县": 4, "开发区": 5}


def september_2020_department_scores():
    values = [D("1.550")] * 2 + [D("1.500")] * 12 + [D("1.475")] + [D("1.450")] * 3
    values += [D("1.425")] + [D("1.400")] * 2 + [D("1.250")]
    return {f"department-{i:02d}": value for i, value in enumerate(values)}


def test_september_2020_department_ranks():
    scores = september_2020_department_scores()
    assert len(scores) == 22
    ranks = competition_ranks(scores)
    expected_rank_of_value = {
        D("1.550"): 1,
        D("1.500"): 3,
        D("1.475"): 15,
        D("1.450"): 16,
        D("1.425"): 19,
        D("1.400"): 20,
        D("1.250"): 22,
    }
    assert {key: expected_rank_of_value[value] for key, value in scores.items()} == ranks


def test_ranks_compare_the_three_decimal_values():
    # 1.4985 and 1.4994 are both 1.499: a tie, not a win.
    assert competition_ranks({"a": D("1.4985"), "b": D("1.4994"), "c": D("1.4984")}) == {"a": 1, "b": 1, "c": 3}


def test_units_without_a_score_have_no_rank_and_do_not_push_others_down():
    assert competition_ranks({"a": None, "b": D("1.2"), "c": D("1.3")}) == {"a": None, "b": 2, "c": 1}
    assert competition_ranks({}) == {}


def test_regions_and_departments_are_ranked_separately():
    values = {"铜官区": D("1.498"), "郊区": D("1.495"), "商务局": D("1.550"), "水利局": D("1.250")}
    kinds = {"铜官区": "region", "郊区": "region", "商务局": "department", "水利局": "department"}
    assert ranks_by_kind(values, kinds) == {"铜官区": 1, "郊区": 2, "商务局": 1, "水利局": 2}

    months = {9: {key: MonthScore(value) for key, value in values.items()}}
    september = year_results(months, kinds)[9]
    assert {key: (result.rank, result.ytd_rank) for key, result in september.items()} == {
        "铜官区": (1, 1),
        "郊区": (2, 2),
        "商务局": (1, 1),
        "水利局": (2, 2),
    }


unit_keys = st.integers(0, 40)
tie_prone_scores = thousandths(1400, 1410)  # a narrow range so that ties are common


@PROPERTY
@given(st.dictionaries(unit_keys, st.one_of(tie_prone_scores, thousandths(-2000, 3000)), max_size=30))
def test_rank_is_one_plus_the_number_of_strictly_better_units(scores):
    ranks = competition_ranks(scores)
    assert set(ranks) == set(scores)
    for key, value in scores.items():
        assert ranks[key] == 1 + sum(1 for other in scores.values() if other > value)


@PROPERTY
@given(st.dictionaries(unit_keys, st.one_of(st.none(), tie_prone_scores), max_size=30))
def test_competition_rank_invariants(scores):
    ranks = competition_ranks(scores)
    scored = {key: value for key, value in scores.items() if value is not None}
    n = len(scored)
    for key, value in scores.items():
        if value is None:
            assert ranks[key] is None
            continue
        rank = ranks[key]
        assert 1 <= rank <= n
        # The units ranked ahead are exactly rank - 1; the units ranked up to it are at least rank.
        assert sum(1 for r in ranks.values() if r is not None and r < rank) == rank - 1
        assert sum(1 for r in ranks.values() if r is not None and r <= rank) >= rank
    for a, value_a in scored.items():
        for b, value_b in scored.items():
            assert (ranks[a] == ranks[b]) == (value_a == value_b)
            if value_a > value_b:
                assert ranks[a] < ranks[b]
    if n:
        assert min(r for r in ranks.values() if r is not None) == 1


@PROPERTY
@given(st.dictionaries(unit_keys, tie_prone_scores, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_ranks_do_not_depend_on_input_order(scores, rnd):
    items = list(scores.items())
    rnd.shuffle(items)
    assert competition_ranks(dict(items)) == competition_ranks(scores)


@PROPERTY
@given(st.dictionaries(unit_keys, fine_decimals(1_400_000, 1_410_000), max_size=30))
def test_ranks_equal_the_ranks_of_the_rounded_values(scores):
    rounded = {key: round_score(value) for key, value in scores.items()}
    assert competition_ranks(scores) == competition_ranks(rounded)


# --- rank change and the year to date ------------------------------------------------------------------------


def test_rank_change_is_previous_minus_current():
    assert rank_change(5, 3) == 2  # moved up
    assert rank_change(1, 4) == -3  # moved down
    assert rank_change(2, 2) == 0
    assert rank_change(None, 1) is None
    assert rank_change(1, None) is None


KINDS = {"a": "department", "b": "department", "c": "department", "r": "region"}


def test_rank_change_against_previous_month():
    months = {
        1: {"a": MonthScore(D("1.5")), "b": MonthScore(D("1.4")), "c": MonthScore(D("1.3")), "r": MonthScore(D("1"))},
        2: {"a": MonthScore(D("1.3")), "b": MonthScore(D("1.4")), "c": MonthScore(D("1.5")), "r": MonthScore(None)},
    }
    results = year_results(months, KINDS)
    january, february = results[1], results[2]
    assert [january[k].rank_change for k in "abcr"] == [None, None, None, None]  # first month
    assert [january[k].ytd_rank_change for k in "abcr"] == [None, None, None, None]
    assert [february[k].rank for k in "abc"] == [3, 2, 1]
    assert [february[k].rank_change for k in "abc"] == [-2, 0, 2]
    # YTD: a 2.8, b 2.8, c 2.8 — all tied for first
    assert [february[k].ytd_score for k in "abc"] == [D("2.8")] * 3
    assert [february[k].ytd_rank for k in "abc"] == [1, 1, 1]
    assert [february[k].ytd_rank_change for k in "abc"] == [0, 1, 2]
    # No score this month: no month rank, and no year to date either (January alone is not 1-2月).
    assert (february["r"].rank, february["r"].rank_change) == (None, None)
    assert (february["r"].ytd_score, february["r"].ytd_rank, february["r"].ytd_rank_change) == (None, None, None)


def test_ytd_is_sum_of_rounded_month_scores():
    # Each month's score is rounded half-up first; the YTD adds the rounded values, not the raw ones.
    january = month_scores([department("a", D("1.0004"), D("0.5"))])  # 1.5004 → 1.500
    february = month_scores([department("a", D("1.0004"), D("0.5"))])  # 1.500 again, not 3.0008 → 3.001
    march = month_scores([department("a", D("1.0005"), D("0.5"))])  # 1.5005 → 1.501
    results = year_results({1: january, 2: february, 3: march}, {"a": "department"})
    assert [results[m]["a"].score for m in (1, 2, 3)] == [D("1.500"), D("1.500"), D("1.501")]
    assert [results[m]["a"].ytd_score for m in (1, 2, 3)] == [D("1.500"), D("3.000"), D("4.501")]
    assert str(results[3]["a"].ytd_score) == "4.501"


def test_imputed_months_are_listed_in_the_year_results():
    kinds = {"a": "department", "b": "department", "x": "department"}

    def month(x_not_assessed):
        return month_scores(
            [
                department("a", D("1.5")),
                department("b", D("1.4")),
                department("x", D("1.0"), not_assessed=x_not_assessed),
            ]
        )

    results = year_results({1: month(True), 2: month(False), 3: month(True)}, kinds)
    assert [results[m]["x"].imputed for m in (1, 2, 3)] == [True, False, True]
    assert [results[m]["x"].score for m in (1, 2, 3)] == [D("1.450"), D("1.000"), D("1.450")]
    assert [results[m]["x"].imputed_months for m in (1, 2, 3)] == [[1], [1], [1, 3]]
    assert results[3]["x"].ytd_score == D("3.900")
    assert results[3]["a"].imputed_months == []


def test_unit_missing_from_a_month_is_not_ranked_on_its_earlier_months():
    kinds = {"a": "department", "b": "department"}
    months = {1: {"a": MonthScore(D("1.5")), "b": MonthScore(D("1.4"))}, 2: {"a": MonthScore(D("1.5"))}}
    months[3] = {"a": MonthScore(D("1.5")), "b": MonthScore(D("1.5"))}
    results = year_results(months, kinds)
    assert (results[2]["b"].score, results[2]["b"].rank, results[2]["b"].imputed) == (None, None, False)
    assert (results[2]["b"].ytd_score, results[2]["b"].ytd_rank) == (None, None)
    assert (results[2]["a"].ytd_score, results[2]["a"].ytd_rank) == (D("3.0"), 1)
    # Back in month 3: the year to date adds the months it has.
    assert (results[3]["b"].ytd_score, results[3]["b"].ytd_rank) == (D("2.9"), 2)


def test_an_incomplete_month_is_neither_scored_nor_ranked():
    units = [
        UnitMonth("done", "department", indicator_scores=(D("1"), D("0.5"))),
        UnitMonth("partial", "department", adjustments=(D("-0.025"),), complete=False),
    ]
    scores = month_scores(units)
    assert scores["partial"].score is None and scores["done"].score == D("1.500")
    ranks = year_results({10: scores}, {"done": "department", "partial": "department"})[10]
    assert (ranks["partial"].rank, ranks["partial"].ytd_score) == (None, None) and ranks["done"].rank == 1


def test_unit_with_no_score_yet_has_no_ytd():
    results = year_results(
        {1: {"a": MonthScore(D("1.5")), "b": MonthScore(None)}}, {"a": "department", "b": "department"}
    )
    assert (results[1]["b"].ytd_score, results[1]["b"].ytd_rank) == (None, None)


month_tables = st.integers(1, 12).flatmap(
    lambda month_count: st.lists(
        st.lists(thousandths(0, 2000), min_size=month_count, max_size=month_count), min_size=1, max_size=6
    )
)


@PROPERTY
@given(month_tables)
def test_ytd_of_the_last_month_is_the_sum_of_the_month_scores(table):
    # table[u][m] is unit u's score in month m + 1.
    kinds = {u: "department" for u in range(len(table))}
    month_count = len(table[0])
    months = {m + 1: {u: MonthScore(row[m]) for u, row in enumerate(table)} for m in range(month_count)}
    results = year_results(months, kinds)
    for u, row in enumerate(table):
        assert results[month_count][u].ytd_score == sum(row, D(0))
        for m in range(1, month_count + 1):
            assert results[m][u].ytd_score == sum(row[:m], D(0))


@PROPERTY
@given(month_tables)
def test_ytd_is_monotone_for_non_negative_scores(table):
    kinds = {u: ("region" if u % 2 else "department") for u in range(len(table))}
    month_count = len(table[0])
    months = {m + 1: {u: MonthScore(row[m]) for u, row in enumerate(table)} for m in range(month_count)}
    results = year_results(months, kinds)
    for u in kinds:
        ytds = [results[m][u].ytd_score for m in range(1, month_count + 1)]
        assert all(earlier <= later for earlier, later in zip(ytds, ytds[1:], strict=False))


@PROPERTY
@given(month_tables)
def test_year_ranks_are_competition_ranks_per_kind_and_changes_follow_them(table):
    kinds = {u: ("region" if u % 2 else "department") for u in range(len(table))}
    month_count = len(table[0])
    months = {m + 1: {u: MonthScore(row[m]) for u, row in enumerate(table)} for m in range(month_count)}
    results = year_results(months, kinds)
    for m in range(1, month_count + 1):
        for kind in ("region", "department"):
            members = [u for u in kinds if kinds[u] == kind]
            month_ranks = competition_ranks({u: results[m][u].score for u in members})
            ytd_ranks = competition_ranks({u: results[m][u].ytd_score for u in members})
            for u in members:
                assert results[m][u].rank == month_ranks[u]
                assert results[m][u].ytd_rank == ytd_ranks[u]
                if m == 1:
                    assert results[m][u].rank_change is None
                else:
                    assert results[m][u].rank_change == results[m - 1][u].rank - results[m][u].rank
                    assert results[m][u].ytd_rank_change == results[m - 1][u].ytd_rank - results[m][u].ytd_rank


# --- missing items -----------------------------------------------------------------------------------------------


def test_missing_items_in_expected_order():
    expected = ["项目进展", "工作推进情况", "加扣分", "佐证材料"]
    assert missing_items(expected, ["加扣分", "项目进展"]) == ["工作推进情况", "佐证材料"]
    assert missing_items(expected, expected) == []
    assert missing_items(expected, []) == expected
    assert missing_items(expected, ["不相干"]) == expected
    assert missing_items(iter(expected), iter(["佐证材料"])) == ["项目进展", "工作推进情况", "加扣分"]
