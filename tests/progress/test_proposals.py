"""Proposed 加扣分: the year's rules propose, a person accepts (an audited 加扣分 item that changes the score
and the rank) or rejects (nothing changes)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services
from assessment.models import (
    Adjustment,
    AdjustmentCategory,
    AuditEntry,
    PeriodStatus,
    ProposalRule,
    ProposalSource,
    ProposalStatus,
    UnitResult,
)
from assessment.selectors.progress import period_proposals
from projects.models import Project, ProjectType, Unit

D = Decimal


@pytest.fixture
def open_september(september):
    type(september).objects.filter(pk=september.pk).update(status=PeriodStatus.OPEN)
    september.refresh_from_db()
    return september


def rule(
    period,
    source,
    points,
    cap=None,
    category=AdjustmentCategory.INFORMATION_ADOPTED,
    reason="省民生网站刊登信息{count}条",
):
    return ProposalRule.objects.create(
        year=period.year, source=source, points=D(points), cap=cap and D(cap), category=category, reason=reason
    )


def result(period, name):
    return UnitResult.objects.get(period=period, unit__name=name)


def test_accept_adds_an_audited_item_that_changes_score_and_rank(open_september, office_admin):
    period = open_september
    rule(period, ProposalSource.PROVINCE_ADOPTED, "0.05", cap="0.1")
    commerce = Unit.objects.get(name="市商务局")
    services.save_information(
        user=None, year=period.year, unit=commerce, month=9, reported=4, city_adopted=3, province_adopted=3
    )
    before = result(period, "市商务局")
    assert before.score == D("1.500") and before.rank == 3

    proposals = services.generate_proposals(user=office_admin, period=period)
    [proposal] = [p for p in proposals if p.unit_id == commerce.pk]
    assert proposal.points == D("0.100") and proposal.reason == "省民生网站刊登信息3条"
    assert not Adjustment.objects.filter(period=period, unit=commerce, reason=proposal.reason).exists()
    assert result(period, "市商务局").score == D("1.500")  # nothing enters a score before a person accepts

    services.accept_proposal(user=office_admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    item = proposal.adjustment
    assert (item.points, item.category, item.unit_id) == (
        D("0.100"),
        AdjustmentCategory.INFORMATION_ADOPTED,
        commerce.pk,
    )
    actions = set(AuditEntry.objects.filter(period=period, unit=commerce).values_list("action", flat=True))
    assert {"adjustment.created", "proposal.accepted"} <= actions
    after = result(period, "市商务局")
    assert after.score == D("1.600") and after.rank == 1

    # regenerating keeps the decision and proposes nothing twice
    services.generate_proposals(user=office_admin, period=period)
    assert [p.status for p in period_proposals(period) if p.unit_id == commerce.pk] == [ProposalStatus.ACCEPTED]
    with pytest.raises(ValidationError, match="已采纳"):
        services.accept_proposal(user=office_admin, proposal=proposal)


def test_reject_changes_nothing(open_september, office_admin):
    period = open_september
    rule(period, ProposalSource.PROVINCE_ADOPTED, "0.05", cap="0.1")
    commerce = Unit.objects.get(name="市商务局")
    services.save_information(
        user=None, year=period.year, unit=commerce, month=9, reported=1, city_adopted=1, province_adopted=1
    )
    [proposal] = services.generate_proposals(user=office_admin, period=period)
    items = Adjustment.objects.count()
    services.reject_proposal(user=office_admin, proposal=proposal, note="非本月刊登")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.adjustment is None
    assert Adjustment.objects.count() == items
    assert result(period, "市商务局").score == D("1.500")
    entry = AuditEntry.objects.get(action="proposal.rejected")
    assert entry.reason == "非本月刊登" and entry.unit_id == commerce.pk


def test_lagging_construction_proposes_a_deduction_for_its_department(open_september, office_admin):
    period = open_september
    rule(
        period,
        ProposalSource.LAGGING,
        "-0.05",
        category=AdjustmentCategory.SUPERVISION,
        reason="{project}进度滞后",
    )
    project = Project.objects.get(year=period.year, code="4")
    Project.objects.filter(pk=project.pk).update(project_type=ProjectType.CONSTRUCTION)
    project.refresh_from_db()
    target = services.save_target(
        user=None,
        project=project,
        unit=Unit.objects.get(name="义安区"),
        quantity=D("100"),
        measure="公里",
        budget=D("10"),
    )
    services.save_progress(user=None, target=target, month=9, completed=D("50"), paid=D("5"))  # 50% vs 81.82%
    [proposal] = services.generate_proposals(user=office_admin, period=period)
    assert proposal.unit_id == project.responsible_department_id
    assert proposal.subject == "4" and proposal.points == D("-0.050")
    assert proposal.category == AdjustmentCategory.SUPERVISION and "进度滞后" in proposal.reason
    # once the progress catches up, the pending proposal goes away
    services.save_progress(user=None, target=target, month=9, completed=D("80"), paid=D("5"))
    assert services.generate_proposals(user=office_admin, period=period) == []


def test_not_reported_proposes_for_every_silent_unit(open_september, office_admin):
    period = open_september
    rule(
        period,
        ProposalSource.NOT_REPORTED,
        "-0.025",
        category=AdjustmentCategory.INFORMATION_REPORTING,
        reason="{month}未按时报送信息",
    )
    yian = Unit.objects.get(name="义安区")
    services.save_information(
        user=None, year=period.year, unit=yian, month=9, reported=2, city_adopted=0, province_adopted=0
    )
    proposals = services.generate_proposals(user=office_admin, period=period)
    assert yian.pk not in {p.unit_id for p in proposals}
    assert len(proposals) == Unit.objects.active().count() - 1
    assert all(p.points == D("-0.025") and p.reason == "9月未按时报送信息" for p in proposals)


def test_only_the_office_decides(open_september, department_user, office_admin):
    period = open_september
    rule(period, ProposalSource.CITY_ADOPTED, "0.01")
    services.save_information(
        user=None,
        year=period.year,
        unit=Unit.objects.get(name="市商务局"),
        month=9,
        reported=2,
        city_adopted=2,
        province_adopted=0,
    )
    with pytest.raises(PermissionDenied):
        services.generate_proposals(user=department_user, period=period)
    [proposal] = services.generate_proposals(user=office_admin, period=period)
    with pytest.raises(PermissionDenied):
        services.accept_proposal(user=department_user, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.reject_proposal(user=department_user, proposal=proposal)


def test_a_published_month_refuses(september, office_admin):
    with pytest.raises(ValidationError, match="已发布"):
        services.generate_proposals(user=office_admin, period=september)
