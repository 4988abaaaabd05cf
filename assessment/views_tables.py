"""The official tables (附件1–3) as pages and downloads, the unit page and the dashboard.

Pages never compute rankings: they read the derived results through `assessment.tables`.
"""

import io

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from projects.models import AssessmentYear, Unit

from . import tables
from .exports.attachments import (
    Download,
    attachment1_table,
    attachment2_table,
    attachment3_table,
    attachment_csv,
    attachment_xlsx,
    month_workbook,
)
from .models import Period
from .permissions import can_view_period, can_view_unit, has_any_role, user_unit_id
from .roles import Role, is_office, user_roles
from .selectors import find_period, period_missing

DOWNLOADS = {"xlsx": attachment_xlsx, "csv": attachment_csv}


# ---------------------------------------------------------------- access helpers


def visible_period(request, year: int, month: int) -> Period:
    """The period, or 404 when it does not exist or the user may not see it (unpublished: office only)."""
    period = find_period(year, month)
    if period is None or not can_view_period(request.user, period):
        raise Http404("没有该考评月份，或该月份尚未发布。")
    return period


def visible_unit(request, unit_id: int) -> Unit:
    """The unit, or 404 for another unit's page."""
    unit = get_object_or_404(Unit, pk=unit_id)
    if not can_view_unit(request.user, unit):
        raise Http404("没有该单位。")
    return unit


def download_response(download: Download) -> FileResponse:
    """An attachment download; Django writes the Chinese name as RFC 5987 filename*=utf-8''…"""
    response = FileResponse(io.BytesIO(download.content), as_attachment=True, filename=download.filename)
    response["Content-Type"] = download.content_type
    return response


def requested_format(request) -> str | None:
    fmt = request.GET.get("format") or None
    if fmt is not None and fmt not in DOWNLOADS:
        raise Http404("不支持的导出格式。")
    return fmt


# ---------------------------------------------------------------- pages


def home(request):
    """Dashboard: the latest published period and, for the office, the open period's completeness."""
    user = request.user
    if not has_any_role(user):
        return render(request, "tables/no_role.html")
    dashboard = tables.Dashboard(periods=tables.visible_periods(user))
    published = tables.latest_period(published=True)
    if published is not None:
        tables.published_highlights(dashboard, published)
    roles = user_roles(user)
    own_department = user_unit_id(user) if Role.DEPARTMENT_USER in roles else None
    if is_office(user) or own_department is not None:
        open_period = tables.latest_period(published=False)
        if open_period is not None:
            dashboard.open_period = open_period
            only = None if is_office(user) else own_department
            dashboard.completeness = tables.completeness(open_period, department_id=only)
    own_unit = None if is_office(user) or Role.VIEWER in roles else user_unit_id(user)
    return render(request, "tables/home.html", {"dashboard": dashboard, "own_unit_id": own_unit})


def period_tables(request, year: int, month: int):
    period = visible_period(request, year, month)
    periods = tables.visible_periods(request.user, period.year)
    context = {
        "period": period,
        "heading": tables.heading(period),
        "missing": [] if period.is_published else period_missing(period),
        "periods": sorted(periods, key=lambda p: p.month),
    }
    return render(request, "tables/period_tables.html", context)


def _attachment(request, year, month, select, export, template):
    period = visible_period(request, year, month)
    fmt = requested_format(request)
    data = select(period)
    if fmt is not None:
        return download_response(DOWNLOADS[fmt](export(data)))
    return render(request, template, {"period": period, "data": data, "heading": data.heading})


def attachment1(request, year: int, month: int):
    """附件1 排名情况汇总表."""
    return _attachment(request, year, month, tables.attachment1, attachment1_table, "tables/attachment1.html")


def attachment2(request, year: int, month: int):
    """附件2 县(区)得分情况统计表."""
    return _attachment(request, year, month, tables.attachment2, attachment2_table, "tables/attachment2.html")


def attachment3(request, year: int, month: int):
    """附件3 市直部门得分情况统计表."""
    return _attachment(request, year, month, tables.attachment3, attachment3_table, "tables/attachment3.html")


def period_workbook(request, year: int, month: int):
    """The whole month in one workbook: sheets 附件1, 附件2, 附件3."""
    return download_response(month_workbook(visible_period(request, year, month)))


def unit_detail(request, unit_id: int):
    """A unit's year: month scores and ranks against its peers, every deduction and bonus."""
    unit = visible_unit(request, unit_id)
    years = tables.unit_years(unit)
    try:
        year_number = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError as error:
        raise Http404("年度无效。") from error
    assessment_year = AssessmentYear.objects.filter(year=year_number).first()
    if assessment_year is None:
        assessment_year = AssessmentYear.objects.order_by("-year").first()
        if assessment_year is None or request.GET.get("year"):
            raise Http404("没有该考评年度。")
    periods = tables.visible_periods(request.user, assessment_year)
    data = tables.unit_year(unit, assessment_year, periods)
    data.years = years
    return render(request, "tables/unit_detail.html", {"unit": unit, "data": data, "chart": data.chart})
