"""Every write of an official number: checked, validated, audited and re-derived in one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import AssessmentYear, Indicator, Project, Unit

from .models import (
    Adjustment,
    AdjustmentCategory,
    AuditAction,
    AuditEntry,
    IndicatorScore,
    MonthOverride,
    OverrideKind,
    Period,
    PeriodStatus,
    ProjectScore,
)
from .permissions import can_edit_office_items, can_edit_project_score, require
from .results import recompute_results
from .roles import is_office, is_office_admin

NOT_APPLICABLE_TEXT = "—"


def ensure_writable(period: Period) -> None:
    """A published period refuses every write, and so does a period whose later months are published."""
    if period.is_published:
        raise ValidationError(f"{period}已发布，不能修改。")
    later = Period.objects.filter(year_id=period.year_id, month__gt=period.month, status=PeriodStatus.PUBLISHED)
    published = [f"{month}月" for month in later.values_list("month", flat=True)]
    if published:
        raise ValidationError(f"{'、'.join(published)}已发布，修改{period.month}月会改变其累计得分，请先重新开放。")


@transaction.atomic
def get_or_create_period(*, year: int, month: int, user=None) -> Period:
    """The period of a month, created (open, audited, with its empty results) when it does not exist."""
    assessment_year = AssessmentYear.objects.filter(year=year).first()
    if assessment_year is None:
        raise ValidationError(f"没有{year}年的考评年度。")
    period = Period.objects.filter(year=assessment_year, month=month).first()
    if period is not None:
        return period
    period = Period(year=assessment_year, month=month)
    period.full_clean()
    period.save()
    entry = audit(
        user=user,
        period=period,
        action=AuditAction.CREATED,
        item="考评月份",
        description=str(period),
        new=period.get_status_display(),
    )
    _finish(period, [entry])
    return period


def audit(*, user, period: Period, action: str, item: str, description: str, old="", new="", reason="", **targets):
    return AuditEntry(
        user=user,
        username=user.get_username() if user is not None else "系统",
        period=period,
        action=action,
        item=item,
        description=description,
        old_value=old,
        new_value=new,
        reason=reason,
        **targets,
    )


def score_text(score: Decimal | None, not_applicable: bool = False) -> str:
    if not_applicable:
        return NOT_APPLICABLE_TEXT
    return "" if score is None else f"{score:.3f}"


@dataclass(frozen=True)
class ProjectScoreInput:
    region: Unit
    project: Project
    score: Decimal | None
    not_applicable: bool = False
    reason: str = ""
    expected_version: int | None = None  # the version the user saw; None skips the concurrency check

    audit_item = "项目得分"

    @property
    def key(self) -> tuple:
        return (self.region.pk, self.project.pk)

    @property
    def label(self) -> str:
        return f"{self.region.name} · {self.project.display_code}、{self.project.name}"

    def values(self) -> dict:
        score = None if self.not_applicable else self.score
        return {"score": score, "not_applicable": self.not_applicable, "reason": self.reason.strip()}

    def new_row(self, period: Period) -> ProjectScore:
        return ProjectScore(period=period, region=self.region, project=self.project, version=0)

    def targets(self) -> dict:
        return {"unit": self.region, "project": self.project}


@dataclass(frozen=True)
class IndicatorScoreInput:
    department: Unit
    indicator: Indicator
    score: Decimal | None  # None clears the cell
    reason: str = ""
    expected_version: int | None = None

    audit_item = "指标得分"

    @property
    def key(self) -> tuple:
        return (self.department.pk, self.indicator.pk)

    @property
    def label(self) -> str:
        return f"{self.department.name} · {self.indicator.name}"

    def values(self) -> dict:
        return {"score": self.score, "reason": self.reason.strip()}

    def new_row(self, period: Period) -> IndicatorScore:
        return IndicatorScore(period=period, department=self.department, indicator=self.indicator, version=0)

    def targets(self) -> dict:
        return {"unit": self.department, "indicator": self.indicator}


@dataclass(frozen=True)
class Conflict:
    """Someone saved the cell after the user loaded it: both values are reported, nothing is overwritten."""

    key: tuple
    mine: str
    theirs: str
    theirs_by: str
    theirs_version: int


@dataclass
class SaveResult:
    saved: list
    conflicts: list[Conflict]


def cell_text(row) -> str:
    return score_text(row.score, getattr(row, "not_applicable", False))


@transaction.atomic
def save_project_scores(*, user, period: Period, items: Sequence[ProjectScoreInput], reason: str = "") -> SaveResult:
    """Save region project scores; cells changed by someone else since loading are refused, the rest saved.

    An item with no score that is not marked not applicable clears the cell (audited as a deletion).
    """
    period = _lock(period)
    for item in items:
        require(can_edit_project_score(user, period, item.project), f"您不能修改项目 {item.project.code} 的得分。")
    rows = ProjectScore.objects.filter(period=period, project__in={i.project for i in items})
    existing = {(s.region_id, s.project_id): s for s in _locked_with_editor(rows)}
    return _save_scores(user, period, items, existing, reason)


@transaction.atomic
def save_indicator_scores(
    *, user, period: Period, items: Sequence[IndicatorScoreInput], reason: str = ""
) -> SaveResult:
    """Save department indicator scores, with the same concurrency rule as the project scores."""
    period = _lock(period)
    require(can_edit_office_items(user, period))
    rows = IndicatorScore.objects.filter(period=period)
    existing = {(s.department_id, s.indicator_id): s for s in _locked_with_editor(rows)}
    return _save_scores(user, period, items, existing, reason)


def _lock(period: Period) -> Period:
    period = Period.objects.select_for_update().select_related("year").get(pk=period.pk)
    ensure_writable(period)
    return period


def _locked_with_editor(rows):
    return rows.select_for_update(of=("self",)).select_related("updated_by")


def _save_scores(user, period: Period, items, existing: dict, reason: str) -> SaveResult:
    saved, conflicts, log = [], [], []
    for item in items:
        current = existing.get(item.key)
        row = current or item.new_row(period)
        old_text = cell_text(current) if current else ""
        values = item.values()
        if current is not None and item.expected_version is not None and current.version != item.expected_version:
            by = current.updated_by.get_username() if current.updated_by else "系统"
            mine = score_text(values["score"], values.get("not_applicable", False))
            conflicts.append(Conflict(item.key, mine, old_text, by, current.version))
            continue
        if current is not None and all(getattr(current, name) == value for name, value in values.items()):
            continue
        if values["score"] is None and not values.get("not_applicable"):
            if current is not None:
                log.append(
                    _score_audit(user, period, item, AuditAction.DELETED, old_text, "", values["reason"] or reason)
                )
                current.delete()
            continue
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.updated_by = user if user is not None and user.is_authenticated else None
        _validate(row, item.label)
        row.save()
        saved.append(row)
        action = AuditAction.CHANGED if current else AuditAction.CREATED
        log.append(_score_audit(user, period, item, action, old_text, cell_text(row), values["reason"] or reason))
    _finish(period, log)
    return SaveResult(saved, conflicts)


def _score_audit(user, period: Period, item, action: str, old: str, new: str, reason: str) -> AuditEntry:
    return audit(
        user=user,
        period=period,
        action=action,
        item=item.audit_item,
        description=item.label,
        old=old,
        new=new,
        reason=reason,
        **item.targets(),
    )


def _validate(instance, label: str) -> None:
    try:
        # clean() holds the rules; the database constraints back them without a query per cell here.
        instance.full_clean(exclude=["period", "updated_by"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages = [message for messages in error.message_dict.values() for message in messages]
        raise ValidationError(f"{label}：{'；'.join(messages)}") from error


def _finish(period: Period, log: list[AuditEntry]) -> None:
    if log:
        AuditEntry.objects.bulk_create(log)
        recompute_results(period)


def adjustment_text(adjustment: Adjustment) -> str:
    return f"{adjustment.points:+.3f} {adjustment.reason}（{adjustment.get_category_display()}）"


@transaction.atomic
def add_adjustment(
    *, user, period: Period, unit: Unit, points: Decimal, reason: str, category: str = AdjustmentCategory.OTHER
) -> Adjustment:
    period = _lock_for_office_write(user, period)
    adjustment = Adjustment(period=period, unit=unit, points=points, reason=reason.strip(), category=category)
    adjustment.updated_by = user if user is not None and user.is_authenticated else None
    _validate(adjustment, f"{unit.name} 加扣分")
    adjustment.save()
    _finish(period, [_adjustment_audit(user, adjustment, AuditAction.CREATED, "", adjustment_text(adjustment))])
    return adjustment


@transaction.atomic
def update_adjustment(*, user, adjustment: Adjustment, points: Decimal, reason: str, category: str) -> Adjustment:
    period = _lock_for_office_write(user, adjustment.period)
    old = adjustment_text(adjustment)
    adjustment.points, adjustment.reason, adjustment.category = points, reason.strip(), category
    adjustment.updated_by = user if user is not None and user.is_authenticated else None
    _validate(adjustment, f"{adjustment.unit.name} 加扣分")
    adjustment.save()
    if old != adjustment_text(adjustment):
        _finish(period, [_adjustment_audit(user, adjustment, AuditAction.CHANGED, old, adjustment_text(adjustment))])
    return adjustment


@transaction.atomic
def delete_adjustment(*, user, adjustment: Adjustment, reason: str = "") -> None:
    period = _lock_for_office_write(user, adjustment.period)
    entry = _adjustment_audit(user, adjustment, AuditAction.DELETED, adjustment_text(adjustment), "", reason)
    adjustment.delete()
    _finish(period, [entry])


@transaction.atomic
def replace_adjustments(*, user, period: Period, unit: Unit, items: Sequence[tuple[Decimal, str, str]]) -> None:
    """Replace a unit's 加扣分 items of a month by the given (points, reason, category) set."""
    period = _lock_for_office_write(user, period)
    current = sorted((a.points, a.reason, a.category) for a in Adjustment.objects.filter(period=period, unit=unit))
    wanted = sorted((Decimal(p), r.strip(), c) for p, r, c in items)
    if current == wanted:
        return
    log = []
    for adjustment in Adjustment.objects.filter(period=period, unit=unit):
        log.append(_adjustment_audit(user, adjustment, AuditAction.DELETED, adjustment_text(adjustment), ""))
        adjustment.delete()
    for points, reason, category in wanted:
        adjustment = Adjustment(period=period, unit=unit, points=points, reason=reason, category=category)
        adjustment.updated_by = user if user is not None and user.is_authenticated else None
        _validate(adjustment, f"{unit.name} 加扣分")
        adjustment.save()
        log.append(_adjustment_audit(user, adjustment, AuditAction.CREATED, "", adjustment_text(adjustment)))
    _finish(period, log)


