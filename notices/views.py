"""The notice pages: the month's draft (generate, edit each part, versions with their diff, the .docx).
Every role that may see the month's tables reads it (drafts: the office only); the office edits it
until the month is published."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import is_office
from assessment import access
from assessment.exports.registry import Download
from assessment.selectors.tables import heading
from assessment.views.responses import download_response
from assessment.wording import chinese_date

from . import exports, selectors, services, wording
from .forms import NoticeForm
from .models import NoticeVersion


def _period(request, year: int, month: int):
    """The month as the tables show it: 404 when it does not exist or is a draft for a non-office role."""
    access.require_role(request.user)
    period, _ = access.period_for_user(request.user, year, month, tables=True)
    may_edit = is_office(request.user) and not period.is_published
    return period, may_edit


def notice_detail(request, year: int, month: int):
    period, may_edit = _period(request, year, month)
    notice = selectors.notice_of(period)
    generated = selectors.month_findings(period) if is_office(request.user) and not period.is_published else None
    versions = list(notice.versions.all()) if notice else []
    top = heading(period)
    context = {
        "period": period,
        "notice": notice,
        "may_edit": may_edit,
        "is_office": is_office(request.user),
        "generated": generated,
        "sources": notice.sources if notice else [],
        "versions": versions,
        "attachments": wording.attachment_items(selectors.attachment_titles(period)),
        "heading": top,
        "date_text": chinese_date(top.date) + ("" if period.is_published else "（未发布）"),
        "pdf_available": exports.soffice() is not None,
    }
    return render(request, "notices/notice_detail.html", context)


@require_POST
def notice_generate(request, year: int, month: int):
    access.require_office(request.user)
    period, _ = _period(request, year, month)
    try:
        notice = services.generate_notice(user=request.user, period=period)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已根据{period}的考评结果生成通报（第{notice.version}版）。")
    return redirect("notice", year=year, month=month)


def notice_edit(request, year: int, month: int):
    access.require_office(request.user)
    period, may_edit = _period(request, year, month)
    notice = selectors.notice_of(period)
    if notice is None:
        messages.warning(request, "请先生成通报草稿。")
        return redirect("notice", year=year, month=month)
    if not may_edit:
        messages.error(request, f"{period}已发布，通报已随之定稿，不能修改。")
        return redirect("notice", year=year, month=month)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.update_notice(user=request.user, period=period, parts=data, version=version)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
                status = 409 if isinstance(error, services.NoticeConflict) else 400
                return render(request, "notices/notice_edit.html", {"period": period, "form": form}, status=status)
            messages.success(request, "通报已保存。")
            return redirect("notice", year=year, month=month)
        return render(request, "notices/notice_edit.html", {"period": period, "form": form}, status=400)
    form = NoticeForm(initial={**notice.parts, "version": notice.version})
    return render(request, "notices/notice_edit.html", {"period": period, "form": form})


def notice_version(request, year: int, month: int, number: int):
    period, _ = _period(request, year, month)
    notice = selectors.notice_of(period)
    versions = (
        {version.number: version for version in NoticeVersion.objects.filter(notice=notice).select_related("user")}
        if notice
        else {}
    )
    version = versions.get(number)
    if version is None:
        raise Http404("没有该版本。")
    previous = max((n for n in versions if n < number), default=None)
    diffs = selectors.version_diff(version, versions.get(previous))
    context = {"period": period, "version": version, "previous": versions.get(previous), "diffs": diffs}
    return render(request, "notices/notice_version.html", context)


def notice_docx(request, year: int, month: int):
    period, _ = _period(request, year, month)
    download = exports.notice_download(period)
    if request.GET.get("format") == "pdf":
        try:
            content = exports.docx_to_pdf(download.content)
        except exports.PdfUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        stem = download.filename.rsplit(".", 1)[0]
        return download_response(Download(f"{stem}.pdf", content, exports.PDF_CONTENT_TYPE))
    return download_response(download)
