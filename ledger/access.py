"""Who sees and acts on which finding: the office and viewers every finding, a department or region user
only its own unit's (another unit's finding, slip or file is 404). The responsible unit's users report
and mark rectified; only the office issues slips, closes (销号) and sends back."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import Role, has_any_role, is_office, user_roles
from assessment.access import NO_ROLE, OFFICE_ONLY, own_unit_id, require
from assessment.models import PeriodStatus

from .models import Evidence, Finding, ReminderSlip
from .rules import STEPS

NOT_FOUND = "没有该整改事项。"


def sees_every_unit(user) -> bool:
    return is_office(user) or Role.VIEWER in user_roles(user)


def ledger_unit_id(user) -> int | None:
    """The unit a department or region user answers for."""
    return own_unit_id(user)


def require_ledger_role(user) -> None:
    require(has_any_role(user), NO_ROLE)


def visible_filter(user) -> Q:
    """The findings (and through `prefix`, slips) a user sees: never withdrawn ones; the office every
    month, the others published months only and (department and region users) their own unit."""
    if is_office(user):
        return Q(withdrawn=False)
    condition = Q(withdrawn=False, period__status=PeriodStatus.PUBLISHED)
    if Role.VIEWER in user_roles(user):
        return condition
    unit_id = ledger_unit_id(user)
    if unit_id is None:
        return Q(pk__in=[])
    return condition & Q(unit_id=unit_id)


def visible_findings(user) -> QuerySet[Finding]:
    require_ledger_role(user)
    return Finding.objects.filter(visible_filter(user))


def may_act(user, finding: Finding, step_name: str) -> bool:
    """Whether the user may take this step now (status and role)."""
    step = STEPS[step_name]
    if finding.withdrawn or finding.status not in step.sources:
        return False
    if step.by == "office":
        return user is None or is_office(user)
    if user is None:
        return True
    return not is_office(user) and ledger_unit_id(user) == finding.unit_id


def allowed_steps(user, finding: Finding) -> list[str]:
    return [name for name in STEPS if may_act(user, finding, name)]


def finding_for_user(user, pk: int) -> Finding:
    finding = (
        visible_findings(user)
        .select_related("period__year", "unit", "found_by", "project", "indicator", "slip__year")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404(NOT_FOUND)
    return finding


def slip_for_user(user, pk: int) -> ReminderSlip:
    require_ledger_role(user)
    slips = ReminderSlip.objects.select_related("period__year", "unit", "year", "issued_by").filter(pk=pk)
    if not is_office(user):
        slips = slips.filter(period__status=PeriodStatus.PUBLISHED)
        if Role.VIEWER not in user_roles(user):
            slips = slips.filter(unit_id=ledger_unit_id(user) or 0)
    slip = slips.first()
    if slip is None:
        raise Http404("没有该工作提示单。")
    return slip


def evidence_for_user(user, pk: int) -> Evidence:
    item = Evidence.objects.filter(pk=pk, finding__in=visible_findings(user)).first()
    if item is None:
        raise Http404("没有该文件。")
    return item


def require_office(user) -> None:
    require_ledger_role(user)
    require(is_office(user), OFFICE_ONLY)
