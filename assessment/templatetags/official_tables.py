"""Markup of the official tables' big repeated parts, built in Python: 附件2 has a cell per region
and project (123,000 at national scale), 附件1 a row per unit, and a template node per cell would cost
several times the markup itself."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import rules

register = template.Library()


@register.simple_tag
def score_cells(cells) -> str:
    """One <td> per region of an 附件2 row: the printed text, below-maximum and missing marks, the reason
    as a tooltip."""
    parts = []
    for cell in cells:
        css = "score below-max" if cell.below_max else "score missing" if cell.value is None else "score"
        title = f' title="{escape(cell.reason)}"' if cell.reason else ""
        parts.append(f'<td class="{css}"{title}>{escape(cell.text)}</td>')
    return mark_safe("".join(parts))


IMPUTED_MONTH_MARK = '<sup class="imputed-mark" title="未纳入本月考评，按平均得分计">※</sup>'
IMPUTED_YTD_MARK = '<sup class="imputed-mark" title="含按平均得分计的月份">※</sup>'


@register.simple_tag
def ranking_rows(items, scope, period) -> str:
    """The rows of an 附件1 block (450 at province scale): the unit (a link where the user may open it,
    full and short name for phones), month and year-to-date score, rank and move."""
    link = unit_link_pattern() + f"?year={period.year.year}&amp;month={period.month}#explain"
    return mark_safe("".join(_ranking_row(item, scope, link) for item in items))


def unit_link_pattern() -> str:
    """The unit page's URL with `{}` for the unit: `reverse` once per table, not once per row (it was
    half the cost of a province's 附件1)."""
    return reverse("unit_detail", args=[UNIT_PLACEHOLDER]).replace(str(UNIT_PLACEHOLDER), "{}")


UNIT_PLACEHOLDER = 987654321


def _ranking_row(item, scope, link: str) -> str:
    row = item.row
    own = ' class="own-unit"' if scope is not None and row.unit_id == scope.own else ""
    names = f'<span class="full-name">{escape(row.unit)}</span><span class="short-name">{escape(row.short_name)}</span>'
    if scope is not None and scope.allows(row.unit_id):
        href = link.format(row.unit_id)
        names = (
            f'<a class="unit-link" href="{href}">{names}</a>'
            f'<a class="explain-link d-print-none small ms-1" href="?unit={row.unit_id}#explain"'
            f' title="{escape(row.unit)}的得分说明">说明</a>'
        )
    score = _score_or_missing(row, rules.score_text(row.score))
    month_mark = IMPUTED_MONTH_MARK if row.imputed else ""
    ytd_mark = IMPUTED_YTD_MARK if row.imputed_months and row.ytd_score is not None else ""
    return (
        f'<tr data-unit="{escape(row.unit)}"{own}><td class="text-start unit-name">{names}</td>'
        f'<td class="score">{score}{month_mark}</td><td class="rank">{_rank(row.rank)}</td>'
        f"{_move(row.rank_change, item.change)}"
        f'<td class="score">{rules.score_text(row.ytd_score)}{ytd_mark}</td><td class="rank">{_rank(row.ytd_rank)}</td>'
        f"{_move(row.ytd_rank_change, item.ytd_change)}</tr>"
    )


def _rank(rank: int | None) -> str:
    return "" if rank is None else str(rank)


def _move(change: int | None, text: str) -> str:
    tone = " up" if change and change > 0 else " down" if change and change < 0 else ""
    return f'<td class="rank-change d-print-none{tone}">{escape(text)}</td>'


@register.simple_tag
def department_rows(rows, scope, period) -> str:
    """The rows of 附件3 (350 at province scale): number, department (a link where the user may open it),
    indicator scores, 加(扣)分, score and 备注, as printed."""
    link = unit_link_pattern() + f"?year={period.year.year}&amp;month={period.month}#explain"
    return mark_safe("".join(_department_row(row, scope, link) for row in rows))


def _department_row(row, scope, link: str) -> str:
    own = ' class="own-unit"' if scope is not None and row.unit_id == scope.own else ""
    name = escape(row.short_name)
    if scope is not None and scope.allows(row.unit_id):
        name = f'<a class="unit-link" href="{link.format(row.unit_id)}">{name}</a>'
    indicators = "".join(f'<td class="score">{text}</td>' for text in row.indicator_texts)
    return (
        f"<tr{own}><td>{row.number}</td><td>{name}</td>{indicators}"
        f'<td class="score">{row.adjustment_text}</td>'
        f'<td class="score">{_score_or_missing(row, row.score_text)}{IMPUTED_MONTH_MARK if row.imputed else ""}</td>'
        f'<td class="text-start remarks">{escape(row.remarks)}</td></tr>'
    )


def _score_or_missing(row, score: str) -> str:
    """A score, or "缺 N 项" (the missing items as its tooltip) while the unit's month is incomplete."""
    if not row.missing:
        return score
    return f'<span class="missing-count" title="尚缺：{escape("、".join(row.missing))}">缺 {len(row.missing)} 项</span>'
