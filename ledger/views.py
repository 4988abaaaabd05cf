"""The ledger's pages: the ledger with its filters, a unit's findings, a finding with its actions, the
month's reminder slips and one slip (printable, .docx/.xlsx), the Excel 台账 and evidence downloads.
Views check access (ledger/access.py) and hand over to selectors and services."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import is_office
from assessment import access as assessment_access
from assessment.models import Period
from assessment.views.responses import download_response

from . import access, evidence, selectors, services
from .exports import ledger_exporter, slip_exporter
from .forms import DecisionForm, IssueSlipsForm, ReportForm, file_input_attrs
from .models import FindingStatus, SlipSeries

DEFAULT_DAYS = 15


def _page_number(request) -> int:
    value = request.GET.get("page") or "1"
    return int(value) if value.isdigit() and len(value) < 7 else 1


def ledger_list(request):
    """Every role: the findings it sees, filtered by month, unit, status, overdue, repeated."""
    access.require_ledger_role(request.user)
    filters = selectors.LedgerFilters.from_query(request.GET)
    data = selectors.ledger(request.user, filters, page_number=_page_number(request))
    context = {
        "data": data,
        "filters": filters,
        "statuses": FindingStatus.choices,
        "months": range(1, 13),
        "slip_periods": selectors.slip_periods() if is_office(request.user) else [],
        "query": filters.query_string(),
    }
    return render(request, "ledger/list.html", context)


def ledger_export(request):
    """The Excel 台账 of what the ledger's filters select (the same rows, every page)."""
    access.require_ledger_role(request.user)
    filters = selectors.LedgerFilters.from_query(request.GET)
    rows = selectors.export_rows(request.user, filters)
    office = _office_name(rows)
    subtitle = _subtitle(filters)
    return download_response(ledger_exporter().export(None, "xlsx", (rows, office, subtitle)))


def _office_name(rows) -> str:
    if rows:
        return rows[0].finding.period.year.office_name
    return getattr(settings, "OFFICE_NAME", "") or "市民生办"


def _subtitle(filters: selectors.LedgerFilters) -> str:
    from projects.models import Unit

    parts = []
    if filters.year:
        parts.append(f"{filters.year}年" + (f"{filters.month}月" if filters.month else ""))
    elif filters.month:
        parts.append(f"{filters.month}月")
    if filters.unit_id:
        unit = Unit.objects.filter(pk=filters.unit_id).first()
        if unit is not None:
            parts.append(unit.name)
    if filters.status:
        parts.append("未销号" if filters.status == "open" else FindingStatus(filters.status).label)
    if filters.overdue:
        parts.append("逾期")
    if filters.repeated:
        parts.append("重复发现")
    return " · ".join(parts) or "全部"


def ledger_unit(request, unit_id: int):
    """A unit's findings and slips: the office and viewers any unit, a unit's users only their own."""
    access.require_ledger_role(request.user)
    unit = assessment_access.unit_for_user(request.user, unit_id)
    data = selectors.unit_ledger(request.user, unit)
    return render(request, "ledger/unit.html", {"data": data, "unit": unit, "statuses": FindingStatus.choices})


def finding_detail(request, pk: int):
    """A finding with its reports, evidence, history and the actions the user may take."""
    finding = access.finding_for_user(request.user, pk)
    detail = selectors.finding_detail(request.user, finding)
    context = {
        "detail": detail,
        "finding": finding,
        "report_form": ReportForm(initial={"version": finding.version})
        if set(detail.steps) & {"report", "rectify"}
        else None,
        "file_attrs": file_input_attrs(),
        "decision_form": DecisionForm(initial={"version": finding.version})
        if set(detail.steps) & {"close", "return"}
        else None,
        "max_size": evidence.format_size(settings.EVIDENCE_MAX_BYTES),
        "max_files": settings.EVIDENCE_MAX_FILES_PER_UPLOAD,
        "accept": evidence.ACCEPT_ATTRIBUTE,
    }
    return render(request, "ledger/finding.html", context)


def _uploads(request) -> list[tuple[str, bytes]]:
    """The uploaded files as (name, bytes); a file over the limit is read only up to one byte more."""
    limit = settings.EVIDENCE_MAX_BYTES
    files = request.FILES.getlist("files")
    if len(files) > settings.EVIDENCE_MAX_FILES_PER_UPLOAD:
        raise ValidationError(f"一次最多上传 {settings.EVIDENCE_MAX_FILES_PER_UPLOAD} 个文件。")
    uploads = []
    for upload in files:
        if upload.size > limit:
            raise ValidationError(f"“{evidence.safe_name(upload.name)}”超过 {evidence.format_size(limit)}，不能上传。")
        uploads.append((upload.name, upload.read(limit + 1)))
    return uploads


