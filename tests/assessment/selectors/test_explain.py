"""得分说明 (assessment.selectors.explain) on the published September 2020: the published numbers, explained."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment.models import Period
from assessment.selectors.explain import explain, raw_text
from projects.models import Project, Unit


def test_a_regions_month_is_its_project_sum_plus_the_office_items_divided_by_its_projects(september):
    data = explain(september, Unit.objects.get(name="义安区"))
    assert data.score == Decimal("1.498") and data.rank == 1
    assert data.steps[-1] == "(64.350 + 0.050) ÷ 43 = 1.4977… → 1.498（四舍五入保留 3 位小数）"
    assert data.steps[0].startswith("适用项目 43 个（满分各 1.5）：")
    deduction = data.deductions[0]
    assert deduction.reason == "9月份督查发现两处养老服务站进展滞后" and deduction.given_by == "民政局"
    assert [(a.points, a.given_by) for a in data.adjustments] == [
        (Decimal("-0.050"), "市民生办"),
        (Decimal("0.100"), "市民生办"),
    ]
    assert data.above == "已排第 1 名。"
    assert data.ytd_score == Decimal("13.715")


def test_a_region_below_the_top_is_told_the_gap_to_the_unit_above(september):
    data = explain(september, Unit.objects.get(name="经开区"))
    assert data.steps[-1].startswith("(") and data.steps[-1].endswith("→ 1.485（四舍五入保留 3 位小数）")
    assert data.steps[0].startswith("适用项目 42 个")  # 经开区 is excluded from project 1
    assert "低" in data.above and "分即可与其并列" in data.above


def test_a_department_is_its_indicators_plus_its_items_and_imputed_months_are_marked(september):
    data = explain(september, Unit.objects.get(name="市城管执法局"))
    assert len(data.steps) == 1 and data.steps[0].startswith("项目进展 ") and " + 工作推进情况 " in data.steps[0]
    assert data.steps[0].endswith(f"= {data.score}")
    assert [m.month for m in data.ytd_months if m.imputed] == [1, 2, 3]
    assert data.ytd_steps[0].startswith("1-9月累计：1.493※ + 1.483※ + 1.499※ + ")
    assert data.ytd_steps[0].endswith(f"= {data.ytd_score}")
    assert data.ytd_steps[1] == "※ 1-3月未纳入考评，按市直单位平均得分计。"


def test_explaining_costs_the_same_queries_for_a_region_and_a_department(september):
    for name in ("义安区", "市交通局"):
        unit = Unit.objects.get(name=name)
        with CaptureQueriesContext(connection) as queries:
            explain(september, unit)
        assert len(queries) == 8, name


def test_an_unrounded_quotient_is_shown_to_four_decimals():
    assert raw_text(Decimal("64.125") / 43) == "1.4913…"
    assert raw_text(Decimal("1.5")) == "1.5000"


def test_a_recorded_total_and_a_month_not_assessed_say_so(september):
    march = Period.objects.select_related("year").get(year=september.year, month=3)
    recorded = explain(march, Unit.objects.get(name="义安区"))
    assert recorded.note.startswith("本月得分为录入的月度得分 ") and recorded.steps == []
    imputed = explain(march, Unit.objects.get(name="市城管执法局"))
    assert imputed.note == "未纳入本月考评，按市直单位平均得分 1.499 计。"


def test_an_incomplete_month_names_what_is_missing_and_computes_nothing(september):
    october = services.get_or_create_period(year=2020, month=10)
    region = Unit.objects.get(name="义安区")
    first = Project.objects.filter(year=september.year).order_by("display_order").first()
    services.save_project_scores(
        user=None, period=october, items=[services.ProjectScoreInput(region, first, Decimal("1.4"), reason="慢")]
    )
    data = explain(october, region)
    assert data.incomplete and data.score is None and data.missing_text == f"缺 {len(data.missing)} 项"
    assert data.steps == [f"尚缺 {len(data.missing)} 项得分（{'、'.join(data.missing)}），暂不计算。"]
    assert data.deductions[0].score == Decimal("1.400")
    assert data.above == "" and data.ytd_steps == []
