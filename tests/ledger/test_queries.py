"""The ledger's pages cost a fixed number of queries whatever the number of findings."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Period, PeriodStatus
from ledger.models import Evidence, Finding, FindingSource, RectificationReport, ReminderSlip
from projects.models import Unit
from tests.queries import query_count


def grow(year, count: int, *, start: int = 0):
    """`count` findings of 义安区 and 市水利局 in published months, half overdue, each with a report and a file."""
    units = [Unit.objects.get(name="义安区"), Unit.objects.get(name="市水利局")]
    period, _ = Period.objects.get_or_create(year=year, month=8, defaults={"status": PeriodStatus.PUBLISHED})
    slips = {}
    for unit in units:
        slips[unit.pk], _ = ReminderSlip.objects.get_or_create(
            period=period,
            unit=unit,
            defaults={"year": year, "prefix": "铜民生提", "number": unit.pk, "deadline": date.today()},
        )
    findings = Finding.objects.bulk_create(
        Finding(
            period=period,
            unit=units[n % 2],
            source=FindingSource.ADJUSTMENT,
            key=f"adjustment:{start + n}",
            repeat_key="adjustment:other",
            points=Decimal("-0.05"),
            reason=f"问题{start + n}",
            slip=slips[units[n % 2].pk],
            deadline=date.today() - timedelta(days=1 if n % 2 else -5),
        )
        for n in range(count)
    )
    for finding in findings:
        report = RectificationReport.objects.create(finding=finding, text="已整改")
        Evidence.objects.create(
            report=report,
            finding=finding,
            original_name="a.pdf",
            stored_name=f"xx/{finding.pk}.pdf",
            kind="pdf",
            size=1,
            sha256="0" * 64,
        )
    return findings


PAGES = {
    "ledger": lambda findings: reverse("ledger"),
    "ledger_filtered": lambda findings: reverse("ledger") + "?overdue=1&status=pending&month=8",
    "ledger_unit": lambda findings: reverse("ledger_unit", args=[findings[0].unit_id]),
    "ledger_export": lambda findings: reverse("ledger_export"),
    "home": lambda findings: reverse("home"),
    "unit_detail": lambda findings: reverse("unit_detail", args=[findings[0].unit_id]),
    "ledger_slip": lambda findings: reverse("ledger_slip", args=[findings[0].slip_id]),
}


@pytest.mark.parametrize("persona", ["office_staff", "region_user"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_do_not_grow_with_the_findings(client, request, reference_data, persona, page):
    client.force_login(request.getfixturevalue(persona))
    findings = grow(reference_data, 4)
    small = query_count(client, PAGES[page](findings))
    grow(reference_data, 40, start=100)
    assert query_count(client, PAGES[page](findings)) == small


def test_a_finding_page_does_not_grow_with_its_reports(client, reference_data, region_user):
    client.force_login(region_user)
    finding = grow(reference_data, 1)[0]
    url = reverse("ledger_finding", args=[finding.pk])
    small = query_count(client, url)
    for _ in range(10):
        report = RectificationReport.objects.create(finding=finding, text="补充")
        Evidence.objects.create(
            report=report,
            finding=finding,
            original_name="b.pdf",
            stored_name=f"yy/{report.pk}.pdf",
            kind="pdf",
            size=1,
            sha256="0" * 64,
        )
    assert query_count(client, url) == small
