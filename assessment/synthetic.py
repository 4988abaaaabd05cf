"""A plausible assessment year of any size, for benchmarks and demos (`manage.py generate_demo`).

Reference data and numbers are bulk-inserted (no audit rows: nobody entered them), then every month is
derived through the project's own engine, month by month, as a write would derive it. A seeded
`random.Random` draws every number from integer thousandths, never from a float: the same arguments
give the same year, cell for cell. Months before the last are published; the last month stays open,
fully entered, so the entry grid and the one-cell save have something to work on.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import AssessmentYear, Indicator, Project, Unit, UnitKind

from .demo import (
    DEPARTMENT_ADJUSTMENTS,
    PROGRESS_DEDUCTIONS,
    PROGRESS_FINDINGS,
    REGION_ADJUSTMENTS,
    REGION_DEDUCTIONS,
    REGION_FINDINGS,
    WORK_PROMOTION_DEDUCTIONS,
    WORK_PROMOTION_FINDINGS,
    points,
)
from .models import Adjustment, IndicatorScore, MonthOverride, OverrideKind, Period, PeriodStatus, ProjectScore
from .results import recompute_results

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "tongling_2020.json"
BATCH = 2000

# Region names: two characters and a suffix, e.g. 安平县, 东川区.
FIRST = "东西南北中安宁平和永丰兴华新清长太广金银青白云龙凤宝泰康福德顺昌盛明阳山河江湖川林石桥溪"
SECOND = "安宁平和阳山河江城州源泉口峰岭坪塘湾田州丰兴华昌盛明德福泰康乐远定化海"
REGION_SUFFIXES = ("县", "区", "市")
DEPARTMENT_FIELDS = (
    "交通", "水利", "农业农村", "卫健", "教体", "民政", "人社", "住建", "医保", "文旅", "应急", "市场监管",
    "生态环境", "城管执法", "数据资源", "退役军人", "司法", "财政", "商务", "自然资源", "林业", "统计", "审计",
    "科技", "经信", "发改", "公安", "气象", "体育", "粮食", "供销", "信访", "残联", "妇联", "团委",
)  # fmt: skip
DEPARTMENT_SUFFIXES = ("局", "委", "中心", "办", "服务中心", "管理处", "事务中心", "监测站", "执法支队", "研究院")
NOT_ASSESSED_MONTHS = (1, 2, 3)


@dataclass
class GeneratedYear:
    year: AssessmentYear
    periods: list[Period]
    regions: list[Unit]
    departments: list[Unit]
    projects: list[Project]
    counts: dict[str, int] = field(default_factory=dict)


def project_names() -> list[str]:
    """The project names of the Tongling 2020 reference data (the fixture in this repository)."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [row["fields"]["name"] for row in rows if row["model"] == "projects.project"]


def _names(candidates, count: int, taken: set[str]) -> list[str]:
    names = []
    for name in candidates:
        if name not in taken:
            names.append(name)
            taken.add(name)
            if len(names) == count:
                return names
    raise ValidationError(f"无法生成 {count} 个不重复的单位名称。")


def region_names(count: int, taken: set[str]) -> list[str]:
    combos = (a + b + s for s in REGION_SUFFIXES for a in FIRST for b in SECOND if a != b)
    numbered = (f"第{n}{s}" for n in range(1, 10**6) for s in REGION_SUFFIXES)
    return _names((name for source in (combos, numbered) for name in source), count, taken)


def department_names(count: int, taken: set[str]) -> list[str]:
    combos = (f"市{f}{s}" for s in DEPARTMENT_SUFFIXES for f in DEPARTMENT_FIELDS)
    numbered = (f"市第{n}{f}局" for n in range(2, 10**6) for f in DEPARTMENT_FIELDS)
    return _names((name for source in (combos, numbered) for name in source), count, taken)


def short_department_name(name: str) -> str:
    return name[1:] if name.startswith("市") else name


