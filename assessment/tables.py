"""Reads for the official tables (附件1–3), the unit page and the dashboard.

Every selector here runs a fixed number of queries whatever the number of units, projects and
months, and returns plain dataclasses: the pages and the exporters render the same data.
Decimals are summed and averaged in Python, never by the database.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from projects.models import AssessmentYear, Indicator, Project, Unit, UnitKind

from .models import Adjustment, IndicatorScore, MonthOverride, Period, PeriodStatus, ProjectScore, UnitResult
from .permissions import can_view_period
from .roles import is_office
from .scoring import decimal_sum, mean_score
from .selectors import RankingRow, Rankings, rankings

NOT_APPLICABLE = "—"
LIST_SEPARATOR = "；"
POINTS_IN_TEXT = re.compile(r"[加扣]\s*[0-9.]+\s*分")


# ---------------------------------------------------------------- wording


def month_range_text(months: list[int]) -> str:
    """[1, 2, 3] → '1-3月'; [2] → '2月'; [1, 2, 5] → '1-2、5月'."""
    runs: list[list[int]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = [f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    return "、".join(parts) + "月" if parts else ""


def peer_label(assessment_year: AssessmentYear, kind: str) -> str:
    """How the notice names a unit's peers: '市直单位' (from '市直责任单位'), '县区'."""
    if kind == UnitKind.REGION:
        return assessment_year.region_label
    return assessment_year.department_label.replace("责任", "")


def region_word(assessment_year: AssessmentYear) -> str:
    """The seed prints the region group as '县(区)'."""
    return "县(区)" if assessment_year.region_label == "县区" else assessment_year.region_label


def points_text(points: Decimal) -> str:
    """0.050 → '0.05', 0.100 → '0.1', 1.000 → '1': how the notes print points."""
    return format(abs(points).normalize(), "f")


def adjustment_phrase(reason: str, points: Decimal) -> str:
    """'省民生网站刊登信息加0.05分'; a reason already naming its points is kept as written."""
    reason = reason.strip().rstrip("。；;")
    if POINTS_IN_TEXT.search(reason):
        return reason
    verb = "加" if points > 0 else "扣"
    return f"{reason}{verb}{points_text(points)}分"


def join_sentences(parts: list[str]) -> str:
    """Join reasons with '；' and close with '。'."""
    cleaned = [part.strip().rstrip("。；;") for part in parts if part and part.strip()]
    return LIST_SEPARATOR.join(cleaned) + "。" if cleaned else ""


def rank_change_text(change: int | None) -> str:
    """▲2 moved up two places, ▼1 down one, — unchanged or no previous month."""
    if not change:
        return "—"
    return f"▲{change}" if change > 0 else f"▼{-change}"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- heading


@dataclass(frozen=True)
class Heading:
    """What every attachment prints above the table."""

    period: Period
    assessment_year: AssessmentYear
    office_name: str
    date: date
    is_published: bool

    @property
    def month(self) -> int:
        return self.period.month

    @property
    def year(self) -> int:
        return self.assessment_year.year

    @property
    def date_line(self) -> str:
        """'市民生办　2020年10月16日', with '（未发布）' before publication."""
        line = f"{self.office_name}　{chinese_date(self.date)}"
        return line if self.is_published else f"{line}（未发布）"

    def title(self, name: str) -> str:
        return f"{self.month}月份民生工程{name}"


def heading(period: Period) -> Heading:
    """Needs `period.year` loaded (select_related); no query of its own."""
    published = period.is_published and period.published_at is not None
    day = timezone.localtime(period.published_at).date() if published else timezone.localdate()
    return Heading(period, period.year, period.year.office_name, day, period.is_published)


# ---------------------------------------------------------------- 附件1


ATTACHMENT1_NAME = "排名情况汇总表"


@dataclass(frozen=True)
class RankedUnit:
    """A 附件1 row with its rank moves spelled out for the page."""

    row: RankingRow
    change: str
    ytd_change: str

    @classmethod
    def of(cls, row: RankingRow) -> RankedUnit:
        return cls(row, rank_change_text(row.rank_change), rank_change_text(row.ytd_rank_change))


