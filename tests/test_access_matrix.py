"""Every named URL × every persona → the expected status (tests/access.py is the contract).

A URL name that is in neither ENTRY_ACCESS nor TABLES_ACCESS fails `test_every_url_name_is_in_the_matrix`.
"""

import json
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from assessment.models import Adjustment, Period, PeriodStatus, Proposal, ProposalRule
from notices.services import generate_notice
from projects.models import Project, Target, Unit
from tests.access import PERSONAS, World
from tests.access_browser import BROWSER_ACCESS
from tests.access_entry import ENTRY_ACCESS
from tests.access_ledger import LEDGER_ACCESS
from tests.access_notices import NOTICES_ACCESS
from tests.access_progress import PROGRESS_ACCESS
from tests.conftest import make_user

try:
    from .access_tables import TABLES_ACCESS
except ImportError:  # the tables contract is not written yet: its URLs fail the completeness test
    TABLES_ACCESS = {}

MATRIX = {**ENTRY_ACCESS, **TABLES_ACCESS, **BROWSER_ACCESS, **NOTICES_ACCESS, **LEDGER_ACCESS, **PROGRESS_ACCESS}
SKIPPED_NAMESPACES = {"admin"}
# login/logout, the password change pages and /health/: tests/test_accounts.py and tests/test_operations.py.
SEPARATELY_TESTED = {"login", "logout", "password_change", "password_change_done", "health"}


def url_names(patterns=None, prefix=""):
    """Every URL name of the project, with its namespace; admin and login/logout left out."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names - SEPARATELY_TESTED


def test_every_url_name_is_in_the_matrix():
    missing = sorted(url_names() - set(MATRIX))
    assert not missing, f"URL names without an entry in the access matrix: {missing}"


def test_the_matrix_lists_no_url_that_does_not_exist():
    assert not sorted(set(MATRIX) - url_names())


def test_every_matrix_entry_covers_every_persona():
    for name, access in MATRIX.items():
        assert set(access.expected) == set(PERSONAS), name


@pytest.fixture
def world(reference_data):
    published = Period.objects.create(year=reference_data, month=8, status=PeriodStatus.PUBLISHED)
    open_period = Period.objects.create(year=reference_data, month=9, status=PeriodStatus.OPEN)
    other_region = Unit.objects.get(name="铜官区")
    adjustment = Adjustment.objects.create(
        period=open_period, unit=other_region, points=Decimal("-0.05"), reason="信息报送不及时"
    )
    generate_notice(user=None, period=open_period)
    own_project = Project.objects.get(year=reference_data, code="4")
    region_target = Target.objects.create(
        project=own_project, unit=Unit.objects.get(name="义安区"), quantity=Decimal("10"), budget=Decimal("100")
    )
    Target.objects.create(
        project=own_project, unit=Unit.objects.get(name="市交通局"), quantity=Decimal("5"), budget=Decimal("50")
    )
    rule = ProposalRule.objects.create(
        year=reference_data,
        source="province_adopted",
        points=Decimal("0.05"),
        cap=Decimal("0.1"),
        category="information_adopted",
        reason="省民生网站刊登信息{count}条",
    )
    proposal = Proposal.objects.create(
        period=open_period,
        unit=other_region,
        rule=rule,
        points=Decimal("0.05"),
        reason="省民生网站刊登信息1条",
        category="information_adopted",
    )
    return World(
        year=reference_data,
        published_period=published,
        open_period=open_period,
        own_department=Unit.objects.get(name="市交通局"),
        other_department=Unit.objects.get(name="市水利局"),
        own_region=Unit.objects.get(name="义安区"),
        other_region=other_region,
        own_project=own_project,
        adjustment=adjustment,
        extra={"region_target": region_target, "proposal": proposal},
    )


@pytest.fixture
def inactive(reference_data):
    return make_user("inactive-admin", Role.OFFICE_ADMIN, is_active=False)


def _request(client, access, url, world):
    if access.method == "get":
        return client.get(url)
    data = access.data(world) if access.data else {}
    if "__json__" in data:
        return client.post(url, json.dumps(data["__json__"]), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_persona_with_the_expected_status(client, request, world, name, persona):
    access = MATRIX[name]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(name, kwargs=access.kwargs(world)) + access.query
    response = _request(client, access, url, world)
    assert response.status_code == access.expected[persona], f"{persona} {access.method.upper()} {url}"
    if response.status_code == 302 and persona in ("anonymous", "inactive"):
        assert response["Location"].startswith(reverse("login"))
