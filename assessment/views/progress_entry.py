"""Entering progress and information counts: the month's entry page, a grid per project or per unit,
the information grid, and their JSON saves. The office enters for every unit while the month is not
published; a department or region user for its own unit while the month is open
(`access.progress_period_for_user`, `access.can_edit_progress`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_office
from projects.models import Project, Unit

from .. import access
from ..exports.xlsx import XLSX_CONTENT_TYPE
from ..forms import ProgressUploadForm
from ..interchange import pending, progress_grid, progress_upload
from ..interchange.files import ImportFileError
from ..selectors import progress_entry as selected
from ..services import NeedsConfirmation
from .responses import attachment_disposition

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
    except PermissionDenied as denied:
        return JsonResponse(progress_grid.Refused.whole(str(denied), 403).reply(), status=403)
    return JsonResponse(reply)


@require_POST
def grid_save(request, year: int, month: int):
    return _save(request, year, month, progress_grid.save_progress_changes)


@require_POST
def information_save(request, year: int, month: int):
    return _save(request, year, month, progress_grid.save_information_changes)


# ---------------------------------------------------------------- Excel


def _editable_rows(rows):
    return [row for row in rows if row.editable]


def progress_template_download(request, year: int, month: int):
    """The month's progress template: a row per target the user may enter, pre-filled."""
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    grid = selected.progress_grid(period, request.user, may_enter=may_enter)
    content = progress_upload.progress_template(period, _editable_rows(grid.rows))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(
        f"项目进度填报模板-{period.year.year}年{period.month}月.xlsx"
    )
    return response


def information_template_download(request, year: int, month: int):
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    grid = selected.information_grid(period, request.user, may_enter=may_enter)
    content = progress_upload.information_template(period, _editable_rows(grid.rows))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(
        f"信息报送填报模板-{period.year.year}年{period.month}月.xlsx"
    )
    return response


def _preview(request, period, upload, token, filename, notice=""):
    context = {"period": period, "upload": upload, "token": token, "filename": filename, "notice": notice}
    return render(request, "progress/upload_preview.html", context)


@require_http_methods(["GET", "POST"])
def upload(request, year: int, month: int):
    """Upload a filled template (or any file in the import format of this month): preview first."""
    period, may_enter = access.progress_period_for_user(request.user, year, month)
    form = ProgressUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            planned = progress_upload.plan_upload(data, upload_file.name, user=request.user, period=period)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = pending.keep(
                user=request.user, period=period, filename=upload_file.name, data=data, digest=planned.digest
            )
            return _preview(request, period, planned, token, upload_file.name)
    return render(request, "progress/upload.html", {"period": period, "form": form, "may_enter": may_enter})


@require_POST
def upload_confirm(request, year: int, month: int):
    """Apply the previewed file, all or nothing; it is read and checked again first."""
    period, _ = access.progress_period_for_user(request.user, year, month)
    kept = pending.find(user=request.user, period=period, token=request.POST.get("token", ""))
    if kept is None:
        messages.error(request, "上传的文件已过期，请重新上传。")
        return redirect("progress_upload", year=year, month=month)
    try:
        planned = progress_upload.plan_upload(bytes(kept.data), kept.filename, user=request.user, period=period)
    except ImportFileError as error:
        messages.error(request, str(error))
        return redirect("progress_upload", year=year, month=month)
    if not planned.ok:
        notice = "文件已不能导入（月份状态或权限已变化），什么都没有保存："
        return _preview(request, period, planned, None, kept.filename, notice)
    if planned.digest != kept.digest:
        pending.update_digest(kept, planned.digest)
        notice = "预览之后有人修改了数据，下面是最新的变化，请再次确认。"
        return _preview(request, period, planned, kept.token, kept.filename, notice)
    confirmed = request.POST.get("confirmed") == "1"
    if planned.questions and not confirmed:
        notice = "有超过合理范围的数，请勾选确认后再导入。"
        return _preview(request, period, planned, kept.token, kept.filename, notice)
    try:
        progress_upload.apply_upload(planned, user=request.user, confirmed=confirmed)
    except NeedsConfirmation as question:
        return _preview(request, period, planned, kept.token, kept.filename, f"{question}（请勾选确认后再导入）")
    except (ValidationError, PermissionDenied) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, "导入失败，什么都没有保存：" + text)
        return redirect("progress_upload", year=year, month=month)
    pending.discard(kept)
    messages.success(request, f"导入完成：{planned.label} {len(planned.changed)} 项有变化。")
    return redirect("progress_entry", year=year, month=month)
