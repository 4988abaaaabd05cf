"""The office's 加扣分 items: added, changed, removed or replaced per unit, each change audited."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.models import display_name
from projects.models import Unit

from ..access import can_edit_office_items, require
from ..models import Adjustment, AdjustmentCategory, AuditAction, Period
from .base import acting_user, audit, lock_for_write, record, service, validate


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


@service
def add_adjustment(
    *, user, period: Period, unit: Unit, points: Decimal, reason: str, category: str = AdjustmentCategory.OTHER
) -> Adjustment:
    period = _lock_for_office_write(user, period)
    adjustment = Adjustment(period=period, unit=unit, points=points, reason=reason.strip(), category=category)
    adjustment.updated_by = acting_user(user)
    validate(adjustment, f"{unit.name} 加扣分")
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
    *, user, adjustment: Adjustment, points: Decimal, reason: str, category: str, expected_version: int | None = None
) -> Adjustment:
    """Change an item; with `expected_version`, refuse (EditConflict) when someone saved it meanwhile."""
    period = _lock_for_office_write(user, adjustment.period)
    current = _locked_item(adjustment)
    current.period = period
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    old = current.text
    current.points, current.reason, current.category = points, reason.strip(), category
    if old == current.text:
        return current
    current.updated_by = acting_user(user)
    current.version += 1
    validate(current, f"{current.unit.name} 加扣分")
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
    for unit, items in sets.items():
        current = sorted((a.points, a.reason, a.category) for a in stored[unit.pk])
        wanted = sorted((Decimal(p), r.strip(), c) for p, r, c in items)
        if current == wanted:
            continue
        for adjustment in stored[unit.pk]:
            adjustment.period, adjustment.unit = period, unit
            log.append(_audit(user, adjustment, AuditAction.ADJUSTMENT_DELETED, old=adjustment.text))
            removed.append(adjustment.pk)
        for points, reason, category in wanted:
            adjustment = Adjustment(period=period, unit=unit, points=points, reason=reason, category=category)
            adjustment.updated_by = editor
            validate(adjustment, f"{unit.name} 加扣分", exclude=("period", "updated_by", "unit"))
            log.append(_audit(user, adjustment, AuditAction.ADJUSTMENT_CREATED, new=adjustment.text))
            added.append(adjustment)
    for start in range(0, len(removed), 500):
        Adjustment.objects.filter(pk__in=removed[start : start + 500]).delete()
    Adjustment.objects.bulk_create(added, batch_size=1000)
    record(period, log)
