"""URL × role contract of the score entry pages (see tests/access.py).

Rules: the entry pages are for the office and department users; region users, viewers and users
without a role get 403 there (a write by a role that may not write is 403 too). The period list is
for every role; an unpublished period's page is 404 for roles that only see published periods.
Department users see and edit only their own projects' cells (another department's cell is 404).
"""

from tests.access import Access, statuses


def _period(name):
    def kwargs(world):
        period = getattr(world, name)
        return {"year": period.year.year, "month": period.month}

    return kwargs


def _with(name, **more):
    def kwargs(world):
        return {**_period(name)(world), **{key: value(world) for key, value in more.items()}}

    return kwargs


ENTRY_ROLES = statuses(403, office_admin=200, office_staff=200, department_user=200)
OFFICE_ONLY = statuses(403, office_admin=200, office_staff=200)
OFFICE_WRITE = statuses(403, office_admin=302, office_staff=302)


def _grid_change(world):
    change = {"region": world.own_region.pk, "project": world.own_project.pk, "value": "1.5", "version": 0}
    return {"__json__": {"changes": [change]}}


ENTRY_ACCESS = {
    "entry_periods": Access(kwargs=lambda world: {}, expected=statuses(200, outsider=403)),
    "entry_period_create": Access(
        kwargs=lambda world: {}, method="post", data=lambda world: {"year": 2020, "month": 10}, expected=OFFICE_WRITE
    ),
    "entry_period": Access(
        kwargs=_period("open_period"),
        expected=statuses(404, office_admin=200, office_staff=200, department_user=200, outsider=403),
    ),
    "entry_period_status": Access(
        kwargs=_period("open_period"), method="post", data=lambda world: {"status": "closed"}, expected=OFFICE_WRITE
    ),
    "entry_grid": Access(kwargs=_period("open_period"), expected=ENTRY_ROLES),
    "entry_grid_save": Access(kwargs=_period("open_period"), method="post", data=_grid_change, expected=ENTRY_ROLES),
    "entry_cell_history": Access(
        kwargs=_with("open_period", region_id=lambda w: w.own_region.pk, project_id=lambda w: w.own_project.pk),
        expected=ENTRY_ROLES,
    ),
    "entry_template": Access(kwargs=_period("open_period"), expected=ENTRY_ROLES),
    "entry_upload": Access(kwargs=_period("open_period"), expected=ENTRY_ROLES),
    "entry_upload_confirm": Access(
        kwargs=_period("open_period"),
        method="post",
        data=lambda world: {"token": "expired"},
        expected=statuses(403, office_admin=302, office_staff=302, department_user=302),
    ),
    "entry_indicators": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
    "entry_adjustments": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
    "entry_adjustment_add": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
    "entry_adjustment_edit": Access(kwargs=_with("open_period", pk=lambda w: w.adjustment.pk), expected=OFFICE_ONLY),
    "entry_adjustment_delete": Access(kwargs=_with("open_period", pk=lambda w: w.adjustment.pk), expected=OFFICE_ONLY),
    "entry_audit_log": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
}
