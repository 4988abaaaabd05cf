"""The progress pages of a month: by project, by unit, funds (with a chart), information reporting, the
小结 (page and .docx), and their exports. Who sees them: as the official tables — every role for a
published month, the office before (`access.period_for_user(..., tables=True)`).

Each page renders the data of its exporter (`exports/progress.py`), so a page and its Excel agree.
"""

from django.http import Http404
from django.shortcuts import render

from accounts.roles import is_office

from .. import access
from ..exports.progress import PROGRESS_EXPORTERS, rate_note
from ..exports.registry import Download, exporter
from ..exports.summary_docx import DOCX_CONTENT_TYPE, summary_docx
from ..models import Period
from ..selectors import progress_pages as pages
from ..selectors.periods import visible_periods
from ..selectors.reference import period_units
from ..selectors.tables import heading
from ..summary_wording import month_span, summary_document
from .responses import download_response

PAGES = {
    "progress-projects": "progress/by_project.html",
    "progress-units": "progress/by_unit.html",
    "progress-funds": "progress/funds.html",
    "progress-information": "progress/information.html",
}


def progress_index(request):
    """Every role: the months whose progress pages the user may open (and, for those who enter, the
    entry pages of every month)."""
    access.require_role(request.user)
    periods = list(visible_periods(request.user, tables=True))
    entry_periods = []
    if access.may_enter_progress(request.user):
        entry_periods = list(Period.objects.select_related("year").order_by("-year__year", "-month"))
    context = {"periods": periods, "entry_periods": entry_periods, "is_office": is_office(request.user)}
    return render(request, "progress/index.html", context)


def _exporter(identifier: str, fmt: str | None):
    found = exporter(identifier)
    if identifier not in PROGRESS_EXPORTERS or found is None or (fmt is not None and fmt not in found.formats):
        raise Http404("不支持的导出格式。")
    return found


def page(request, year: int, month: int, identifier: str):
    """A progress page (`?format=xlsx|csv` downloads it)."""
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    fmt = request.GET.get("format") or None
    table_exporter = _exporter(identifier, fmt)
    overview = table_exporter.data(period)
    if fmt is not None:
        return download_response(table_exporter.export(period, fmt, overview))
    scope = access.unit_scope(request.user)
    context = {
        "period": period,
        "heading": heading(period),
        "overview": overview,
        "identifier": identifier,
        "title": f"{period.year.year}年{month_span(period.month)}民生工程{table_exporter.name}",
        "span": month_span(period.month),
        "unit_scope": scope,
        "rate_note": rate_note(period),
        "is_office_user": is_office(request.user),
    }
    if identifier == "progress-projects":
        context["data"] = pages.by_project(overview)
    elif identifier == "progress-units":
        context["blocks"] = pages.by_unit(overview)
    elif identifier == "progress-funds":
        funds = pages.funds_overview(overview)
        context["funds"], context["chart"] = funds, funds.chart
    else:
        context["lines"] = pages.information_lines(overview, pages.region_first(period_units(period)))
    return render(request, PAGES[identifier], context)


def export(request, year: int, month: int, identifier: str, fmt: str):
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    return download_response(_exporter(identifier, fmt).export(period, fmt))


def _summary(period):
    overview = pages.overview_for(period)
    return summary_document(pages.summary_figures(overview))


def summary(request, year: int, month: int):
    """The 小结 of 1–M月: the first section worded from the data, the office's sections to fill in."""
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    context = {
        "period": period,
        "heading": heading(period),
        "document": _summary(period),
        "is_office_user": is_office(request.user),
    }
    return render(request, "progress/summary.html", context)


def summary_download(request, year: int, month: int):
    """The same 小结 as a Word document in the official look."""
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    document = _summary(period)
    draft = "" if period.is_published else "（草稿·未发布）"
    return download_response(Download(f"{document.title}{draft}.docx", summary_docx(document), DOCX_CONTENT_TYPE))
