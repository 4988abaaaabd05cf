"""URL × role contract of what the browser asks of the site itself (see tests/access.py): open to everyone."""

from tests.access import PERSONAS, Access, statuses

EVERYONE_200 = dict.fromkeys(PERSONAS, 200)


def _period(period):
    return lambda world: {"year": getattr(world, period).year.year, "month": getattr(world, period).month}


BROWSER_ACCESS = {
    "session_state": Access(kwargs=lambda world: {}, expected=EVERYONE_200),
    "favicon": Access(kwargs=lambda world: {}, expected=dict.fromkeys(PERSONAS, 301)),
    # the office sets the notice date; other roles are refused (403), or do not see the open month (404)
    "entry_period_notice_date": Access(
        kwargs=_period("open_period"),
        expected=statuses(403, office_admin=302, office_staff=302),
        method="post",
        data=lambda world: {"notice_date": "2020-10-16"},
    ),
}
