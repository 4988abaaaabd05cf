"""The region grid's cells, built in Python: a page shows up to 20 regions × every project, and a
template node per attribute of every cell input cost several times the markup itself."""

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def grid_cells(cells) -> str:
    """One <td> with its <input> per region of a grid row, as the score grid's script reads them."""
    return mark_safe("".join(_cell(cell) for cell in cells))


def _cell(cell) -> str:
    classes = ["cell"]
    if cell.editable:
        classes.append("editable")
    if cell.excluded:
        classes.append("excluded")
    if not cell.text and not cell.excluded:
        classes.append("empty")
    value = "—" if cell.excluded else cell.text
    region, project = cell.region, cell.project
    updated_at = timezone.localtime(cell.updated_at).strftime("%Y-%m-%d %H:%M") if cell.updated_at else ""
    label = escape(f"{region.name} · {project.display_code}、{project.name}")
    attributes = [
        'class="cell-input score" type="text" inputmode="decimal" autocomplete="off" spellcheck="false"',
        f'data-key="{cell.key}" data-region="{region.pk}" data-project="{project.pk}"',
        f'data-label="{label}"',
        f'data-version="{cell.version}" data-original="{escape(value)}" data-reason="{escape(cell.reason)}"',
        f'data-updated-by="{escape(cell.updated_by)}" data-updated-at="{updated_at}"',
        f'data-editable="{"1" if cell.editable else "0"}"' + (' data-excluded="1"' if cell.excluded else ""),
        f'value="{escape(value)}"' + ("" if cell.editable else " readonly"),
        f'aria-label="{escape(region.name)} {escape(project.display_code)}"'
        + (f' title="{escape(cell.reason)}"' if cell.reason else ""),
    ]
    return f'<td class="{" ".join(classes)}">\n              <input {" ".join(attributes)}>\n            </td>'