@dataclass
class Attachment1:
    heading: Heading
    rankings: Rankings
    region_title: str
    department_title: str
    notes: list[str]

    @property
    def title(self) -> str:
        return self.heading.title(ATTACHMENT1_NAME)

    @property
    def month_label(self) -> str:
        return f"{self.heading.month}月"

    @property
    def ytd_label(self) -> str:
        return f"1-{self.heading.month}月" if self.heading.month > 1 else "1月"

    @property
    def blocks(self) -> list[tuple[str, list[RankingRow]]]:
        return [(self.region_title, self.rankings.regions), (self.department_title, self.rankings.departments)]

    @property
    def page_blocks(self) -> list[tuple[str, list[RankedUnit]]]:
        return [(title, [RankedUnit.of(row) for row in rows]) for title, rows in self.blocks]


def imputation_notes(assessment_year: AssessmentYear, table: Rankings) -> list[str]:
    """One sentence per kind and set of months, e.g.
    '备注：市数据资源局和市城管执法局未纳入1-3月考评，1-3月按市直单位平均得分计'."""
    sentences = []
    for kind, rows in ((UnitKind.REGION, table.regions), (UnitKind.DEPARTMENT, table.departments)):
        groups: dict[tuple[int, ...], list[RankingRow]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r.unit_id):
            if row.imputed_months:
                groups[tuple(row.imputed_months)].append(row)
        for months, units in sorted(groups.items()):
            when = month_range_text(list(months))
            names = _and_join([row.unit for row in units])
            sentences.append(f"{names}未纳入{when}考评，{when}按{peer_label(assessment_year, kind)}平均得分计")
    if not sentences:
        return []
    return ["备注：" + "；".join(sentences)]


def _and_join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def attachment1(period: Period) -> Attachment1:
    """附件1 排名情况汇总表. One query."""
    table = rankings(period)
    year = period.year
    return Attachment1(
        heading=heading(period),
        rankings=table,
        region_title=f"{year.region_label}排名",
        department_title=f"{year.department_label}排名",
        notes=imputation_notes(year, table),
    )


# ---------------------------------------------------------------- 附件2


ATTACHMENT2_NAME_TEMPLATE = "项目{region}得分情况统计表"


@dataclass(frozen=True)
class RegionColumn:
    unit_id: int
    name: str
    short_name: str


@dataclass(frozen=True)
class ScoreCell:
    """A region's cell on a project row: a Decimal score, '—' (does not apply) or None (not entered)."""

    value: Decimal | str | None
    reason: str = ""
    below_max: bool = False

    @property
    def is_score(self) -> bool:
        return isinstance(self.value, Decimal)


@dataclass(frozen=True)
class ProjectRow:
    project_id: int
    code: str
    name: str
    department: str
    department_id: int
    cells: list[ScoreCell]
    average: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.code}、{self.name}"


@dataclass
class Attachment2:
    heading: Heading
    regions: list[RegionColumn]
    rows: list[ProjectRow]
    adjustment_totals: list[Decimal | None]
    notes: list[str]
    region_word: str

    @property
    def title(self) -> str:
        return self.heading.title(ATTACHMENT2_NAME_TEMPLATE.format(region=self.region_word))


