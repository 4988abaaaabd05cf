"""Progress, funds and information rules: pure functions over Decimals and ints, no ORM.

Rates are percentages with 2 decimals, half-up (四舍五入): `percent(248, 513)` is 48.34. 滞后 compares
the printed (2-decimal) completion rate with the printed 序时进度, so what a page shows is what it marks.
Money is in 万元 with 2 decimals; 亿元 = 万元 ÷ 10000 with 2 decimals, half-up ("6.69亿元").
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal("10000")
MONEY_DECIMALS = 2
QUANTITY_DECIMALS = 2
MONTHS = 12

CONSTRUCTION = "construction"  # projects.models.ProjectType.CONSTRUCTION, repeated here to stay ORM-free
SUBSIDY = "subsidy"

DECREASE_NEEDS_REASON = "累计{label}低于上月（{previous}），如为更正请在说明中写明原因"
ABOVE_PLAUSIBLE = "累计完成 {completed} 超过目标任务 {quantity} 的 {limit}%，请确认"
ADOPTED_ABOVE_REPORTED = "{label} {adopted} 条多于报送 {reported} 条"
NEGATIVE = "{label}不能为负数"


def _check_decimal(value) -> Decimal:
    if isinstance(value, (float, bool)):
        raise TypeError(f"Rates take Decimal or int, got {type(value).__name__}: {value!r}")
    return Decimal(value)


def round_percent(value: Decimal | int) -> Decimal:
    """2 decimals, half-up, never a negative zero."""
    quantized = _check_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return abs(quantized) if quantized == 0 else quantized


def round_money(value: Decimal | int) -> Decimal:
    return round_percent(value)


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator ÷ denominator as a percentage with 2 decimals; None when the denominator is 0."""
    numerator, denominator = _check_decimal(numerator), _check_decimal(denominator)
    if denominator == 0:
        return None
    return round_percent(numerator * HUNDRED / denominator)


def completion_rate(completed: Decimal | int, quantity: Decimal | int) -> Decimal | None:
    """完成率 = completed ÷ target quantity (%, 2 decimals); None for a target of 0."""
    return percent(completed, quantity)


def funds_rate(paid: Decimal | int, budget: Decimal | int) -> Decimal | None:
    """资金拨付率 = paid ÷ budget (%, 2 decimals); None for a budget of 0."""
    return percent(paid, budget)


def adoption_rate(city_adopted: int, reported: int) -> Decimal | None:
    """采用率 = city adopted ÷ reported (%, 2 decimals); None when nothing was reported."""
    return percent(city_adopted, reported)


def due_month_of(project_type: str, due_month: int | None, default_due_month: int) -> int:
    """The month by which the year's work is due: a 工程类 target's own or the year's default; 12 otherwise."""
    if project_type != CONSTRUCTION:
        return MONTHS
    return due_month or default_due_month


def schedule(project_type: str, month: int, due_month: int | None = None, default_due_month: int = 11) -> Decimal:
    """序时进度 by the end of `month`: month ÷ due month capped at 100% for 工程类, month ÷ 12 otherwise."""
    if not 1 <= month <= MONTHS:
        raise ValueError(f"month must be 1..12, got {month}")
    due = due_month_of(project_type, due_month, default_due_month)
    return round_percent(min(Decimal(month) / Decimal(due), Decimal(1)) * HUNDRED)


def is_lagging(rate: Decimal | None, scheduled: Decimal, tolerance: Decimal) -> bool:
    """滞后: the completion rate is below 序时进度 by more than the tolerance (percentage points).
    A target without a rate (quantity 0) is never lagging."""
    if rate is None:
        return False
    return scheduled - rate > tolerance


def has_met_target(rate: Decimal | None) -> bool:
    return rate is not None and rate >= HUNDRED


def project_met_target(rates: Iterable[Decimal | None]) -> bool:
    """A project met the year's target when it has targets and every one of them is at 100% or more."""
    rates = list(rates)
    return bool(rates) and all(has_met_target(rate) for rate in rates)


@dataclass(frozen=True)
class Funds:
    """Budget and paid in 万元 of a unit, a project, a project type or the office; adds up with +."""

    budget: Decimal = ZERO
    paid: Decimal = ZERO

    def __add__(self, other: "Funds") -> "Funds":
        return Funds(self.budget + other.budget, self.paid + other.paid)

    @property
    def rate(self) -> Decimal | None:
        return funds_rate(self.paid, self.budget)


def total_funds(items: Iterable[Funds]) -> Funds:
    total = Funds()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class Information:
    """Information items: reported, city adopted, province adopted; adds up with +."""

    reported: int = 0
    city_adopted: int = 0
    province_adopted: int = 0

    def __add__(self, other: "Information") -> "Information":
        return Information(
            self.reported + other.reported,
            self.city_adopted + other.city_adopted,
            self.province_adopted + other.province_adopted,
        )

    @property
    def adoption_rate(self) -> Decimal | None:
        return adoption_rate(self.city_adopted, self.reported)


def total_information(items: Iterable[Information]) -> Information:
    total = Information()
    for item in items:
        total = total + item
    return total


