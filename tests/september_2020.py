"""Data builder: the Tongling assessment of January–September 2020, entered through the write services.

September is entered in full breakdown (附件2 project scores with reasons, 附件3 indicator scores, the
office's 加扣分 items); January–August are entered as recorded month totals, chosen so that the year to
date (the sum of the rounded month scores) lands on the published 1-9月 figures. 市城管执法局 and
市数据资源局 were not in the Q1 assessment and are credited with the department average of each month.

`PUBLISHED_ATTACHMENT1` is 附件1 as decoded in /work/shared/reference/tongling-2020.json
(`attachment1_2020_09`); test_september_2020.py checks the copy against that file when it is present.

Where the figures come from, and what had to be chosen:

* Region month score = (sum of applicable project scores + sum of 加扣分) ÷ number of applicable
  projects, rounded half-up to 3 decimals (the year's default `sum_then_divide` formula).
* Region project deductions follow the notes under 附件2 (市直单位对县(区)考评扣分原因). The notes list
  no finding on 义安区, yet 义安区 cannot reach 1.498 without one: (43 × 1.5 + 0.05) ÷ 43 = 1.501. Its
  deduction is the finding 市民政局 printed in 附件3: 义安区两处养老服务站进展滞后 (project 16).
* 附件2 prints "—" for some region cells of project 1; we read it as 经开区 (a development zone without
  an industrial poverty-relief programme) and exclude 经开区 from project 1, so 经开区 has 42 projects.
* The sizes of the deductions are ours (the 附件2 cells did not survive the text extraction); they are
  the smallest round amounts that give the published month score.
* 附件1 prints 市商务局 at 1.500 (rank 3, one of twelve departments at 1.500), while the reference's
  "legible row" of 附件3 attributes "1 + 0.5 + 0.05 = 1.55, 信息被省民生工程网站采用" to 商务局. Both
  cannot hold: 附件1 has exactly two departments at 1.550 (市委组织部, 市教体局) and twelve at 1.500,
  which only works with 商务局 at 1.500. We follow 附件1 and give the +0.05 (信息被省民生工程网站采用)
  breakdown to 市委组织部 and 市教体局, the two departments that must have it to reach 1.550.
"""

from dataclasses import dataclass
from decimal import Decimal

from assessment import services
from assessment.models import AdjustmentCategory, OverrideKind, Period, PeriodStatus
from projects.models import AssessmentYear, Indicator, Project, Unit

D = Decimal
YEAR = 2020
MONTH = 9
PROGRESS = "项目进展"
WORK_PROMOTION = "工作推进情况"
NOT_ASSESSED = None  # a month the unit was not in the assessment (未纳入考评)

# 附件1 排名情况汇总表 (decoded): unit, 9月得分, 9月排名, 1-9月得分, 1-9月排名. None = not legible.
PUBLISHED_ATTACHMENT1 = {
    "regions": [
        ("义安区", "1.498", 1, "13.715", 1),
        ("铜官区", "1.498", 1, "13.441", 4),
        ("枞阳县", "1.495", 3, "13.611", 2),
        ("郊区", "1.492", 4, "13.573", 3),
        ("经开区", "1.485", 5, "13.405", 5),
    ],
    "departments": [
        ("市委组织部", "1.550", 1, "13.500", None),
        ("市教体局", "1.550", 1, "13.475", 7),
        ("市司法局", "1.500", 3, None, None),
        ("市残联", "1.500", 3, None, None),
        ("市财政局", "1.500", 3, None, None),
        ("市商务局", "1.500", 3, "13.425", 13),
        ("市卫健委", "1.500", 3, "13.325", 16),
        ("市退役军人局", "1.500", 3, None, None),
        ("市医保局", "1.500", 3, None, None),
        ("市文旅局", "1.500", 3, "13.450", 11),
        ("市总工会", "1.500", 3, None, None),
        ("市应急局", "1.500", 3, None, None),
        ("市市场监管局", "1.500", 3, None, None),
        ("市生态环境局", "1.500", 3, "13.300", 18),
        ("市城管执法局", "1.475", 15, "13.375", 14),
        ("市民政局", "1.450", 16, None, None),
        ("市人社局", "1.450", 16, None, None),
        ("市住建局", "1.450", 16, None, None),
        ("市数据资源局", "1.425", 19, None, None),
        ("市交通局", "1.400", 20, "13.100", 21),
        ("市农业农村局", "1.400", 20, "13.250", None),
        ("市水利局", "1.250", 22, "12.650", 22),
    ],
}