def _adjustment_audit(user, adjustment: Adjustment, action, old, new, reason=""):
    return audit(
        user=user,
        period=adjustment.period,
        action=action,
        item="加扣分",
        description=f"{adjustment.unit.name} · 加扣分",
        old=old,
        new=new,
        reason=reason or adjustment.reason,
        unit=adjustment.unit,
    )


def _lock_for_office_write(user, period: Period) -> Period:
    period = _lock(period)
    require(can_edit_office_items(user, period))
    return period


@transaction.atomic
def set_month_override(*, user, period: Period, unit: Unit, kind: str | None, score: Decimal | None = None) -> None:
    """Record a unit's month as a total or as not assessed; `kind=None` removes the override."""
    period = _lock_for_office_write(user, period)
    current = MonthOverride.objects.filter(period=period, unit=unit).first()
    old = override_text(current)
    if kind is None:
        if current is None:
            return
        current.delete()
        new = ""
    else:
        override = current or MonthOverride(period=period, unit=unit)
        override.kind, override.score = kind, score if kind == OverrideKind.RECORDED_TOTAL else None
        if old == override_text(override):
            return
        _validate(override, f"{unit.name} 月度得分")
        override.save()
        new = override_text(override)
    entry = audit(
        user=user,
        period=period,
        action=AuditAction.CHANGED if current else AuditAction.CREATED,
        item="月度得分",
        description=f"{unit.name} · 月度得分",
        old=old,
        new=new,
        unit=unit,
    )
    _finish(period, [entry])


