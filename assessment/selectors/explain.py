"""得分说明: how a unit's month score, rank and year to date come about, from the stored rows.

Every number shown is recomputed with the scoring functions the derivation uses (assessment.scoring),
so the explanation and the stored result cannot disagree: the month score, the division and the
rounding of a region, the sum of a department, the months of the year to date (imputed months marked,
with the peer mean credited), and the gap to the unit ranked above. Eight queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from projects.models import Unit

from .. import rules, scoring, wording
from ..models import Adjustment, IndicatorScore, MonthOverride, OverrideKind, Period, ProjectScore, UnitResult
from .reference import year_reference

SHOWN_DECIMALS = Decimal("0.0001")


def number(value: Decimal) -> str:
    """A score as the tables print it: 3 decimals."""
    return format(scoring.round_score(value), "f")


def raw_text(value: Decimal) -> str:
    """An unrounded quotient as a person writes it: '1.4913…' when it goes on, '1.5' when it stops."""
    shown = value.quantize(SHOWN_DECIMALS, rounding=ROUND_HALF_UP)
    return format(shown, "f") + ("…" if shown != value else "")


def signed(value: Decimal) -> str:
    """' + 0.100' / ' − 0.050': a term added to a sum."""
    return f" {'+' if value >= 0 else '−'} {number(abs(value))}"


@dataclass(frozen=True)
class Item:
    """A line of the explanation: a score below its maximum, or an office's 加扣分 item."""

    label: str
    score: Decimal | None  # the score given (None for a 加扣分 item)
    points: Decimal  # signed: points lost (< 0) or gained
    reason: str
    given_by: str  # the responsible department of a project row, or the office


@dataclass(frozen=True)
class YearMonth:
    month: int
    score: Decimal | None
    imputed: bool


@dataclass
class Explanation:
    unit: Unit
    period: Period
    peer_label: str
    score: Decimal | None = None
    rank: int | None = None
    peers: int = 0
    items: list[Item] = field(default_factory=list)  # below-maximum scores, then the 加扣分 items
    steps: list[str] = field(default_factory=list)  # the computation, line by line
    missing: list[str] = field(default_factory=list)
    note: str = ""  # recorded total / not assessed
    ytd_months: list[YearMonth] = field(default_factory=list)
    ytd_score: Decimal | None = None
    ytd_rank: int | None = None
    ytd_steps: list[str] = field(default_factory=list)
    above: str = ""  # the gap to the unit ranked above
    ytd_above: str = ""

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)

    @property
    def missing_text(self) -> str:
        return f"缺 {len(self.missing)} 项" if self.missing else ""

    @property
    def deductions(self) -> list[Item]:
        return [item for item in self.items if item.score is not None]

    @property
    def adjustments(self) -> list[Item]:
        return [item for item in self.items if item.score is None]


def explain(period: Period, unit: Unit) -> Explanation:
    """The unit's 得分说明 for the period (`period.year` loaded). Eight queries."""
    year = period.year
    peers = list(
        UnitResult.objects.filter(period=period, unit__kind=unit.kind)
        .select_related("unit")
        .order_by("unit__display_order", "unit__name")
    )
    result = next((r for r in peers if r.unit_id == unit.id), None)
    explanation = Explanation(unit, period, wording.peer_label(year, unit.kind))
    override = MonthOverride.objects.filter(period=period, unit=unit).first()
    adjustments = list(Adjustment.objects.filter(period=period, unit=unit).order_by("id"))
    explanation.items += [
        Item(a.get_category_display(), None, a.points, a.reason, year.office_name) for a in adjustments
    ]
    if result is not None:
        explanation.score, explanation.rank, explanation.missing = result.score, result.rank, list(result.missing)
    if override is not None:
        _explain_override(explanation, override)
    elif unit.is_region:
        _explain_region(explanation, period, unit, [a.points for a in adjustments])
    else:
        _explain_department(explanation, period, unit, [a.points for a in adjustments])
    _explain_ranks(explanation, period, unit, peers, result)
    return explanation


def _explain_override(explanation: Explanation, override: MonthOverride) -> None:
    if override.kind == OverrideKind.NOT_ASSESSED:
        mean = number(explanation.score) if explanation.score is not None else "（尚无）"
        explanation.note = f"未纳入本月考评，按{explanation.peer_label}平均得分 {mean} 计。"
    else:
        explanation.note = f"本月得分为录入的月度得分 {number(override.score)}（该月未逐项录入得分）。"


