"""Reads for the official tables (附件1–3): plain dataclasses that the pages and the exporters render.

Every selector runs a fixed number of queries whatever the number of units, projects and months.
Decimals are summed and averaged in Python, never by the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from projects.models import AssessmentYear, Indicator, PrintedNumbers, UnitKind

from .. import rules, wording
from ..models import Adjustment, IndicatorScore, Period, ProjectScore
from ..scoring import decimal_sum, mean_score
from .rankings import RankingRow, Rankings, rankings
from .reference import period_units, year_reference

NOT_APPLICABLE = "—"


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
        line = f"{self.office_name}　{wording.chinese_date(self.date)}"
        return line if self.is_published else f"{line}（未发布）"

    def title(self, name: str) -> str:
        return f"{self.month}月份民生工程{name}"


def heading(period: Period) -> Heading:
    """Needs `period.year` loaded (select_related); no query of its own."""
    if period.notice_date is not None:
        day = period.notice_date
    elif period.is_published and period.published_at is not None:
        day = timezone.localtime(period.published_at).date()
    else:
        day = timezone.localdate()
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
        return cls(row, wording.rank_change_text(row.rank_change), wording.rank_change_text(row.ytd_rank_change))


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
        return wording.ytd_label(self.heading.month)

    @property
    def blocks(self) -> list[tuple[str, list[RankingRow]]]:
        return [(self.region_title, self.rankings.regions), (self.department_title, self.rankings.departments)]

    @property
    def page_blocks(self) -> list[tuple[str, list[RankedUnit]]]:
        return [(title, [RankedUnit.of(row) for row in rows]) for title, rows in self.blocks]


def imputation_notes(assessment_year: AssessmentYear, table: Rankings) -> list[str]:
    """One sentence per kind and set of months, e.g.
    '备注：市数据资源局和市城管执法局未纳入一季度考评，一季度按市直单位平均得分计'."""
    sentences = []
    for kind, rows in ((UnitKind.REGION, table.regions), (UnitKind.DEPARTMENT, table.departments)):
        groups: dict[tuple[int, ...], list[RankingRow]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r.unit_id):
            if row.imputed_months:
                groups[tuple(row.imputed_months)].append(row)
        peers = wording.peer_label(assessment_year, kind)
        for months, units in sorted(groups.items()):
            sentences.append(wording.imputation_sentence([row.unit for row in units], list(months), peers))
    return ["备注：" + "；".join(sentences)] if sentences else []


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
    """A region's cell on a project row: a Decimal score, '—' (does not apply) or None (not entered),
    with the text it prints as (the year's number style)."""

    value: Decimal | str | None
    reason: str = ""
    below_max: bool = False
    text: str = ""

    @property
    def is_score(self) -> bool:
        return isinstance(self.value, Decimal)


NOT_APPLICABLE_CELL = ScoreCell(NOT_APPLICABLE, text=NOT_APPLICABLE)
EMPTY_CELL = ScoreCell(None)


@dataclass(frozen=True)
class ProjectRow:
    project_id: int
    code: str
    name: str
    department: str
    department_id: int
    cells: list[ScoreCell]
    average: Decimal | None
    average_text: str = ""

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
    as_published: bool = False

    @property
    def adjustment_texts(self) -> list[str]:
        return [rules.printed_score(total, self.as_published) for total in self.adjustment_totals]

    @property
    def title(self) -> str:
        return self.heading.title(ATTACHMENT2_NAME_TEMPLATE.format(region=self.region_word))


def _adjustments_by_unit(period: Period, kind: str) -> dict[int, list[Adjustment]]:
    grouped = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period=period, unit__kind=kind).order_by("id"):
        grouped[adjustment.unit_id].append(adjustment)
    return grouped


