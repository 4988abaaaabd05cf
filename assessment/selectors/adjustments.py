"""Reads of the office's 加扣分 items."""

from projects.models import Unit

from ..models import Adjustment, Period


def period_adjustments(period: Period) -> dict[Unit, list[Adjustment]]:
    """The period's 加扣分 items grouped by unit, regions first. One query."""
    grouped: dict[Unit, list[Adjustment]] = {}
    for adjustment in (
        Adjustment.objects.filter(period=period)
        .select_related("unit", "updated_by")
        .order_by("-unit__kind", "unit__display_order", "id")
    ):
        grouped.setdefault(adjustment.unit, []).append(adjustment)
    return grouped
