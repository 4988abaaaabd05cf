"""Parsing, validating and formatting a score or 加扣分 points: pure functions, no ORM.

Every path where a number enters — the region grid, the department grid, the 加扣分 form, the
long-format import and the Excel entry template — reads it with `parse_number` / `parse_cell` and
says what is wrong in the words below, so a user gets the same answer wherever they type. The
browser grids get the same marks, maxima and messages from `client_config` (no copies in JS).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
THOUSANDTH = Decimal("0.001")
MAX_DECIMALS = 3
REASON_MAX_LENGTH = 500
LARGEST = Decimal("1e9")  # no score, point or total comes near; keeps quantize() within precision

NOT_APPLICABLE = "—"
# What a user may type for "not applicable this month"; full-width forms are folded by `normalize`.
NOT_APPLICABLE_MARKS = ("—", "——", "-", "/")
# Plain decimal notation only: "1e0" or "1,5" are refused, as in the browser grids.
NUMBER_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

NOT_A_NUMBER = "“{text}”不是有效的数字"
TOO_PRECISE = "“{text}”最多保留 3 位小数"
TOO_PRECISE_PLACES = "“{text}”最多保留 {places} 位小数"
OUT_OF_RANGE = "得分应在 0 到 {maximum} 之间"
REASON_REQUIRED = "得分低于满分 {maximum}，请填写扣分原因"
NOT_APPLICABLE_REFUSED = "“{text}”（不适用）只能用于县区项目得分"
SCORE_REQUIRED = "请填写得分，或标记为本月不适用（—）"
VALUE_REQUIRED = "请填写分值"
POINTS_ZERO = "加扣分不能为 0"
POINTS_REASON_REQUIRED = "加扣分必须填写原因"
REASON_TOO_LONG = "原因最多 {limit} 个字（现有 {length} 个字）"
CONTROL_CHARACTER_REFUSED = "不能包含控制字符（如 NUL）"
# NUL and the other C0 controls but tab and line breaks: PostgreSQL refuses NUL, and none is ever typed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Text that a spreadsheet would take as a formula (or a DDE command) when it starts with one of these;
# full-width forms included (an IME types them, and some spreadsheets fold them). The one home of the rule
# for every export: xlsx cells are written as text with Excel's quote prefix (nothing shown), CSV cells
# get the conventional leading apostrophe (`csv_text`).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def looks_like_formula(text) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def csv_text(text: str) -> str:
    """A text for a CSV cell: a leading apostrophe only where a spreadsheet would evaluate it."""
    return "'" + text if looks_like_formula(text) else text


class InvalidNumber(ValueError):
    """A typed or uploaded number that cannot be taken; the message is the user's."""


def normalize(text: str) -> str:
    """Fold what a Chinese IME types in full-width mode ('１．５', '－') to ASCII and trim the ends."""
    return unicodedata.normalize("NFKC", text).replace("。", ".").strip()


def number_text(value) -> str:
    """The way a value is quoted back in a message (control characters dropped, long text cut)."""
    text = normalize(value) if isinstance(value, str) else str(value)
    text = CONTROL_CHARACTERS.sub("", text)
    return text if len(text) <= 20 else text[:20] + "…"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and normalize(value) == "")


