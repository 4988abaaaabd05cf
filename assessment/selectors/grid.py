"""Reads for the entry grids: each in a fixed number of queries, whatever the number of units or projects."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from accounts.models import display_name
from projects.models import Indicator, Project, Unit, UnitKind

from .. import rules
from ..access import can_edit_office_items, can_edit_project_score
from ..models import IndicatorScore, Period, ProjectScore
from .reference import period_units, period_units_query, reference_for_user


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
    page: int = 1
    pages: int = 1
    region_count: int = 0  # regions matching the search, over all pages
    query: str = ""
    first: int = 1  # position of the first region shown

    @property
    def last(self) -> int:
        return self.first + len(self.regions) - 1

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def editable_count(self) -> int:
        return sum(cell.editable for row in self.rows for cell in row.cells)

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if not cell.excluded and not cell.text)

    @property
    def client_config(self) -> dict:
        return rules.client_config(self.max_score)


GRID_PAGE_SIZE = 20  # regions per page: the grid stays the same size whatever the number of regions
QUERY_MAX_LENGTH = 50


def grid_regions(period: Period, *, page: int | None, query: str = "") -> tuple[list[Unit], int, int, int]:
    """(regions, page, pages, matching count): a page of the period's regions whose name contains the
    query, in display order; `page=None` gives them all (the Excel template). Two queries."""
    regions = period_units_query(period, UnitKind.REGION).order_by("display_order", "name")
    query = query.strip()[:QUERY_MAX_LENGTH]
    if query:
        regions = regions.filter(Q(name__contains=query) | Q(short_name__contains=query))
    if page is None:
        found = list(regions)
        return found, 1, 1, len(found)
    count = regions.count()
    pages = max(1, -(-count // GRID_PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * GRID_PAGE_SIZE
    return list(regions[start : start + GRID_PAGE_SIZE]), page, pages, count


def project_grid(period: Period, user, *, page: int | None = None, query: str = "") -> ProjectGrid:
    """Rows = projects the user may see, columns = regions: one page of them (GRID_PAGE_SIZE, optionally
    those matching `query`), or every region with `page=None`. Six queries."""
    regions, page, pages, count = grid_regions(period, page=page, query=query)
    reference = reference_for_user(period, user)
    stored = {
        (s.region_id, s.project_id): s
        for s in ProjectScore.objects.filter(
            period=period, project__in=[p.pk for p in reference.projects], region__in=[r.pk for r in regions]
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
    first = (page - 1) * GRID_PAGE_SIZE + 1 if pages > 1 else 1
    return ProjectGrid(period, regions, rows, maximum, page, pages, count, query.strip(), first)


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
