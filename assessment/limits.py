"""The allowed values of 加扣分 items in a year: pure functions, no ORM.

A year holds one general limit (a signed range every item must lie in, and a size above which a
value asks for confirmation) and, per category, optional rules: a narrower range, the only values
allowed (信息采用 +0.05/+0.1), the usual values (others ask for confirmation) and how many items a
unit may get per month. A year without a general rule of its own gets `DEFAULT_GENERAL`.
The services check every item against these, whatever path it comes by (form, admin, import).
Every message a user sees about an item's size or count is worded here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from . import rules

GENERAL = ""  # the category of the general limit
GENERAL_LABEL = "一般限制"

OUTSIDE_RANGE = "{label}的加扣分应{range}（现为 {points}）"
NOT_AN_ALLOWED_VALUE = "“{label}”只能是 {values}（现为 {points}）"
TOO_MANY = "“{label}”每个单位每月最多 {limit} 项（本月已有 {count} 项）"
UNUSUAL_VALUE = "{points} 不是“{label}”的常见分值（{values}）"
UNUSUALLY_LARGE = "{points} 超过了通常的 ±{threshold}"
CONFIRM = "请确认：{reasons}。确认无误请勾选“确认分值”后再保存。"


def points_list(values: Iterable[Decimal]) -> str:
    """'+0.050、+0.100'."""
    return "、".join(rules.points_text(value) for value in values)


def parse_values(text: str) -> tuple[Decimal, ...]:
    """'0.05、0.1' or '0.05, 0.1' → (0.050, 0.100); raises rules.InvalidNumber."""
    parts = [part for part in rules.normalize(text or "").replace("、", ",").replace("，", ",").split(",")]
    return tuple(sorted(rules.parse_points(part) for part in parts if part.strip()))


@dataclass(frozen=True)
class Limit:
    """One rule: the general limit (category GENERAL) or a category's."""

    category: str
    label: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    allowed: tuple[Decimal, ...] = ()
    usual: tuple[Decimal, ...] = ()
    per_month: int | None = None
    confirm_above: Decimal | None = None

    def problems(self, points: Decimal, count: int) -> list[str]:
        """Why an item of `points` cannot be taken when the unit would have `count` items of it this month."""
        found = []
        if self.minimum is not None and points < self.minimum or self.maximum is not None and points > self.maximum:
            label = self.label if self.category else "每项"
            found.append(OUTSIDE_RANGE.format(label=label, range=self.range_text, points=rules.points_text(points)))
        if self.allowed and points not in self.allowed:
            found.append(
                NOT_AN_ALLOWED_VALUE.format(
                    label=self.label, values=points_list(self.allowed), points=rules.points_text(points)
                )
            )
        if self.per_month is not None and count > self.per_month:
            found.append(TOO_MANY.format(label=self.label, limit=self.per_month, count=count - 1))
        return found

    @property
    def range_text(self) -> str:
        """'在 -0.500 到 +0.500 之间', '不高于 -0.010', '不低于 +0.050'."""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"在 {rules.points_text(low)} 到 {rules.points_text(high)} 之间"
        if high is not None:
            return f"不高于 {rules.points_text(high)}"
        return f"不低于 {rules.points_text(low)}" if low is not None else "不限"

    def unusual(self, points: Decimal) -> list[str]:
        """Why an allowed value still asks for confirmation."""
        found = []
        if self.usual and points not in self.usual:
            found.append(
                UNUSUAL_VALUE.format(points=rules.points_text(points), label=self.label, values=points_list(self.usual))
            )
        if self.confirm_above is not None and abs(points) > self.confirm_above:
            found.append(
                UNUSUALLY_LARGE.format(
                    points=rules.points_text(points), threshold=rules.maximum_text(self.confirm_above)
                )
            )
        return found


DEFAULT_GENERAL = Limit(
    GENERAL, GENERAL_LABEL, minimum=Decimal("-0.500"), maximum=Decimal("0.500"), confirm_above=Decimal("0.200")
)


@dataclass(frozen=True)
class Verdict:
    problems: list[str] = field(default_factory=list)
    unusual: list[str] = field(default_factory=list)

    @property
    def confirmation(self) -> str:
        return CONFIRM.format(reasons="；".join(self.unusual)) if self.unusual else ""


@dataclass(frozen=True)
class YearLimits:
    general: Limit = DEFAULT_GENERAL
    categories: dict[str, Limit] = field(default_factory=dict)

    @classmethod
    def of(cls, limits: Iterable[Limit]) -> "YearLimits":
        general, categories = DEFAULT_GENERAL, {}
        for limit in limits:
            if limit.category == GENERAL:
                general = limit
            else:
                categories[limit.category] = limit
        return cls(general, categories)

    def applying(self, category: str) -> list[Limit]:
        found = [self.general]
        if category in self.categories:
            found.append(self.categories[category])
        return found

    def check(self, points: Decimal, category: str, count_in_month: int) -> Verdict:
        """`count_in_month`: the unit's items of this category this month, this one included."""
        problems, unusual = [], []
        for limit in self.applying(category):
            problems += limit.problems(points, count_in_month)
            unusual += limit.unusual(points)
        if self.categories.get(category) and self.categories[category].usual:
            # a category's usual values say what is usual for it: the general size hint is not asked again
            unusual = self.categories[category].unusual(points)
        return Verdict(problems, unusual)

    @property
    def all(self) -> list[Limit]:
        return [self.general, *self.categories.values()]