def attachment2(period: Period) -> Attachment2:
    """附件2 县(区)得分情况统计表. Five queries."""
    year = period.year
    maximum = year.project_max_score
    regions = [
        RegionColumn(r.unit_id, r.unit.name, r.unit.short_name)
        for r in UnitResult.objects.filter(period=period, unit__kind=UnitKind.REGION)
        .select_related("unit")
        .order_by("unit__display_order", "unit__name")
    ]
    projects = list(
        Project.objects.filter(year_id=period.year_id)
        .select_related("responsible_department")
        .prefetch_related("excluded_regions")
    )
    scores = {
        (s.region_id, s.project_id): s
        for s in ProjectScore.objects.filter(period=period).only(
            "region_id", "project_id", "score", "not_applicable", "reason"
        )
    }
    adjustments = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period=period, unit__kind=UnitKind.REGION).order_by("id"):
        adjustments[adjustment.unit_id].append(adjustment)

    rows = []
    reasons: dict[int, list[str]] = defaultdict(list)
    for project in projects:
        excluded = {unit.id for unit in project.excluded_regions.all()}
        cells = []
        for region in regions:
            score = scores.get((region.unit_id, project.id))
            if region.unit_id in excluded or (score is not None and score.not_applicable):
                cells.append(ScoreCell(NOT_APPLICABLE))
            elif score is None:
                cells.append(ScoreCell(None))
            else:
                below = score.score < maximum
                cells.append(ScoreCell(score.score, score.reason.strip(), below))
                if below and score.reason.strip():
                    reasons[region.unit_id].append(score.reason.strip())
        numbers = [cell.value for cell in cells if cell.is_score]
        department = project.responsible_department
        rows.append(
            ProjectRow(
                project.id,
                project.display_code,
                project.name,
                department.short_name,
                department.id,
                cells,
                mean_score(numbers),
            )
        )
    totals = [
        decimal_sum(a.points for a in adjustments[r.unit_id]) if adjustments[r.unit_id] else None for r in regions
    ]
    return Attachment2(
        heading=heading(period),
        regions=regions,
        rows=rows,
        adjustment_totals=totals,
        notes=attachment2_notes(year, regions, reasons, adjustments),
        region_word=region_word(year),
    )


def attachment2_notes(year, regions, reasons, adjustments) -> list[str]:
    """The 注 under 附件2, grouped by region as in the seed."""
    notes = []
    finding_lines = [
        f"{index}、{region.name}：{join_sentences(list(dict.fromkeys(reasons[region.unit_id])))}"
        for index, region in enumerate((r for r in regions if reasons[r.unit_id]), start=1)
    ]
    if finding_lines:
        notes.append(f"注：{peer_label(year, UnitKind.DEPARTMENT)}对{region_word(year)}考评扣分原因：")
        notes.extend(finding_lines)
    office_lines = [
        f"{index}、{region.name}：{join_sentences([adjustment_phrase(a.reason, a.points) for a in items])}"
        for index, (region, items) in enumerate(
            ((r, adjustments[r.unit_id]) for r in regions if adjustments[r.unit_id]), start=1
        )
    ]
    if office_lines:
        notes.append(("" if finding_lines else "注：") + f"{year.office_name}加扣分：")
        notes.extend(office_lines)
    return notes


# ---------------------------------------------------------------- 附件3


ATTACHMENT3_NAME_TEMPLATE = "{department}得分情况统计表"


@dataclass(frozen=True)
class IndicatorColumn:
    indicator_id: int
    name: str
    max_score: Decimal


@dataclass(frozen=True)
class DepartmentRow:
    number: int
    unit_id: int
    name: str
    short_name: str
    indicator_scores: list[Decimal | None]
    adjustment_total: Decimal | None
    score: Decimal | None
    rank: int | None
    remarks: str
    imputed: bool


@dataclass
class Attachment3:
    heading: Heading
    indicators: list[IndicatorColumn]
    rows: list[DepartmentRow]
    department_word: str

    @property
    def title(self) -> str:
        return self.heading.title(ATTACHMENT3_NAME_TEMPLATE.format(department=self.department_word))


def department_word(year: AssessmentYear) -> str:
    """'市直责任单位' → '市直部门', as the seed titles 附件3."""
    return year.department_label.replace("责任单位", "部门")


