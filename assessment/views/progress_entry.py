"""Entering progress and information counts: the month's entry page, a grid per project or per unit,
the information grid, and their JSON saves. The office enters for every unit while the month is not
published; a department or region user for its own unit while the month is open
(`access.progress_period_for_user`, `access.can_edit_progress`)."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import is_office
from projects.models import Project, Unit

from .. import access
from ..interchange import progress_grid
from ..selectors import progress_entry as selected

NOTE_MAX = 500


def entry(request, year: int, month: int):
    """The month's entry page: the projects (office: all with targets), the user's units, the information grid link."""
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    context = {
        "period": period,
        "may_enter": may_enter,
        "overview": selected.entry_overview(period, request.user),
        "is_office": is_office(request.user),
    }
    return render(request, "progress/entry.html", context)


def _config(period, name: str) -> dict:
    return {
        "saveUrl": reverse(name, args=[period.year.year, period.month]),
        "decimals": 2,
        "noteMax": NOTE_MAX,
        "labels": progress_grid.LABELS,
    }


def _grid_page(request, period, may_enter, grid, *, by: str):
    context = {
        "period": period,
        "grid": grid,
        "by": by,
        "may_edit": may_enter and grid.editable_count > 0,
        "config": _config(period, "progress_grid_save"),
    }
    return render(request, "progress/grid.html", context)


def project_grid(request, year: int, month: int, project_id: int):
    """One project's targets, a row per unit (a unit's user: its own row)."""
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    project = Project.objects.filter(year=period.year, pk=project_id).first()
    if project is None:
        raise Http404("没有这个项目。")
    grid = selected.progress_grid(period, request.user, may_enter=may_enter, project=project)
    if not grid.rows and not is_office(request.user):
        raise Http404("您在这个项目没有目标任务。")
    return _grid_page(request, period, may_enter, grid, by="project")


def unit_grid(request, year: int, month: int, unit_id: int):
    """One unit's targets, a row per project; a unit's user opens only its own unit."""
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not (is_office(request.user) or access.own_unit_id(request.user) == unit.pk):
        raise Http404("没有该单位。")
    grid = selected.progress_grid(period, request.user, may_enter=may_enter, unit=unit)
    return _grid_page(request, period, may_enter, grid, by="unit")


def information_grid(request, year: int, month: int):
    """The month's information counts, a row per unit (a unit's user: its own)."""
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    grid = selected.information_grid(period, request.user, may_enter=may_enter)
    context = {
        "period": period,
        "grid": grid,
        "may_edit": may_enter and grid.editable_count > 0,
        "config": _config(period, "progress_information_save"),
    }
    return render(request, "progress/information_grid.html", context)


def _save(request, year, month, save):
    try:
        period, _ = access.progress_period_for_user(request.user, year, month)
        reply = save(user=request.user, period=period, body=request.body)
    except progress_grid.Refused as refused:
        return JsonResponse(refused.reply(), status=refused.status)
    except access.PermissionDenied as denied:
        return JsonResponse(progress_grid.Refused.whole(str(denied), 403).reply(), status=403)
    return JsonResponse(reply)


@require_POST
def grid_save(request, year: int, month: int):
    return _save(request, year, month, progress_grid.save_progress_changes)


@require_POST
def information_save(request, year: int, month: int):
    return _save(request, year, month, progress_grid.save_information_changes)
