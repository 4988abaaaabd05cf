"""Score entry pages: periods and their workflow, the region grid, the department grid, 加扣分 items,
the audit log and the Excel upload. Views parse, check access and render; the services write."""

import base64
import hashlib
import json
import secrets
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from projects.models import Project, Unit

from . import entry, services
from .forms import (
    NOT_APPLICABLE_MARKS,
    AdjustmentForm,
    DeleteForm,
    PeriodCreateForm,
    PeriodStatusForm,
    UploadForm,
    parse_score,
)
from .imports import ImportFileError, RowError, apply_import, plan_import
from .models import Adjustment, Period, PeriodStatus, ProjectScore
from .permissions import can_edit_office_items, can_edit_project_score, has_any_role
from .roles import is_office
from .upload import grid_template, read_upload

UPLOAD_SESSION_KEY = "entry_upload"


# Access helpers: each returns the object and whether the user may edit it --------------------------


def _require_entry_role(user) -> None:
    """Entry pages are for the office and department users; other roles get 403."""
    if not entry.may_use_entry(user):
        raise PermissionDenied("您的角色不能录入得分。")


def _require_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied("只有民生办可以进行此操作。")


def _period(request, year: int, month: int) -> tuple[Period, bool]:
    """A period the user may see (else 404), and whether the user may enter anything in it now."""
    user = request.user
    if not has_any_role(user):
        raise PermissionDenied("您还没有分配角色，请联系民生办。")
    period = entry.visible_periods(user).filter(year__year=year, month=month).first()
    if period is None:
        raise Http404("没有这个考评月份。")
    may_edit = can_edit_office_items(user, period) or (entry.is_department_user(user) and period.is_open)
    return period, may_edit


def _adjustment(request, period: Period, pk: int) -> tuple[Adjustment, bool]:
    _require_office(request.user)
    adjustment = get_object_or_404(Adjustment.objects.select_related("unit", "period__year"), pk=pk, period=period)
    return adjustment, can_edit_office_items(request.user, period)


def _cell(request, period: Period, region_id: int, project_id: int) -> tuple[Unit, Project, bool]:
    """A region × project cell of the grid; another department's project answers 404."""
    region = get_object_or_404(Unit.objects.regions(), pk=region_id)
    project = entry.visible_projects(request.user, period).filter(pk=project_id).first()
    if project is None:
        raise Http404("没有这个项目。")
    return region, project, can_edit_project_score(request.user, period, project)


# Periods and workflow ------------------------------------------------------------------------------


def period_list(request):
    """Every role: the periods it may see, newest first; the office may start a new month."""
    if not has_any_role(request.user):
        raise PermissionDenied("您还没有分配角色，请联系民生办。")
    periods = list(entry.visible_periods(request.user))
    form = PeriodCreateForm(initial=_next_period(periods)) if is_office(request.user) else None
    return render(request, "entry/period_list.html", {"periods": periods, "form": form})


def _next_period(periods: list[Period]) -> dict:
    if not periods:
        from projects.models import AssessmentYear

        year = AssessmentYear.objects.first()
        return {"year": year.year if year else None, "month": 1}
    latest = periods[0]
    if latest.month == 12:
        return {"year": latest.year.year + 1, "month": 1}
    return {"year": latest.year.year, "month": latest.month + 1}


@require_POST
def period_create(request):
    _require_office(request.user)
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
    """Status, who still has to enter what, and the actions the user may take."""
    period, may_edit = _period(request, year, month)
    user = request.user
    todo = entry.period_todo(period, user) if entry.may_use_entry(user) else []
    context = {
        "period": period,
        "may_edit": may_edit,
        "todo": todo,
        "todo_count": sum(t.count for t in todo),
        "actions": entry.status_actions(user, period),
        "is_office": is_office(user),
        "may_enter": entry.may_use_entry(user),
        "status_form": PeriodStatusForm(),
    }
    return render(request, "entry/period_detail.html", context)


