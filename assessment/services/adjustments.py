"""The office's 加扣分 items: added, changed, removed or replaced per unit, each change audited."""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.models import display_name
from projects.models import Unit

from ..access import can_edit_office_items, require
from ..models import Adjustment, AdjustmentCategory, AuditAction, Period, year_limits
from .base import acting_user, audit, lock_for_write, record, service, validate


class NeedsConfirmation(ValidationError):
    """An allowed but unusual value (see assessment.limits): saved only when the user confirms it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.confirmation = message


class EditConflict(Exception):
    """Someone changed the item after the user opened it; nothing was saved."""

    def __init__(self, current: Adjustment):
        super().__init__(f"该加扣分在您打开后已被{display_name(current.updated_by)}修改，您的修改没有保存。")
        self.current = current


def _lock_for_office_write(user, period: Period) -> Period:
    period = lock_for_write(period)
    require(can_edit_office_items(user, period))
    return period


def _audit(user, adjustment: Adjustment, action, old="", new="", reason=""):
    period = adjustment.period
    return audit(
        user=user,
        period=period,
        action=action,
        old=old,
        new=new,
        reason=reason or adjustment.reason,
        unit=adjustment.unit,
    )


def check_limits(adjustment: Adjustment, *, count: int, confirmed: bool, limits=None) -> None:
    """Refuse an item outside the year's rules; an unusual one needs `confirmed` (a trusted command never asks)."""
    limits = limits or year_limits(adjustment.period.year_id)
    verdict = limits.check(adjustment.points, adjustment.category, count)
    if verdict.problems:
        raise ValidationError(f"{adjustment.unit.name} 加扣分：{'；'.join(verdict.problems)}")
    if verdict.unusual and not confirmed:
        raise NeedsConfirmation(verdict.confirmation)


def check_item(adjustment: Adjustment, *, confirmed: bool) -> None:
    """check_limits for one item as it would be saved (its unit's other items this month counted)."""
    check_limits(adjustment, count=_count_in_month(adjustment), confirmed=confirmed)


def _count_in_month(adjustment: Adjustment) -> int:
    """The unit's items of this category this month, counting this one once."""
    others = Adjustment.objects.filter(period=adjustment.period, unit=adjustment.unit, category=adjustment.category)
    if adjustment.pk:
        others = others.exclude(pk=adjustment.pk)
    return others.count() + 1


@service
def add_adjustment(
    *,
    user,
    period: Period,
    unit: Unit,
    points: Decimal,
    reason: str,
    category: str = AdjustmentCategory.OTHER,
    confirmed: bool = False,
) -> Adjustment:
    """Add an item within the year's rules; an unusual value raises NeedsConfirmation unless `confirmed`."""
    period = _lock_for_office_write(user, period)
    adjustment = Adjustment(period=period, unit=unit, points=points, reason=reason.strip(), category=category)
    adjustment.updated_by = acting_user(user)
    validate(adjustment, f"{unit.name} 加扣分")
    check_limits(adjustment, count=_count_in_month(adjustment), confirmed=confirmed or user is None)
    adjustment.save()
    record(period, [_audit(user, adjustment, AuditAction.ADJUSTMENT_CREATED, new=adjustment.text)])
    return adjustment


def _locked_item(adjustment: Adjustment) -> Adjustment:
    current = (
        Adjustment.objects.select_for_update(of=("self",))
        .select_related("unit", "updated_by")
        .filter(pk=adjustment.pk)
        .first()
    )
    if current is None:
        raise ValidationError("该加扣分已被他人删除。")
    return current


@service
def update_adjustment(
    *,
    user,
    adjustment: Adjustment,
    points: Decimal,
    reason: str,
    category: str,
    expected_version: int | None = None,
    confirmed: bool = False,
) -> Adjustment:
    """Change an item; with `expected_version`, refuse (EditConflict) when someone saved it meanwhile.
    The new value obeys the year's rules; an unusual one raises NeedsConfirmation unless `confirmed`."""
    period = _lock_for_office_write(user, adjustment.period)
    current = _locked_item(adjustment)
    current.period = period
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    old, old_value = current.text, (current.points, current.category)
    current.points, current.reason, current.category = points, reason.strip(), category
    if old == current.text:
        return current
    current.updated_by = acting_user(user)
    current.version += 1
    validate(current, f"{current.unit.name} 加扣分")
    if (current.points, current.category) != old_value:  # a changed reason alone is not checked again
        check_limits(current, count=_count_in_month(current), confirmed=confirmed or user is None)
    current.save()
    record(period, [_audit(user, current, AuditAction.ADJUSTMENT_CHANGED, old=old, new=current.text)])
    return current


@service
def delete_adjustment(*, user, adjustment: Adjustment, reason: str = "", expected_version: int | None = None) -> None:
    period = _lock_for_office_write(user, adjustment.period)
    current = _locked_item(adjustment)
    current.period = period
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    entry = _audit(user, current, AuditAction.ADJUSTMENT_DELETED, old=current.text, reason=reason)
    current.delete()
    record(period, [entry])


@service
def replace_adjustments(*, user, period: Period, unit: Unit, items: Sequence[tuple[Decimal, str, str]]) -> None:
    """Replace a unit's 加扣分 items of a month by the given (points, reason, category) set."""
    replace_adjustment_sets(user=user, period=period, sets={unit: items})


@service
def replace_adjustment_sets(*, user, period: Period, sets: Mapping[Unit, Sequence[tuple[Decimal, str, str]]]) -> None:
    """Replace the 加扣分 items of many units of a month at once (an import): per unit, the stored set is
    replaced by the given (points, reason, category) set when they differ; every item validated and
    audited, written in a few statements."""
    period = _lock_for_office_write(user, period)
    stored = defaultdict(list)
    for adjustment in Adjustment.objects.filter(period=period, unit__in=[unit.pk for unit in sets]):
        stored[adjustment.unit_id].append(adjustment)
    log, removed, added = [], [], []
    editor = acting_user(user)
    limits = year_limits(period.year_id)
    for unit, items in sets.items():
        current = sorted((a.points, a.reason, a.category) for a in stored[unit.pk])
        wanted = sorted((Decimal(p), r.strip(), c) for p, r, c in items)
        if current == wanted:
            continue
        for adjustment in stored[unit.pk]:
            adjustment.period, adjustment.unit = period, unit
            log.append(_audit(user, adjustment, AuditAction.ADJUSTMENT_DELETED, old=adjustment.text))
            removed.append(adjustment.pk)
        counts = Counter(category for _, _, category in wanted)
        for points, reason, category in wanted:
            adjustment = Adjustment(period=period, unit=unit, points=points, reason=reason, category=category)
            adjustment.updated_by = editor
            validate(adjustment, f"{unit.name} 加扣分", exclude=("period", "updated_by", "unit"))
            # an import is confirmed on its preview: only the hard limits apply here
            check_limits(adjustment, count=counts[category], confirmed=True, limits=limits)
            log.append(_audit(user, adjustment, AuditAction.ADJUSTMENT_CREATED, new=adjustment.text))
            added.append(adjustment)
    for start in range(0, len(removed), 500):
        Adjustment.objects.filter(pk__in=removed[start : start + 500]).delete()
    Adjustment.objects.bulk_create(added, batch_size=1000)
    record(period, log)
