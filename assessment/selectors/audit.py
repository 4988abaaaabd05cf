"""Reads of the audit log: a period's 变更记录 (filtered, a page at a time) and one cell's history."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q

from projects.models import Project, Unit

from ..models import AuditEntry, AuditSubject, Period

AUDIT_PAGE = 100


@dataclass(frozen=True)
class AuditFilter:
    """What the 变更记录 page is narrowed to: a unit, a subject, who did it, and words in the values."""

    unit_id: int = 0
    subject: str = ""
    actor: str = ""
    text: str = ""

    def apply(self, entries):
        if self.unit_id:
            entries = entries.filter(unit_id=self.unit_id)
        if self.subject in AuditSubject.values:
            entries = entries.filter(action__startswith=f"{self.subject}.")
        if self.actor:
            entries = entries.filter(actor_name=self.actor)
        if self.text:
            words = Q(old_value__icontains=self.text) | Q(new_value__icontains=self.text)
            entries = entries.filter(words | Q(reason__icontains=self.text))
        return entries


def period_audit(period: Period, audit_filter: AuditFilter = AuditFilter(), page: int = 1) -> Page:
    """One page of the period's 变更记录, newest first. Two queries (the count and the page)."""
    entries = AuditEntry.objects.filter(period=period).select_related("unit", "project", "indicator", "period__year")
    entries = audit_filter.apply(entries).order_by("-created_at", "-id")
    return Paginator(entries, AUDIT_PAGE).get_page(page)


def period_actors(period: Period) -> list[str]:
    """Who changed anything in the period, by display name, to filter by. One query."""
    names = AuditEntry.objects.filter(period=period).order_by().values_list("actor_name", flat=True).distinct()
    return sorted({name for name in names if name})


def cell_history(period: Period, region: Unit, project: Project) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(period=period, unit=region, project=project).select_related("unit", "project")
    return list(entries.order_by("-created_at", "-id"))


def audit_subjects(period: Period) -> list[AuditSubject]:
    """The subjects the period's log has entries for, to filter by. One query."""
    actions = set(AuditEntry.objects.filter(period=period).values_list("action", flat=True).distinct())
    present = {action.split(".")[0] for action in actions}
    return [subject for subject in AuditSubject if subject.value in present]