class Generator:
    """Draws the numbers of a year of the given size."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def chance(self, percent: float) -> bool:
        return self.rng.random() * 100 < percent

    # ---------------------------------------------------------------- reference data

    def units(self, regions: int, departments: int) -> tuple[list[Unit], list[Unit]]:
        taken = set(Unit.objects.values_list("name", flat=True))
        region_units = Unit.objects.bulk_create(
            Unit(name=name, short_name=name, kind=UnitKind.REGION, display_order=i)
            for i, name in enumerate(region_names(regions, taken), start=1)
        )
        department_units = Unit.objects.bulk_create(
            Unit(name=name, short_name=short_department_name(name), kind=UnitKind.DEPARTMENT, display_order=i)
            for i, name in enumerate(department_names(departments, taken), start=1)
        )
        return region_units, department_units

    def reference(self, year_number: int, projects: int, regions: list[Unit], departments: list[Unit]):
        year = AssessmentYear.objects.create(year=year_number, title=f"{year_number}年度民生工程月度考评（生成数据）")
        names = project_names()
        rows = []
        for i in range(1, projects + 1):
            name = names[(i - 1) % len(names)]
            if i > len(names):
                name = f"{name}（{(i - 1) // len(names) + 1}）"
            department = departments[(i - 1) % len(departments)]
            rows.append(
                Project(
                    year=year,
                    code=str(i),
                    group_code=str(i),
                    name=name,
                    responsible_department=department,
                    display_order=i,
                )
            )
        project_rows = Project.objects.bulk_create(rows)
        # The first project does not apply to one region in fifty (printed —), as 经开区 and project 1.
        through = Project.excluded_regions.through
        excluded = [region for region in regions if self.chance(2)]
        through.objects.bulk_create(through(project_id=project_rows[0].id, unit_id=region.id) for region in excluded)
        indicators = Indicator.objects.bulk_create(
            [
                Indicator(year=year, name="项目进展", max_score=Decimal("1.0"), display_order=1),
                Indicator(year=year, name="工作推进情况", max_score=Decimal("0.5"), display_order=2),
            ]
        )
        return year, project_rows, {region.id for region in excluded}, indicators

    # ---------------------------------------------------------------- numbers of a month

    def project_scores(self, period, regions, projects, excluded, maximum):
        first = projects[0].id if projects else None
        for index, region in enumerate(regions):
            care = 3 + index % 5  # some regions are steadier than others (by position: the same on any database)
            for project in projects:
                if project.id == first and region.id in excluded:
                    continue
                if self.chance(care):
                    lost = points(self.rng.choice(REGION_DEDUCTIONS))
                    reason = self.rng.choice(REGION_FINDINGS).format(month=period.month, project=project.name)
                    yield ProjectScore(
                        period=period, region=region, project=project, score=maximum - lost, reason=reason
                    )
                else:
                    yield ProjectScore(period=period, region=region, project=project, score=maximum)

    def indicator_scores(self, period, departments, indicators, projects_of):
        for department in departments:
            for indicator in indicators:
                score, reason = indicator.max_score, ""
                if self.chance(8):
                    if indicator.max_score >= 1:
                        score -= points(self.rng.choice(PROGRESS_DEDUCTIONS))
                        project = self.rng.choice(projects_of.get(department.id) or ["民生工程"])
                        reason = self.rng.choice(PROGRESS_FINDINGS).format(month=period.month, project=project)
                    else:
                        score -= points(self.rng.choice(WORK_PROMOTION_DEDUCTIONS))
                        reason = self.rng.choice(WORK_PROMOTION_FINDINGS)
                yield IndicatorScore(
                    period=period, department=department, indicator=indicator, score=score, reason=reason
                )

    def adjustments(self, period, units):
        for unit in units:
            table = REGION_ADJUSTMENTS if unit.is_region else DEPARTMENT_ADJUSTMENTS
            for percent, thousandths, reason, category in table:
                if self.chance(percent / 3):
                    yield Adjustment(
                        period=period, unit=unit, points=points(thousandths), reason=reason, category=category
                    )


def publication_moment(year: int, month: int) -> datetime:
    """The 16th of the next month at 09:30, Beijing time (the seed's September notice: 2020年10月16日)."""
    day = date(year + month // 12, month % 12 + 1, 16)
    return datetime.combine(day, time(9, 30), tzinfo=ZoneInfo(settings.TIME_ZONE))


@transaction.atomic
def generate_year(
    *,
    year: int,
    regions: int,
    departments: int,
    projects: int,
    months: int,
    seed: int = 1,
    units: tuple[list[Unit], list[Unit]] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> GeneratedYear:
    """Bulk-insert a year of this size (new units unless `units` are given), then derive it month by month."""
    if AssessmentYear.objects.filter(year=year).exists():
        raise ValidationError(f"{year}年已存在，请换一个年度。")
    generator = Generator(seed)
    region_units, department_units = units or generator.units(regions, departments)
    assessment_year, project_rows, excluded, indicators = generator.reference(
        year, projects, region_units, department_units
    )
    projects_of = {}
    for project in project_rows:
        projects_of.setdefault(project.responsible_department_id, []).append(project.name)
    not_assessed = department_units[:2] if len(department_units) >= 10 else []
    maximum = assessment_year.project_max_score
    periods = []
    for month in range(1, months + 1):
        published = month < months
        period = Period.objects.create(
            year=assessment_year,
            month=month,
            status=PeriodStatus.PUBLISHED if published else PeriodStatus.OPEN,
            published_at=publication_moment(year, month) if published else None,
            notice_date=publication_moment(year, month).date() if published else None,
        )
        period.year = assessment_year
        skipped = not_assessed if month in NOT_ASSESSED_MONTHS else []
        assessed = [d for d in department_units if d not in skipped]
        ProjectScore.objects.bulk_create(
            generator.project_scores(period, region_units, project_rows, excluded, maximum), batch_size=BATCH
        )
        IndicatorScore.objects.bulk_create(
            generator.indicator_scores(period, assessed, indicators, projects_of), batch_size=BATCH
        )
        Adjustment.objects.bulk_create(generator.adjustments(period, region_units + assessed), batch_size=BATCH)
        MonthOverride.objects.bulk_create(
            MonthOverride(period=period, unit=unit, kind=OverrideKind.NOT_ASSESSED) for unit in skipped
        )
        recompute_results(period)
        log(f"  {period}：{'已发布' if published else '录入中'}")
        periods.append(period)
    counts = {
        "regions": len(region_units),
        "departments": len(department_units),
        "projects": len(project_rows),
        "project scores": ProjectScore.objects.filter(period__year=assessment_year).count(),
        "indicator scores": IndicatorScore.objects.filter(period__year=assessment_year).count(),
        "adjustments": Adjustment.objects.filter(period__year=assessment_year).count(),
    }
    return GeneratedYear(assessment_year, periods, region_units, department_units, project_rows, counts)
