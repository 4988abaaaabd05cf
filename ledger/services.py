"""Every write of the ledger: findings from a published month, reminder slips, the rectification steps.

Keyword-only, atomic, validated, and audited in the same transaction (`finding.*`, `slip.*`, with the
finding's or slip's id as the audit row's `record_id`). `user=None` is a trusted command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.roles import is_office
from assessment import rules as score_rules
from assessment.models import Adjustment, AuditAction, AuditEntry, IndicatorScore, Period, ProjectScore
from assessment.services.base import PendingAudit, audit

from . import evidence as files
from . import rules
from .access import may_act
from .models import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Evidence,
    Finding,
    FindingSource,
    RectificationReport,
    ReminderSlip,
    SlipSeries,
)


@dataclass
class Deduction:
    """A deduction of the month as the ledger sees it (before it is a Finding)."""

    key: str
    source: str
    unit_id: int
    found_by_id: int | None
    points: Decimal
    reason: str
    repeat_key: str
    project_id: int | None = None
    indicator_id: int | None = None
    adjustment_id: int | None = None


@dataclass
class SyncResult:
    created: list[Finding] = field(default_factory=list)
    changed: list[Finding] = field(default_factory=list)
    withdrawn: list[Finding] = field(default_factory=list)


def _text(points: Decimal, reason: str) -> str:
    return f"{score_rules.points_text(points)} {reason}"


def month_deductions(period: Period) -> list[Deduction]:
    """Every deduction of the month: project scores and indicator scores below their maximum, negative
    加扣分 items. Compared in Python with Decimal (never by SQLite)."""
    maximum = period.year.project_max_score
    found: list[Deduction] = []
    scores = (
        ProjectScore.objects.filter(period=period, not_applicable=False)
        .select_related("project")
        .order_by("region__display_order", "project__display_order", "project_id")
    )
    for score in scores:
        lost = rules.deduction(score.score, maximum)
        if lost is not None:
            found.append(
                Deduction(
                    key=f"score:{score.region_id}:{score.project_id}",
                    source=FindingSource.PROJECT_SCORE,
                    unit_id=score.region_id,
                    found_by_id=score.project.responsible_department_id,
                    points=lost,
                    reason=score.reason or "—",
                    repeat_key=rules.project_key(score.project.code),
                    project_id=score.project_id,
                )
            )
    indicator_scores = (
        IndicatorScore.objects.filter(period=period)
        .select_related("indicator")
        .order_by("department__display_order", "indicator__display_order")
    )
    for score in indicator_scores:
        lost = rules.deduction(score.score, score.indicator.max_score)
        if lost is not None:
            found.append(
                Deduction(
                    key=f"indicator:{score.department_id}:{score.indicator_id}",
                    source=FindingSource.INDICATOR_SCORE,
                    unit_id=score.department_id,
                    found_by_id=None,
                    points=lost,
                    reason=score.reason or "—",
                    repeat_key=rules.indicator_key(score.indicator.name),
                    indicator_id=score.indicator_id,
                )
            )
    for item in Adjustment.objects.filter(period=period).order_by("unit__kind", "unit__display_order", "id"):
        if item.points < 0:
            found.append(
                Deduction(
                    key=f"adjustment:{item.pk}",
                    source=FindingSource.ADJUSTMENT,
                    unit_id=item.unit_id,
                    found_by_id=None,
                    points=item.points,
                    reason=item.reason,
                    repeat_key=rules.adjustment_key(item.category, item.reason),
                    adjustment_id=item.pk,
                )
            )
    return found


def _finding_audit(*, user, finding: Finding, action: str, old="", new="", reason="") -> PendingAudit:
    entry = audit(user=user, period=finding.period, action=action, old=old, new=new, reason=reason)
    entry.unit_id = finding.unit_id
    entry.project_id = finding.project_id
    entry.indicator_id = finding.indicator_id
    entry.record_id = finding.pk
    return entry


@transaction.atomic
def sync_findings(*, period: Period, user=None) -> SyncResult:
    """The ledger of a published month made to match its deductions (idempotent: publishing again after
    a reopening creates the new ones, updates changed points or reasons, withdraws vanished ones)."""
    result = SyncResult()
    if not period.is_published:
        return result
    wanted = {item.key: item for item in month_deductions(period)}
    existing = {finding.key: finding for finding in Finding.objects.filter(period=period)}
    entries: list[PendingAudit] = []
    new = []
    for key, item in wanted.items():
        finding = existing.get(key)
        if finding is None:
            new.append(
                Finding(
                    period=period,
                    key=key,
                    source=item.source,
                    unit_id=item.unit_id,
                    found_by_id=item.found_by_id,
                    project_id=item.project_id,
                    indicator_id=item.indicator_id,
                    adjustment_id=item.adjustment_id,
                    points=item.points,
                    reason=item.reason[:REASON_MAX_LENGTH],
                    repeat_key=item.repeat_key[:200],
                )
            )
        elif finding.withdrawn or finding.points != item.points or finding.reason != item.reason:
            old = "" if finding.withdrawn else _text(finding.points, finding.reason)
            finding.points, finding.reason, finding.withdrawn = item.points, item.reason, False
            finding.found_by_id = item.found_by_id
            finding.version += 1
            finding.save(update_fields=["points", "reason", "withdrawn", "found_by", "version", "updated_at"])
            result.changed.append(finding)
            entries.append(
                _finding_audit(
                    user=user,
                    finding=finding,
                    action=AuditAction.FINDING_CHANGED,
                    old=old,
                    new=_text(item.points, item.reason),
                )
            )
    for finding in new:
        finding.full_clean(
            exclude=["period", "unit", "found_by", "project", "indicator", "adjustment"],
            validate_unique=False,
            validate_constraints=False,
        )
    result.created = Finding.objects.bulk_create(new)
    if any(finding.pk is None for finding in result.created):  # a database that returns no ids
        keys = [finding.key for finding in result.created]
        result.created = list(Finding.objects.filter(period=period, key__in=keys))
    for finding in result.created:
        finding.period = period
        entries.append(
            _finding_audit(
                user=user,
                finding=finding,
                action=AuditAction.FINDING_CREATED,
                new=_text(finding.points, finding.reason),
            )
        )
    for key, finding in existing.items():
        if key not in wanted and not finding.withdrawn:
            finding.withdrawn = True
            finding.version += 1
            finding.save(update_fields=["withdrawn", "version", "updated_at"])
            result.withdrawn.append(finding)
            entries.append(
                _finding_audit(
                    user=user,
                    finding=finding,
                    action=AuditAction.FINDING_WITHDRAWN,
                    old=_text(finding.points, finding.reason),
                    reason="重新发布后该扣分已不存在",
                )
            )
    AuditEntry.objects.append(entries)
    flag_repeats(period)
    return result


def flag_repeats(period: Period) -> None:
    """重复发现: a finding of this month (and of the next) whose unit and project (indicator, 加扣分 category)
    had a finding the month before."""
    months = {
        p.month: p
        for p in Period.objects.filter(
            year_id=period.year_id, month__in=[period.month - 1, period.month, period.month + 1]
        )
    }
    for month in (period.month, period.month + 1):
        later = months.get(month)
        if later is None:
            continue
        earlier = months.get(month - 1)
        before = set()
        if earlier is not None:
            before = set(Finding.objects.filter(period=earlier, withdrawn=False).values_list("unit_id", "repeat_key"))
        findings = list(Finding.objects.filter(period=later).only("id", "unit_id", "repeat_key", "repeated"))
        flags = rules.repeated_keys(before, [(f.unit_id, f.repeat_key) for f in findings])
        changed = []
        for finding, flag in zip(findings, flags, strict=True):
            if finding.repeated != flag:
                finding.repeated = flag
                changed.append(finding)
        Finding.objects.bulk_update(changed, ["repeated"])


# ---------------------------------------------------------------- reminder slips


def _require_office(user) -> None:
    if user is not None and not is_office(user):
        raise PermissionDenied("只有民生办可以印发工作提示单。")


def series_for(year) -> SlipSeries:
    series, _ = SlipSeries.objects.get_or_create(year=year)
    return SlipSeries.objects.select_for_update().get(pk=series.pk)


@transaction.atomic
def issue_slips(
    *, user, period: Period, deadline: date, unit_ids: list[int] | None = None, note: str = ""
) -> list[ReminderSlip]:
    """工作提示单 for the month: one per unit with findings not yet on a slip (a unit that has its slip
    already gets the new findings added to it). Numbers follow on per year: 铜民生提〔2020〕9号."""
    _require_office(user)
    if not period.is_published:
        raise ValidationError(f"{period}尚未发布，不能印发工作提示单。")
    if not isinstance(deadline, date):
        raise ValidationError("请填写整改期限。")
    if user is not None and deadline < timezone.localdate():
        raise ValidationError("整改期限不能早于今天。")
    note = note.strip()
    if len(note) > TEXT_MAX_LENGTH:
        raise ValidationError(f"整改要求最多 {TEXT_MAX_LENGTH} 字。")
    findings = Finding.objects.filter(period=period, withdrawn=False, slip__isnull=True).select_related("unit")
    if unit_ids is not None:
        findings = findings.filter(unit_id__in=unit_ids)
    by_unit: dict[int, list[Finding]] = {}
    from .selectors import regions_first

    for finding in findings.order_by(regions_first(), "unit__display_order", "id"):
        by_unit.setdefault(finding.unit_id, []).append(finding)
    if not by_unit:
        raise ValidationError("没有需要印发工作提示单的整改事项。")
    series = series_for(period.year)
    slips = {slip.unit_id: slip for slip in ReminderSlip.objects.filter(period=period, unit_id__in=by_unit)}
    number = ReminderSlip.objects.filter(year=period.year).aggregate(top=Max("number"))["top"] or 0
    issued = []
    entries = []
    for unit_id, unit_findings in by_unit.items():
        slip = slips.get(unit_id)
        if slip is None:
            number += 1
            slip = ReminderSlip(
                year=period.year,
                period=period,
                unit_id=unit_id,
                prefix=series.prefix,
                number=number,
                deadline=deadline,
                note=note,
                issued_by=user if user is not None and user.is_authenticated else None,
            )
            slip.save()
            action = AuditAction.SLIP_ISSUED
        else:
            action = AuditAction.SLIP_CHANGED
        for finding in unit_findings:
            finding.slip = slip
            finding.deadline = slip.deadline
            finding.version += 1
        Finding.objects.bulk_update(unit_findings, ["slip", "deadline", "version"])
        entry = audit(
            user=user,
            period=period,
            action=action,
            new=f"{slip.code}：{len(unit_findings)}项，整改期限{slip.deadline:%Y-%m-%d}",
        )
        entry.unit_id = unit_id
        entry.record_id = slip.pk
        entries.append(entry)
        issued.append(slip)
    AuditEntry.objects.append(entries)
    return issued


# ---------------------------------------------------------------- the rectification steps


def _locked(finding: Finding, version: int | None) -> Finding:
    current = Finding.objects.select_for_update(of=("self",)).select_related("period__year").get(pk=finding.pk)
    if version is not None and current.version != version:
        raise ValidationError("该整改事项已被他人更新，请刷新页面后再操作。")
    return current


def _step(user, finding: Finding, name: str) -> rules.Step:
    step = rules.STEPS[name]
    if finding.withdrawn or finding.status not in step.sources:
        raise ValidationError(f"该整改事项现为“{finding.get_status_display()}”，不能{step.label}。")
    if not may_act(user, finding, name):
        if step.by == "office":
            raise PermissionDenied("只有民生办可以销号或退回整改。")
        raise PermissionDenied("只有责任单位可以报送整改情况。")
    return step


def _move(user, finding: Finding, step: rules.Step, *, text: str = "", reason: str = "") -> Finding:
    old = finding.get_status_display()
    finding.status = step.target
    finding.version += 1
    finding.save(update_fields=["status", "version", "updated_at"])
    new = finding.get_status_display()
    detail = f"{new}：{text}" if text else new
    entry = _finding_audit(user=user, finding=finding, action=step.action, old=old, new=detail, reason=reason)
    AuditEntry.objects.append([entry])
    return finding


@transaction.atomic
def report_progress(
    *,
    user,
    finding: Finding,
    text: str,
    uploads: list[tuple[str, bytes]] = (),
    version: int | None = None,
    done: bool = False,
) -> Finding:
    """The responsible unit records what was done (a text and evidence files); 待整改 becomes 整改中, and
    with `done` the finding is marked 已整改 and waits for the office (待销号)."""
    from django.conf import settings

    finding = _locked(finding, version)
    step = _step(user, finding, "rectify" if done else "report")
    text = text.strip()
    if not text:
        raise ValidationError("请填写整改情况。")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(f"整改情况最多 {TEXT_MAX_LENGTH} 字（现为 {len(text)} 字）。")
    uploads = list(uploads)
    if len(uploads) > settings.EVIDENCE_MAX_FILES_PER_UPLOAD:
        raise ValidationError(f"一次最多上传 {settings.EVIDENCE_MAX_FILES_PER_UPLOAD} 个文件。")
    kept = Evidence.objects.filter(finding=finding).count()
    if kept + len(uploads) > settings.EVIDENCE_MAX_FILES_PER_FINDING:
        raise ValidationError(
            f"每个整改事项最多 {settings.EVIDENCE_MAX_FILES_PER_FINDING} 个佐证文件（已有 {kept} 个）。"
        )
    checked = []
    problems = []
    for name, content in uploads:
        try:
            checked.append(files.check_file(name, content))
        except files.EvidenceRefused as refused:
            problems.append(str(refused))
    if problems:
        raise ValidationError(problems)
    editor = user if user is not None and user.is_authenticated else None
    report = RectificationReport(finding=finding, text=text, created_by=editor)
    report.full_clean(exclude=["finding", "created_by"])
    report.save()
    written = []
    try:
        for item in checked:
            stored = files.new_stored_name(item.extension)
            files.write(stored, item.content)
            written.append(stored)
            Evidence.objects.create(
                report=report,
                finding=finding,
                original_name=item.name,
                stored_name=stored,
                kind=item.kind,
                size=len(item.content),
                sha256=item.sha256,
                uploaded_by=editor,
            )
        names = "、".join(item.name for item in checked)
        summary = text if not names else f"{text}（附件：{names}）"
        return _move(user, finding, step, text=summary)
    except BaseException:
        for stored in written:
            files.remove(stored)
        raise


@transaction.atomic
def close_finding(*, user, finding: Finding, reason: str = "", version: int | None = None) -> Finding:
    """The office checks the rectification and closes the finding (销号)."""
    finding = _locked(finding, version)
    step = _step(user, finding, "close")
    return _move(user, finding, step, reason=reason.strip()[:REASON_MAX_LENGTH])


@transaction.atomic
def return_finding(*, user, finding: Finding, reason: str, version: int | None = None) -> Finding:
    """The office sends the finding back to the unit (整改中), with a reason."""
    finding = _locked(finding, version)
    step = _step(user, finding, "return")
    reason = reason.strip()
    if not reason:
        raise ValidationError("退回整改必须填写原因。")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(f"原因最多 {REASON_MAX_LENGTH} 字。")
    return _move(user, finding, step, reason=reason)
