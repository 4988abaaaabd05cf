"""The long format (年度,月份,单位,考评项,分值,说明): one row → one validated `ParsedRow`.

Numbers are read with `assessment.rules`, so a row says what is wrong in the same words as the grids.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from projects.models import AssessmentYear, Indicator, Project, Unit

from .. import rules
from ..models import AdjustmentCategory, Period
from ..selectors.reference import YearReference, year_reference
from .archive import Capacity
from .capacity import import_capacity
from .files import Formula, RawRow, is_filled, read_table, rows_under_header, suffix_of

COLUMNS = ["年度", "月份", "单位", "考评项", "分值", "说明"]
ADJUSTMENT_ITEM = "加扣分"
RECORDED_TOTAL_ITEM = "月度得分"
NOT_ASSESSED_ITEM = "未纳入考评"

# Keywords of a reason → category of a 加扣分 item; the long format has no category column.
CATEGORY_KEYWORDS = [
    (("采用", "刊登", "刊发"), AdjustmentCategory.INFORMATION_ADOPTED),
    (("标识牌",), AdjustmentCategory.SIGNBOARD),
    (("报送", "上报", "报表"), AdjustmentCategory.INFORMATION_REPORTING),
    (("公示", "公开"), AdjustmentCategory.PUBLICITY),
    (("督查",), AdjustmentCategory.SUPERVISION),
    (("资金",), AdjustmentCategory.FUNDS),
    (("数据",), AdjustmentCategory.DATA_QUALITY),
]


def category_for(reason: str) -> str:
    for keywords, category in CATEGORY_KEYWORDS:
        if any(keyword in reason for keyword in keywords):
            return category
    return AdjustmentCategory.OTHER


class RowInvalid(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@dataclass(frozen=True)
class ParsedRow:
    line: int
    year: int
    month: int
    unit: Unit
    item: str  # a project code, an indicator name, 加扣分, 月度得分 or 未纳入考评
    project: Project | None = None
    indicator: Indicator | None = None
    value: Decimal | None = None
    not_applicable: bool = False
    reason: str = ""

    @property
    def kind(self) -> str:
        if self.project is not None:
            return "project"
        if self.indicator is not None:
            return "indicator"
        return self.item

    @property
    def duplicate_key(self):
        """Two rows with this key would set the same number; 加扣分 rows add up and have none."""
        if self.item == ADJUSTMENT_ITEM:
            return None
        if self.item in (RECORDED_TOTAL_ITEM, NOT_ASSESSED_ITEM):
            return (self.year, self.month, self.unit.id, "override")
        return (self.year, self.month, self.unit.id, self.kind, self.item)


class Lookups:
    """Reference data for validation, loaded once: a fixed number of queries per import."""

    def __init__(self):
        self.years = {y.year: y for y in AssessmentYear.objects.all()}
        units = list(Unit.objects.all())
        self.units = {u.name: u for u in units}
        self.short_units = defaultdict(list)
        for unit in units:
            self.short_units[unit.short_name].append(unit)
        self.references: dict[int, YearReference] = {}
        self.codes: dict[int, dict[str, Project]] = {}
        self.indicator_names: dict[int, dict[str, Indicator]] = {}
        self.periods = {(p.year.year, p.month): p for p in Period.objects.select_related("year")}

    def reference(self, year: int) -> YearReference:
        if year not in self.references:
            reference = self.references[year] = year_reference(self.years[year].id)
            self.codes[year] = {project.code: project for project in reference.projects}
            self.indicator_names[year] = {indicator.name: indicator for indicator in reference.indicators}
        return self.references[year]

    def project(self, year: int, code: str) -> Project | None:
        self.reference(year)
        return self.codes[year].get(code)

    def indicator(self, year: int, name: str) -> Indicator | None:
        self.reference(year)
        return self.indicator_names[year].get(name)

    def unit(self, name: str) -> Unit:
        if name in self.units:
            return self.units[name]
        matches = self.short_units.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise RowInvalid("单位", f"简称“{name}”对应多个单位，请填写全称。")
        raise RowInvalid("单位", f"找不到单位“{name}”。")


def number(value, column: str, places: int = rules.MAX_DECIMALS) -> Decimal:
    if isinstance(value, Formula):
        raise RowInvalid(column, "不能使用公式，请粘贴为数值")
    try:
        return rules.parse_number(value, places=places)
    except rules.InvalidNumber as invalid:
        raise RowInvalid(column, str(invalid)) from None


def whole_number(value, column: str, low: int, high: int) -> int:
    if not is_filled(value):
        raise RowInvalid(column, f"请填写{column}")
    parsed = number(value, column)
    if parsed != parsed.to_integral_value() or not low <= parsed <= high:
        raise RowInvalid(column, f"{column}“{rules.number_text(value)}”无效，应为 {low}–{high} 的整数")
    return int(parsed)


def text(value, column: str, limit: int = 100) -> str:
    if isinstance(value, Formula):
        raise RowInvalid(column, "不能使用公式")
    result = str(value or "").strip()
    problem = rules.text_problem(result, limit)
    if problem:
        raise RowInvalid(column, problem)
    return result


def parse_row(raw: RawRow, lookups: Lookups) -> ParsedRow:
    values = raw.values
    year = whole_number(values.get("年度"), "年度", 2000, 2100)
    if year not in lookups.years:
        raise RowInvalid("年度", f"没有{year}年的考评年度")
    month = whole_number(values.get("月份"), "月份", 1, 12)
    unit_name = text(values.get("单位"), "单位")
    if not unit_name:
        raise RowInvalid("单位", "请填写单位")
    unit = lookups.unit(unit_name)
    item = text(values.get("考评项"), "考评项")
    if not item:
        raise RowInvalid("考评项", "请填写考评项")
    reason = text(values.get("说明"), "说明", rules.REASON_MAX_LENGTH)
    base = {"line": raw.line, "year": year, "month": month, "unit": unit, "item": item, "reason": reason}
    value = values.get("分值")
    if item == NOT_ASSESSED_ITEM:
        if is_filled(value):
            raise RowInvalid("分值", "未纳入考评时分值应为空")
        return ParsedRow(**base)
    if item == RECORDED_TOTAL_ITEM:
        if not is_filled(value):
            raise RowInvalid("分值", rules.VALUE_REQUIRED)
        total = number(value, "分值")
        if total < 0:
            raise RowInvalid("分值", "月度得分不能为负数")
        return ParsedRow(**base, value=total)
    if item == ADJUSTMENT_ITEM:
        return _adjustment_row(base, value)
    project = lookups.project(year, item.split("、")[0].strip())
    if project is not None:
        return _project_row(base, project, value, lookups)
    indicator = lookups.indicator(year, item)
    if indicator is not None:
        return _indicator_row(base, indicator, value)
    raise RowInvalid("考评项", f"“{item}”不是{year}年的项目编号、指标名称，也不是加扣分、月度得分或未纳入考评")


def _adjustment_row(base: dict, value) -> ParsedRow:
    if isinstance(value, Formula):
        raise RowInvalid("分值", "不能使用公式，请粘贴为数值")
    try:
        points = rules.parse_points(value)
    except rules.InvalidNumber as invalid:
        raise RowInvalid("分值", str(invalid)) from None
    problem = rules.points_problem(points, base["reason"])
    if problem:
        raise RowInvalid("说明", problem.message)
    return ParsedRow(**base, value=points)


def _score(value, maximum: Decimal, *, not_applicable_allowed: bool) -> rules.Cell:
    if isinstance(value, Formula):
        raise RowInvalid("分值", "不能使用公式，请粘贴为数值")
    try:
        cell = rules.parse_cell(value, maximum=maximum, not_applicable_allowed=not_applicable_allowed)
    except rules.InvalidNumber as invalid:
        raise RowInvalid("分值", str(invalid)) from None
    if cell.is_empty:
        raise RowInvalid("分值", rules.VALUE_REQUIRED)
    return cell


def _project_row(base: dict, project: Project, value, lookups: Lookups) -> ParsedRow:
    unit = base["unit"]
    if not unit.is_region:
        raise RowInvalid("单位", f"项目 {project.code} 的得分只能给县区，“{unit.name}”不是县区")
    if not lookups.reference(base["year"]).applies(project.id, unit.id):
        raise RowInvalid("考评项", f"项目 {project.code} 不适用于{unit.name}")
    maximum = lookups.years[base["year"]].project_max_score
    cell = _score(value, maximum, not_applicable_allowed=True)
    if cell.not_applicable:
        return ParsedRow(**base, project=project, not_applicable=True)
    _require_reason(cell.score, maximum, base["reason"])
    return ParsedRow(**base, project=project, value=cell.score)


def _indicator_row(base: dict, indicator: Indicator, value) -> ParsedRow:
    unit = base["unit"]
    if not unit.is_department:
        raise RowInvalid("单位", f"指标“{indicator.name}”只能给责任单位，“{unit.name}”不是责任单位")
    cell = _score(value, indicator.max_score, not_applicable_allowed=False)
    _require_reason(cell.score, indicator.max_score, base["reason"])
    return ParsedRow(**base, indicator=indicator, value=cell.score)


def _require_reason(score: Decimal, maximum: Decimal, reason: str) -> None:
    problem = rules.reason_problem(score, maximum, reason)
    if problem:
        raise RowInvalid("说明", problem)


def read_long_format(data: bytes, filename: str, capacity: Capacity | None = None) -> Iterator[RawRow]:
    """The data rows of a long-format .xlsx or .csv, streamed; raises ImportFileError (perhaps only while
    the rows are iterated) for an unreadable file or one larger than `capacity` (default: every month
    of every year, `capacity.import_capacity()`)."""
    suffix_of(filename)
    if capacity is None:
        capacity = import_capacity()
    return rows_under_header(read_table(data, filename, capacity), COLUMNS)
