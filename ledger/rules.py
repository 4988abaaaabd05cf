"""Pure rules of the ledger (no ORM): who moves a finding where, what is overdue, what repeats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import FindingStatus

OPEN_STATUSES = (FindingStatus.PENDING, FindingStatus.IN_PROGRESS, FindingStatus.AWAITING_CLOSURE)


@dataclass(frozen=True)
class Step:
    """A status change: which statuses it starts from, where it goes, who may make it."""

    action: str  # audit action code
    sources: tuple[str, ...]
    target: str
    by: str  # "unit": the responsible unit's users; "office": the office
    needs_reason: bool = False
    label: str = ""


STEPS = {
    "report": Step(
        "finding.reported",
        (FindingStatus.PENDING, FindingStatus.IN_PROGRESS),
        FindingStatus.IN_PROGRESS,
        "unit",
        label="报送整改情况",
    ),
    "rectify": Step(
        "finding.rectified",
        (FindingStatus.PENDING, FindingStatus.IN_PROGRESS),
        FindingStatus.AWAITING_CLOSURE,
        "unit",
        label="已整改，申请销号",
    ),
    "close": Step("finding.closed", (FindingStatus.AWAITING_CLOSURE,), FindingStatus.CLOSED, "office", label="销号"),
    "return": Step(
        "finding.returned",
        (FindingStatus.AWAITING_CLOSURE,),
        FindingStatus.IN_PROGRESS,
        "office",
        needs_reason=True,
        label="退回整改",
    ),
}


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Past its deadline and not closed."""
    return deadline is not None and deadline < today and status != FindingStatus.CLOSED


def project_key(code: str) -> str:
    return f"project:{code}"


def indicator_key(name: str) -> str:
    return f"indicator:{name}"


def adjustment_key(category: str, reason: str) -> str:
    """加扣分 items repeat by category; items of the catch-all category 其他 by their reason."""
    return f"adjustment:{category}" if category != "other" else f"adjustment:other:{reason.strip()}"


def repeated_keys(earlier: set[tuple[int, str]], later: list[tuple[int, str]]) -> list[bool]:
    """For each (unit, repeat key) of a month, whether the month before had the same finding."""
    return [item in earlier for item in later]


def deduction(score: Decimal, maximum: Decimal) -> Decimal | None:
    """The points lost (negative), or None at the maximum."""
    return score - maximum if score < maximum else None
