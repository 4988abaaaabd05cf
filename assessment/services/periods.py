"""A period's life: created (open), closed for review, published, reopened — each step audited."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import is_office, is_office_admin
from projects.models import AssessmentYear

from .. import wording
from ..access import require
from ..models import AuditAction, Period, PeriodStatus
from .base import audit, lock_period, record, service


@service
def get_or_create_period(*, year: int, month: int, user=None) -> Period:
    """The period of a month, created (open, audited, with its empty results) when it does not exist.

    Several sessions creating the same month at once: one creates it, the others get it."""
    assessment_year = AssessmentYear.objects.filter(year=year).first()
    if assessment_year is None:
        raise ValidationError(f"没有{year}年的考评年度。")
    period = Period.objects.filter(year=assessment_year, month=month).first()
    if period is not None:
        return period
    period = Period(year=assessment_year, month=month)
    period.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        return Period.objects.get(year=assessment_year, month=month)
    record(
        period, [audit(user=user, period=period, action=AuditAction.PERIOD_CREATED, new=period.get_status_display())]
    )
    return period


def _trusted_or(check):
    return lambda user: user is None or check(user)


# from status → to status → (audit action, who may)
TRANSITIONS = {
    PeriodStatus.OPEN: {PeriodStatus.CLOSED: (AuditAction.PERIOD_CLOSED, _trusted_or(is_office))},
    PeriodStatus.CLOSED: {
        PeriodStatus.OPEN: (AuditAction.PERIOD_RETURNED, _trusted_or(is_office)),
        PeriodStatus.PUBLISHED: (AuditAction.PERIOD_PUBLISHED, _trusted_or(is_office_admin)),
    },
    PeriodStatus.PUBLISHED: {PeriodStatus.OPEN: (AuditAction.PERIOD_REOPENED, _trusted_or(is_office_admin))},
}


def allowed_transitions(user, period: Period) -> list[tuple[str, AuditAction]]:
    """(target status, action) of the status changes this user may make now."""
    return [
        (target, action) for target, (action, allowed) in TRANSITIONS.get(period.status, {}).items() if allowed(user)
    ]


@service
def change_period_status(
    *, user, period: Period, status: str, reason: str = "", published_at: datetime | None = None
) -> Period:
    """Move a period through open → closed → published; reopening a published period needs a reason.
    `published_at` (a trusted command only, e.g. the demo's 2020 months) records when it was published."""
    if published_at is not None and user is not None:
        raise ValueError("only a trusted command may set the publication time")
    period = lock_period(period)
    old = period.get_status_display()
    transition = TRANSITIONS.get(period.status, {}).get(status)
    if transition is None:
        raise ValidationError(f"不能从“{old}”变为“{PeriodStatus(status).label}”。")
    action, allowed = transition
    require(allowed(user), "您没有权限变更该月份的状态。")
    if period.status == PeriodStatus.PUBLISHED:
        if not reason.strip():
            raise ValidationError("重新开放已发布的月份必须填写原因。")
        later = Period.objects.filter(year_id=period.year_id, month__gt=period.month, status=PeriodStatus.PUBLISHED)
        if later.exists():
            raise ValidationError("请先重新开放之后已发布的月份。")
    if status == PeriodStatus.PUBLISHED:
        from ..selectors.periods import period_missing

        missing = period_missing(period)
        if missing:
            raise ValidationError(["尚有得分未录入，不能发布："] + missing)
        period.published_at = published_at or timezone.now()
    period.status = status
    period.save(update_fields=["status", "published_at"])
    entry = audit(
        user=user, period=period, action=action, old=old, new=period.get_status_display(), reason=reason.strip()
    )
    entry.save()
    if status == PeriodStatus.PUBLISHED:
        from ledger.services import sync_findings  # the ledger depends on assessment, not the reverse

        sync_findings(period=period, user=user)
    return period


@service
def set_notice_date(*, user, period: Period, notice_date: date | None) -> Period:
    """The office sets the date printed on the month's notice and tables (通报日期); audited. A published
    month keeps the date it was published with."""
    period = lock_period(period)
    require(user is None or is_office(user), "只有民生办可以设定通报日期。")
    if period.is_published:
        raise ValidationError(f"{period}已发布，通报日期不能修改。")
    if period.notice_date == notice_date:
        return period
    old = wording.chinese_date(period.notice_date) if period.notice_date else ""
    period.notice_date = notice_date
    period.save(update_fields=["notice_date"])
    new = wording.chinese_date(notice_date) if notice_date else ""
    audit(user=user, period=period, action=AuditAction.PERIOD_NOTICE_DATE, old=old, new=new).save()
    return period
