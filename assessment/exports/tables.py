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

KINDS = ("text", "score", "rank", "number", "amount")
# "amount": money in 万元 and percentages, Decimals with 2 decimals (the progress tables)
NUMBER_FORMATS = {"score": "0.000", "rank": "0", "number": "General", "text": "General", "amount": "0.00"}
AS_PUBLISHED_FORMAT = "General"  # Excel prints 1.5, 0.95, 1.55, -0.025 as the notice does

# Sizes in points (GB/T 9704 names them by 号): title 2号, label 3号, page numbers 4号, body 小四.
TITLE_SIZE = 22
LABEL_SIZE = 16
PAGE_NUMBER_SIZE = 14
BODY_SIZE = 12
MIN_PRINTED_SIZE = 10.5  # 五号: the body never prints smaller

# Lengths in points. A column width unit is a digit of the workbook's default font (Arial 10): 5.55 pt
# in LibreOffice, 5.25 pt in Excel (7 px). Columns are laid out for the wider, text is wrapped for the
# narrower, so the table fits the page and every row holds its lines in both. A cell keeps about 2 pt
# of padding on each side; a half-width character is measured at 0.6 em (digits of the fallback fonts).
WIDTH_UNIT = 5.55
NARROW_WIDTH_UNIT = 5.25
NARROW_CHAR_EM = 0.6
CELL_PADDING = 4.5
LINE_SPACING = 1.45  # CJK fonts (仿宋, 宋体, and the Noto fallbacks) need ~1.45 of their size per line
ROW_PADDING = 3
MIN_COLUMN_UNITS = 6  # in text units (a CJK character is 2)
HEADER_UNWRAPPED = 4  # headers up to four full-width characters stay on one line
MAX_COLUMN_UNITS = 40  # longer text wraps instead of widening the page
WRAP_COLUMN_UNITS = 20  # a column declared to wrap (备注) is at least this wide
MM = 72 / 25.4
# A4, and the GB/T 9704 margins (天头 37 mm, 订口 28 mm; 版心 156 × 225 mm); a landscape sheet turns them.
A4 = (210 * MM, 297 * MM)
PORTRAIT_MARGINS = {"top": 37 * MM, "bottom": 35 * MM, "left": 28 * MM, "right": 26 * MM}
LANDSCAPE_MARGINS = {"top": 28 * MM, "bottom": 26 * MM, "left": 35 * MM, "right": 37 * MM}
FOOTER_DISTANCE = 20 * MM  # the page number sits in the bottom margin
PAGE_FILL = 0.96  # what a page is filled to, for fonts that set a little taller than measured


@dataclass(frozen=True)
class Column:
    header: str
    group: str | None = None
    kind: str = "text"
    width: float | None = None  # an Excel column width (digits); None: fit the content
    wrap: bool = False  # takes the page width left over (备注), wrapping its text
    align: str | None = None  # "left" or "center"; default: the first text column left, the rest centred

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
    landscape: bool | None = False  # None: portrait unless the body would print below MIN_PRINTED_SIZE
    sheet_name: str | None = None
    score_format: str = NUMBER_FORMATS["score"]  # AS_PUBLISHED_FORMAT prints scores as the notice does
    author: str = ""  # the office: the workbook's author

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
    title: str = "方正小标宋简体"  # where it is missing, Excel/WPS fall back to a GB2312 serif (宋体)
    body: str = "仿宋"
    page_number: str = "宋体"


# ---------------------------------------------------------------- values


def csv_value(value, kind: str) -> str:
    """A value as a CSV cell: its printed text, with `rules.csv_text`'s apostrophe on formula-like text
    (numbers are never prefixed: -0.050 stays a number)."""
    text = display_text(value, kind)
    return rules.csv_text(text) if isinstance(value, str) else text


def _is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def cell_value(value, kind: str):
    """The value to store in a worksheet cell for a column of `kind`."""
    if value is None:
        return None
    if isinstance(value, str):
        return value  # the xlsx writer marks formula-like text with the quote prefix
    if isinstance(value, (float, bool)):
        raise TypeError(f"Scores must be Decimal or int, got {type(value).__name__}: {value!r}")
    if kind == "score":
        return rules.quantize_score(value)
    if _is_number(value):
        return value
    raise TypeError(f"Unsupported cell value {value!r} ({type(value).__name__})")


def display_text(value, kind: str) -> str:
    """How a value reads once printed (Word, column widths; CSV through `csv_value`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (float, bool)):
        raise TypeError(f"Scores must be Decimal or int, got {type(value).__name__}: {value!r}")
    if kind == "score":
        return rules.score_text(value)
    if not _is_number(value):
        raise TypeError(f"Unsupported cell value {value!r} ({type(value).__name__})")
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------- measuring


def _char_units(char: str) -> int:
    """2 for a full-width character, 1 for a half-width one. Ambiguous characters (“ ” — · …) are set
    full width by Chinese fonts, so they count as 2 as well."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 1


def line_units(line: str) -> int:
    return sum(_char_units(char) for char in line)