def attachment2(period: Period) -> Attachment2:
    """附件2 县(区)得分情况统计表. Six queries; cells of the same score share one object."""
    year = period.year
    maximum = year.project_max_score
    as_published = year.printed_numbers == PrintedNumbers.AS_PUBLISHED
    regions = [RegionColumn(u.id, u.name, u.short_name) for u in period_units(period, UnitKind.REGION)]
    reference = year_reference(period.year_id)
    scores = {
        (region_id, project_id): (score, not_applicable, reason)
        for region_id, project_id, score, not_applicable, reason in ProjectScore.objects.filter(
            period=period
        ).values_list("region_id", "project_id", "score", "not_applicable", "reason")
    }
    adjustments = _adjustments_by_unit(period, UnitKind.REGION)
    shared: dict[tuple, ScoreCell] = {}

    def cell_of(score: Decimal, reason: str) -> ScoreCell:
        key = (score, reason)
        cell = shared.get(key)
        if cell is None:
            text = rules.printed_score(score, as_published)
            cell = shared[key] = ScoreCell(score, reason, score < maximum, text)
        return cell

    rows = []
    reasons: dict[int, list[str]] = defaultdict(list)
    for project in reference.projects:
        excluded = reference.excluded.get(project.id, ())
        cells, numbers = [], []
        for region in regions:
            stored = scores.get((region.unit_id, project.id))
            if region.unit_id in excluded or (stored is not None and stored[1]):
                cells.append(NOT_APPLICABLE_CELL)
            elif stored is None:
                cells.append(EMPTY_CELL)
            else:
                reason = stored[2].strip()
                cell = cell_of(stored[0], reason)
                cells.append(cell)
                numbers.append(stored[0])
                if cell.below_max and reason:
                    reasons[region.unit_id].append(reason)
        department = project.responsible_department
        average = mean_score(numbers)
        rows.append(
            ProjectRow(
                project.id,
                project.display_code,
                project.name,
                department.short_name,
                department.id,
                cells,
                average,
                rules.printed_score(average, as_published),
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
        region_word=wording.region_word(year),
        as_published=as_published,
    )


def attachment2_notes(year, regions, reasons, adjustments) -> list[str]:
    """The 注 under 附件2, grouped by region as in the seed."""
    notes = []
    finding_lines = [
        f"{index}、{region.name}：{wording.join_sentences(list(dict.fromkeys(reasons[region.unit_id])))}"
        for index, region in enumerate((r for r in regions if reasons[r.unit_id]), start=1)
    ]
    if finding_lines:
        peers = wording.peer_label(year, UnitKind.DEPARTMENT)
        notes.append(f"注：{peers}对{wording.region_word(year)}考评扣分原因：")
        notes.extend(finding_lines)
    office_lines = [
        f"{index}、{region.name}：{_phrases(adjustments[region.unit_id])}"
        for index, region in enumerate((r for r in regions if adjustments[r.unit_id]), start=1)
    ]
    if office_lines:
        notes.append(("" if finding_lines else "注：") + f"{year.office_name}加扣分：")
        notes.extend(office_lines)
    return notes


def _phrases(items: list[Adjustment]) -> str:
    return wording.join_sentences([wording.adjustment_phrase(a.reason, a.points) for a in items])


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
    as_published: bool = False
    missing: tuple[str, ...] = ()  # what a draft month still lacks: no score, no rank

    @property
    def indicator_texts(self) -> list[str]:
        return [rules.printed_score(score, self.as_published) for score in self.indicator_scores]

    @property
    def adjustment_text(self) -> str:
        return rules.printed_score(self.adjustment_total, self.as_published)

    @property
    def score_text(self) -> str:
        return rules.printed_score(self.score, self.as_published)


@dataclass
class Attachment3:
    heading: Heading
    indicators: list[IndicatorColumn]
    rows: list[DepartmentRow]
    department_word: str
    as_published: bool = False

    @property
    def title(self) -> str:
        return self.heading.title(ATTACHMENT3_NAME_TEMPLATE.format(department=self.department_word))


def attachment3(period: Period) -> Attachment3:
    """附件3 市直部门得分情况统计表, ordered by month rank as published. Four queries."""
    year = period.year
    table = rankings(period, UnitKind.DEPARTMENT)
    indicators = [IndicatorColumn(i.id, i.name, i.max_score) for i in Indicator.objects.filter(year_id=period.year_id)]
    scores = {
        (s.department_id, s.indicator_id): s
        for s in IndicatorScore.objects.filter(period=period).only("department_id", "indicator_id", "score", "reason")
    }
    adjustments = _adjustments_by_unit(period, UnitKind.DEPARTMENT)
    peers = wording.peer_label(year, UnitKind.DEPARTMENT)
    as_published = year.printed_numbers == PrintedNumbers.AS_PUBLISHED
    rows = []
    for number, ranking in enumerate(table.departments, start=1):
        values, remarks = [], []
        for indicator in indicators:
            score = scores.get((ranking.unit_id, indicator.indicator_id))
            values.append(score.score if score else None)
            if score and score.score < indicator.max_score and score.reason.strip():
                remarks.append(score.reason)
        items = adjustments[ranking.unit_id]
        remarks.extend(a.reason for a in items)
        if ranking.imputed:
            remarks.append(wording.imputed_this_month(peers))
        total = decimal_sum(a.points for a in items) if items else None
        if total == 0 and year.blank_cancelled_adjustments:
            total = None  # the items cancel out: printed blank, as the office chose (备注 still lists them)
        rows.append(
            DepartmentRow(
                number=number,
                unit_id=ranking.unit_id,
                name=ranking.unit,
                short_name=ranking.short_name,
                indicator_scores=values,
                adjustment_total=total,
                score=ranking.score,
                rank=ranking.rank,
                remarks=wording.join_remarks(remarks),
                imputed=ranking.imputed,
                as_published=as_published,
                missing=tuple(ranking.missing),
            )
        )
    return Attachment3(heading(period), indicators, rows, wording.department_word(year), as_published)
