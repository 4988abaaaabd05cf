"""What the progress pages, their exports and the 小结 show, from `selectors.progress.progress_overview`
(five queries whatever the size of the year) and nothing else: every builder here is plain Python.

Rates print with 2 decimals and a percent sign, money in 万元 with 2 decimals (`projects.progress_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from projects import progress_rules as rules
from projects.models import AssessmentYear, ProjectType, Unit, UnitKind

from ..summary_wording import SummaryFigures
from .progress import ProgressOverview, TargetProgress, progress_overview

LAGGING = "滞后"
MET = "已完成"


def overview_for(period) -> ProgressOverview:
    """1–M月 of the period's year, M = the period's month."""
    return progress_overview(year=period.year, month=period.month)


def percent(rate: Decimal | None) -> str:
    return rules.percent_label(rate)


def money(amount: Decimal | None) -> str:
    return "" if amount is None else rules.wan_text(amount)


def type_label(value: str) -> str:
    return ProjectType(value).label if value in ProjectType.values else value


# ---------------------------------------------------------------- by project (units as columns)


@dataclass(frozen=True)
class RateCell:
    target: TargetProgress | None  # None: the project has no target for this unit

    @property
    def text(self) -> str:
        return "" if self.target is None else percent(self.target.rate)

    @property
    def lagging(self) -> bool:
        return self.target is not None and self.target.lagging

    @property
    def met(self) -> bool:
        return self.target is not None and self.target.met_target

    @property
    def printed(self) -> str:
        """How the exports print the cell: '62.50%（滞后）'."""
        return f"{self.text}（{LAGGING}）" if self.lagging else self.text

    @property
    def title(self) -> str:
        """The cell's detail on hover: completed of the target, the month of the figures, 序时进度."""
        target = self.target
        if target is None:
            return ""
        measure = target.target.measure
        completed, quantity = rules.quantity_text(target.completed), rules.quantity_text(target.target.quantity)
        parts = [
            f"累计完成 {completed}{measure} / 目标 {quantity}{measure}",
            f"序时进度 {percent(target.schedule)}",
        ]
        if target.as_of_month is None:
            parts.append("尚未填报")
        return "；".join(parts)


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str
    project_type: str
    department: str
    schedule: Decimal
    cells: list[RateCell]
    budget: Decimal
    paid: Decimal
    funds_rate: Decimal | None
    met: bool
    lagging_count: int
    project_id: int = 0

    @property
    def type_label(self) -> str:
        return type_label(self.project_type)


@dataclass
class ByProject:
    overview: ProgressOverview
    units: list[Unit]
    rows: list[ProjectRow] = field(default_factory=list)

    @property
    def year(self) -> AssessmentYear:
        return self.overview.year

    @property
    def month(self) -> int:
        return self.overview.month


def target_units(overview: ProgressOverview) -> list[Unit]:
    """The units that have a target in the year: regions, then departments, in display order."""
    return [unit.unit for unit in overview.units if unit.has_targets]


def by_project(overview: ProgressOverview) -> ByProject:
    units = target_units(overview)
    page = ByProject(overview, units)
    for project in overview.projects:
        by_unit = {t.target.unit_id: t for t in project.targets}
        funds = project.funds
        page.rows.append(
            ProjectRow(
                code=project.code,
                name=project.project.name,
                project_type=project.project_type,
                department=project.project.responsible_department.short_name,
                schedule=project.schedule,
                cells=[RateCell(by_unit.get(unit.pk)) for unit in units],
                budget=funds.budget,
                paid=funds.paid,
                funds_rate=funds.rate,
                met=project.met_target,
                lagging_count=len(project.lagging_units),
                project_id=project.project.pk,
            )
        )
    return page


# ---------------------------------------------------------------- by unit


@dataclass(frozen=True)
class UnitTargetRow:
    row: TargetProgress

    @property
    def status(self) -> str:
        if self.row.met_target:
            return MET
        return LAGGING if self.row.lagging else ""


