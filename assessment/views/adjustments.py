"""The office's 加扣分 items of a month: listed, added, edited and removed (removal asks for a reason).

Every form keeps what the user typed: an unusual value asks for confirmation, an item someone saved
meanwhile shows both versions (saving again overwrites), an item someone deleted meanwhile says so
and offers to add the typed item again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access, rules, services
from ..forms import AdjustmentForm, DeleteForm
from ..models import Adjustment, year_limits
from ..selectors.adjustments import period_adjustments

PUBLISHED = "该月份已发布，不能修改。"
GONE = "该加扣分已不存在（可能已被他人删除）。"


def adjustment_list(request, year: int, month: int):
    """The office only."""
    access.require_office(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    context = {
        "period": period,
        "groups": period_adjustments(period),
        "may_edit": may_edit,
        "limits": year_limits(period.year_id).all,
    }
    return render(request, "entry/adjustment_list.html", context)


def _form(request, period, initial=None):
    year = period.year
    return AdjustmentForm(
        request.POST or None, initial=initial, group_labels=(year.region_label, year.department_label)
    )


def _render_form(request, period, form, *, adjustment=None, version=None, confirmation="", conflict=None, gone=False):
    context = {
        "period": period,
        "form": form,
        "adjustment": adjustment,
        "version": version,
        "confirmation": confirmation,
        "confirmation_token": form.confirmation_token() if confirmation else "",
        "conflict": conflict,
        "gone": gone,
        "limits": year_limits(period.year_id).all,
    }
    status = 409 if conflict or gone else 200
    return render(request, "entry/adjustment_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def adjustment_add(request, year: int, month: int):
    """The office only, while the month is not published."""
    access.require_office(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    access.require(may_edit, PUBLISHED)
    form = _form(request, period, initial={"unit": request.GET.get("unit")})
    confirmation = ""
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
                confirmed=form.is_confirmed(),
            )
        except services.NeedsConfirmation as needed:
            confirmation = needed.confirmation
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已为{data['unit']}添加加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    return _render_form(request, period, form, confirmation=confirmation)


def _posted_version(request, adjustment) -> int:
    try:
        return int(request.POST.get("version", adjustment.version))
    except ValueError:
        return adjustment.version


def _item_or_gone(request, period, pk):
    """The item, or None when it no longer exists (deleted by someone since the page was opened)."""
    try:
        return access.adjustment_for_user(request.user, period, pk)
    except Http404:
        return None, access.can_edit_office_items(request.user, period)


@require_http_methods(["GET", "POST"])
def adjustment_edit(request, year: int, month: int, pk: int):
    """The office only; an item someone changed since the form was opened is not overwritten."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    adjustment, may_edit = _item_or_gone(request, period, pk)
    access.require(may_edit, PUBLISHED)
    if adjustment is None:
        return _gone(request, period)
    initial = {
        "unit": adjustment.unit,
        "points": rules.points_text(adjustment.points),
        "category": adjustment.category,
        "reason": adjustment.reason,
    }
    form = _form(request, period, initial=initial)
    form.fields["unit"].disabled = True
    version = _posted_version(request, adjustment) if request.method == "POST" else adjustment.version
    confirmation, conflict = "", None
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
                confirmed=form.is_confirmed(),
            )
        except services.EditConflict as error:
            conflict, version = error, error.current.version  # saving again overwrites theirs
        except services.NeedsConfirmation as needed:
            confirmation = needed.confirmation
        except ValidationError as error:
            if not Adjustment.objects.filter(pk=adjustment.pk).exists():
                return _gone(request, period)
            form.add_error(None, error)
        else:
            messages.success(request, "已保存加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    return _render_form(
        request, period, form, adjustment=adjustment, version=version, confirmation=confirmation, conflict=conflict
    )


def _gone(request, period):
    """The item was deleted: say so, keep what was typed, and offer to add it again."""
    if request.method != "POST":
        return render(request, "entry/adjustment_gone.html", {"period": period, "message": GONE}, status=404)
    form = _form(request, period)
    form.is_valid()
    return _render_form(request, period, form, gone=True)


@require_http_methods(["GET", "POST"])
def adjustment_delete(request, year: int, month: int, pk: int):
    """The office only, while the month is not published; an item changed since is not deleted unseen."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    adjustment, may_edit = _item_or_gone(request, period, pk)
    if not may_edit:
        raise PermissionDenied(PUBLISHED)
    if adjustment is None:
        if request.method == "POST":
            messages.info(request, GONE + "无需再删除。")
            return redirect("entry_adjustments", year=year, month=month)
        return _gone(request, period)
    form = DeleteForm(request.POST or None)
    version = _posted_version(request, adjustment) if request.method == "POST" else adjustment.version
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_adjustment(
                user=request.user, adjustment=adjustment, reason=form.cleaned_data["reason"], expected_version=version
            )
        except services.EditConflict as error:
            conflict, version = error, error.current.version
        except ValidationError as error:
            if not Adjustment.objects.filter(pk=adjustment.pk).exists():
                messages.info(request, GONE + "无需再删除。")
                return redirect("entry_adjustments", year=year, month=month)
            form.add_error(None, error)
        else:
            messages.success(request, "已删除加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    context = {"period": period, "form": form, "adjustment": adjustment, "version": version, "conflict": conflict}
    return render(request, "entry/adjustment_delete.html", context, status=409 if conflict else 200)