def attachment3(period: Period) -> Attachment3:
    """附件3 市直部门得分情况统计表, ordered by month rank as published. Four queries."""
    year = period.year
    table = rankings(period)
    indicators = [IndicatorColumn(i.id, i.name, i.max_score) for i in Indicator.objects.filter(year_id=period.year_id)]
    scores = {
        (s.department_id, s.indicator_id): s
        for s in IndicatorScore.objects.filter(period=period).only("department_id", "indicator_id", "score", "reason")
    }
    adjustments = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period=period, unit__kind=UnitKind.DEPARTMENT).order_by("id"):
        adjustments[adjustment.unit_id].append(adjustment)

    rows = []
    peers = peer_label(year, UnitKind.DEPARTMENT)
    for number, ranking in enumerate(table.departments, start=1):
        values, remarks = [], []
        for indicator in indicators:
            score = scores.get((ranking.unit_id, indicator.indicator_id))
            values.append(score.score if score else None)
            if score and score.score < indicator.max_score and score.reason.strip():
                remarks.append(score.reason.strip())
        items = adjustments[ranking.unit_id]
        remarks.extend(a.reason.strip() for a in items)
        if ranking.imputed:
            remarks.append(f"未纳入本月考评，按{peers}平均得分计")
        rows.append(
            DepartmentRow(
                number=number,
                unit_id=ranking.unit_id,
                name=ranking.unit,
                short_name=ranking.short_name,
                indicator_scores=values,
                adjustment_total=decimal_sum(a.points for a in items) if items else None,
                score=ranking.score,
                rank=ranking.rank,
                remarks=LIST_SEPARATOR.join(dict.fromkeys(r.rstrip("。；;") for r in remarks)),
                imputed=ranking.imputed,
            )
        )
    return Attachment3(heading(period), indicators, rows, department_word(year))


# ---------------------------------------------------------------- period overview


def visible_periods(user, assessment_year: AssessmentYear | None = None) -> list[Period]:
    """Periods a user may open (of one year, or all), newest first. One query."""
    periods = Period.objects.select_related("year").order_by("-year__year", "-month")
    if assessment_year is not None:
        periods = periods.filter(year=assessment_year)
    if not is_office(user):
        periods = periods.filter(status=PeriodStatus.PUBLISHED)
    return [period for period in periods if can_view_period(user, period)]


# ---------------------------------------------------------------- unit page


@dataclass(frozen=True)
class UnitMonthRow:
    period: Period
    score: Decimal | None
    rank: int | None
    ytd_score: Decimal | None
    ytd_rank: int | None
    rank_change: int | None
    imputed: bool
    peer_average: Decimal | None
    peer_count: int
    adjustment_total: Decimal

    @property
    def change(self) -> str:
        return rank_change_text(self.rank_change)


@dataclass(frozen=True)
class ScoreItem:
    """A deduction or bonus with its reason, as listed on the unit page."""

    period: Period
    kind: str  # "project" | "indicator" | "adjustment"
    item: str
    score: Decimal | None  # the score given (project, indicator)
    points: Decimal  # signed points gained or lost
    reason: str


@dataclass
class UnitYear:
    unit: Unit
    assessment_year: AssessmentYear
    months: list[UnitMonthRow]
    items: list[ScoreItem]
    peer_label: str
    years: list[int] = field(default_factory=list)

    @property
    def chart(self) -> dict:
        """Plain JSON for the chart: Decimals as strings, never floats."""

        def text(value):
            return None if value is None else format(value, "f")

        return {
            "months": [f"{row.period.month}月" for row in self.months],
            "score": [text(row.score) for row in self.months],
            "peer_average": [text(row.peer_average) for row in self.months],
            "rank": [row.rank for row in self.months],
            "unit": self.unit.name,
            "peer_label": f"{self.peer_label}平均",
            "title": f"{self.assessment_year.year}年{self.unit.name}月度得分与排名",
        }

    @property
    def deductions(self) -> list[ScoreItem]:
        return [item for item in self.items if item.points < 0]

    @property
    def bonuses(self) -> list[ScoreItem]:
        return [item for item in self.items if item.points > 0]


