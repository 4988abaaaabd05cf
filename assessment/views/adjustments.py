"""The office's 加扣分 items of a month: listed, added, edited and removed (removal asks for a reason)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access, rules, services
from ..forms import AdjustmentForm, DeleteForm
from ..selectors.adjustments import period_adjustments

PUBLISHED = "该月份已发布，不能修改。"


def adjustment_list(request, year: int, month: int):
    """The office only."""
    access.require_office(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    context = {"period": period, "groups": period_adjustments(period), "may_edit": may_edit}
    return render(request, "entry/adjustment_list.html", context)


@require_http_methods(["GET", "POST"])
def adjustment_add(request, year: int, month: int):
    """The office only, while the month is not published."""
    access.require_office(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    access.require(may_edit, PUBLISHED)
    form = AdjustmentForm(request.POST or None, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_adjustment(
                user=request.user,
                period=period,
                unit=data["unit"],
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已为{data['unit']}添加加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    return render(request, "entry/adjustment_form.html", {"period": period, "form": form, "adjustment": None})


def _posted_version(request, adjustment) -> int:
    try:
        return int(request.POST.get("version", adjustment.version))
    except ValueError:
        return adjustment.version


@require_http_methods(["GET", "POST"])
def adjustment_edit(request, year: int, month: int, pk: int):
    """The office only; an item someone changed since the form was opened is not overwritten."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    adjustment, may_edit = access.adjustment_for_user(request.user, period, pk)
    access.require(may_edit, PUBLISHED)
    initial = {
        "unit": adjustment.unit,
        "points": rules.points_text(adjustment.points),
        "category": adjustment.category,
        "reason": adjustment.reason,
    }
    form = AdjustmentForm(request.POST or None, initial=initial)
    form.fields["unit"].disabled = True
    version = _posted_version(request, adjustment) if request.method == "POST" else adjustment.version
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_adjustment(
                user=request.user,
                adjustment=adjustment,
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
                expected_version=version,
            )
        except services.EditConflict as conflict:
            form.add_error(None, f"{conflict}现在的值：{conflict.current.text}")
            version = conflict.current.version
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已保存加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    context = {"period": period, "form": form, "adjustment": adjustment, "version": version}
    return render(request, "entry/adjustment_form.html", context)


@require_http_methods(["GET", "POST"])
def adjustment_delete(request, year: int, month: int, pk: int):
    """The office only, while the month is not published."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    adjustment, may_edit = access.adjustment_for_user(request.user, period, pk)
    if not may_edit:
        raise PermissionDenied(PUBLISHED)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_adjustment(user=request.user, adjustment=adjustment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已删除加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    context = {"period": period, "form": form, "adjustment": adjustment}
    return render(request, "entry/adjustment_delete.html", context)
