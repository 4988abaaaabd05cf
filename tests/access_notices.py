"""URL × role contract of the notice pages (see tests/access.py). The world's open month (2020-09) has
a notice draft (version 1); the published month (2020-08) has none."""

from tests.access import Access, statuses


def _period(period, **extra):
    return lambda world: {"year": getattr(world, period).year.year, "month": getattr(world, period).month, **extra}


OFFICE = {"office_admin": 200, "office_staff": 200}

NOTICES_ACCESS = {
    # a draft: the office only; the others do not see the unpublished month (404); no role: 403
    "notice": Access(kwargs=_period("open_period"), expected=statuses(404, **OFFICE, outsider=403)),
    "notice_version": Access(kwargs=_period("open_period", number=1), expected=statuses(404, **OFFICE, outsider=403)),
    # writes: the office only
    "notice_generate": Access(
        kwargs=_period("open_period"), expected=statuses(403, office_admin=302, office_staff=302), method="post"
    ),
    "notice_edit": Access(kwargs=_period("open_period"), expected=statuses(403, **OFFICE)),
    # the published month's notice (generated from the data when not drafted): every role
    "notice_docx": Access(kwargs=_period("published_period"), expected=statuses(200, outsider=403)),
}
