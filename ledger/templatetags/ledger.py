"""`{% overdue_panel user %}` (dashboard) and `{% overdue_panel user unit_id %}` (a unit's page)."""

from django import template

from accounts.roles import has_any_role

from .. import selectors

register = template.Library()


@register.inclusion_tag("ledger/_overdue.html")
def overdue_panel(user, unit_id=None):
    """The overdue findings the user sees (two queries); nothing for a user without a role."""
    if not has_any_role(user):
        return {"show": False}
    rows, total = selectors.overdue_findings(user, unit_id=unit_id)
    return {"show": True, "rows": rows, "total": total, "unit_id": unit_id}
