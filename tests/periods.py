"""Periods with data for tests that need committed, complete months (servers, browsers)."""

from decimal import Decimal

from assessment import services
from projects.models import Indicator, Project, Unit

FULL = Decimal("1.5")


def fill_period(period, *, user=None, score: Decimal = FULL) -> None:
    """Every applicable region × project cell and every department indicator entered: publishable."""
    items = [
        services.ProjectScoreInput(region, project, score, reason="" if score == FULL else "进度滞后")
        for region in Unit.objects.regions()
        for project in Project.objects.filter(year_id=period.year_id).prefetch_related("excluded_regions")
        if region not in project.excluded_regions.all()
    ]
    services.save_project_scores(user=user, period=period, items=items)
    indicators = Indicator.objects.filter(year_id=period.year_id)
    items = [services.IndicatorScoreInput(d, i, i.max_score) for d in Unit.objects.departments() for i in indicators]
    services.save_indicator_scores(user=user, period=period, items=items)


def open_october_with_a_few_cells():
    """October 2020 open, with 义安区's scores of 市教体局's projects entered; returns 义安区."""
    october = services.get_or_create_period(year=2020, month=10)
    region = Unit.objects.get(name="义安区")
    items = [
        services.ProjectScoreInput(region, project, FULL)
        for project in Project.objects.filter(year__year=2020, responsible_department__name="市教体局")
    ]
    services.save_project_scores(user=None, period=october, items=items)
    return region
