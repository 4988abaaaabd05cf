"""The region score grid, its save endpoint, a cell's history and the grid's Excel template."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import access, services
from ..exports.xlsx import XLSX_CONTENT_TYPE
from ..interchange import grid_changes
from ..interchange.template import grid_template
from ..models import ProjectScore
from ..selectors.audit import cell_history as history_of
from ..selectors.grid import project_grid as grid_of
from .responses import attachment_disposition


def project_grid(request, year: int, month: int):
    """The office and department users: rows = projects, columns = regions, editable where allowed."""
    access.require_entry_role(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    grid = grid_of(period, request.user, page=_page_number(request), query=request.GET.get("q", ""))
    config = {
        **grid.client_config,
        "saveUrl": reverse("entry_grid_save", args=[year, month]),
        "historyUrl": reverse("entry_cell_history", args=[year, month, 0, 0]),
    }
    context = {"period": period, "grid": grid, "may_edit": may_edit and grid.editable_count > 0, "config": config}
    return render(request, "entry/project_grid.html", context)


def _page_number(request) -> int:
    try:
        return int(request.GET.get("page") or 1)
    except ValueError:
        return 1


@require_POST
def project_grid_save(request, year: int, month: int):
    """The office and department users: save the grid's changes (see interchange.grid_changes)."""
    try:
        access.require_entry_role(request.user)
        period, _ = access.period_for_user(request.user, year, month)
        items = grid_changes.parse(request.body, period=period)
        result = services.save_project_scores(user=request.user, period=period, items=items)
    except grid_changes.Refused as refused:
        return JsonResponse(refused.reply(), status=refused.status)
    except PermissionDenied as denied:
        return JsonResponse(grid_changes.Refused.whole(str(denied), 403).reply(), status=403)
    except ValidationError as error:
        return JsonResponse(grid_changes.Refused.whole("；".join(error.messages)).reply(), status=400)
    return JsonResponse(grid_changes.reply(result))


def cell_history(request, year: int, month: int, region_id: int, project_id: int):
    """The office and the responsible department: every recorded change of one region × project cell."""
    access.require_entry_role(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    region, project, may_edit = access.cell_for_user(request.user, period, region_id, project_id)
    current = ProjectScore.objects.filter(period=period, region=region, project=project).first()
    context = {
        "period": period,
        "region": region,
        "project": project,
        "current": current,
        "current_text": current.text if current else "",
        "entries": history_of(period, region, project),
        "may_edit": may_edit,
    }
    return render(request, "entry/cell_history.html", context)


def template_download(request, year: int, month: int):
    """The office and department users: the grid as a pre-filled .xlsx; only editable cells unlocked."""
    access.require_entry_role(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    response = HttpResponse(grid_template(grid_of(period, request.user)), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(
        f"县区项目得分录入模板-{period.year.year}年{period.month}月.xlsx"
    )
    return response
