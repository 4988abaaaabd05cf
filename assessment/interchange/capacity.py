"""How many rows and columns an import can need, from the reference data (a fixed number of queries).

A month holds at most one row per region × project and per department × indicator, one month override
per unit and a few 加扣分 items per unit; a file with more rows than that (or more columns than the
entry template of all regions) is refused before it is read to the end. The command may import every
month of every year; the upload page one month.
"""

from django.db.models import Count

from projects.models import AssessmentYear, Unit, UnitKind

from ..models import Period
from .archive import Capacity

ADJUSTMENTS_PER_UNIT = 20  # 加扣分 items of one unit in one month: far above any year's rules
SLACK_ROWS = 100  # header, notes, empty rows
MIN_COLUMNS = 26  # the long format needs 6; a user's sheet may carry notes beside them


def month_rows(year: AssessmentYear, regions: int, departments: int) -> int:
    projects, indicators = year.project_count, year.indicator_count
    units = regions + departments
    return regions * projects + departments * indicators + units * (1 + ADJUSTMENTS_PER_UNIT)


def import_capacity(period: Period | None = None) -> Capacity:
    """The capacity of an import of `period` (the upload page), or of every month of every year."""
    kinds = dict(Unit.objects.order_by().values_list("kind").annotate(count=Count("id")))
    regions, departments = kinds.get(UnitKind.REGION, 0), kinds.get(UnitKind.DEPARTMENT, 0)
    years = AssessmentYear.objects.annotate(
        project_count=Count("projects", distinct=True), indicator_count=Count("indicators", distinct=True)
    )
    if period is not None:
        years = years.filter(pk=period.year_id)
    per_month = [month_rows(year, regions, departments) for year in years]
    months = 1 if period is not None else 12
    rows = months * sum(per_month) + SLACK_ROWS
    return Capacity(max_rows=rows, max_columns=max(MIN_COLUMNS, 3 + 2 * regions + 10))