NOT_ASSESSED_IN_Q1 = ("市城管执法局", "市数据资源局")

# --- September: regions (附件2) ------------------------------------------------------------------------------

# Regions excluded from a project for the whole year: printed as "—" in 附件2.
EXCLUDED_REGIONS = {"1": ["经开区"]}

# Project deductions of September: region → [(project code, points deducted, reason)].
# Every other applicable cell is 1.5. Hand check of each region's month score (n = applicable projects):
#   义安区 (64.500 − 0.150 + 0.100 − 0.050) ÷ 43 = 64.400 ÷ 43 = 1.49767… → 1.498
#   铜官区 (64.500 − 0.150 + 0.100 − 0.050) ÷ 43 = 64.400 ÷ 43 = 1.49767… → 1.498
#   枞阳县 (64.500 − 0.275 + 0.050) ÷ 43         = 64.275 ÷ 43 = 1.49476… → 1.495
#   郊区   (64.500 − 0.300 − 0.050) ÷ 43         = 64.150 ÷ 43 = 1.49186… → 1.492
#   经开区 (63.000 − 0.600 − 0.050) ÷ 42         = 62.350 ÷ 42 = 1.48452… → 1.485
SEPTEMBER_PROJECT_DEDUCTIONS = {
    "义安区": [("16", "0.150", "9月份督查发现两处养老服务站进展滞后")],
    "铜官区": [
        ("13", "0.100", "公益性岗位开发进度慢"),
        ("9", "0.050", "未完成法律援助案例上报任务"),
    ],
    "枞阳县": [
        ("2", "0.050", "党建引领扶贫工程资金检查发现资金使用问题"),
        ("11", "0.050", "农村改厕、美丽乡村建设进度慢"),
        ("12-1", "0.025", "农村改厕、美丽乡村建设进度慢"),
        ("26", "0.050", "新学期普高学生资助工作进展较慢"),
        ("27-2", "0.025", "农村体育健身活动进展未达全市平均进度"),
        ("18-2", "0.025", "救助管理信息系统录入不及时"),
        ("16", "0.050", "县级养老服务指导中心建设推进缓慢"),
    ],
    "郊区": [
        ("13", "0.100", "未完成就业见习岗位开发任务"),
        ("21", "0.100", "城乡居民基本养老保险进展不及预期"),
        ("9", "0.100", "法律援助项目资金检查发现资金使用问题"),
    ],
    "经开区": [("30", "0.600", "棚户区改造项目进度慢")],
}

# 市民生办加扣分 of September (office_adjustments_2020_09): unit, points, reason, category.
SEPTEMBER_OFFICE_ADJUSTMENTS = [
    ("枞阳县", "0.05", "省民生网站刊登信息", AdjustmentCategory.INFORMATION_ADOPTED),
    ("义安区", "-0.05", "部分项目点未使用民生工程标识牌", AdjustmentCategory.SIGNBOARD),
    ("义安区", "0.1", "省民生网站刊登信息", AdjustmentCategory.INFORMATION_ADOPTED),
    ("铜官区", "-0.05", "部分项目点未使用民生工程标识牌", AdjustmentCategory.SIGNBOARD),
    ("铜官区", "0.1", "省民生网站刊登信息", AdjustmentCategory.INFORMATION_ADOPTED),
    ("郊区", "-0.05", "部分项目点未使用民生工程标识牌", AdjustmentCategory.SIGNBOARD),
    ("经开区", "-0.05", "未按时报送资金报表", AdjustmentCategory.INFORMATION_REPORTING),
]

# --- September: departments (附件3) --------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentMonth:
    progress: str = "1.0"
    progress_reason: str = ""
    work_promotion: str = "0.5"
    work_promotion_reason: str = ""
    adjustments: tuple[tuple[str, str, str], ...] = ()  # (points, reason, category)


ADOPTED = ("0.05", "信息被省民生工程网站采用", AdjustmentCategory.INFORMATION_ADOPTED)
LATE_INFORMATION = ("-0.025", "未按时报送信息", AdjustmentCategory.INFORMATION_REPORTING)

