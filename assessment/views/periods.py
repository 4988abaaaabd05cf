"""The period list, a period's page and its workflow (close, publish, reopen)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from accounts.roles import is_office
from projects.models import AssessmentYear

from .. import access, services, wording
from ..forms import NoticeDateForm, PeriodCreateForm, PeriodStatusForm
from ..models import Period, PeriodStatus
from ..selectors import periods as selected
from ..selectors.tables import heading


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
    messages.success(request, f"已开始{period}的考评，现在可以录入。")
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
        "notice_form": NoticeDateForm(initial={"notice_date": period.notice_date}),
        "heading": heading(period),
    }
    return render(request, "entry/period_detail.html", context)


def _office_post(request, year: int, month: int, form_class):
    """The period and the office's posted form on the period page (None when the form is invalid)."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    form = form_class(request.POST)
    return period, form if form.is_valid() else None


@require_POST
def period_status(request, year: int, month: int):
    """The office: close, reopen or publish; the service checks the transition, the role and completeness."""
    period, form = _office_post(request, year, month, PeriodStatusForm)
    if form is None:
        messages.error(request, "无效的状态。")
        return redirect("entry_period", year=year, month=month)
    status = form.cleaned_data["status"]
    seen = request.POST.get("from_status")
    if seen and seen != period.status:
        # someone changed the status since the page was opened: do not act on a page that is out of date
        messages.warning(
            request,
            f"{period}的状态已被他人改为“{period.get_status_display()}”，您的操作没有执行，请查看当前状态后再决定。",
        )
        return redirect("entry_period", year=year, month=month)
    try:
        services.change_period_status(
            user=request.user, period=period, status=status, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, refusal_message(error.messages))
    else:
        messages.success(request, f"{period}已变为“{PeriodStatus(status).label}”。")
    return redirect("entry_period", year=year, month=month)


def refusal_message(lines: list[str]):
    """One message for a refused change: the first line, the rest (e.g. every unit still missing
    something) folded under it."""
    if len(lines) <= 2:
        return "；".join(lines)
    details = format_html_join("", "<li>{}</li>", ((line,) for line in lines[1:]))
    return format_html(
        '{} <details class="refusal-details"><summary>{} 个单位，展开查看</summary><ul class="mb-0">{}</ul></details>',
        lines[0],
        len(lines) - 1,
        details,
    )


@require_POST
def period_notice_date(request, year: int, month: int):
    """The office: set or clear the date printed on the month's notice and tables (通报日期)."""
    period, form = _office_post(request, year, month, NoticeDateForm)
    if form is None:
        messages.error(request, "请填写有效的通报日期，例如 2020-10-16。")
        return redirect("entry_period", year=year, month=month)
    try:
        services.set_notice_date(user=request.user, period=period, notice_date=form.cleaned_data["notice_date"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        day = form.cleaned_data["notice_date"]
        messages.success(request, f"通报日期已设为{wording.chinese_date(day)}。" if day else "已清除通报日期。")
    return redirect("entry_period", year=year, month=month)
