"""The admin lists the implementation data read-only and lets the office edit the proposal rules."""

from decimal import Decimal

import pytest

from assessment import services
from assessment.models import AdjustmentCategory, ProposalRule, ProposalSource
from projects.models import Project, Unit

PAGES = [
    "/admin/projects/target/",
    "/admin/projects/progress/",
    "/admin/projects/informationreport/",
    "/admin/assessment/proposalrule/",
    "/admin/assessment/proposal/",
]


@pytest.fixture
def some_progress(reference_data):
    target = services.save_target(
        user=None,
        project=Project.objects.get(year=reference_data, code="4"),
        unit=Unit.objects.get(name="义安区"),
        quantity=Decimal("10"),
        measure="公里",
        budget=Decimal("100"),
    )
    services.save_progress(user=None, target=target, month=2, completed=Decimal("1"), paid=Decimal("2"))
    services.save_information(
        user=None, year=reference_data, unit=target.unit, month=2, reported=3, city_adopted=1, province_adopted=0
    )
    ProposalRule.objects.create(
        year=reference_data,
        source=ProposalSource.PROVINCE_ADOPTED,
        points=Decimal("0.05"),
        cap=Decimal("0.1"),
        category=AdjustmentCategory.INFORMATION_ADOPTED,
        reason="省民生网站刊登信息{count}条",
    )
    return target


@pytest.mark.parametrize("url", PAGES)
def test_office_admin_sees_the_lists(client, office_admin, some_progress, url):
    client.force_login(office_admin)
    assert client.get(url).status_code == 200


def test_implementation_data_is_read_only(client, superuser, some_progress):
    client.force_login(superuser)
    assert client.get("/admin/projects/target/add/").status_code == 403
    assert client.get(f"/admin/projects/target/{some_progress.pk}/delete/").status_code == 403
    assert client.get("/admin/assessment/proposalrule/add/").status_code == 200


def test_a_bad_reason_template_is_refused(reference_data):
    from django.core.exceptions import ValidationError

    rule = ProposalRule(
        year=reference_data,
        source=ProposalSource.CITY_ADOPTED,
        points=Decimal("0.01"),
        category=AdjustmentCategory.INFORMATION_ADOPTED,
        reason="刊登{number}条",
    )
    with pytest.raises(ValidationError):
        rule.full_clean()