def override_text(override: MonthOverride | None) -> str:
    if override is None:
        return ""
    if override.kind == OverrideKind.NOT_ASSESSED:
        return "未纳入考评"
    return score_text(override.score)


def _trusted_or(check):
    return lambda user: user is None or check(user)


# from status → to status → who may
ALLOWED_TRANSITIONS = {
    PeriodStatus.OPEN: {PeriodStatus.CLOSED: _trusted_or(is_office)},
    PeriodStatus.CLOSED: {
        PeriodStatus.OPEN: _trusted_or(is_office),
        PeriodStatus.PUBLISHED: _trusted_or(is_office_admin),
    },
    PeriodStatus.PUBLISHED: {PeriodStatus.OPEN: _trusted_or(is_office_admin)},
}


@transaction.atomic
def change_period_status(*, user, period: Period, status: str, reason: str = "") -> Period:
    """Move a period through open → closed → published; reopening a published period needs a reason."""
    period = Period.objects.select_for_update().select_related("year").get(pk=period.pk)
    old = period.get_status_display()
    if status not in ALLOWED_TRANSITIONS.get(period.status, {}):
        raise ValidationError(f"不能从“{old}”变为“{PeriodStatus(status).label}”。")
    require(ALLOWED_TRANSITIONS[period.status][status](user), "您没有权限变更该月份的状态。")
    if period.status == PeriodStatus.PUBLISHED:
        if not reason.strip():
            raise ValidationError("重新开放已发布的月份必须填写原因。")
        later = Period.objects.filter(year_id=period.year_id, month__gt=period.month, status=PeriodStatus.PUBLISHED)
        if later.exists():
            raise ValidationError("请先重新开放之后已发布的月份。")
    if status == PeriodStatus.PUBLISHED:
        from .selectors import period_missing

        missing = period_missing(period)
        if missing:
            raise ValidationError(["尚有得分未录入，不能发布："] + missing)
        period.published_at = timezone.now()
    period.status = status
    period.save(update_fields=["status", "published_at"])
    entry = audit(
        user=user,
        period=period,
        action=AuditAction.STATUS,
        item="考评月份",
        description=str(period),
        old=old,
        new=period.get_status_display(),
        reason=reason.strip(),
    )
    entry.save()
    return period
