"""A period's 变更记录: read only, for the office."""

from django.shortcuts import render

from projects.models import Unit

from .. import access
from ..selectors.audit import audit_subjects, period_audit


def audit_log(request, year: int, month: int):
    """The office only; filter by unit and by subject (score, indicator, adjustment, …)."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    try:
        unit_id = int(request.GET.get("unit") or 0)
    except ValueError:
        unit_id = 0
    subject = request.GET.get("subject", "")
    context = {
        "period": period,
        "entries": period_audit(period, unit_id=unit_id, subject=subject),
        "units": Unit.objects.order_by("-kind", "display_order", "name"),
        "subjects": audit_subjects(period),
        "selected_unit": unit_id,
        "selected_subject": subject,
    }
    return render(request, "entry/audit_log.html", context)
