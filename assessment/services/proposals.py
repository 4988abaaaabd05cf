"""Proposed 加扣分: generated from the year's rules, then accepted (an ordinary, audited 加扣分 item)
or rejected by a person. Nothing enters a score without someone accepting it."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import progress_rules as rules
from projects.models import Unit

from .. import rules as score_rules
from ..access import can_edit_office_items, require
from ..models import AuditAction, Period, Proposal, ProposalRule, ProposalSource, ProposalStatus
from ..selectors.progress import ProgressOverview, progress_overview
from ..selectors.reference import period_units
from .adjustments import add_adjustment
from .base import acting_user, audit, lock_for_write, service


@dataclass(frozen=True)
class Proposed:
    """What a rule proposes for a unit this month (before it is stored)."""

    rule: ProposalRule
    unit: Unit
    subject: str
    points: Decimal
    reason: str


def proposed_items(period: Period, rules_list: list[ProposalRule], overview: ProgressOverview, units: list[Unit]):
    """Every proposal the active rules make for the month, from the overview's figures."""
    month_text = f"{period.month}月"
    by_unit = {u.unit.pk: u for u in overview.units}
    result = []
    for rule in rules_list:
        if not rule.is_active:
            continue
        if rule.source in (ProposalSource.PROVINCE_ADOPTED, ProposalSource.CITY_ADOPTED):
            for unit_progress in overview.units:
                count = getattr(unit_progress.information_month, rule.source)
                if count:
                    points = rules.proposal_points(rule.points, count, rule.cap)
                    reason = rule.reason.format(count=count, project="", month=month_text)
                    result.append(Proposed(rule, unit_progress.unit, "", points, reason))
        elif rule.source == ProposalSource.NOT_REPORTED:
            for unit in units:
                unit_progress = by_unit.get(unit.pk)
                if unit_progress is None or not unit_progress.information_month.reported:
                    reason = rule.reason.format(count=0, project="", month=month_text)
                    result.append(Proposed(rule, unit, "", rules.proposal_points(rule.points, 1, rule.cap), reason))
        elif rule.source == ProposalSource.LAGGING:
            types = rule.type_list
            seen = set()
            for project in overview.projects:
                if types and project.project_type not in types:
                    continue
                if not project.lagging_units or project.project.pk in seen:
                    continue
                seen.add(project.project.pk)
                department = project.project.responsible_department
                names = "、".join(u.name for u in project.lagging_units)
                reason = rule.reason.format(
                    count=len(project.lagging_units), project=str(project.project), month=month_text
                )
                if "{project}" not in rule.reason:
                    reason = f"{reason}（{project.project}：{names}）"
                points = rules.proposal_points(rule.points, 1, rule.cap)
                result.append(Proposed(rule, department, project.code, points, reason))
    return [item for item in result if item.points != 0]


@service
def generate_proposals(*, user, period: Period) -> list[Proposal]:
    """(Re)compute the month's pending proposals from the year's rules (office only): new ones are added,
    changed pending ones updated, pending ones no longer proposed removed; accepted and rejected ones stay."""
    period = lock_for_write(period)
    require(can_edit_office_items(user, period))
    rules_list = list(ProposalRule.objects.filter(year_id=period.year_id))
    overview = progress_overview(year=period.year, month=period.month)
    wanted = proposed_items(period, rules_list, overview, period_units(period))
    stored = {(p.unit_id, p.rule_id, p.subject): p for p in Proposal.objects.filter(period=period)}
    keep = set()
    for item in wanted:
        key = (item.unit.pk, item.rule.pk, item.subject)
        keep.add(key)
        proposal = stored.get(key)
        if proposal is None:
            Proposal.objects.create(
                period=period,
                unit=item.unit,
                rule=item.rule,
                subject=item.subject,
                points=item.points,
                reason=item.reason,
                category=item.rule.category,
            )
        elif proposal.is_pending and (proposal.points, proposal.reason, proposal.category) != (
            item.points,
            item.reason,
            item.rule.category,
        ):
            proposal.points, proposal.reason, proposal.category = item.points, item.reason, item.rule.category
            proposal.save(update_fields=["points", "reason", "category"])
    stale = [p.pk for key, p in stored.items() if key not in keep and p.is_pending]
    Proposal.objects.filter(pk__in=stale).delete()
    return list(Proposal.objects.filter(period=period).select_related("unit", "rule", "adjustment"))


def _locked_pending(proposal: Proposal) -> Proposal:
    current = Proposal.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=proposal.pk).first()
    if current is None:
        raise ValidationError("该加扣分建议已不存在（可能已重新生成）。")
    if not current.is_pending:
        raise ValidationError(f"该加扣分建议已{current.get_status_display()}。")
    return current


@service
def accept_proposal(*, user, proposal: Proposal, confirmed: bool = False) -> Proposal:
    """Accept a pending proposal: an ordinary 加扣分 item is added through `add_adjustment` (the year's
    limits, audited as adjustment.created, the score derived), and the acceptance is audited."""
    period = lock_for_write(proposal.period)
    require(can_edit_office_items(user, period))
    current = _locked_pending(proposal)
    adjustment = add_adjustment(
        user=user,
        period=period,
        unit=current.unit,
        points=current.points,
        reason=current.reason,
        category=current.category,
        confirmed=confirmed,
    )
    current.status, current.adjustment = ProposalStatus.ACCEPTED, adjustment
    current.decided_at, current.decided_by = timezone.now(), acting_user(user)
    current.save(update_fields=["status", "adjustment", "decided_at", "decided_by"])
    audit(user=user, period=period, action=AuditAction.PROPOSAL_ACCEPTED, new=current.text, unit=current.unit).save()
    return current


@service
def reject_proposal(*, user, proposal: Proposal, note: str = "") -> Proposal:
    """Reject a pending proposal: nothing enters a score; the decision is audited."""
    period = lock_for_write(proposal.period)
    require(can_edit_office_items(user, period))
    current = _locked_pending(proposal)
    problem = score_rules.text_problem(note)
    if problem:
        raise ValidationError(f"审核意见：{problem}")
    current.status, current.decision_note = ProposalStatus.REJECTED, note.strip()
    current.decided_at, current.decided_by = timezone.now(), acting_user(user)
    current.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
    audit(
        user=user,
        period=period,
        action=AuditAction.PROPOSAL_REJECTED,
        old=current.text,
        reason=current.decision_note,
        unit=current.unit,
    ).save()
    return current