def text_units(text: str) -> int:
    """Width of the longest line, counting full-width characters (and CJK quotes) as 2 units."""
    return max((line_units(line) for line in text.split("\n")), default=0)


def text_points(text: str, size: float = BODY_SIZE) -> float:
    """The width of the longest line of `text` at `size` points."""
    return max((_line_points(line, size) for line in text.split("\n")), default=0)


def _line_points(line: str, size: float) -> float:
    return sum(size if _char_units(char) == 2 else size * NARROW_CHAR_EM for char in line)


def line_count(text: str, width_points: float, size: float = BODY_SIZE) -> int:
    """Lines the text takes in a cell laid out `width_points` wide, as the narrower rendering (Excel)
    wraps it."""
    per_line = max(width_points * NARROW_WIDTH_UNIT / WIDTH_UNIT - CELL_PADDING, size)
    return sum(max(1, math.ceil(_line_points(line, size) / per_line)) for line in text.split("\n"))


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    return round(lines * size * LINE_SPACING + ROW_PADDING, 1)


def points_to_width_units(points: float) -> float:
    return round(points / WIDTH_UNIT, 2)


@dataclass(frozen=True)
class Page:
    """The printable area of an A4 sheet in points, and its margins."""

    landscape: bool

    @property
    def margins(self) -> dict[str, float]:
        return LANDSCAPE_MARGINS if self.landscape else PORTRAIT_MARGINS

    @property
    def width(self) -> float:
        paper = A4[1] if self.landscape else A4[0]
        return paper - self.margins["left"] - self.margins["right"]

    @property
    def height(self) -> float:
        paper = A4[0] if self.landscape else A4[1]
        return paper - self.margins["top"] - self.margins["bottom"]


@dataclass(frozen=True)
class Layout:
    """How a table goes on paper: its page, its column widths in points and the print scale."""

    page: Page
    widths: list[float]
    scale: float  # 1.0 = 100 %

    @property
    def percent(self) -> int:
        return max(10, min(100, math.floor(self.scale * 100)))

    @property
    def page_height(self) -> float:
        """A page's height in the sheet's points (before scaling), filled to PAGE_FILL."""
        return self.page.height * PAGE_FILL * 100 / self.percent


def natural_widths(table: OfficialTable, size: float = BODY_SIZE) -> list[float]:
    """Each column's width in points as its content asks (headers may wrap to two lines)."""
    widths = []
    for index, column in enumerate(table.columns):
        if column.width is not None:
            widths.append(column.width * WIDTH_UNIT)
            continue
        if column.wrap:
            points = WRAP_COLUMN_UNITS * size / 2
        else:
            texts = {display_text(row[index], column.kind) for section in table.sections for row in section.rows}
            widest = max((text_points(text, size) for text in texts), default=0)
            full = text_points(column.header, size)
            header = min(full, max(full / 2, HEADER_UNWRAPPED * size))  # a long header may take two lines
            limits = (MIN_COLUMN_UNITS * size / 2, MAX_COLUMN_UNITS * size / 2)
            points = min(max(limits[0], widest, header), limits[1])
        widths.append(_padded(points))
    for group, start, end in group_spans(table.columns):
        if group is not None:
            missing = _padded(text_points(group, size)) - sum(widths[start : end + 1])
            for i in range(start, end + 1):
                widths[i] += max(missing, 0) / (end - start + 1)
    return widths


def _padded(text_width: float) -> float:
    """A column width that holds `text_width` in the narrower rendering too."""
    return (text_width + CELL_PADDING) * WIDTH_UNIT / NARROW_WIDTH_UNIT


def layout(table: OfficialTable, size: float = BODY_SIZE) -> Layout:
    """Choose the orientation (when the table leaves it open), then fill the page's width: a narrow
    table is widened (its wrapping column first), a wide one scaled down to one page wide."""
    if table.landscape is None:
        portrait = _fit(table, Page(landscape=False), size)
        if portrait.scale * size >= MIN_PRINTED_SIZE:
            return portrait
        return _fit(table, Page(landscape=True), size)
    return _fit(table, Page(landscape=table.landscape), size)


def _fit(table: OfficialTable, page: Page, size: float) -> Layout:
    widths = natural_widths(table, size)
    total = sum(widths)
    if total > page.width:
        return Layout(page, widths, page.width / total)
    spare = page.width - total
    growing = [i for i, column in enumerate(table.columns) if column.wrap] or [
        i for i, column in enumerate(table.columns) if column.width is None
    ]
    if growing:
        share = sum(widths[i] for i in growing)
        for i in growing:
            widths[i] += spare * widths[i] / share
    return Layout(page, widths, 1.0)


def group_spans(columns: Sequence[Column]) -> list[tuple[str | None, int, int]]:
    """(group, first index, last index) for runs of consecutive columns sharing a group."""
    spans: list[tuple[str | None, int, int]] = []
    for index, column in enumerate(columns):
        if spans and column.group is not None and spans[-1][0] == column.group:
            spans[-1] = (column.group, spans[-1][1], index)
        else:
            spans.append((column.group, index, index))
    return spans