# Departments not listed here score 1.0 + 0.5 = 1.500 with nothing to explain.
SEPTEMBER_DEPARTMENTS = {
    "市委组织部": DepartmentMonth(adjustments=(ADOPTED,)),  # 1 + 0.5 + 0.05 = 1.55
    "市教体局": DepartmentMonth(adjustments=(ADOPTED,)),  # 1 + 0.5 + 0.05 = 1.55
    # 1 + 0.5 + 0.05 − 0.05 = 1.5
    "市退役军人局": DepartmentMonth(
        adjustments=(ADOPTED, ("-0.05", "未按时公示民生工程进展", AdjustmentCategory.PUBLICITY))
    ),
    "市城管执法局": DepartmentMonth(adjustments=(LATE_INFORMATION,)),  # 1 + 0.5 − 0.025 = 1.475
    "市民政局": DepartmentMonth(progress="0.95", progress_reason="9月份督查发现义安区两处养老服务站进展滞后"),
    "市人社局": DepartmentMonth(progress="0.95", progress_reason="就业创业促进工程项目补贴发放不及时"),
    "市住建局": DepartmentMonth(work_promotion="0.45", work_promotion_reason="数据库上报不符合要求"),
    # 0.95 + 0.5 − 0.025 = 1.425
    "市数据资源局": DepartmentMonth(
        progress="0.95", progress_reason="“安康码”平台建设进展未达计划进度", adjustments=(LATE_INFORMATION,)
    ),
    # 0.95 + 0.45 = 1.4
    "市交通局": DepartmentMonth(
        progress="0.95",
        progress_reason="9月份督查发现“四好农村路”建设未达计划进度",
        work_promotion="0.45",
        work_promotion_reason="上报进展时审核不严，造成枞阳县“四好农村路”部分数据错误",
    ),
    "市农业农村局": DepartmentMonth(
        progress="0.9", progress_reason="9月份督查发现美丽乡村建设和农村改厕及废弃物资源化项目进展缓慢"
    ),
    # 0.85 + 0.5 − 0.1 = 1.25
    "市水利局": DepartmentMonth(
        progress="0.85",
        progress_reason=(
            "中小河流治理续建项目完工率和续建项目投资完成率在全省排名靠后；排涝泵站建设续建项目投资完成率位于全省倒数第三"
        ),
        adjustments=(("-0.1", "水利薄弱环节治理项目整体进展滞后影响我市在全省排名", AdjustmentCategory.SUPERVISION),),
    ),
}

# --- January–August: recorded month totals ---------------------------------------------------------------------

# Regions: months 1–8 sum to (1-9月 − 9月):
#   义安区 13.715 − 1.498 = 12.217   铜官区 13.441 − 1.498 = 11.943   枞阳县 13.611 − 1.495 = 12.116
#   郊区   13.573 − 1.492 = 12.081   经开区 13.405 − 1.485 = 11.920
REGION_TOTALS = {
    "义安区": ["1.512", "1.530", "1.498", "1.541", "1.527", "1.519", "1.533", "1.557"],
    "铜官区": ["1.488", "1.495", "1.502", "1.479", "1.497", "1.491", "1.500", "1.491"],
    "枞阳县": ["1.508", "1.521", "1.497", "1.516", "1.512", "1.525", "1.514", "1.523"],
    "郊区": ["1.505", "1.518", "1.509", "1.496", "1.511", "1.514", "1.520", "1.508"],
    "经开区": ["1.483", "1.497", "1.491", "1.486", "1.492", "1.488", "1.494", "1.489"],
}