@require_POST
def period_status(request, year: int, month: int):
    """Close, reopen or publish; the service checks the transition, the role and completeness."""
    _require_office(request.user)
    period, _ = _period(request, year, month)
    form = PeriodStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "无效的状态。")
        return redirect("entry_period", year=year, month=month)
    try:
        services.change_period_status(
            user=request.user, period=period, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{period}已变为“{PeriodStatus(form.cleaned_data['status']).label}”。")
    return redirect("entry_period", year=year, month=month)


# Region score grid ---------------------------------------------------------------------------------


def project_grid(request, year: int, month: int):
    """Rows = projects, columns = regions; editable cells only where the user may edit."""
    _require_entry_role(request.user)
    period, may_edit = _period(request, year, month)
    grid = entry.project_grid(period, request.user)
    config = {
        "saveUrl": reverse("entry_grid_save", args=[year, month]),
        "historyUrl": reverse("entry_cell_history", args=[year, month, 0, 0]),
        "max": str(grid.max_score),
    }
    context = {"period": period, "grid": grid, "may_edit": may_edit and grid.editable_count > 0, "config": config}
    return render(request, "entry/project_grid.html", context)


def _json_error(status: int, message: str, key: str | None = None) -> JsonResponse:
    return JsonResponse({"saved": [], "conflicts": [], "errors": [{"key": key, "message": message}]}, status=status)


@require_POST
def project_grid_save(request, year: int, month: int):
    """POST {changes: [{region, project, value, reason, version}]} → {saved, conflicts, errors}.

    Every cell is validated first; if any is invalid nothing is saved. Cells saved by someone else
    since the page was loaded (version differs) are refused and reported with both values.
    An empty value clears a saved cell (version > 0; the reason is optional); with version 0 it is a no-op.
    """
    _require_entry_role(request.user)
    period, _ = _period(request, year, month)
    try:
        changes = json.loads(request.body)["changes"]
        if not isinstance(changes, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _json_error(400, "请求格式错误。")
    keys = []
    for change in changes:
        try:
            keys.append((int(change["region"]), int(change["project"])))
        except (KeyError, TypeError, ValueError):
            return _json_error(400, "请求格式错误：缺少县区或项目。")
    regions = {r.pk: r for r in entry.period_regions(period)}
    projects = {
        p.pk: p
        for p in Project.objects.filter(year_id=period.year_id, pk__in={p for _, p in keys}).select_related(
            "responsible_department"
        )
    }
    excluded = entry.excluded_pairs(period)
    maximum = period.year.project_max_score
    items, errors = [], []
    for (region_id, project_id), change in zip(keys, changes, strict=True):
        key = f"{region_id}-{project_id}"
        region, project = regions.get(region_id), projects.get(project_id)
        if region is None or project is None:
            errors.append({"key": key, "message": "没有这个单元格。"})
            continue
        label = f"{region.name} · {project.display_code}"
        if not can_edit_project_score(request.user, period, project):
            return _json_error(403, f"您不能修改{label}的得分。", key)
        if (region_id, project_id) in excluded:
            errors.append({"key": key, "message": f"{label}：该项目不适用于{region.name}。"})
            continue
        item, message = _score_input(region, project, change, maximum)
        if message:
            errors.append({"key": key, "message": f"{label}：{message}"})
        elif item is not None:
            items.append(item)
    if errors:
        return JsonResponse({"saved": [], "conflicts": [], "errors": errors}, status=400)
    try:
        result = services.save_project_scores(user=request.user, period=period, items=items)
    except ValidationError as error:
        return _json_error(400, "；".join(error.messages))
    return JsonResponse(_save_response(period, items, result))


def _score_input(region, project, change: dict, maximum: Decimal):
    """A ProjectScoreInput from one posted change, or an error message; (None, "") when there is nothing to do."""
    value = str(change.get("value") or "").strip()
    reason = str(change.get("reason") or "").strip()
    try:
        version = int(change.get("version") or 0)
    except (TypeError, ValueError):
        return None, "版本号无效。"
    if value in NOT_APPLICABLE_MARKS:
        return services.ProjectScoreInput(region, project, None, True, reason, version), ""
    if not value:
        if not version:  # the cell was empty when loaded: nothing to clear
            return None, ""
        return services.ProjectScoreInput(region, project, None, False, reason, version), ""  # clears the cell
    try:
        score = parse_score(value, maximum)
    except ValueError as error:
        return None, str(error)
    if score < maximum and not reason:
        return None, f"得分低于满分 {maximum.normalize()}，请填写扣分原因。"
    return services.ProjectScoreInput(region, project, score, False, reason, version), ""


def _save_response(period: Period, items, result: services.SaveResult) -> dict:
    conflicted = {conflict.key for conflict in result.conflicts}
    keys = [(item.region.pk, item.project.pk) for item in items]
    stored = {
        (s.region_id, s.project_id): s
        for s in ProjectScore.objects.filter(period=period, project__in={p for _, p in keys}).select_related(
            "updated_by"
        )
    }
    saved = []
    for item, key in zip(items, keys, strict=True):
        if key in conflicted:
            continue
        if key not in stored:
            if _clears(item):  # the cell is empty now: reported so the page forgets the old value
                saved.append({**_key_fields(key), "value": "", "reason": "", "version": 0, "updated_by": ""})
            continue
        score = stored[key]
        saved.append(
            {
                **_key_fields(key),
                "value": services.score_text(score.score, score.not_applicable),
                "reason": score.reason,
                "version": score.version,
                "updated_by": score.updated_by.get_username() if score.updated_by else "",
            }
        )
    conflicts = []
    for conflict in result.conflicts:
        theirs = stored.get(conflict.key)
        conflicts.append(
            {
                **_key_fields(conflict.key),
                "mine": conflict.mine,
                "theirs": conflict.theirs,
                "theirs_reason": theirs.reason if theirs else "",
                "theirs_by": conflict.theirs_by,
                "theirs_version": conflict.theirs_version,
            }
        )
    return {"saved": saved, "conflicts": conflicts, "errors": []}


def _clears(item) -> bool:
    return item.score is None and not getattr(item, "not_applicable", False)


def _key_fields(key: tuple[int, int]) -> dict:
    return {"key": f"{key[0]}-{key[1]}", "region": key[0], "project": key[1]}


def cell_history(request, year: int, month: int, region_id: int, project_id: int):
    """Every recorded change of one region × project cell."""
    _require_entry_role(request.user)
    period, _ = _period(request, year, month)
    region, project, may_edit = _cell(request, period, region_id, project_id)
    current = ProjectScore.objects.filter(period=period, region=region, project=project).first()
    context = {
        "period": period,
        "region": region,
        "project": project,
        "current": current,
        "current_text": services.score_text(current.score, current.not_applicable) if current else "",
        "entries": entry.cell_history(period, region, project),
        "may_edit": may_edit,
    }
    return render(request, "entry/cell_history.html", context)


# Department grid -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indicator_grid(request, year: int, month: int):
    """Rows = departments, columns = indicators, each with its reason. The office only."""
    _require_office(request.user)
    period, _ = _period(request, year, month)
    grid = entry.indicator_grid(period, request.user)
    errors, conflicts, posted = {}, [], {}
    if request.method == "POST":
        if not grid.editable:
            raise PermissionDenied("该月份已发布，不能修改。")
        items, errors, posted = _indicator_inputs(request.POST, grid)
        if not errors and items:
            try:
                result = services.save_indicator_scores(user=request.user, period=period, items=items)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                conflicts = result.conflicts
                if not conflicts:
                    cleared = sum(1 for item in items if item.score is None)
                    note = f"，清空 {cleared} 项" if cleared else ""
                    messages.success(request, f"已保存 {len(result.saved)} 项指标得分{note}。")
                    return redirect("entry_indicators", year=year, month=month)
                grid = entry.indicator_grid(period, request.user)
        elif not errors:
            messages.info(request, "没有修改。")
            return redirect("entry_indicators", year=year, month=month)
    context = {
        "period": period,
        "grid": grid,
        "errors": errors,
        "posted": posted,
        "conflicts": [(grid.cell(f"{c.key[0]}-{c.key[1]}"), c) for c in conflicts],
    }
    return render(request, "entry/indicator_grid.html", context, status=400 if errors else 200)


def _indicator_inputs(data, grid: entry.IndicatorGrid):
    """Changed cells of the posted department grid as IndicatorScoreInput, errors by cell key."""
    items, errors, posted = [], {}, {}
    for department, cells in grid.rows:
        for cell in cells:
            text = data.get(f"score-{cell.key}", cell.text).strip()
            reason = data.get(f"reason-{cell.key}", cell.reason).strip()
            posted[cell.key] = (text, reason)
            if text == cell.text and reason == cell.reason:
                continue
            if not text:
                if cell.text:  # clears the saved score; an unchanged reason field belongs to the old score
                    clear_reason = "" if reason == cell.reason else reason
                    items.append(_indicator_input(data, department, cell, None, clear_reason))
                continue
            try:
                score = parse_score(text, cell.indicator.max_score)
            except ValueError as error:
                errors[cell.key] = str(error)
                continue
            if score < cell.indicator.max_score and not reason:
                errors[cell.key] = "得分低于满分，请填写原因。"
                continue
            items.append(_indicator_input(data, department, cell, score, reason))
    return items, errors, posted


def _indicator_input(data, department, cell: entry.IndicatorCell, score, reason: str):
    try:
        version = int(data.get(f"version-{cell.key}", cell.version))
    except ValueError:
        version = cell.version
    return services.IndicatorScoreInput(department, cell.indicator, score, reason, version)


# 加扣分 items ----------------------------------------------------------------------------------------


def adjustment_list(request, year: int, month: int):
    _require_office(request.user)
    period, may_edit = _period(request, year, month)
    context = {"period": period, "groups": entry.period_adjustments(period), "may_edit": may_edit}
    return render(request, "entry/adjustment_list.html", context)


@require_http_methods(["GET", "POST"])
def adjustment_add(request, year: int, month: int):
    _require_office(request.user)
    period, may_edit = _period(request, year, month)
    if not may_edit:
        raise PermissionDenied("该月份已发布，不能修改。")
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


@require_http_methods(["GET", "POST"])
def adjustment_edit(request, year: int, month: int, pk: int):
    _require_office(request.user)
    period, _ = _period(request, year, month)
    adjustment, may_edit = _adjustment(request, period, pk)
    if not may_edit:
        raise PermissionDenied("该月份已发布，不能修改。")
    initial = {
        "unit": adjustment.unit,
        "points": adjustment.points,
        "category": adjustment.category,
        "reason": adjustment.reason,
    }
    form = AdjustmentForm(request.POST or None, initial=initial)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_adjustment(
                user=request.user,
                adjustment=adjustment,
                points=data["points"],
                reason=data["reason"],
                category=data["category"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已保存加扣分。")
            return redirect("entry_adjustments", year=year, month=month)
    context = {"period": period, "form": form, "adjustment": adjustment}
    return render(request, "entry/adjustment_form.html", context)


@require_http_methods(["GET", "POST"])
def adjustment_delete(request, year: int, month: int, pk: int):
    _require_office(request.user)
    period, _ = _period(request, year, month)
    adjustment, may_edit = _adjustment(request, period, pk)
    if not may_edit:
        raise PermissionDenied("该月份已发布，不能修改。")
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


# Audit log -------------------------------------------------------------------------------------------


def audit_log(request, year: int, month: int):
    """The period's 变更记录: read only, for the office."""
    _require_office(request.user)
    period, _ = _period(request, year, month)
    try:
        unit_id = int(request.GET.get("unit") or 0)
    except ValueError:
        unit_id = 0
    item = request.GET.get("item", "")
    context = {
        "period": period,
        "entries": entry.period_audit(period, unit_id=unit_id, item=item),
        "units": Unit.objects.order_by("-kind", "display_order", "name"),
        "items": entry.audit_items(period),
        "selected_unit": unit_id,
        "selected_item": item,
    }
    return render(request, "entry/audit_log.html", context)


# Excel template and upload ---------------------------------------------------------------------------


def template_download(request, year: int, month: int):
    """The grid as a pre-filled .xlsx; only the user's editable cells are unlocked."""
    _require_entry_role(request.user)
    period, _ = _period(request, year, month)
    data = grid_template(entry.project_grid(period, request.user))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"县区项目得分录入模板-{period.year.year}年{period.month}月.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _plan(data: bytes, filename: str, period: Period, user):
    """Read and plan an upload; rows of another month are refused. Raises ImportFileError."""
    raw_rows = read_upload(data, filename)
    plan = plan_import(raw_rows, user=user)
    for row in plan.rows:
        if (row.year, row.month) != (period.year.year, period.month):
            message = f"这里只能导入{period}的数据，该行是{row.year}年{row.month}月。"
            plan.errors.append(RowError(row.line, "月份", message))
    if plan.errors:
        plan.changes = []
    plan.errors.sort(key=lambda error: error.line)
    return plan


def _digest(plan) -> str:
    text = "\n".join(f"{c.period}|{c.unit}|{c.item}|{c.old}|{c.new}" for c in plan.changed)
    return hashlib.sha256(text.encode()).hexdigest()


@require_http_methods(["GET", "POST"])
def upload(request, year: int, month: int):
    """Upload a filled template (or a long-format file) and preview every change and every error."""
    _require_entry_role(request.user)
    period, may_edit = _period(request, year, month)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            plan = _plan(data, upload_file.name, period, request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = secrets.token_urlsafe(16)
            request.session[UPLOAD_SESSION_KEY] = {
                "token": token,
                "period": period.pk,
                "name": upload_file.name,
                "data": base64.b64encode(data).decode(),
                "digest": _digest(plan),
            }
            return _preview(request, period, plan, token, upload_file.name)
    return render(request, "entry/upload.html", {"period": period, "form": form, "may_edit": may_edit})


def _preview(request, period, plan, token, filename, notice=""):
    context = {"period": period, "plan": plan, "token": token, "filename": filename, "notice": notice}
    return render(request, "entry/upload_preview.html", context)


@require_POST
def upload_confirm(request, year: int, month: int):
    """Apply the previewed upload, all or nothing; the file is read and checked again."""
    _require_entry_role(request.user)
    period, _ = _period(request, year, month)
    pending = request.session.get(UPLOAD_SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token") or pending.get("period") != period.pk:
        messages.error(request, "上传的文件已过期，请重新上传。")
        return redirect("entry_upload", year=year, month=month)
    data, filename = base64.b64decode(pending["data"]), pending["name"]
    try:
        plan = _plan(data, filename, period, request.user)
    except ImportFileError as error:  # cannot happen with the same bytes, unless the reference data changed
        messages.error(request, str(error))
        return redirect("entry_upload", year=year, month=month)
    if not plan.ok:
        notice = "文件已不能导入（月份状态或权限已变化），什么都没有保存："
        return _preview(request, period, plan, None, filename, notice)
    if _digest(plan) != pending["digest"]:
        pending["digest"] = _digest(plan)
        request.session[UPLOAD_SESSION_KEY] = pending
        notice = "预览之后有人修改了得分，下面是最新的变化，请再次确认。"
        return _preview(request, period, plan, pending["token"], filename, notice)
    try:
        summary = apply_import(plan, user=request.user)
    except ValidationError as error:
        messages.error(request, "导入失败，什么都没有保存：" + "；".join(error.messages))
        return redirect("entry_upload", year=year, month=month)
    except PermissionDenied as denied:
        messages.error(request, f"导入失败，什么都没有保存：{denied}")
        return redirect("entry_upload", year=year, month=month)
    del request.session[UPLOAD_SESSION_KEY]
    messages.success(request, f"导入完成：{summary.changed} 项有变化，共 {summary.rows} 行。")
    return redirect("entry_grid", year=year, month=month)
