"""URL × role contract of the rectification ledger (see tests/access.py).

Rules: every role sees the ledger (a user without a role: 403); department and region users only their
own unit's findings, slips and files (another unit's: 404); only the responsible unit's users report;
only the office closes, sends back and issues slips (403 for the others who see the finding).
"""

from datetime import date, timedelta
from decimal import Decimal

from ledger import evidence
from ledger.models import Evidence, Finding, FindingSource, FindingStatus, RectificationReport, ReminderSlip
from tests.access import Access, statuses

SEES_EVERY_ROLE = statuses(200, outsider=403)
OWN_UNIT = statuses(404, office_admin=200, office_staff=200, viewer=200, region_user=200, outsider=403)
OFFICE_PAGE = statuses(403, office_admin=200, office_staff=200)


def ledger_world(world) -> dict:
    """A slip, two findings of 义安区 (region_user's unit) in the published month and a file, made once
    per test."""
    if "ledger" in world.extra:
        return world.extra["ledger"]
    period, region = world.published_period, world.own_region
    slip = ReminderSlip.objects.create(
        year=world.year,
        period=period,
        unit=region,
        prefix="铜民生提",
        number=9,
        deadline=date.today() + timedelta(days=7),
    )

    def finding(key, status):
        return Finding.objects.create(
            period=period,
            unit=region,
            source=FindingSource.ADJUSTMENT,
            key=key,
            repeat_key="adjustment:signboard",
            points=Decimal("-0.05"),
            reason="部分项目点未使用民生工程标识牌",
            status=status,
            slip=slip,
            deadline=slip.deadline,
        )

    pending = finding("adjustment:1", FindingStatus.PENDING)
    waiting = finding("adjustment:2", FindingStatus.AWAITING_CLOSURE)
    report = RectificationReport.objects.create(finding=pending, text="已补设标识牌")
    stored = evidence.new_stored_name(".pdf")
    evidence.write(stored, b"%PDF-1.4\n%test\n")
    item = Evidence.objects.create(
        report=report,
        finding=pending,
        original_name="标识牌.pdf",
        stored_name=stored,
        kind="pdf",
        size=15,
        sha256="0" * 64,
    )
    world.extra["ledger"] = {"slip": slip, "pending": pending, "waiting": waiting, "evidence": item}
    return world.extra["ledger"]


def _pk(name):
    return lambda world: {"pk": ledger_world(world)[name].pk}


LEDGER_ACCESS = {
    "ledger": Access(kwargs=lambda world: {}, expected=SEES_EVERY_ROLE, query="?status=open&overdue=1"),
    "ledger_export": Access(kwargs=lambda world: {}, expected=SEES_EVERY_ROLE, query="?month=8"),
    "ledger_unit": Access(kwargs=lambda world: {"unit_id": world.own_region.pk}, expected=OWN_UNIT),
    "ledger_finding": Access(kwargs=_pk("pending"), expected=OWN_UNIT),
    # only 义安区's users report (the office and viewers see the finding: 403)
    "ledger_finding_report": Access(
        kwargs=_pk("pending"),
        method="post",
        data=lambda world: {"text": "已补设标识牌"},
        expected=statuses(403, department_user=404, region_user=302),
    ),
    # only the office closes (义安区's own user may not: 403)
    "ledger_finding_decide": Access(
        kwargs=_pk("waiting"),
        method="post",
        data=lambda world: {"action": "close"},
        expected=statuses(403, department_user=404, office_admin=302, office_staff=302),
    ),
    "ledger_evidence": Access(kwargs=_pk("evidence"), expected=OWN_UNIT),
    "ledger_slips": Access(
        kwargs=lambda world: {"year": world.published_period.year.year, "month": world.published_period.month},
        expected=OFFICE_PAGE,
    ),
    "ledger_slip": Access(kwargs=_pk("slip"), expected=OWN_UNIT),
    "ledger_slip_export": Access(kwargs=lambda world: {**_pk("slip")(world), "fmt": "docx"}, expected=OWN_UNIT),
}
