"""Every progress page and grid runs a fixed number of queries whatever the number of units, projects,
targets and months (tests/queries.py), and the proposals page lists, accepts and rejects."""

from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from assessment import services
from assessment.models import Adjustment, AuditEntry, Proposal, ProposalRule, ProposalStatus
from projects.models import (
    AssessmentYear,
    InformationReport,
    Progress,
    Project,
    ProjectType,
    Target,
    Unit,
    UnitKind,
)
from tests.queries import query_count

D = Decimal
YEAR = 2032
MONTH = 5


def grow(year: AssessmentYear, count: int) -> None:
    """`count` more regions, departments and projects, each with targets, months 1–MONTH and information."""
    start = Unit.objects.count() + Project.objects.count()
    types = [ProjectType.CONSTRUCTION, ProjectType.SUBSIDY, ProjectType.TRAINING, ProjectType.OTHER]
    for i in range(start, start + count):
        region = Unit.objects.create(name=f"测试镇{i}", short_name=f"镇{i}", kind=UnitKind.REGION, display_order=i)
        department = Unit.objects.create(
            name=f"测试局{i}", short_name=f"局{i}", kind=UnitKind.DEPARTMENT, display_order=i
        )
        project = Project.objects.create(
            year=year,
            code=str(i),
            group_code=str(i),
            name=f"项目{i}",
            responsible_department=department,
            display_order=i,
            project_type=types[i % 4],
        )
        for unit in (region, department):
            target = Target.objects.create(
                project=project, unit=unit, quantity=D("100"), measure="户", budget=D("80.00")
            )
            Progress.objects.bulk_create(
                Progress(target=target, month=m, completed=D(10 * m), paid=D(5 * m), beneficiaries=m)
                for m in range(1, MONTH + 1)
            )
            InformationReport.objects.bulk_create(
                InformationReport(year=year, unit=unit, month=m, reported=3, city_adopted=1, province_adopted=i % 2)
                for m in range(1, MONTH + 1)
            )


@pytest.fixture
def world(reference_data):
    year = AssessmentYear.objects.create(year=YEAR, title="测试年度", office_name="测试县民生办")
    for month in range(1, MONTH + 1):
        services.get_or_create_period(year=YEAR, month=month)
    return year


PAGES = [
    ("progress_projects", {}),
    ("progress_units", {}),
    ("progress_funds", {}),
    ("progress_information", {}),
    ("progress_summary", {}),
    ("progress_entry", {}),
    ("progress_information_grid", {}),
    ("progress_proposals", {}),
]


def urls(world):
    found = [reverse(name, kwargs={"year": YEAR, "month": MONTH, **kwargs}) for name, kwargs in PAGES]
    project = Project.objects.filter(year=world).order_by("pk").first()
    found.append(reverse("progress_grid_project", kwargs={"year": YEAR, "month": MONTH, "project_id": project.pk}))
    unit = Unit.objects.filter(kind=UnitKind.REGION).order_by("pk").first()
    found.append(reverse("progress_grid_unit", kwargs={"year": YEAR, "month": MONTH, "unit_id": unit.pk}))
    for fmt in ("xlsx", "csv"):
        found.append(reverse("progress_projects", kwargs={"year": YEAR, "month": MONTH}) + f"?format={fmt}")
    found.append(reverse("progress_summary_docx", kwargs={"year": YEAR, "month": MONTH}))
    found.append(reverse("progress_template", kwargs={"year": YEAR, "month": MONTH}))
    return found


def test_queries_do_not_grow_with_the_data(client, world, office_staff):
    client.force_login(office_staff)
    grow(world, 3)
    before = {url: query_count(client, url) for url in urls(world)}
    grow(world, 6)
    after = {url: query_count(client, url) for url in urls(world)}
    assert after == before


