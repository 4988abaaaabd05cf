"""Demo data of our own making: a plausible January–October 2020 for the Tongling reference data.

These are NOT the published figures: a seeded `random.Random` draws deductions, bonuses and reasons of
the kinds the September 2020 notice reports, and every number is built from integer thousandths, never
from a float. Months 1–9 are entered through the write services and published (open → closed →
published, as a trusted command); October is left open with about half of its cells entered, so the
entry grid has work to do. 市城管执法局 and 市数据资源局 are not assessed in January–March, as in 2020.
"""

import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import AssessmentYear, Indicator, Project, Unit

from . import demo_progress, services
from .models import AdjustmentCategory, AdjustmentRule, AuditEntry, OverrideKind, Period, PeriodStatus

DEMO_YEAR = 2020
PUBLISHED_MONTHS = range(1, 10)
OPEN_MONTH = 10
SEED = 20201016  # the date of the September 2020 notice
NOT_ASSESSED_IN_Q1 = ("市城管执法局", "市数据资源局")
Q1 = (1, 2, 3)

# Region findings of the kinds printed under 附件2, as templates over a project name.
REGION_FINDINGS = [
    "{month}月份督查发现{project}项目进度慢",
    "{project}进展未达全市平均进度",
    "{project}资金检查发现资金使用问题",
    "{project}信息系统录入不及时",
    "{project}档案资料管理不规范",
    "未按时公示{project}项目进展",
    "{project}数据上报不准确",
    "未完成{project}阶段性任务",
]
# Deductions on a region's project row, in thousandths of a point.
REGION_DEDUCTIONS = [25, 25, 50, 50, 50, 75, 100, 100, 150, 200, 300]

PROGRESS_FINDINGS = [
    "{month}月份督查发现{project}进展未达计划进度",
    "{project}完工率在全省排名靠后",
    "{project}投资完成率低于序时进度",
    "{month}月份督查发现{project}项目进展缓慢",
]
PROGRESS_DEDUCTIONS = [50, 50, 50, 100, 100, 150]
WORK_PROMOTION_FINDINGS = [
    "未按时报送信息",
    "数据库上报不符合要求",
    "未按时公示民生工程进展",
    "上报进展时审核不严，部分数据错误",
    "工作台账不完整",
]
WORK_PROMOTION_DEDUCTIONS = [25, 50, 50, 100]

# 加扣分 items: (probability in percent, thousandths, reason, category).
REGION_ADJUSTMENTS = [
    (30, 50, "省民生网站刊登信息", AdjustmentCategory.INFORMATION_ADOPTED),
    (15, 100, "省民生网站刊登信息", AdjustmentCategory.INFORMATION_ADOPTED),
    (15, -50, "部分项目点未使用民生工程标识牌", AdjustmentCategory.SIGNBOARD),
    (10, -50, "未按时报送资金报表", AdjustmentCategory.INFORMATION_REPORTING),
    (5, -100, "督查发现问题整改不到位", AdjustmentCategory.SUPERVISION),
]
DEPARTMENT_ADJUSTMENTS = [
    (12, 50, "信息被省民生工程网站采用", AdjustmentCategory.INFORMATION_ADOPTED),
    (8, -25, "未按时报送信息", AdjustmentCategory.INFORMATION_REPORTING),
    (4, -50, "未按时公示民生工程进展", AdjustmentCategory.PUBLICITY),
    (3, -50, "信息报送不规范", AdjustmentCategory.INFORMATION_REPORTING),
]