@require_POST
def finding_report(request, pk: int):
    """The responsible unit's users: what was done, with evidence; optionally marked 已整改."""
    finding = access.finding_for_user(request.user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render_error(request, finding, ValidationError("请填写整改情况（最多 2000 字）。"))
    try:
        services.report_progress(
            user=request.user,
            finding=finding,
            text=form.cleaned_data["text"],
            uploads=_uploads(request),
            version=form.cleaned_data.get("version"),
            done=form.cleaned_data["done"],
        )
    except ValidationError as error:
        return render_error(request, finding, error)
    messages.success(request, "已提交，等待民生办销号。" if form.cleaned_data["done"] else "整改情况已保存。")
    return redirect("ledger_finding", pk=pk)


def render_error(request, finding, error):
    """The finding's page again with the refusal, answered 400 (nothing was written)."""
    detail = selectors.finding_detail(request.user, finding)
    context = {
        "detail": detail,
        "finding": finding,
        "report_form": ReportForm(request.POST) if set(detail.steps) & {"report", "rectify"} else None,
        "file_attrs": file_input_attrs(),
        "decision_form": DecisionForm(request.POST) if set(detail.steps) & {"close", "return"} else None,
        "errors": error.messages,
        "max_size": evidence.format_size(settings.EVIDENCE_MAX_BYTES),
        "max_files": settings.EVIDENCE_MAX_FILES_PER_UPLOAD,
        "accept": evidence.ACCEPT_ATTRIBUTE,
    }
    return render(request, "ledger/finding.html", context, status=400)


@require_POST
def finding_decide(request, pk: int):
    """The office: close (销号) or send back with a reason."""
    finding = access.finding_for_user(request.user, pk)
    access.require_office(request.user)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render_error(request, finding, ValidationError("请选择销号或退回整改。"))
    data = form.cleaned_data
    try:
        if data["action"] == "close":
            services.close_finding(
                user=request.user, finding=finding, reason=data["reason"], version=data.get("version")
            )
            messages.success(request, "已销号。")
        else:
            services.return_finding(
                user=request.user, finding=finding, reason=data["reason"], version=data.get("version")
            )
            messages.success(request, "已退回整改。")
    except ValidationError as error:
        return render_error(request, finding, error)
    return redirect("ledger_finding", pk=pk)


def evidence_download(request, pk: int):
    """An evidence file, only for those who see its finding; always as a download, never sniffed."""
    item = access.evidence_for_user(request.user, pk)
    try:
        path = evidence.path_of(item.stored_name)
        handle = path.open("rb")
    except (OSError, evidence.EvidenceRefused) as error:
        raise Http404("文件不存在。") from error
    response = FileResponse(handle, as_attachment=True, filename=item.original_name)
    response["Content-Type"] = evidence.content_type(item.kind, "." + item.original_name.rsplit(".", 1)[-1].lower())
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _published_period(year: int, month: int) -> Period:
    period = Period.objects.select_related("year").filter(year__year=year, month=month).first()
    if period is None:
        raise Http404("没有该考评月份。")
    return period


def month_slips(request, year: int, month: int):
    """The office: the month's reminder slips, and issuing them for every unit with open findings."""
    access.require_office(request.user)
    period = _published_period(year, month)
    series = SlipSeries.objects.filter(year=period.year).first()
    days = series.default_days if series is not None else DEFAULT_DAYS
    form = IssueSlipsForm(request.POST or None, initial={"deadline": timezone.localdate() + timedelta(days=days)})
    if request.method == "POST":
        if form.is_valid():
            try:
                slips = services.issue_slips(
                    user=request.user,
                    period=period,
                    deadline=form.cleaned_data["deadline"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                messages.success(request, f"已印发 {len(slips)} 份工作提示单。")
                return redirect("ledger_slips", year=year, month=month)
        status = 400
    else:
        status = 200
    unslipped = period.findings.filter(withdrawn=False, slip__isnull=True).values("unit_id").distinct().count()
    deadline = request.POST.get("deadline", "") if form.is_bound else form.initial["deadline"].isoformat()
    context = {
        "period": period,
        "slips": selectors.month_slips(period),
        "form": form,
        "deadline": deadline,
        "unslipped_units": unslipped,
    }
    return render(request, "ledger/slips.html", context, status=status)


def slip_detail(request, pk: int):
    """A slip, printable: the office, viewers and the unit it is addressed to."""
    slip = access.slip_for_user(request.user, pk)
    data = selectors.slip_data(slip)
    from .exports import slip_intro

    return render(request, "ledger/slip.html", {"data": data, "slip": slip, "intro": slip_intro(data)})


def slip_export(request, pk: int, fmt: str):
    slip = access.slip_for_user(request.user, pk)
    found = slip_exporter()
    if fmt not in found.formats:
        raise Http404("不支持的导出格式。")
    return download_response(found.export(slip.period, fmt, selectors.slip_data(slip)))
