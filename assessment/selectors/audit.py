"""Reads of the audit log: a period's 变更记录 and one cell's history."""

from projects.models import Project, Unit

from ..models import AuditEntry, AuditSubject, Period

AUDIT_PAGE = 500


def period_audit(period: Period, *, unit_id: int | None = None, subject: str = "", limit: int = AUDIT_PAGE):
    """The period's 变更记录, newest first, optionally for one unit or one subject (score, adjustment…)."""
    entries = AuditEntry.objects.filter(period=period).select_related("unit", "project", "indicator", "period__year")
    if unit_id:
        entries = entries.filter(unit_id=unit_id)
    if subject in AuditSubject.values:
        entries = entries.filter(action__startswith=f"{subject}.")
    return list(entries[:limit])


def cell_history(period: Period, region: Unit, project: Project) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(period=period, unit=region, project=project).select_related("unit", "project")
    return list(entries.order_by("-created_at", "-id"))


def audit_subjects(period: Period) -> list[AuditSubject]:
    """The subjects the period's log has entries for, to filter by. One query."""
    actions = set(AuditEntry.objects.filter(period=period).values_list("action", flat=True).distinct())
    present = {action.split(".")[0] for action in actions}
    return [subject for subject in AuditSubject if subject.value in present]
