"""The period list, a period's page and its workflow (close, publish, reopen)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import is_office
from projects.models import AssessmentYear

from .. import access, services
from ..forms import PeriodCreateForm, PeriodStatusForm
from ..models import Period, PeriodStatus
from ..selectors import periods as selected


def period_list(request):
    """Every role: the periods it may see, newest first; the office may start a new month."""
    access.require_role(request.user)
    periods = list(selected.visible_periods(request.user))
    form = PeriodCreateForm(initial=_next_period(periods)) if is_office(request.user) else None
    return render(request, "entry/period_list.html", {"periods": periods, "form": form})


def _next_period(periods: list[Period]) -> dict:
    if not periods:
        year = AssessmentYear.objects.first()
        return {"year": year.year if year else None, "month": 1}
    latest = periods[0]
    if latest.month == 12:
        return {"year": latest.year.year + 1, "month": 1}
    return {"year": latest.year.year, "month": latest.month + 1}


@require_POST
def period_create(request):
    """The office: start a month (a month that exists already is simply opened)."""
    access.require_office(request.user)
    form = PeriodCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的年度和月份。")
        return redirect("entry_periods")
    try:
        period = services.get_or_create_period(
            year=form.cleaned_data["year"], month=form.cleaned_data["month"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("entry_periods")
    return redirect("entry_period", year=period.year.year, month=period.month)


def period_detail(request, year: int, month: int):
    """Every role that may see the month: status, who still has to enter what, the actions allowed."""
    period, may_edit = access.period_for_user(request.user, year, month)
    user = request.user
    may_enter = access.may_use_entry(user)
    todo = selected.period_todo(period, user) if may_enter else []
    context = {
        "period": period,
        "may_edit": may_edit,
        "todo": todo,
        "todo_count": sum(t.count for t in todo),
        "actions": selected.status_actions(user, period),
        "is_office": is_office(user),
        "may_enter": may_enter,
        "status_form": PeriodStatusForm(),
    }
    return render(request, "entry/period_detail.html", context)


@require_POST
def period_status(request, year: int, month: int):
    """The office: close, reopen or publish; the service checks the transition, the role and completeness."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    form = PeriodStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "无效的状态。")
        return redirect("entry_period", year=year, month=month)
    status = form.cleaned_data["status"]
    try:
        services.change_period_status(
            user=request.user, period=period, status=status, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{period}已变为“{PeriodStatus(status).label}”。")
    return redirect("entry_period", year=year, month=month)