def test_the_office_accepts_and_rejects_proposals(client, world, office_staff):
    grow(world, 2)
    region = Unit.objects.filter(name__startswith="测试镇").order_by("display_order").first()
    ProposalRule.objects.create(
        year=world,
        source="province_adopted",
        points=D("0.05"),
        cap=D("0.1"),
        category="information_adopted",
        reason="省民生网站刊登信息{count}条",
    )
    ProposalRule.objects.create(
        year=world,
        source="city_adopted",
        points=D("0.01"),
        cap=D("0.05"),
        category="information_adopted",
        reason="市民生网站采用信息{count}条",
    )
    client.force_login(office_staff)
    page = reverse("progress_proposals", kwargs={"year": YEAR, "month": MONTH})
    response = client.post(reverse("progress_proposals_generate", kwargs={"year": YEAR, "month": MONTH}), follow=True)
    assertContains(response, "项待审核")
    proposals = list(Proposal.objects.filter(unit=region).order_by("rule__display_order", "id"))
    assert proposals and all(p.is_pending for p in proposals)
    assert not Adjustment.objects.exists()  # nothing enters a score without a person accepting it
    accepted, rejected = proposals[0], proposals[-1]
    decide = reverse("progress_proposal_decide", kwargs={"year": YEAR, "month": MONTH, "pk": accepted.pk})
    response = client.post(decide, {"decision": "accept"}, follow=True)
    assertContains(response, "已采纳")
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.ACCEPTED and accepted.adjustment.unit == region
    assert AuditEntry.objects.filter(action="proposal.accepted").count() == 1
    assert AuditEntry.objects.filter(action="adjustment.created", unit=region).count() == 1
    if rejected.pk != accepted.pk:
        decide = reverse("progress_proposal_decide", kwargs={"year": YEAR, "month": MONTH, "pk": rejected.pk})
        client.post(decide, {"decision": "reject", "note": "已在别处计分"})
        rejected.refresh_from_db()
        assert rejected.status == ProposalStatus.REJECTED and rejected.adjustment is None
    assert Adjustment.objects.count() == 1
    response = client.get(page)
    assertContains(response, "已采纳")
    assertContains(response, "已审核")
    again = client.post(decide, {"decision": "accept"}, follow=True)
    assertContains(again, "该加扣分建议已")  # decided proposals cannot be decided again


def test_an_unusual_proposal_asks_for_confirmation_before_it_is_accepted(client, world, office_staff):
    grow(world, 1)
    unit = Unit.objects.filter(name__startswith="测试镇").first()
    rule = ProposalRule.objects.create(
        year=world, source="province_adopted", points=D("0.3"), category="other", reason="省民生网站刊登信息{count}条"
    )
    period = services.get_or_create_period(year=YEAR, month=MONTH)
    proposal = Proposal.objects.create(
        period=period, unit=unit, rule=rule, points=D("0.3"), reason="省民生网站刊登信息1条", category="other"
    )
    client.force_login(office_staff)
    decide = reverse("progress_proposal_decide", kwargs={"year": YEAR, "month": MONTH, "pk": proposal.pk})
    response = client.post(decide, {"decision": "accept"}, follow=True)
    assertContains(response, "确认采纳")
    assert response.context["confirm_id"] == proposal.pk and response.context["confirm_message"]
    assert not Adjustment.objects.exists()
    client.post(decide, {"decision": "accept", "confirmed": "1"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and Adjustment.objects.get().points == D("0.3")


def test_the_index_lists_the_months_to_open_and_to_enter(client, world, region_user, viewer):
    client.force_login(region_user)
    response = client.get(reverse("progress_index"))
    assertContains(response, "填报（按月）")
    assertContains(response, reverse("progress_entry", kwargs={"year": YEAR, "month": MONTH}))
    client.force_login(viewer)
    response = client.get(reverse("progress_index"))
    assert "填报（按月）" not in response.content.decode()
    assertContains(response, "还没有可以查看的月份")  # nothing published yet
