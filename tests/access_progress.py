"""URL × role contract of the progress pages, the 小结, the proposals and progress entry (issue 12).

Rules: the pages, exports and the 小结 follow the official tables (every role for a published month,
the office before; a user without a role 404). Proposals are the office's (403 otherwise). Entry is for
the office and for department and region users (their own unit's rows; another unit's row is 403 to
write, another unit's grid 404); viewers and users without a role get 403.
"""

from tests.access import Access, statuses


def _period(name, **more):
    def kwargs(world):
        period = getattr(world, name)
        return {"year": period.year.year, "month": period.month, **{k: v(world) for k, v in more.items()}}

    return kwargs


PUBLISHED_FOR_EVERY_ROLE = statuses(200, outsider=404)
OFFICE_ONLY_PAGE = statuses(404, office_admin=200, office_staff=200)
OFFICE_ONLY = statuses(403, office_admin=200, office_staff=200)
OFFICE_WRITE = statuses(403, office_admin=302, office_staff=302)
ENTRY = statuses(403, office_admin=200, office_staff=200, department_user=200, region_user=200)
ENTRY_REDIRECT = statuses(403, office_admin=302, office_staff=302, department_user=302, region_user=302)
OWN_REGION_WRITE = statuses(403, office_admin=200, office_staff=200, region_user=200)


def _progress_change(world):
    target = world.extra["region_target"]
    values = {"completed": "10", "paid": "20", "beneficiaries": "", "note": ""}
    return {"__json__": {"changes": [{"id": target.pk, "version": "", "values": values}]}}


def _information_change(world):
    values = {"reported": "3", "city_adopted": "1", "province_adopted": "0"}
    return {"__json__": {"changes": [{"id": world.own_region.pk, "version": "", "values": values}]}}


PROGRESS_ACCESS = {
    "progress_index": Access(kwargs=lambda world: {}, expected=statuses(200, outsider=403)),
    "progress_projects": Access(kwargs=_period("published_period"), expected=PUBLISHED_FOR_EVERY_ROLE),
    "progress_units": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY_PAGE),
    "progress_funds": Access(
        kwargs=_period("published_period"), expected=PUBLISHED_FOR_EVERY_ROLE, query="?format=xlsx"
    ),
    "progress_information": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY_PAGE, query="?format=csv"),
    "progress_export": Access(
        kwargs=_period("published_period", identifier=lambda w: "progress-information", fmt=lambda w: "xlsx"),
        expected=PUBLISHED_FOR_EVERY_ROLE,
    ),
    "progress_summary": Access(kwargs=_period("published_period"), expected=PUBLISHED_FOR_EVERY_ROLE),
    "progress_summary_docx": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY_PAGE),
    "progress_proposals": Access(kwargs=_period("open_period"), expected=OFFICE_ONLY),
    "progress_proposals_generate": Access(kwargs=_period("open_period"), method="post", expected=OFFICE_WRITE),
    "progress_proposal_decide": Access(
        kwargs=_period("open_period", pk=lambda w: w.extra["proposal"].pk),
        method="post",
        data=lambda world: {"decision": "reject", "note": "不采纳"},
        expected=OFFICE_WRITE,
    ),
    "progress_entry": Access(kwargs=_period("open_period"), expected=ENTRY),
    "progress_grid_project": Access(
        kwargs=_period("open_period", project_id=lambda w: w.own_project.pk), expected=ENTRY
    ),
    "progress_grid_unit": Access(
        kwargs=_period("open_period", unit_id=lambda w: w.own_region.pk),
        expected=statuses(403, office_admin=200, office_staff=200, region_user=200, department_user=404),
    ),
    "progress_grid_save": Access(
        kwargs=_period("open_period"), method="post", data=_progress_change, expected=OWN_REGION_WRITE
    ),
    "progress_information_grid": Access(kwargs=_period("open_period"), expected=ENTRY),
    "progress_information_save": Access(
        kwargs=_period("open_period"), method="post", data=_information_change, expected=OWN_REGION_WRITE
    ),
    "progress_template": Access(kwargs=_period("open_period"), expected=ENTRY),
    "progress_information_template": Access(kwargs=_period("open_period"), expected=ENTRY),
    "progress_upload": Access(kwargs=_period("open_period"), expected=ENTRY),
    "progress_upload_confirm": Access(
        kwargs=_period("open_period"), method="post", data=lambda world: {"token": "expired"}, expected=ENTRY_REDIRECT
    ),
}
