"""URL × role contract of the official tables, unit pages and dashboard (see tests/access.py).

Statuses: office roles see every period; other roles see published periods only (404 otherwise);
a signed-in user without a role sees no period (404) but gets the dashboard's "no role" message;
department and region users see only their own unit page (404 for another unit).
"""

from tests.access import Access, statuses


def _period(period):
    return lambda world: {"year": getattr(world, period).year.year, "month": getattr(world, period).month}


PUBLISHED_FOR_EVERY_ROLE = statuses(200, outsider=404)
OFFICE_ONLY = statuses(404, office_admin=200, office_staff=200)

TABLES_ACCESS = {
    "home": Access(kwargs=lambda world: {}, expected=statuses(200)),
    # the open period: office only
    "period_tables": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
    # published tables: every role
    "attachment1": Access(kwargs=_period("published_period"), expected=PUBLISHED_FOR_EVERY_ROLE),
    "attachment2": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY, query="?format=csv"),
    "attachment3": Access(kwargs=_period("published_period"), expected=PUBLISHED_FOR_EVERY_ROLE, query="?format=xlsx"),
    "period_workbook": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
    "period_export": Access(
        kwargs=lambda world: {**_period("published_period")(world), "identifier": "attachment-2", "fmt": "xlsx"},
        expected=PUBLISHED_FOR_EVERY_ROLE,
    ),
    # another department's page: office and viewers only
    "unit_detail": Access(
        kwargs=lambda world: {"unit_id": world.other_department.pk},
        expected=statuses(404, office_admin=200, office_staff=200, viewer=200),
        query="?year=2020",
    ),
}
