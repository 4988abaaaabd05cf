"""The office admin edits the slip numbering per year; findings, slips and files are read-only in the admin."""

from django.urls import reverse

from ledger.models import Finding, SlipSeries


def test_the_office_admin_sets_the_prefix_and_reads_findings(client, september, office_admin):
    client.force_login(office_admin)
    series = SlipSeries.objects.get(year=september.year)
    change = client.post(
        reverse("admin:ledger_slipseries_change", args=[series.pk]),
        {"year": september.year.pk, "prefix": "铜民生办提", "default_days": 10},
    )
    assert change.status_code == 302 and SlipSeries.objects.get(year=september.year).prefix == "铜民生办提"
    assert client.get(reverse("admin:ledger_finding_changelist")).status_code == 200
    finding = Finding.objects.filter(period=september).first()
    assert client.get(reverse("admin:ledger_finding_change", args=[finding.pk])).status_code == 200
    assert client.get(reverse("admin:ledger_finding_add")).status_code == 403
    assert client.post(reverse("admin:ledger_finding_delete", args=[finding.pk]), {"post": "yes"}).status_code == 403