def unit_year(unit: Unit, assessment_year: AssessmentYear, periods: list[Period]) -> UnitYear:
    """A unit's months of a year (the given, visible periods), with its peers' average. Four queries."""
    by_id = {period.id: period for period in periods}
    results = defaultdict(list)
    own = {}
    for result in UnitResult.objects.filter(period_id__in=by_id, unit__kind=unit.kind).only(
        "period_id", "unit_id", "score", "rank", "ytd_score", "ytd_rank", "rank_change", "imputed", "adjustment_total"
    ):
        if result.score is not None:
            results[result.period_id].append(result.score)
        if result.unit_id == unit.id:
            own[result.period_id] = result
    months = []
    for period in sorted(periods, key=lambda p: p.month):
        result = own.get(period.id)
        if result is None:
            continue
        months.append(
            UnitMonthRow(
                period,
                result.score,
                result.rank,
                result.ytd_score,
                result.ytd_rank,
                result.rank_change,
                result.imputed,
                mean_score(results[period.id]),
                len(results[period.id]),
                result.adjustment_total,
            )
        )
    return UnitYear(
        unit=unit,
        assessment_year=assessment_year,
        months=months,
        items=_unit_items(unit, assessment_year, by_id),
        peer_label=peer_label(assessment_year, unit.kind),
    )


def _unit_items(unit: Unit, assessment_year: AssessmentYear, periods: dict[int, Period]) -> list[ScoreItem]:
    items = []
    if unit.is_region:
        maximum = assessment_year.project_max_score
        for score in (
            ProjectScore.objects.filter(period_id__in=periods, region=unit, not_applicable=False, score__lt=maximum)
            .select_related("project")
            .order_by("project__display_order", "project__id")
        ):
            items.append(
                ScoreItem(
                    periods[score.period_id],
                    "project",
                    f"{score.project.display_code}、{score.project.name}",
                    score.score,
                    score.score - maximum,
                    score.reason,
                )
            )
    else:
        for score in (
            IndicatorScore.objects.filter(period_id__in=periods, department=unit)
            .select_related("indicator")
            .order_by("indicator__display_order", "indicator__id")
        ):
            if score.score < score.indicator.max_score:
                items.append(
                    ScoreItem(
                        periods[score.period_id],
                        "indicator",
                        score.indicator.name,
                        score.score,
                        score.score - score.indicator.max_score,
                        score.reason,
                    )
                )
    for adjustment in Adjustment.objects.filter(period_id__in=periods, unit=unit).order_by("id"):
        items.append(
            ScoreItem(
                periods[adjustment.period_id], "adjustment", "加(扣)分", None, adjustment.points, adjustment.reason
            )
        )
    order = {"project": 0, "indicator": 0, "adjustment": 1}
    return sorted(items, key=lambda item: (-item.period.month, order[item.kind]))


def unit_years(unit: Unit) -> list[int]:
    """Years with results for the unit. One query."""
    return sorted(set(UnitResult.objects.filter(unit=unit).values_list("period__year__year", flat=True)), reverse=True)


# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class ProjectDeductions:
    project_id: int
    label: str
    department: str
    regions: int
    points: Decimal
    regions_list: list[str]


@dataclass(frozen=True)
class Completeness:
    unit_id: int | None
    label: str
    entered: int
    expected: int

    @property
    def percent(self) -> int:
        return 100 if not self.expected else self.entered * 100 // self.expected

    @property
    def is_complete(self) -> bool:
        return self.entered >= self.expected


@dataclass
class Dashboard:
    published: Period | None = None
    rankings: Rankings | None = None
    top: dict[str, list[RankingRow]] = field(default_factory=dict)
    bottom: dict[str, list[RankingRow]] = field(default_factory=dict)
    moves: list[RankedUnit] = field(default_factory=list)
    deductions: list[ProjectDeductions] = field(default_factory=list)
    open_period: Period | None = None
    completeness: list[Completeness] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)

    @property
    def entered(self) -> int:
        return sum(c.entered for c in self.completeness)

    @property
    def expected(self) -> int:
        return sum(c.expected for c in self.completeness)


HIGHLIGHTS = 3
MOVES = 5
DEDUCTED_PROJECTS = 5


