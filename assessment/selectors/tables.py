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

from projects.models import AssessmentYear, UnitKind

from .. import wording
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


def _adjustments_by_unit(period: Period, kind: str) -> dict[int, list[Adjustment]]:
    grouped = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period=period, unit__kind=kind).order_by("id"):
        grouped[adjustment.unit_id].append(adjustment)
    return grouped


def attachment2(period: Period) -> Attachment2:
    """附件2 县(区)得分情况统计表. Six queries."""
    year = period.year
    maximum = year.project_max_score
    regions = [RegionColumn(u.id, u.name, u.short_name) for u in period_units(period, UnitKind.REGION)]
    reference = year_reference(period.year_id)
    scores = {
        (s.region_id, s.project_id): s
        for s in ProjectScore.objects.filter(period=period).only(
            "region_id", "project_id", "score", "not_applicable", "reason"
        )
    }
    adjustments = _adjustments_by_unit(period, UnitKind.REGION)

    rows = []
    reasons: dict[int, list[str]] = defaultdict(list)
    for project in reference.projects:
        cells = []
        for region in regions:
            score = scores.get((region.unit_id, project.id))
            if not reference.applies(project.id, region.unit_id) or (score is not None and score.not_applicable):
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
        region_word=wording.region_word(year),
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


@dataclass
class Attachment3:
    heading: Heading
    indicators: list[IndicatorColumn]
    rows: list[DepartmentRow]
    department_word: str

    @property
    def title(self) -> str:
        return self.heading.title(ATTACHMENT3_NAME_TEMPLATE.format(department=self.department_word))


def attachment3(period: Period) -> Attachment3:
    """附件3 市直部门得分情况统计表, ordered by month rank as published. Four queries."""
    year = period.year
    table = rankings(period, UnitKind.DEPARTMENT)
    reference = year_reference(period.year_id)
    indicators = [IndicatorColumn(i.id, i.name, i.max_score) for i in reference.indicators]
    scores = {
        (s.department_id, s.indicator_id): s
        for s in IndicatorScore.objects.filter(period=period).only("department_id", "indicator_id", "score", "reason")
    }
    adjustments = _adjustments_by_unit(period, UnitKind.DEPARTMENT)
    peers = wording.peer_label(year, UnitKind.DEPARTMENT)
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
                remarks=wording.join_remarks(remarks),
                imputed=ranking.imputed,
            )
        )
    return Attachment3(heading(period), indicators, rows, wording.department_word(year))
