"""A unit's month recorded as a total (months before the system) or as not assessed (未纳入考评)."""

from collections.abc import Sequence
from decimal import Decimal

from projects.models import Unit

from ..access import can_edit_office_items, require
from ..models import AuditAction, MonthOverride, OverrideKind, Period
from .base import audit, lock_for_write, record, service, validate


@service
def set_month_override(*, user, period: Period, unit: Unit, kind: str | None, score: Decimal | None = None) -> None:
    """Record a unit's month as a total or as not assessed; `kind=None` removes the override."""
    set_month_overrides(user=user, period=period, items=[(unit, kind, score)])


@service
def set_month_overrides(*, user, period: Period, items: Sequence[tuple[Unit, str | None, Decimal | None]]) -> None:
    """Record many units' months at once as (unit, kind, score); kind None removes a unit's override."""
    period = lock_for_write(period)
    require(can_edit_office_items(user, period))
    units = [unit.pk for unit, _, _ in items]
    stored = {o.unit_id: o for o in MonthOverride.objects.filter(period=period, unit__in=units)}
    log, removed, written = [], [], []
    for unit, kind, score in items:
        current = stored.get(unit.pk)
        old = current.text if current else ""
        if kind is None:
            if current is None:
                continue
            removed.append(current.pk)
            new, verb = "", "deleted"
        else:
            override = current or MonthOverride(period=period, unit=unit)
            override.kind, override.score = kind, score if kind == OverrideKind.RECORDED_TOTAL else None
            if old == override.text:
                continue
            validate(override, f"{unit.name} 月度得分", exclude=("period", "unit"))
            written.append(override)
            new, verb = override.text, "changed" if current else "created"
        log.append(
            audit(user=user, period=period, action=AuditAction.of("override", verb), old=old, new=new, unit=unit)
        )
    MonthOverride.objects.filter(pk__in=removed).delete()
    for override in written:
        override.save()
    record(period, log)
