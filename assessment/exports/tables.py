"""An official table as plain data (no models), and the text rules every renderer shares.

Exporters build `OfficialTable`s; the renderers (`xlsx.py`, `csv_text.py`, later the notice's
.docx) lay them out with the official look: how a value prints, how wide text is, what is escaped.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .. import rules

KINDS = ("text", "score", "rank", "number")
NUMBER_FORMATS = {"score": "0.000", "rank": "0", "number": "General", "text": "General"}
FORMULA_PREFIXES = ("=", "+", "-", "@")

MIN_WIDTH = 6
MAX_WIDTH = 50  # longer text wraps instead of widening the page
WIDTH_PADDING = 2
LINE_HEIGHT = 15  # points per line of 11pt CJK text
TITLE_ROW_HEIGHT = 32
LABEL_SIZE = 12
TITLE_SIZE = 16
BODY_SIZE = 11


@dataclass(frozen=True)
class Column:
    header: str
    group: str | None = None
    kind: str = "text"
    width: float | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.header!r}: unknown kind {self.kind!r}, expected one of {KINDS}")


@dataclass(frozen=True)
class Section:
    title: str | None
    rows: Sequence[Sequence] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialTable:
    attachment: str
    title: str
    columns: Sequence[Column]
    sections: Sequence[Section]
    subtitle: str | None = None
    notes: Sequence[str] = ()
    landscape: bool = False
    sheet_name: str | None = None

    def __post_init__(self):
        if not self.columns:
            raise ValueError(f"{self.attachment}: a table needs at least one column")
        for section in self.sections:
            for index, row in enumerate(section.rows):
                if len(row) != len(self.columns):
                    raise ValueError(
                        f"{self.attachment} section {section.title!r} row {index}: "
                        f"{len(row)} values for {len(self.columns)} columns"
                    )


@dataclass(frozen=True)
class Fonts:
    label: str = "黑体"
    title: str = "黑体"
    body: str = "仿宋"


# ---------------------------------------------------------------- values


def escape_text(text: str) -> str:
    """Prefix formula-like text with a quote so spreadsheets never evaluate it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def cell_value(value, kind: str):
    """The value to store in a worksheet cell for a column of `kind`."""
    if value is None:
        return None
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, (float, bool)):
        raise TypeError(f"Scores must be Decimal or int, got {type(value).__name__}: {value!r}")
    if kind == "score":
        return rules.quantize_score(value)
    if _is_number(value):
        return value
    raise TypeError(f"Unsupported cell value {value!r} ({type(value).__name__})")


def display_text(value, kind: str) -> str:
    """How a value reads once printed: used for CSV and column widths."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, (float, bool)):
        raise TypeError(f"Scores must be Decimal or int, got {type(value).__name__}: {value!r}")
    if kind == "score":
        return rules.score_text(value)
    if not _is_number(value):
        raise TypeError(f"Unsupported cell value {value!r} ({type(value).__name__})")
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------- measuring


def text_units(text: str) -> int:
    """Width of the longest line, counting full-width (CJK) characters as 2 units."""
    return max((_line_units(line) for line in text.split("\n")), default=0)


def _line_units(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in line)


def line_count(text: str, width: float) -> int:
    usable = max(width - WIDTH_PADDING, 1)
    return sum(max(1, math.ceil(_line_units(line) / usable)) for line in text.split("\n"))


def column_widths(table: OfficialTable) -> list[float]:
    widths = [_fit_width(table, index) for index in range(len(table.columns))]
    _widen_for_groups(table, widths)
    _widen_for_title(table, widths)
    return widths


def _fit_width(table: OfficialTable, index: int) -> float:
    column = table.columns[index]
    if column.width is not None:
        return column.width
    texts = [column.header] + [display_text(row[index], column.kind) for s in table.sections for row in s.rows]
    return min(max(MIN_WIDTH, max(text_units(t) for t in texts) + WIDTH_PADDING), MAX_WIDTH)


def _widen_for_groups(table: OfficialTable, widths: list[float]) -> None:
    """Spread extra width over a group's columns when the group title is wider than them."""
    for group, start, end in group_spans(table.columns):
        if group is None:
            continue
        span = range(start, end + 1)
        if any(table.columns[i].width is not None for i in span):
            continue
        missing = text_units(group) + WIDTH_PADDING - sum(widths[i] for i in span)
        if missing > 0:
            for i in span:
                widths[i] += missing / len(span)


def title_units(title: str) -> float:
    """Width of the title in body-font units, since it is printed in a bigger font."""
    return text_units(title) * TITLE_SIZE / BODY_SIZE + WIDTH_PADDING


def _widen_for_title(table: OfficialTable, widths: list[float]) -> None:
    """Official tables span the title's width: grow auto-sized columns in proportion until the title fits."""
    auto = [i for i, column in enumerate(table.columns) if column.width is None]
    missing = title_units(table.title) - sum(widths)
    if missing <= 0 or not auto:
        return
    auto_total = sum(widths[i] for i in auto)
    for i in auto:
        widths[i] += missing * widths[i] / auto_total


def group_spans(columns: Sequence[Column]) -> list[tuple[str | None, int, int]]:
    """(group, first index, last index) for runs of consecutive columns sharing a group."""
    spans: list[tuple[str | None, int, int]] = []
    for index, column in enumerate(columns):
        if spans and column.group is not None and spans[-1][0] == column.group:
            spans[-1] = (column.group, spans[-1][1], index)
        else:
            spans.append((column.group, index, index))
    return spans
