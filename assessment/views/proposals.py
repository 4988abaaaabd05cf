"""The office reviews the month's proposed 加扣分: (re)generate them from the year's rules, then accept
(an ordinary, audited 加扣分 item) or reject each. Nothing enters a score without a person accepting it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import access, services
from ..models import Proposal, ProposalRule
from ..selectors.progress import period_proposals
from ..services import NeedsConfirmation


def proposals(request, year: int, month: int):
    """Office only: the month's proposals, pending first."""
    access.require_office(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    items = period_proposals(period)
    pending = [p for p in items if p.is_pending]
    decided = [p for p in items if not p.is_pending]
    context = {
        "period": period,
        "may_edit": may_edit,
        "is_office_user": True,
        "pending": pending,
        "decided": decided,
        "has_rules": ProposalRule.objects.filter(year_id=period.year_id, is_active=True).exists(),
        "confirm_id": _int(request.GET.get("confirm")),
        "confirm_message": request.session.pop("proposal_confirm", "") if request.GET.get("confirm") else "",
    }
    return render(request, "progress/proposals.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def generate(request, year: int, month: int):
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    try:
        items = services.generate_proposals(user=request.user, period=period)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        pending = sum(1 for item in items if item.is_pending)
        messages.success(request, f"已按规则生成加扣分建议：{pending} 项待审核。")
    return redirect("progress_proposals", year=year, month=month)


@require_POST
def decide(request, year: int, month: int, pk: int):
    """Accept (`decision=accept`, `confirmed=1` after the year's limits asked) or reject (`decision=reject`, `note`)."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    proposal = Proposal.objects.select_related("unit", "period__year").filter(pk=pk, period=period).first()
    if proposal is None:
        raise Http404("该加扣分建议已不存在（可能已重新生成）。")
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            confirmed = request.POST.get("confirmed") == "1"
            services.accept_proposal(user=request.user, proposal=proposal, confirmed=confirmed)
            messages.success(request, f"已采纳：{proposal.unit.name} {proposal.text}，已加入本月加扣分。")
        elif decision == "reject":
            services.reject_proposal(user=request.user, proposal=proposal, note=request.POST.get("note", ""))
            messages.success(request, f"已驳回：{proposal.unit.name} {proposal.text}。")
        else:
            messages.error(request, "请选择采纳或驳回。")
    except NeedsConfirmation as question:
        request.session["proposal_confirm"] = str(question)
        url = reverse("progress_proposals", args=[year, month])
        return redirect(f"{url}?confirm={proposal.pk}#proposal-{proposal.pk}")
    except ValidationError as error:
        messages.error(request, f"{proposal.unit.name}：" + "；".join(error.messages))
    return redirect("progress_proposals", year=year, month=month)
