"""Template helpers for what a role sees: which menu items and which unit links lead somewhere for it."""

from django import template

from accounts.roles import has_any_role

from .. import access

register = template.Library()


@register.simple_tag
def menu_for(user) -> dict:
    """The menu items the user's role can use (never an item leading to an empty page or a 403)."""
    signed_in = user.is_authenticated and has_any_role(user)
    return {
        "tables": signed_in,
        "entry": signed_in and access.may_use_entry(user),
        "progress": signed_in,
    }


@register.filter
def may_open(unit_id, scope) -> bool:
    """`{% if row.unit_id|may_open:unit_scope %}`: whether the unit's page opens for the viewing user."""
    return scope is not None and scope.allows(unit_id)