@dataclass(frozen=True)
class UnitBlock:
    unit: Unit
    rows: list[UnitTargetRow]
    budget: Decimal
    paid: Decimal
    funds_rate: Decimal | None
    lagging: list[str]


def by_unit(overview: ProgressOverview) -> list[UnitBlock]:
    blocks = []
    for unit in overview.units:
        if not unit.has_targets:
            continue
        funds = unit.funds
        blocks.append(
            UnitBlock(
                unit.unit, [UnitTargetRow(t) for t in unit.targets], funds.budget, funds.paid, funds.rate, unit.lagging
            )
        )
    return blocks


# ---------------------------------------------------------------- funds


@dataclass(frozen=True)
class FundsRow:
    label: str
    budget: Decimal
    paid: Decimal
    rate: Decimal | None
    unit_id: int | None = None

    @property
    def unpaid(self) -> Decimal:
        return self.budget - self.paid


@dataclass
class FundsOverview:
    overview: ProgressOverview
    units: list[FundsRow]
    types: list[FundsRow]
    total: FundsRow

    @property
    def chart(self) -> dict:
        """For static/js/progress-charts.js (json_script): amounts as strings, never floats."""
        return {
            "title": f"{self.overview.year.year}年1-{self.overview.month}月资金拨付情况（万元）",
            "units": [row.label for row in self.units],
            "budget": [money(row.budget) for row in self.units],
            "paid": [money(row.paid) for row in self.units],
            "rate": [rules.percent_text(row.rate) or None for row in self.units],
        }


def funds_overview(overview: ProgressOverview) -> FundsOverview:
    units = []
    for unit in overview.units:
        if unit.has_targets:
            funds = unit.funds
            units.append(
                FundsRow(unit.unit.short_name or unit.unit.name, funds.budget, funds.paid, funds.rate, unit.unit.pk)
            )
    types = [FundsRow(type_label(value), f.budget, f.paid, f.rate) for value, f in overview.by_type.items()]
    funds = overview.funds
    return FundsOverview(overview, units, types, FundsRow("合计", funds.budget, funds.paid, funds.rate))


# ---------------------------------------------------------------- information


@dataclass(frozen=True)
class InformationLine:
    label: str
    month: rules.Information
    year_to_date: rules.Information
    unit_id: int | None = None


def information_lines(overview: ProgressOverview, units: list[Unit]) -> list[InformationLine]:
    """Every unit of the period (those without a report show zeros), then the total."""
    by_id = {u.unit.pk: u for u in overview.units}
    lines = []
    for unit in units:
        found = by_id.get(unit.pk)
        month = found.information_month if found else rules.Information()
        ytd = found.information if found else rules.Information()
        lines.append(InformationLine(unit.name, month, ytd, unit.pk))
    extra = [u for u in overview.units if u.unit.pk not in {unit.pk for unit in units} and u.reported_months]
    for found in extra:  # a unit no longer active that reported in the year
        lines.append(InformationLine(found.unit.name, found.information_month, found.information, found.unit.pk))
    lines.append(InformationLine("合计", overview.information_month, overview.information))
    return lines


def region_first(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (u.kind != UnitKind.REGION, u.display_order, u.name))


# ---------------------------------------------------------------- the 小结


def summary_figures(overview: ProgressOverview) -> SummaryFigures:
    funds, information = overview.funds, overview.information
    construction = [p for p in overview.projects if p.project_type == ProjectType.CONSTRUCTION]
    return SummaryFigures(
        year=overview.year.year,
        month=overview.month,
        office_name=overview.year.office_name,
        projects=len(overview.projects),
        budget=funds.budget,
        paid=funds.paid,
        paid_rate=funds.rate,
        completed_names=[p.project.name for p in overview.completed_projects],
        lagging_names=[p.project.name for p in construction if p.lagging_units],
        construction_projects=len(construction),
        beneficiaries=overview.beneficiaries,
        subsidy_paid=overview.subsidy_paid,
        subsidy_projects=len(overview.subsidy_projects),
        reported=information.reported,
        city_adopted=information.city_adopted,
        province_adopted=information.province_adopted,
        adoption_rate=information.adoption_rate,
    )
