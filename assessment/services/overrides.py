"""A unit's month recorded as a total (months before the system) or as not assessed (未纳入考评)."""

from decimal import Decimal

from projects.models import Unit

from ..access import can_edit_office_items, require
from ..models import AuditAction, MonthOverride, OverrideKind, Period
from .base import audit, lock_for_write, record, service, validate


@service
def set_month_override(*, user, period: Period, unit: Unit, kind: str | None, score: Decimal | None = None) -> None:
    """Record a unit's month as a total or as not assessed; `kind=None` removes the override."""
    period = lock_for_write(period)
    require(can_edit_office_items(user, period))
    current = MonthOverride.objects.filter(period=period, unit=unit).first()
    old = current.text if current else ""
    if kind is None:
        if current is None:
            return
        current.delete()
        new, verb = "", "deleted"
    else:
        override = current or MonthOverride(period=period, unit=unit)
        override.kind, override.score = kind, score if kind == OverrideKind.RECORDED_TOTAL else None
        if old == override.text:
            return
        validate(override, f"{unit.name} 月度得分", exclude=("period",))
        override.save()
        new, verb = override.text, "changed" if current else "created"
    entry = audit(user=user, period=period, action=AuditAction.of("override", verb), old=old, new=new, unit=unit)
    record(period, [entry])