# The year's 加扣分 rules (assessment.limits): what the 2020 notices print, and a general ±0.5.
ADJUSTMENT_RULES = [
    {"category": "", "minimum": "-0.5", "maximum": "0.5", "confirm_above": "0.2"},
    {"category": AdjustmentCategory.INFORMATION_ADOPTED, "allowed_values": "0.05、0.1", "per_month": 3},
    {"category": AdjustmentCategory.SIGNBOARD, "maximum": "-0.01", "usual_values": "-0.05"},
    {"category": AdjustmentCategory.INFORMATION_REPORTING, "maximum": "-0.01", "usual_values": "-0.025、-0.05"},
    {"category": AdjustmentCategory.PUBLICITY, "maximum": "-0.01", "usual_values": "-0.05"},
]
PUBLISHED_AT = time(9, 30)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def notice_date(year: int, month: int) -> date:
    """The notice of a month is dated in the middle of the next month, on a working day: the 16th, or the
    Friday before when the 16th is a weekend (September 2020's notice is dated 2020年10月16日, a Friday)."""
    day = date(year + month // 12, month % 12 + 1, 16)
    return day - timedelta(days=max(0, day.weekday() - 4))


def points(thousandths: int) -> Decimal:
    """A score from integer thousandths: never through a float."""
    return Decimal(thousandths).scaleb(-3)


def short_project_name(project: Project) -> str:
    """附件2 names split rows as 美丽乡村建设(市农业农村局); a reason reads better without the department."""
    return project.name.split("(")[0]


@dataclass
class DemoSummary:
    loaded: bool
    message: str
    periods: list[Period] = field(default_factory=list)


class DemoGenerator:
    """Draws the numbers of a month. Deterministic: the same seed gives the same year, cell for cell."""

    def __init__(self, year: AssessmentYear, seed: int = SEED):
        self.year = year
        self.rng = random.Random(seed)
        self.regions = list(Unit.objects.regions().active().order_by("display_order", "name"))
        self.departments = list(Unit.objects.departments().active().order_by("display_order", "name"))
        self.projects = list(Project.objects.filter(year=year).prefetch_related("excluded_regions"))
        self.excluded = {project.id: {unit.id for unit in project.excluded_regions.all()} for project in self.projects}
        self.indicators = list(Indicator.objects.filter(year=year))
        self.responsible = {}
        for project in self.projects:
            self.responsible.setdefault(project.responsible_department_id, []).append(project)
        # Some units are steadier than others: a per-unit chance (percent) of a deduction in a cell.
        self.region_care = {unit.id: self.rng.choice([3, 4, 5, 6, 8, 10]) for unit in self.regions}
        self.department_care = {unit.id: self.rng.choice([5, 8, 10, 15, 20, 30]) for unit in self.departments}

    def chance(self, percent: int) -> bool:
        return self.rng.randrange(100) < percent

    def project_items(self, month: int, projects: list[Project]) -> list[services.ProjectScoreInput]:
        maximum = self.year.project_max_score
        items = []
        for region in self.regions:
            for project in projects:
                if region.id in self.excluded[project.id]:
                    continue
                score, reason = maximum, ""
                if self.chance(self.region_care[region.id]):
                    score = maximum - points(self.rng.choice(REGION_DEDUCTIONS))
                    template = self.rng.choice(REGION_FINDINGS)
                    reason = template.format(month=month, project=short_project_name(project))
                items.append(services.ProjectScoreInput(region, project, score, reason=reason))
        return items

    def indicator_items(self, month: int, departments: list[Unit]) -> list[services.IndicatorScoreInput]:
        items = []
        for department in departments:
            for indicator in self.indicators:
                score, reason = indicator.max_score, ""
                if self.chance(self.department_care[department.id]):
                    if indicator.max_score >= 1:
                        score -= points(self.rng.choice(PROGRESS_DEDUCTIONS))
                        project = self.rng.choice(self.responsible.get(department.id) or self.projects)
                        template = self.rng.choice(PROGRESS_FINDINGS)
                        reason = template.format(month=month, project=short_project_name(project))
                    else:
                        score -= points(self.rng.choice(WORK_PROMOTION_DEDUCTIONS))
                        reason = self.rng.choice(WORK_PROMOTION_FINDINGS)
                items.append(services.IndicatorScoreInput(department, indicator, score, reason=reason))
        return items

    def adjustments(self, units: list[Unit]) -> list[tuple[Unit, Decimal, str, str]]:
        items = []
        for unit in units:
            table = REGION_ADJUSTMENTS if unit.is_region else DEPARTMENT_ADJUSTMENTS
            for percent, thousandths, reason, category in table:
                if self.chance(percent):
                    items.append((unit, points(thousandths), reason, category))
        return items


def demo_periods(year: int = DEMO_YEAR):
    return Period.objects.filter(year__year=year)


def load_demo(*, year: int = DEMO_YEAR, reset: bool = False, log: Callable[[str], None] = print) -> DemoSummary:
    """Load the demo year unless it has periods already; `reset` deletes that year's periods first."""
    assessment_year = AssessmentYear.objects.filter(year=year).first()
    if assessment_year is None or not Project.objects.filter(year=assessment_year).exists():
        raise ValidationError(f"没有{year}年的参考数据，请先运行：python manage.py loaddata tongling_2020")
    existing = demo_periods(year)
    if existing.exists() and not reset:
        message = f"{year}年的演示数据已加载（已有 {existing.count()} 个考评月份），未做任何修改。"
        log(message)
        return DemoSummary(False, message, list(existing))
    with transaction.atomic():
        if reset:
            deleted = delete_demo(year)
            log(f"已删除{year}年的 {deleted} 个考评月份及其得分、结果和变更记录。")
        periods = build_demo_year(assessment_year, log=log)
    message = (
        f"已加载{year}年演示数据：{len(PUBLISHED_MONTHS)} 个月已发布，{OPEN_MONTH}月录入中（约一半单元格已录入）。"
    )
    log(message)
    return DemoSummary(True, message, periods)


def delete_demo(year: int = DEMO_YEAR) -> int:
    """Delete a year's periods with everything entered and derived for them, audit log included."""
    periods = demo_periods(year)
    count = periods.count()
    AuditEntry.objects.filter(period__in=periods).purge_demo_data()
    periods.delete()
    assessment_year = AssessmentYear.objects.filter(year=year).first()
    if assessment_year is not None:
        demo_progress.delete_progress(assessment_year)
    return count


def ensure_adjustment_rules(assessment_year: AssessmentYear) -> None:
    """The demo year's 加扣分 rules, unless the office has set its own."""
    if AdjustmentRule.objects.filter(year=assessment_year).exists():
        return
    for rule in ADJUSTMENT_RULES:
        AdjustmentRule.objects.create(year=assessment_year, **rule)


def build_demo_year(assessment_year: AssessmentYear, *, log: Callable[[str], None] = print) -> list[Period]:
    ensure_adjustment_rules(assessment_year)
    progress = demo_progress.start(assessment_year)
    generator = DemoGenerator(assessment_year)
    not_assessed = [unit for unit in generator.departments if unit.name in NOT_ASSESSED_IN_Q1]
    periods = []
    for month in PUBLISHED_MONTHS:
        period = services.get_or_create_period(year=assessment_year.year, month=month)
        skipped = not_assessed if month in Q1 else []
        assessed = [unit for unit in generator.departments if unit not in skipped]
        enter_month(period, generator, generator.projects, assessed, generator.regions + assessed)
        for unit in skipped:
            services.set_month_override(user=None, period=period, unit=unit, kind=OverrideKind.NOT_ASSESSED)
        demo_progress.enter_month(progress, period)
        day = notice_date(assessment_year.year, month)
        services.set_notice_date(user=None, period=period, notice_date=day)
        period = services.change_period_status(user=None, period=period, status=PeriodStatus.CLOSED)
        period = services.change_period_status(
            user=None,
            period=period,
            status=PeriodStatus.PUBLISHED,
            published_at=datetime.combine(day, PUBLISHED_AT, tzinfo=SHANGHAI),
        )
        log(f"  {period}：已录入并发布")
        periods.append(period)

    # October: open, with the departments that have already entered their region scores, and the
    # indicator scores of about half of the departments; no 加扣分 yet.
    period = services.get_or_create_period(year=assessment_year.year, month=OPEN_MONTH)
    departments = generator.departments
    early = {d.id for d in generator.rng.sample(departments, len(departments) // 2)}
    projects = [p for p in generator.projects if p.responsible_department_id in early]
    indicator_departments = [d for d in departments if d.id in early]
    enter_month(period, generator, projects, indicator_departments, [])
    demo_progress.enter_month(progress, period, share_of_units=50)
    services.generate_proposals(user=None, period=period)
    log(f"  {period}：录入中（含项目进度、信息报送和加扣分建议）")
    periods.append(period)
    return periods


def enter_month(period: Period, generator: DemoGenerator, projects, departments, adjustment_units) -> None:
    """One batched write per kind of number; 加扣分 items one by one (each is its own audited item)."""
    month = period.month
    project_items = generator.project_items(month, projects)
    if project_items:
        services.save_project_scores(user=None, period=period, items=project_items)
    indicator_items = generator.indicator_items(month, departments)
    if indicator_items:
        services.save_indicator_scores(user=None, period=period, items=indicator_items)
    for unit, amount, reason, category in generator.adjustments(adjustment_units):
        services.add_adjustment(user=None, period=period, unit=unit, points=amount, reason=reason, category=category)