# Departments, months 1–8. Imputation of Q1 (the mean of the 20 assessed departments, half-up):
#   month 1: column sum 29.850 (水利局 −0.10, 交通局 −0.05, 农业农村局 −0.05, 组织部 +0.05)
#            29.850 ÷ 20 = 1.4925 → 1.493   (banker's rounding would give 1.492)
#   month 2: column sum 29.650 (水利局 −0.20, 交通局 −0.10, 生态环境局/卫健委/住建局 −0.05 each,
#            财政局/教体局 +0.05 each)
#            29.650 ÷ 20 = 1.4825 → 1.483   (banker's: 1.482)
#   month 3: column sum 29.970 (水利局 −0.10, 民政局 −0.03, 农业农村局 −0.05, 司法局/医保局/财政局 +0.05 each)
#            29.970 ÷ 20 = 1.4985 → 1.499   (banker's: 1.498)
#   imputed Q1 = 1.493 + 1.483 + 1.499 = 4.475 (not 3 × 1.500 = 4.500, not banker's 4.472)
# 市城管执法局: 4.475 + (1.500 + 1.475 + 1.500 + 1.450 + 1.500 = 7.425) + 9月 1.475 = 13.375
# 市数据资源局: 4.475 + (1.475 + 1.450 + 1.475 + 1.450 + 1.450 = 7.300) + 9月 1.425 = 13.200
#
# Departments whose 1-9月 is not legible get values consistent with the published YTD ranks
# (standard competition ranking): six departments strictly above 教体局's 13.475 (rank 7), three more
# down to 文旅局's 13.450 (rank 11), one more before 商务局's 13.425 (rank 13), none between 商务局 and
# 城管执法局 (13.375, rank 14), one before 卫健委 (13.325, rank 16), one before 生态环境局 (13.300,
# rank 18), one besides 农业农村局 (13.250) before 交通局 (13.100, rank 21), and 水利局 (12.650) last.
# Chosen 1-9月: 财政局 13.550, 司法局 13.525, 残联 13.500, 医保局 13.500, 总工会 13.490 (above 13.475);
# 应急局 13.475 (tied with 教体局), 市场监管局 13.470, 退役军人局 13.460; 人社局 13.440; 住建局 13.350;
# 民政局 13.310; 数据资源局 13.200.
DEPARTMENT_TOTALS = {
    # name: months 1..8                                                    1-9月 = sum + 9月
    "市委组织部": ["1.550", "1.500", "1.500", "1.500", "1.450", "1.500", "1.450", "1.500"],  # 11.950 + 1.55
    "市教体局": ["1.500", "1.550", "1.500", "1.475", "1.500", "1.450", "1.500", "1.450"],  # 11.925 + 1.55
    "市司法局": ["1.500", "1.500", "1.550", "1.500", "1.500", "1.475", "1.500", "1.500"],  # 12.025 + 1.5
    "市残联": ["1.500", "1.500", "1.500", "1.500", "1.450", "1.550", "1.500", "1.500"],  # 12.000 + 1.5
    "市财政局": ["1.500", "1.550", "1.550", "1.500", "1.500", "1.450", "1.500", "1.500"],  # 12.050 + 1.5
    "市商务局": ["1.500", "1.500", "1.500", "1.500", "1.475", "1.500", "1.450", "1.500"],  # 11.925 + 1.5
    "市卫健委": ["1.500", "1.450", "1.500", "1.450", "1.500", "1.475", "1.500", "1.450"],  # 11.825 + 1.5
    "市退役军人局": ["1.500", "1.500", "1.500", "1.500", "1.480", "1.500", "1.480", "1.500"],  # 11.960 + 1.5
    "市医保局": ["1.500", "1.500", "1.550", "1.500", "1.450", "1.500", "1.500", "1.500"],  # 12.000 + 1.5
    "市文旅局": ["1.500", "1.500", "1.500", "1.500", "1.500", "1.500", "1.450", "1.500"],  # 11.950 + 1.5
    "市总工会": ["1.500", "1.500", "1.500", "1.500", "1.490", "1.500", "1.500", "1.500"],  # 11.990 + 1.5
    "市应急局": ["1.500", "1.500", "1.500", "1.500", "1.500", "1.500", "1.475", "1.500"],  # 11.975 + 1.5
    "市市场监管局": ["1.500", "1.500", "1.500", "1.500", "1.470", "1.500", "1.500", "1.500"],  # 11.970 + 1.5
    "市生态环境局": ["1.500", "1.450", "1.500", "1.450", "1.500", "1.450", "1.500", "1.450"],  # 11.800 + 1.5
    "市城管执法局": [NOT_ASSESSED] * 3 + ["1.500", "1.475", "1.500", "1.450", "1.500"],  # 4.475 + 7.425 + 1.475
    "市民政局": ["1.500", "1.500", "1.470", "1.500", "1.450", "1.480", "1.500", "1.460"],  # 11.860 + 1.45
    "市人社局": ["1.500", "1.500", "1.500", "1.500", "1.500", "1.490", "1.500", "1.500"],  # 11.990 + 1.45
    "市住建局": ["1.500", "1.450", "1.500", "1.500", "1.500", "1.450", "1.500", "1.500"],  # 11.900 + 1.45
    "市数据资源局": [NOT_ASSESSED] * 3 + ["1.475", "1.450", "1.475", "1.450", "1.450"],  # 4.475 + 7.300 + 1.425
    "市交通局": ["1.450", "1.400", "1.500", "1.450", "1.500", "1.450", "1.500", "1.450"],  # 11.700 + 1.4
    "市农业农村局": ["1.450", "1.500", "1.450", "1.500", "1.450", "1.500", "1.500", "1.500"],  # 11.850 + 1.4
    "市水利局": ["1.400", "1.300", "1.400", "1.450", "1.450", "1.500", "1.450", "1.450"],  # 11.400 + 1.25
}

# The imputed month scores of Q1 computed by hand above, and the resulting Q1 credit.
IMPUTED_Q1 = {1: D("1.493"), 2: D("1.483"), 3: D("1.499")}

