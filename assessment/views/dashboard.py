"""The dashboard: the latest published month and, for those who enter, the open month's progress."""

from django.shortcuts import render

from accounts.roles import has_any_role, is_office

from .. import access
from ..selectors import dashboard as selected
from ..selectors.periods import visible_periods


def home(request):
    """Every signed-in user; users without a role get a page telling them to ask the office."""
    user = request.user
    if not has_any_role(user):
        return render(request, "tables/no_role.html")
    dashboard = selected.Dashboard(periods=list(visible_periods(user, tables=True)))
    published = selected.latest_period(published=True)
    if published is not None:
        selected.published_highlights(dashboard, published)
    own_department = access.own_department_id(user)
    if is_office(user) or own_department is not None:
        dashboard.open_months = selected.open_months(department_id=own_department)
    scope = access.unit_scope(user)
    context = {"dashboard": dashboard, "own_unit_id": scope.own, "unit_scope": scope}
    return render(request, "tables/home.html", context)