def parse_number(value, *, places: int = MAX_DECIMALS) -> Decimal:
    """A number typed as text or held by an Excel number cell, as a Decimal with `places` decimals
    (3 for scores and points; 2 for money in 万元 and progress quantities).

    A float (an Excel number cell) is read by its shortest repr, so a cell holding 1.315 is 1.315.
    Raises InvalidNumber with the user's message.
    """
    if isinstance(value, bool):
        raise InvalidNumber(NOT_A_NUMBER.format(text=value))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = _decimal(repr(value), value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = normalize(value)
        if not NUMBER_PATTERN.match(text):
            raise InvalidNumber(NOT_A_NUMBER.format(text=number_text(text)))
        number = _decimal(text, text)
    else:
        raise InvalidNumber(NOT_A_NUMBER.format(text=value))
    if not number.is_finite() or abs(number) >= LARGEST:
        raise InvalidNumber(NOT_A_NUMBER.format(text=number_text(value)))
    step = THOUSANDTH if places == MAX_DECIMALS else Decimal(1).scaleb(-places)
    if number != number.quantize(step, rounding="ROUND_DOWN"):
        message = TOO_PRECISE if places == MAX_DECIMALS else TOO_PRECISE_PLACES
        raise InvalidNumber(message.format(text=number_text(value), places=places))
    return number.quantize(step)


def _decimal(text: str, shown) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise InvalidNumber(NOT_A_NUMBER.format(text=shown)) from None


def maximum_text(maximum: Decimal) -> str:
    """1.500 → '1.5', 1.000 → '1': how messages and the template name a maximum."""
    return format(maximum.normalize(), "f")


def check_range(score: Decimal, maximum: Decimal) -> None:
    if score < 0 or score > maximum:
        raise InvalidNumber(OUT_OF_RANGE.format(maximum=maximum_text(maximum)))


@dataclass(frozen=True)
class Cell:
    """A score cell as typed: a score, 'not applicable this month', or empty."""

    score: Decimal | None = None
    not_applicable: bool = False

    @property
    def is_empty(self) -> bool:
        return self.score is None and not self.not_applicable

    @property
    def text(self) -> str:
        return score_text(self.score, self.not_applicable)


EMPTY = Cell()


def is_not_applicable_mark(value) -> bool:
    return isinstance(value, str) and normalize(value) in NOT_APPLICABLE_MARKS


def parse_cell(value, *, maximum: Decimal, not_applicable_allowed: bool) -> Cell:
    """A score in 0..maximum, '—' where allowed (region project scores), or empty."""
    if is_blank(value):
        return EMPTY
    if is_not_applicable_mark(value):
        if not not_applicable_allowed:
            raise InvalidNumber(NOT_APPLICABLE_REFUSED.format(text=normalize(value)))
        return Cell(not_applicable=True)
    score = parse_number(value)
    check_range(score, maximum)
    return Cell(score)


def reason_problem(score: Decimal | None, maximum: Decimal, reason: str) -> str | None:
    """A score below the maximum needs its reason."""
    if score is not None and score < maximum and not (reason or "").strip():
        return REASON_REQUIRED.format(maximum=maximum_text(maximum))
    return None


def text_problem(text: str, limit: int = REASON_MAX_LENGTH) -> str | None:
    """What is wrong with a reason or another text a user gives: control characters, or too long."""
    if CONTROL_CHARACTERS.search(text or ""):
        return CONTROL_CHARACTER_REFUSED
    length = len(text or "")
    if length > limit:
        return REASON_TOO_LONG.format(limit=limit, length=length)
    return None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def parse_points(value) -> Decimal:
    """Signed 加扣分 points: any number with at most 3 decimals except 0."""
    if is_blank(value):
        raise InvalidNumber(VALUE_REQUIRED)
    points = parse_number(value)
    if points == 0:
        raise InvalidNumber(POINTS_ZERO)
    return points


def points_problem(points: Decimal | None, reason: str) -> Problem | None:
    if points is not None and points == 0:
        return Problem("points", POINTS_ZERO)
    if not (reason or "").strip():
        return Problem("reason", POINTS_REASON_REQUIRED)
    return None


def quantize_score(value: Decimal | int) -> Decimal:
    """3 decimals, half up (四舍五入), without the sign of a negative zero; floats are refused."""
    if isinstance(value, (float, bool)):
        raise TypeError(f"Scores must be Decimal or int, got {type(value).__name__}: {value!r}")
    quantized = Decimal(value).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    return abs(quantized) if quantized == 0 else quantized


def score_text(score: Decimal | int | None, not_applicable: bool = False) -> str:
    """'1.500', '—' for not applicable, '' for nothing entered."""
    if not_applicable:
        return NOT_APPLICABLE
    return "" if score is None else format(quantize_score(score), "f")


def printed_score(score: Decimal | int | None, as_published: bool = False) -> str:
    """How 附件2/附件3 print a score: '1.500', or as the notice prints it ('1.5', '0.95', '1.55')."""
    if score is None:
        return ""
    if not as_published:
        return score_text(score)
    return format(quantize_score(score).normalize(), "f")


def points_text(points: Decimal) -> str:
    """Signed points with 3 decimals: '+0.050', '-0.025'."""
    return f"{points:+.3f}"


def client_config(maximum: Decimal | None = None) -> dict:
    """What the browser grids need to check a cell as the server will: marks and messages as templates."""
    config = {
        "notApplicable": NOT_APPLICABLE,
        "notApplicableMarks": list(NOT_APPLICABLE_MARKS),
        "maxDecimals": MAX_DECIMALS,
        "reasonMaxLength": REASON_MAX_LENGTH,
        "messages": {
            "notANumber": NOT_A_NUMBER,
            "tooPrecise": TOO_PRECISE,
            "outOfRange": OUT_OF_RANGE,
            "reasonRequired": REASON_REQUIRED,
            "notApplicableRefused": NOT_APPLICABLE_REFUSED,
        },
    }
    if maximum is not None:
        config["max"] = maximum_text(maximum)
    return config