# --- checks of an entered month ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def information_problem(reported: int, city_adopted: int, province_adopted: int) -> Problem | None:
    """Adopted never exceeds reported; no count is negative."""
    for field, label, value in (
        ("reported", "报送", reported),
        ("city_adopted", "市采用", city_adopted),
        ("province_adopted", "省采用", province_adopted),
    ):
        if value is not None and value < 0:
            return Problem(field, NEGATIVE.format(label=label))
    if reported is None:
        return None
    for field, label, value in (
        ("city_adopted", "市采用", city_adopted),
        ("province_adopted", "省采用", province_adopted),
    ):
        if value is not None and value > reported:
            return Problem(field, ADOPTED_ABOVE_REPORTED.format(label=label, adopted=value, reported=reported))
    return None


@dataclass(frozen=True)
class MonthFigures:
    completed: Decimal
    paid: Decimal
    beneficiaries: int


def decrease_problem(previous: MonthFigures | None, current: MonthFigures, note: str) -> Problem | None:
    """Cumulative figures never go below the previous month's without a reason (a correction, in 说明)."""
    if previous is None or (note or "").strip():
        return None
    for field, label, before, now in (
        ("completed", "完成", previous.completed, current.completed),
        ("paid", "拨付", previous.paid, current.paid),
        ("beneficiaries", "受益人次", previous.beneficiaries, current.beneficiaries),
    ):
        if now < before:
            shown = quantity_text(before) if isinstance(before, Decimal) else str(before)
            return Problem(field, DECREASE_NEEDS_REASON.format(label=label, previous=shown))
    return None


def plausibility_problem(completed: Decimal, quantity: Decimal, limit: Decimal) -> str | None:
    """A completion above `limit`% of the target is kept only once confirmed; this is the question."""
    if quantity > 0 and completed * HUNDRED > quantity * limit:
        return ABOVE_PLAUSIBLE.format(
            completed=quantity_text(completed), quantity=quantity_text(quantity), limit=quantity_text(limit)
        )
    if quantity == 0 and completed > 0:
        return ABOVE_PLAUSIBLE.format(completed=quantity_text(completed), quantity="0", limit=quantity_text(limit))
    return None


# --- proposed 加扣分 --------------------------------------------------------------------------------------------


def proposal_points(per_item: Decimal, count: int, cap: Decimal | None = None) -> Decimal:
    """per_item × count, limited to the cap in absolute value (the cap has no sign): 0.05 × 3 up to 0.1 → 0.1."""
    points = _check_decimal(per_item) * count
    if cap is not None and abs(points) > abs(cap):
        points = abs(cap) if points > 0 else -abs(cap)
    return points.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


# --- printing ---------------------------------------------------------------------------------------------------


def percent_text(rate: Decimal | None) -> str:
    """'48.34' (2 decimals); '' when there is no rate."""
    return "" if rate is None else format(round_percent(rate), "f")


def percent_label(rate: Decimal | None) -> str:
    """'48.34%'; '—' when there is no rate."""
    return "—" if rate is None else f"{percent_text(rate)}%"


def wan_text(amount: Decimal | int) -> str:
    """万元 with 2 decimals: '104892.00'."""
    return format(round_money(amount), "f")


def yi(amount_wan: Decimal | int) -> Decimal:
    """万元 → 亿元 with 2 decimals, half-up: 66900 → 6.69."""
    return round_money(_check_decimal(amount_wan) / TEN_THOUSAND)


def yi_text(amount_wan: Decimal | int) -> str:
    """'6.69' (亿元, 2 decimals)."""
    return format(yi(amount_wan), "f")


def short_text(value: Decimal) -> str:
    """Trailing zeros dropped, as the 小结 prints some amounts: 4.10 → '4.1', 63.68 → '63.68'."""
    return format(value.normalize(), "f") if value != 0 else "0"


def wan_people(count: int) -> Decimal:
    """人次 → 万人次 with 2 decimals, half-up: 636800 → 63.68."""
    return round_money(Decimal(count) / TEN_THOUSAND)


def quantity_text(quantity: Decimal | int) -> str:
    """A target or completed quantity without useless zeros: 120.00 → '120', 12.50 → '12.5'."""
    value = _check_decimal(quantity)
    return short_text(value)


def target_text(quantity: Decimal, measure: str, budget: Decimal, due_month: int | None) -> str:
    """How the audit log and the preview show a target: '目标 120户，预算 350.00万元，11月底前'."""
    due = f"，{due_month}月底前" if due_month else ""
    return f"目标 {quantity_text(quantity)}{measure}，预算 {wan_text(budget)}万元{due}"


def progress_text(completed: Decimal, measure: str, paid: Decimal, beneficiaries: int) -> str:
    """'完成 80户，拨付 200.00万元，受益 0人次'."""
    return f"完成 {quantity_text(completed)}{measure}，拨付 {wan_text(paid)}万元，受益 {beneficiaries}人次"


def information_text(reported: int, city_adopted: int, province_adopted: int) -> str:
    return f"报送 {reported}，市采用 {city_adopted}，省采用 {province_adopted}"
