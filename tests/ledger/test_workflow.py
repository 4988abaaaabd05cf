"""The rectification workflow through the pages, by role: 待整改 → 整改中 → 待销号 → 已销号, every step audited."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import AuditEntry, AuditSubject
from ledger.models import Evidence, Finding, FindingStatus, ReminderSlip
from tests.ledger.helpers import PDF, PNG, issue_september


def finding_of(period, unit_name, **more):
    return Finding.objects.filter(period=period, unit__name=unit_name, **more).order_by("id").first()


@pytest.fixture
def slips(september):
    return issue_september(september)


def test_the_office_issues_one_slip_per_unit_with_numbers(client, september, office_staff):
    from ledger.models import SlipSeries

    # reference data (fixtures/tongling_2020.json)
    assert SlipSeries.objects.get(year=september.year).prefix == "铜民生提"
    client.force_login(office_staff)
    url = reverse("ledger_slips", kwargs={"year": 2020, "month": 9})
    assert client.get(url).status_code == 200
    past = client.post(url, {"deadline": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert past.status_code == 400 and "整改期限不能早于今天" in past.content.decode()
    deadline = timezone.localdate() + timedelta(days=15)
    response = client.post(url, {"deadline": deadline.isoformat(), "note": "请举一反三"})
    assert response.status_code == 302
    slips = list(ReminderSlip.objects.filter(period=september).order_by("number"))
    units = set(Finding.objects.filter(period=september).values_list("unit_id", flat=True))
    assert {slip.unit_id for slip in slips} == units and len(slips) == 14
    assert [slip.number for slip in slips] == list(range(1, 15))
    assert slips[8].code == "铜民生提〔2020〕9号"
    assert not Finding.objects.filter(period=september, slip__isnull=True).exists()
    assert set(Finding.objects.filter(period=september).values_list("deadline", flat=True)) == {deadline}
    issued = AuditEntry.objects.filter(action="slip.issued", period=september)
    assert issued.count() == 14 and issued.first().subject == AuditSubject.SLIP
    # nothing left to put on a slip
    again = client.post(url, {"deadline": deadline.isoformat()})
    assert again.status_code == 400 and "没有需要印发工作提示单的整改事项" in again.content.decode()


def test_a_region_user_rectifies_and_the_office_closes(client, september, slips, region_user, office_admin):
    finding = finding_of(september, "义安区", project__code="16")
    client.force_login(region_user)
    page = client.get(reverse("ledger_finding", args=[finding.pk]))
    assert page.status_code == 200 and "9月份督查发现两处养老服务站进展滞后" in page.content.decode()
    assert 'id="report-form"' in page.content.decode() and 'id="decision-form"' not in page.content.decode()

    report = reverse("ledger_finding_report", args=[finding.pk])
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    assert client.post(report, {"text": "已督促施工单位加快进度", "files": [photo]}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.IN_PROGRESS
    item = Evidence.objects.get(finding=finding)
    assert item.original_name == "现场照片.png" and item.kind == "png" and item.size == len(PNG)

    done = client.post(
        report, {"text": "两处养老服务站已建成投用", "done": "on", "files": [SimpleUploadedFile("验收.pdf", PDF)]}
    )
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.AWAITING_CLOSURE

    # a region user cannot close its own finding
    decide = reverse("ledger_finding_decide", args=[finding.pk])
    assert client.post(decide, {"action": "close"}).status_code == 403
    finding.refresh_from_db()
    assert finding.status == FindingStatus.AWAITING_CLOSURE
    # nor report while it waits for the office
    assert client.post(report, {"text": "补充"}).status_code == 400

    client.force_login(office_admin)
    page = client.get(reverse("ledger_finding", args=[finding.pk])).content.decode()
    assert 'id="decision-form"' in page and 'id="report-form"' not in page
    refused = client.post(decide, {"action": "return"})
    assert refused.status_code == 400 and "退回整改必须填写原因" in refused.content.decode()
    assert client.post(decide, {"action": "return", "reason": "缺少验收照片"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.IN_PROGRESS
    # the office does not report for the unit
    assert client.post(report, {"text": "代报"}).status_code == 403

    client.force_login(region_user)
    assert (
        client.post(
            report,
            {
                "text": "补充验收照片",
                "done": "on",
                "files": [SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20)],
            },
        ).status_code
        == 302
    )
    client.force_login(office_admin)
    assert client.post(decide, {"action": "close", "reason": "整改到位"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert client.post(decide, {"action": "return", "reason": "再看看"}).status_code == 400

    history = list(
        AuditEntry.objects.filter(record_id=finding.pk, action__startswith="finding.").order_by("created_at", "id")
    )
    assert [entry.action for entry in history] == [
        "finding.created",
        "finding.reported",
        "finding.rectified",
        "finding.returned",
        "finding.rectified",
        "finding.closed",
    ]
    returned = history[3]
    assert (returned.old_value, returned.new_value, returned.reason) == ("待销号", "整改中", "缺少验收照片")
    assert returned.username == office_admin.username and returned.subject == AuditSubject.FINDING
    assert history[1].old_value == "待整改" and history[1].new_value.startswith(
        "整改中：已督促施工单位加快进度（附件：现场照片.png）"
    )
    assert history[2].username == region_user.username
    assert all(entry.unit_id == finding.unit_id and entry.project_id == finding.project_id for entry in history)
    closed = history[-1]
    assert (closed.old_value, closed.new_value, closed.reason) == ("待销号", "已销号", "整改到位")


def test_another_units_finding_slip_and_files_are_404(client, september, slips, region_user, department_user):
    own = finding_of(september, "义安区")
    other = finding_of(september, "铜官区")
    traffic = finding_of(september, "市交通局")
    client.force_login(region_user)
    for url in (
        reverse("ledger_finding", args=[other.pk]),
        reverse("ledger_slip", args=[other.slip_id]),
        reverse("ledger_slip_export", args=[other.slip_id, "docx"]),
        reverse("ledger_unit", args=[other.unit_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("ledger_finding_report", args=[other.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("ledger_finding", args=[own.pk])).status_code == 200
    listing = client.get(reverse("ledger")).content.decode()
    assert "义安区" in listing and "铜官区" not in listing and "市交通局" not in listing

    client.force_login(department_user)
    assert client.get(reverse("ledger_finding", args=[own.pk])).status_code == 404
    assert client.get(reverse("ledger_finding", args=[traffic.pk])).status_code == 200
    # the department user reports on its own indicator finding
    response = client.post(reverse("ledger_finding_report", args=[traffic.pk]), {"text": "已加强数据审核"})
    assert response.status_code == 302


def test_the_viewer_reads_everything_and_changes_nothing(client, september, slips, viewer):
    finding = finding_of(september, "市水利局")
    client.force_login(viewer)
    assert client.get(reverse("ledger_finding", args=[finding.pk])).status_code == 200
    assert client.post(reverse("ledger_finding_report", args=[finding.pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("ledger_finding_decide", args=[finding.pk]), {"action": "close"}).status_code == 403
    assert "市水利局" in client.get(reverse("ledger")).content.decode()


def test_a_concurrent_change_is_refused(client, september, slips, region_user):
    finding = finding_of(september, "义安区")
    client.force_login(region_user)
    url = reverse("ledger_finding_report", args=[finding.pk])
    stale = finding.version
    assert client.post(url, {"text": "第一次", "version": stale}).status_code == 302
    response = client.post(url, {"text": "第二次", "version": stale})
    assert response.status_code == 400 and "已被他人更新" in response.content.decode()


def test_the_periods_change_log_lists_and_filters_the_ledgers_entries(client, september, slips, office_staff):
    client.force_login(office_staff)
    url = reverse("entry_audit_log", kwargs={"year": 2020, "month": 9})
    page = client.get(url, {"subject": "finding"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "生成整改事项" in text and "市水利局 · 整改事项" in text
    assert "印发工作提示单" in client.get(url, {"subject": "slip"}).content.decode()
