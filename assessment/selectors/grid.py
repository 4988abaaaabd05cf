"""Reads for the entry grids: each in a fixed number of queries, whatever the number of units or projects."""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import display_name
from projects.models import Indicator, Project, Unit, UnitKind

from .. import rules
from ..access import can_edit_office_items, can_edit_project_score
from ..models import IndicatorScore, Period, ProjectScore
from .reference import period_units, reference_for_user


@dataclass
class GridCell:
    region: Unit
    project: Project
    text: str = ""  # "1.500", "—" or "" (missing)
    reason: str = ""
    version: int = 0  # 0: nothing stored yet
    editable: bool = False
    excluded: bool = False
    updated_by: str = ""
    updated_at: object = None
    project_max: Decimal = Decimal("1.5")

    @property
    def key(self) -> str:
        return f"{self.region.pk}-{self.project.pk}"

    @property
    def below_max(self) -> bool:
        return bool(self.text) and self.text != rules.NOT_APPLICABLE and Decimal(self.text) < self.project_max


@dataclass
class GridRow:
    project: Project
    cells: list[GridCell]

    @property
    def editable(self) -> bool:
        return any(cell.editable for cell in self.cells)


@dataclass
class ProjectGrid:
    period: Period
    regions: list[Unit]
    rows: list[GridRow]
    max_score: Decimal

    @property
    def editable_count(self) -> int:
        return sum(cell.editable for row in self.rows for cell in row.cells)

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if not cell.excluded and not cell.text)

    @property
    def client_config(self) -> dict:
        return rules.client_config(self.max_score)


def project_grid(period: Period, user) -> ProjectGrid:
    """Rows = projects the user may see, columns = regions. Five queries."""
    regions = period_units(period, UnitKind.REGION)
    reference = reference_for_user(period, user)
    stored = {
        (s.region_id, s.project_id): s
        for s in ProjectScore.objects.filter(
            period=period, project__in=[p.pk for p in reference.projects]
        ).select_related("updated_by")
    }
    maximum = period.year.project_max_score
    rows = []
    for project in reference.projects:
        may_edit = can_edit_project_score(user, period, project)
        cells = []
        for region in regions:
            score = stored.get((region.pk, project.pk))
            excluded = not reference.applies(project.pk, region.pk)
            cell = GridCell(region, project, excluded=excluded, editable=may_edit and not excluded, project_max=maximum)
            if score is not None:
                cell.text, cell.reason, cell.version = score.text, score.reason, score.version
                cell.updated_by = display_name(score.updated_by) if score.updated_by else ""
                cell.updated_at = score.updated_at
            cells.append(cell)
        rows.append(GridRow(project, cells))
    return ProjectGrid(period, regions, rows, maximum)


@dataclass
class IndicatorCell:
    department: Unit
    indicator: Indicator
    text: str = ""
    reason: str = ""
    version: int = 0

    @property
    def key(self) -> str:
        return f"{self.department.pk}-{self.indicator.pk}"


@dataclass
class IndicatorGrid:
    period: Period
    indicators: list[Indicator]
    rows: list[tuple[Unit, list[IndicatorCell]]]
    editable: bool

    def cell(self, key: str) -> IndicatorCell | None:
        return next((cell for _, cells in self.rows for cell in cells if cell.key == key), None)


def indicator_grid(period: Period, user) -> IndicatorGrid:
    """Rows = departments, columns = indicators. Three queries."""
    departments = period_units(period, UnitKind.DEPARTMENT)
    indicators = list(Indicator.objects.filter(year_id=period.year_id))
    stored = {(s.department_id, s.indicator_id): s for s in IndicatorScore.objects.filter(period=period)}
    rows = []
    for department in departments:
        cells = []
        for indicator in indicators:
            score = stored.get((department.pk, indicator.pk))
            cell = IndicatorCell(department, indicator)
            if score is not None:
                cell.text, cell.reason, cell.version = score.text, score.reason, score.version
            cells.append(cell)
        rows.append((department, cells))
    return IndicatorGrid(period, indicators, rows, can_edit_office_items(user, period))
