"""Markup of the official tables' big repeated parts, built in Python: 附件2 has a cell per region
and project (123,000 at national scale), and a template node per cell would cost several times the
markup itself."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