def published_highlights(dashboard: Dashboard, period: Period) -> None:
    """Top and bottom units, biggest rank moves, most deducted projects. Four queries."""
    table = rankings(period)
    dashboard.published, dashboard.rankings = period, table
    for kind, rows in (("regions", table.regions), ("departments", table.departments)):
        ranked = [row for row in rows if row.rank is not None]
        dashboard.top[kind] = ranked[:HIGHLIGHTS]
        dashboard.bottom[kind] = ranked[HIGHLIGHTS:][-HIGHLIGHTS:][::-1]  # never repeats a unit of the top
    moved = [row for row in table.regions + table.departments if row.rank_change]
    moved.sort(key=lambda row: (-abs(row.rank_change), -row.rank_change, row.unit_id))
    dashboard.moves = [RankedUnit.of(row) for row in moved[:MOVES]]
    dashboard.deductions = most_deducted_projects(period)


def most_deducted_projects(period: Period, limit: int = DEDUCTED_PROJECTS) -> list[ProjectDeductions]:
    """Project rows with the most regions below the maximum this month. One query."""
    maximum = period.year.project_max_score
    lost: dict[int, list[ProjectScore]] = defaultdict(list)
    for score in (
        ProjectScore.objects.filter(period=period, not_applicable=False, score__lt=maximum)
        .select_related("project__responsible_department", "region")
        .order_by("region__display_order", "region__name")
    ):
        lost[score.project_id].append(score)
    summary = []
    for items in lost.values():
        project = items[0].project
        summary.append(
            ProjectDeductions(
                project.id,
                f"{project.display_code}、{project.name}",
                project.responsible_department.short_name,
                len(items),
                decimal_sum(maximum - item.score for item in items),
                [item.region.short_name for item in items],
            )
        )
    order = {items[0].project_id: (items[0].project.display_order, items[0].project_id) for items in lost.values()}
    summary.sort(key=lambda p: (-p.regions, -p.points, order[p.project_id]))
    return summary[:limit]


def completeness(period: Period, department_id: int | None = None) -> list[Completeness]:
    """Cells entered / expected per responsible department, plus the office's indicator scores.

    Units with a month override (recorded total, not assessed) expect nothing. Seven queries."""
    overridden = set(MonthOverride.objects.filter(period=period).values_list("unit_id", flat=True))
    regions = [r for r in Unit.objects.regions().active().values_list("id", flat=True) if r not in overridden]
    projects = list(
        Project.objects.filter(year_id=period.year_id)
        .select_related("responsible_department")
        .prefetch_related("excluded_regions")
        .order_by("responsible_department__display_order", "display_order")
    )
    entered_cells = set(ProjectScore.objects.filter(period=period).values_list("project_id", "region_id"))
    expected, entered = Counter(), Counter()
    departments = {}
    for project in projects:
        department = project.responsible_department
        departments[department.id] = department
        excluded = {unit.id for unit in project.excluded_regions.all()}
        for region_id in regions:
            if region_id in excluded:
                continue
            expected[department.id] += 1
            entered[department.id] += (project.id, region_id) in entered_cells
    lines = [
        Completeness(d.id, d.short_name, entered[d.id], expected[d.id])
        for d in sorted(departments.values(), key=lambda d: (d.display_order, d.name))
        if department_id is None or d.id == department_id
    ]
    if department_id is None:
        indicator_count = Indicator.objects.filter(year_id=period.year_id).count()
        assessed = [d for d in Unit.objects.departments().active().values_list("id", flat=True) if d not in overridden]
        done = IndicatorScore.objects.filter(period=period, department_id__in=assessed).count()
        lines.append(
            Completeness(None, f"{period.year.office_name}（部门考评指标）", done, indicator_count * len(assessed))
        )
    return lines


def latest_period(*, published: bool) -> Period | None:
    periods = Period.objects.select_related("year").order_by("-year__year", "-month")
    condition = Q(status=PeriodStatus.PUBLISHED)
    return (periods.filter(condition) if published else periods.exclude(condition)).first()
