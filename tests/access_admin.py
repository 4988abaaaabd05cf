"""The admin's part of the access contract (tests/test_access_matrix.py): every registered model's
list, add and change pages × every persona.

Only staff users reach the admin: everyone else is sent to the admin's login (302). The office admin
(staff, group 民生办管理员) gets what the group's permissions and each ModelAdmin allow; a page its
permissions do not cover is 403. Scores, results and the audit log are view only; axes is a superuser's.
"""

from tests.access import PERSONAS

OK, DENIED = 200, 403

# model label → (list, add, change) for the office admin
OFFICE_ADMIN = {
    "auth.User": (OK, OK, OK),
    "auth.Group": (OK, DENIED, OK),
    "axes.AccessAttempt": (DENIED, DENIED, DENIED),
    "axes.AccessLog": (DENIED, DENIED, DENIED),
    "axes.AccessFailureLog": (DENIED, DENIED, DENIED),
    "projects.AssessmentYear": (OK, OK, OK),
    "projects.Unit": (OK, OK, OK),
    "projects.Project": (OK, OK, OK),
    "projects.Indicator": (OK, OK, OK),
    "assessment.Period": (OK, OK, OK),
    "assessment.ProjectScore": (OK, DENIED, OK),
    "assessment.IndicatorScore": (OK, DENIED, OK),
    "assessment.Adjustment": (OK, OK, OK),
    "assessment.AdjustmentRule": (OK, OK, OK),
    "assessment.MonthOverride": (OK, DENIED, OK),
    "assessment.UnitResult": (OK, DENIED, OK),
    "assessment.AuditEntry": (OK, DENIED, OK),
    "projects.Target": (OK, DENIED, OK),
    "projects.Progress": (OK, DENIED, OK),
    "projects.InformationReport": (OK, DENIED, OK),
    "assessment.ProposalRule": (OK, OK, OK),
    "assessment.Proposal": (OK, DENIED, OK),
    "ledger.SlipSeries": (OK, OK, OK),
    "ledger.Finding": (OK, DENIED, OK),
    "ledger.ReminderSlip": (OK, DENIED, OK),
    "ledger.Evidence": (OK, DENIED, OK),
    "notices.NoticeTemplate": (OK, OK, OK),
    "notices.FindingRule": (OK, OK, OK),
    "notices.Notice": (OK, DENIED, OK),
    "notices.NoticeVersion": (OK, DENIED, OK),
}

# the admin's own pages
OFFICE_ADMIN_PAGES = {"/admin/": OK, "/admin/password_change/": OK}


def expected(persona: str, office_admin_status: int) -> int:
    """Anyone but the office admin is sent to the admin's login."""
    return office_admin_status if persona == "office_admin" else 302


assert set(PERSONAS) >= {"office_admin", "anonymous"}
