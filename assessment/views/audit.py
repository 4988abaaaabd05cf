"""A period's 变更记录: read only, for the office, filtered and paged."""

from django.shortcuts import render

from projects.models import Unit

from .. import access
from ..selectors.audit import AuditFilter, audit_subjects, period_actors, period_audit


def _number(value) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0


def audit_log(request, year: int, month: int):
    """The office only; filter by unit, subject (score, indicator, adjustment, …), who, and words; 100 a page."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    query = request.GET
    audit_filter = AuditFilter(
        unit_id=_number(query.get("unit")),
        subject=query.get("subject", ""),
        actor=query.get("actor", "")[:150],
        text=query.get("q", "").strip()[:100],
    )
    page = period_audit(period, audit_filter, _number(query.get("page")) or 1)
    kept = query.copy()
    kept.pop("page", None)
    context = {
        "period": period,
        "page": page,
        "entries": page.object_list,
        "units": Unit.objects.order_by("-kind", "display_order", "name"),
        "subjects": audit_subjects(period),
        "actors": period_actors(period),
        "filter": audit_filter,
        "selected_unit": audit_filter.unit_id,
        "selected_subject": audit_filter.subject,
        "query_without_page": kept.urlencode(),
    }
    return render(request, "entry/audit_log.html", context)
