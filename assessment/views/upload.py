"""Uploading a filled template (or a long-format file): preview every change and error, then confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import access
from ..forms import UploadForm
from ..interchange import pending
from ..interchange.apply import apply_import
from ..interchange.capacity import import_capacity
from ..interchange.files import ImportFileError
from ..interchange.plan import plan_import
from ..interchange.template import read_upload


def _plan(data: bytes, filename: str, period, user):
    """Raises ImportFileError for a file that cannot be read at all."""
    return plan_import(read_upload(data, filename, import_capacity(period)), user=user, period=period)


@require_http_methods(["GET", "POST"])
def upload(request, year: int, month: int):
    """The office and department users: the file is checked and every change previewed; nothing is saved yet."""
    access.require_entry_role(request.user)
    period, may_edit = access.period_for_user(request.user, year, month)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            plan = _plan(data, upload_file.name, period, request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = pending.keep(
                user=request.user, period=period, filename=upload_file.name, data=data, digest=plan.digest
            )
            return _preview(request, period, plan, token, upload_file.name)
    return render(request, "entry/upload.html", {"period": period, "form": form, "may_edit": may_edit})


def _preview(request, period, plan, token, filename, notice=""):
    context = {"period": period, "plan": plan, "token": token, "filename": filename, "notice": notice}
    return render(request, "entry/upload_preview.html", context)


@require_POST
def upload_confirm(request, year: int, month: int):
    """Apply the previewed upload, all or nothing; the file is read and checked again."""
    access.require_entry_role(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    kept = pending.find(user=request.user, period=period, token=request.POST.get("token", ""))
    if kept is None:
        messages.error(request, "上传的文件已过期，请重新上传。")
        return redirect("entry_upload", year=year, month=month)
    try:
        plan = _plan(bytes(kept.data), kept.filename, period, request.user)
    except ImportFileError as error:  # the same bytes read before: only if the reference data changed
        messages.error(request, str(error))
        return redirect("entry_upload", year=year, month=month)
    if not plan.ok:
        notice = "文件已不能导入（月份状态或权限已变化），什么都没有保存："
        return _preview(request, period, plan, None, kept.filename, notice)
    if plan.digest != kept.digest:
        pending.update_digest(kept, plan.digest)
        notice = "预览之后有人修改了得分，下面是最新的变化，请再次确认。"
        return _preview(request, period, plan, kept.token, kept.filename, notice)
    try:
        summary = apply_import(plan, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, "导入失败，什么都没有保存：" + text)
        return redirect("entry_upload", year=year, month=month)
    pending.discard(kept)
    messages.success(request, f"导入完成：{summary.changed} 项有变化，共 {summary.rows} 行。")
    return redirect("entry_grid", year=year, month=month)
