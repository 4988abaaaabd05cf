"""A unit's page: its months of a year against its peers, every deduction and bonus."""

from django.http import Http404
from django.shortcuts import render

from projects.models import AssessmentYear

from .. import access
from ..selectors.explain import explain
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
    month = _explained_month(request, data)
    context = {
        "unit": unit,
        "data": data,
        "chart": data.chart,
        "explanation": explain(month, unit) if month else None,
        "unit_scope": access.unit_scope(request.user),
    }
    return render(request, "tables/unit_detail.html", context)


def _explained_month(request, data):
    """The month whose 得分说明 is shown: `?month=`, else the latest month with a result."""
    by_month = {row.period.month: row.period for row in data.months}
    try:
        wanted = int(request.GET.get("month") or 0)
    except ValueError:
        wanted = 0
    if wanted in by_month:
        return by_month[wanted]
    return by_month[max(by_month)] if by_month else None
