"""A unit's page: its months of a year against its peers, every deduction and bonus."""

from django.http import Http404
from django.shortcuts import render

from projects.models import AssessmentYear

from .. import access
from ..selectors.periods import visible_periods
from ..selectors.units import unit_year, unit_years


def unit_detail(request, unit_id: int):
    """The office and viewers: every unit; department and region users: their own unit only."""
    unit = access.unit_for_user(request.user, unit_id)
    years = unit_years(unit)
    try:
        year_number = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError as error:
        raise Http404("年度无效。") from error
    assessment_year = AssessmentYear.objects.filter(year=year_number).first()
    if assessment_year is None:
        assessment_year = AssessmentYear.objects.order_by("-year").first()
        if assessment_year is None or request.GET.get("year"):
            raise Http404("没有该考评年度。")
    periods = list(visible_periods(request.user, year=assessment_year, tables=True))
    data = unit_year(unit, assessment_year, periods)
    data.years = years
    return render(request, "tables/unit_detail.html", {"unit": unit, "data": data, "chart": data.chart})
