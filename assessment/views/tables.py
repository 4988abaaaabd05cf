"""The official tables (附件1–3) as pages, and every export of them through one view.

Pages never compute rankings: they read the derived results through the selectors.
"""

from django.http import Http404
from django.shortcuts import render

from projects.models import Unit

from .. import access
from ..exports.registry import exporter
from ..selectors import periods as selected
from ..selectors.explain import explain
from ..selectors.tables import heading
from .responses import download_response

PAGES = {
    "attachment-1": "tables/attachment1.html",
    "attachment-2": "tables/attachment2.html",
    "attachment-3": "tables/attachment3.html",
}


def period_tables(request, year: int, month: int):
    """Every role for a published month, the office before: the month's overview with its downloads."""
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    periods = selected.visible_periods(request.user, year=period.year, tables=True)
    context = {
        "period": period,
        "heading": heading(period),
        "missing": [] if period.is_published else selected.period_missing(period),
        "periods": sorted(periods, key=lambda p: p.month),
        "unit_scope": access.unit_scope(request.user),
    }
    return render(request, "tables/period_tables.html", context)


def _export_or_404(identifier: str, fmt: str | None):
    found = exporter(identifier)
    if found is None or (fmt is not None and fmt not in found.formats):
        raise Http404("不支持的导出格式。")
    return found


def export(request, year: int, month: int, identifier: str, fmt: str):
    """Every role for a published month, the office before: any table in any format it offers."""
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    return download_response(_export_or_404(identifier, fmt).export(period, fmt))


def attachment(request, year: int, month: int, identifier: str):
    """Every role for a published month, the office before: the page of one attachment
    (`?format=xlsx|csv` downloads it, as the export view does)."""
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    fmt = request.GET.get("format") or None
    table_exporter = _export_or_404(identifier, fmt)
    data = table_exporter.data(period)
    if fmt is not None:
        return download_response(table_exporter.export(period, fmt, data))
    scope = access.unit_scope(request.user)
    context = {
        "period": period,
        "data": data,
        "heading": data.heading,
        "identifier": identifier,
        "unit_scope": scope,
        "explanation": _explanation(request, period, scope, identifier),
    }
    return render(request, PAGES[identifier], context)


def _explanation(request, period, scope: access.UnitScope, identifier: str):
    """附件1/附件2's 得分说明 panel: the unit asked for (`?unit=`, if its page opens for the user), else
    the user's own unit when it is one the table lists."""
    if identifier not in ("attachment-1", "attachment-2"):
        return None
    try:
        unit_id = int(request.GET.get("unit") or 0)
    except ValueError:
        unit_id = 0
    unit_id = unit_id if unit_id and scope.allows(unit_id) else scope.own
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is None or (identifier == "attachment-2" and not unit.is_region):
        return None
    return explain(period, unit)