# Chosen 1-9月 figures of departments whose published figure is not legible.
CHOSEN_DEPARTMENT_YTD = {
    "市司法局": "13.525",
    "市残联": "13.500",
    "市财政局": "13.550",
    "市退役军人局": "13.460",
    "市医保局": "13.500",
    "市总工会": "13.490",
    "市应急局": "13.475",
    "市市场监管局": "13.470",
    "市民政局": "13.310",
    "市人社局": "13.440",
    "市住建局": "13.350",
    "市数据资源局": "13.200",
}


def exclude_regions(year: AssessmentYear) -> None:
    """Reference data, not an official number: which regions a project does not apply to (附件2 "—")."""
    for code, names in EXCLUDED_REGIONS.items():
        Project.objects.get(year=year, code=code).excluded_regions.set(Unit.objects.filter(name__in=names))


def build_january_to_august(*, user=None, publish: bool = True) -> list[Period]:
    """Months 1–8 as recorded totals (and Q1 not assessed for two departments), each published in turn."""
    units = {unit.name: unit for unit in Unit.objects.all()}
    periods = []
    for month in range(1, MONTH):
        period = services.get_or_create_period(year=YEAR, month=month)
        for name, totals in {**REGION_TOTALS, **DEPARTMENT_TOTALS}.items():
            total = totals[month - 1]
            if total is NOT_ASSESSED:
                services.set_month_override(user=user, period=period, unit=units[name], kind=OverrideKind.NOT_ASSESSED)
            else:
                services.set_month_override(
                    user=user, period=period, unit=units[name], kind=OverrideKind.RECORDED_TOTAL, score=D(total)
                )
        if publish:
            period = publish_period(period, user=user)
        periods.append(period)
    return periods


def build_september(*, user=None) -> Period:
    """September in full breakdown: 附件2 project scores with reasons, 附件3 indicators, 加扣分 items."""
    year = AssessmentYear.objects.get(year=YEAR)
    period = services.get_or_create_period(year=YEAR, month=MONTH)
    units = {unit.name: unit for unit in Unit.objects.all()}
    projects = list(Project.objects.filter(year=year).prefetch_related("excluded_regions"))

    deductions = {
        (region, code): (D(points), reason)
        for region, items in SEPTEMBER_PROJECT_DEDUCTIONS.items()
        for code, points, reason in items
    }
    items = []
    for region in Unit.objects.regions().order_by("display_order"):
        for project in projects:
            if region in project.excluded_regions.all():
                continue
            lost, reason = deductions.pop((region.name, project.code), (D("0"), ""))
            items.append(services.ProjectScoreInput(region, project, year.project_max_score - lost, reason=reason))
    assert not deductions, f"deductions on unknown cells: {deductions}"
    services.save_project_scores(user=user, period=period, items=items)

    indicators = {indicator.name: indicator for indicator in Indicator.objects.filter(year=year)}
    indicator_items = []
    for department in Unit.objects.departments().order_by("display_order"):
        month = SEPTEMBER_DEPARTMENTS.get(department.name, DepartmentMonth())
        indicator_items += [
            services.IndicatorScoreInput(department, indicators[PROGRESS], D(month.progress), month.progress_reason),
            services.IndicatorScoreInput(
                department, indicators[WORK_PROMOTION], D(month.work_promotion), month.work_promotion_reason
            ),
        ]
    services.save_indicator_scores(user=user, period=period, items=indicator_items)

    adjustments = [(name, points, reason, category) for name, points, reason, category in SEPTEMBER_OFFICE_ADJUSTMENTS]
    for name, month in SEPTEMBER_DEPARTMENTS.items():
        adjustments += [(name, points, reason, category) for points, reason, category in month.adjustments]
    for name, points, reason, category in adjustments:
        services.add_adjustment(
            user=user, period=period, unit=units[name], points=D(points), reason=reason, category=category
        )
    return period


def publish_period(period: Period, *, user=None) -> Period:
    period = services.change_period_status(user=user, period=period, status=PeriodStatus.CLOSED)
    return services.change_period_status(user=user, period=period, status=PeriodStatus.PUBLISHED)


def build_september_2020(*, user=None, publish: bool = True) -> Period:
    """The whole of January–September 2020; returns the September period (published unless told not to)."""
    year = AssessmentYear.objects.get(year=YEAR)
    exclude_regions(year)
    build_january_to_august(user=user, publish=publish)
    period = build_september(user=user)
    if publish:
        period = publish_period(period, user=user)
    return period