def _explain_region(explanation: Explanation, period: Period, region: Unit, adjustments: list[Decimal]) -> None:
    year = period.year
    maximum = year.project_max_score
    reference = year_reference(period.year_id)
    entered = {
        s.project_id: s
        for s in ProjectScore.objects.filter(period=period, region=region).only(
            "project_id", "score", "not_applicable", "reason"
        )
    }
    applicable = reference.applicable_projects(region.id)
    scores, not_applicable, deductions = [], [], []
    for project in applicable:
        score = entered.get(project.id)
        if score is None:
            continue
        if score.not_applicable:
            not_applicable.append(project.display_code)
            continue
        scores.append(score.score)
        if score.score < maximum:
            label = f"{project.display_code}、{project.name}"
            given_by = project.responsible_department.short_name
            deductions.append(Item(label, score.score, score.score - maximum, score.reason, given_by))
    explanation.items[:0] = deductions
    if explanation.missing:
        explanation.steps.append(
            f"尚缺 {len(explanation.missing)} 项得分（{'、'.join(explanation.missing)}），暂不计算。"
        )
        return
    count, total, extra = len(scores), scoring.decimal_sum(scores), scoring.decimal_sum(adjustments)
    if not count:
        return
    full = count - len(deductions)
    lines = [f"适用项目 {count} 个（满分各 {rules.maximum_text(maximum)}）：{full} 个满分，{len(deductions)} 个扣分"]
    if not_applicable:
        lines[0] += f"；本月不适用 {len(not_applicable)} 个（{'、'.join(not_applicable)}），不计入"
    lines.append(
        f"项目得分合计 {number(total)}" + (f"，{year.office_name}加扣分合计{signed(extra)}" if adjustments else "")
    )
    score = scoring.region_month_score(scores, adjustments, year.region_formula)
    if year.region_formula == scoring.AVERAGE_THEN_ADD:
        raw = total / count + extra
        formula = f"{number(total)} ÷ {count}{signed(extra) if adjustments else ''}"
    else:
        raw = (total + extra) / count
        formula = f"({number(total)}{signed(extra)}) ÷ {count}" if adjustments else f"{number(total)} ÷ {count}"
    lines.append(f"{formula} = {raw_text(raw)} → {number(score)}（四舍五入保留 3 位小数）")
    explanation.steps += lines


def _explain_department(explanation: Explanation, period: Period, department: Unit, adjustments) -> None:
    indicators = year_reference(period.year_id).indicators
    entered = {
        s.indicator_id: s
        for s in IndicatorScore.objects.filter(period=period, department=department).only(
            "indicator_id", "score", "reason"
        )
    }
    terms, scores = [], []
    for indicator in indicators:
        score = entered.get(indicator.id)
        if score is None:
            continue
        scores.append(score.score)
        terms.append(f"{indicator.name} {number(score.score)}")
        if score.score < indicator.max_score:
            item = Item(indicator.name, score.score, score.score - indicator.max_score, score.reason, "")
            explanation.items.insert(len(explanation.deductions), item)
    if explanation.missing:
        explanation.steps.append(
            f"尚缺 {len(explanation.missing)} 项得分（{'、'.join(explanation.missing)}），暂不计算。"
        )
        return
    score = scoring.department_month_score(scores, adjustments)
    if score is None:
        return
    if adjustments:
        terms.append(f"加扣分 {rules.points_text(scoring.decimal_sum(adjustments))}")
    explanation.steps.append(f"{' + '.join(terms)} = {number(score)}")


def _explain_ranks(explanation: Explanation, period: Period, unit: Unit, peers, own) -> None:
    """The rank among peers and the gap to the unit above; the year to date month by month. One query."""
    explanation.peers = sum(1 for r in peers if r.score is not None)
    if own is None:
        return
    explanation.ytd_score, explanation.ytd_rank = own.ytd_score, own.ytd_rank
    explanation.above = _gap_above(own.score, [(r.unit.name, r.score, r.rank) for r in peers if r.unit_id != unit.id])
    explanation.ytd_above = _gap_above(
        own.ytd_score, [(r.unit.name, r.ytd_score, r.ytd_rank) for r in peers if r.unit_id != unit.id]
    )
    months = (
        UnitResult.objects.filter(unit=unit, period__year_id=period.year_id, period__month__lte=period.month)
        .order_by("period__month")
        .values_list("period__month", "score", "imputed")
    )
    explanation.ytd_months = [YearMonth(month, score, imputed) for month, score, imputed in months]
    if own.ytd_score is None:
        return
    scored = [m for m in explanation.ytd_months if m.score is not None]
    terms = " + ".join(number(m.score) + ("※" if m.imputed else "") for m in scored)
    total = scoring.decimal_sum(m.score for m in scored)
    line = f"{wording.ytd_label(period.month)}累计：{terms} = {number(total)}" if len(scored) > 1 else ""
    explanation.ytd_steps = [line] if line else []
    imputed = [m.month for m in scored if m.imputed]
    if imputed:
        explanation.ytd_steps.append(
            f"※ {wording.month_range_text(imputed)}未纳入考评，按{explanation.peer_label}平均得分计。"
        )


def _gap_above(own: Decimal | None, others: list[tuple[str, Decimal | None, int | None]]) -> str:
    """'比第 2 名 义安区（1.498）低 0.007 分' — the nearest higher score; '' at the top or without a score."""
    if own is None:
        return ""
    higher = [(score, rank, name) for name, score, rank in others if score is not None and score > own]
    if not higher:
        return "已排第 1 名。"
    score, rank, _ = min(higher, key=lambda item: item[0])
    names = "、".join(name for name, s, _ in others if s == score)
    gap = score - own
    return f"比第 {rank} 名 {names}（{number(score)}）低 {number(gap)} 分；再多 {number(gap)} 分即可与其并列。"
