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


# --- the admin (tests/access_admin.py) ---


def test_every_registered_admin_model_is_in_the_admin_matrix():
    from django.contrib import admin

    from tests.access_admin import OFFICE_ADMIN

    assert {model._meta.label for model in admin.site._registry} == set(OFFICE_ADMIN)


def _admin_object(model, world):
    """An object of `model` for its change page: one of the world's, or one made for the test."""
    from django.contrib.auth import get_user_model

    from assessment.models import AuditEntry, IndicatorScore, MonthOverride, OverrideKind, ProjectScore, UnitResult

    period = world.open_period
    if model is get_user_model():
        return make_user("admin-matrix-user")
    made = {
        ProjectScore: lambda: ProjectScore.objects.create(
            period=period, region=world.own_region, project=world.own_project, score=Decimal("1.500")
        ),
        IndicatorScore: lambda: IndicatorScore.objects.create(
            period=period, department=world.own_department, indicator=world.year.indicators.first(), score=1
        ),
        MonthOverride: lambda: MonthOverride.objects.create(
            period=period, unit=world.other_region, kind=OverrideKind.NOT_ASSESSED
        ),
        UnitResult: lambda: UnitResult.objects.create(period=period, unit=world.other_region),
        AuditEntry: lambda: AuditEntry.objects.create(period=period, action="period.created", username="x"),
    }
    existing = model.objects.first()
    if existing is not None:
        return existing
    if model in made:
        return made[model]()
    return None  # axes' rows: nothing to open, the list and add pages are checked


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_pages_answer_each_persona_with_the_expected_status(client, request, world, persona):
    from django.contrib import admin
    from django.urls import reverse as admin_reverse

    from tests.access_admin import OFFICE_ADMIN, OFFICE_ADMIN_PAGES, expected

    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    failures = []
    for url, status in OFFICE_ADMIN_PAGES.items():
        answer = client.get(url).status_code
        if answer != expected(persona, status):
            failures.append((url, answer))
    for model in admin.site._registry:
        label = model._meta.label
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        list_status, add_status, change_status = OFFICE_ADMIN[label]
        pages = [
            (admin_reverse(f"{prefix}_changelist"), list_status),
            (admin_reverse(f"{prefix}_add"), add_status),
        ]
        obj = _admin_object(model, world)
        if obj is not None:
            pages.append((admin_reverse(f"{prefix}_change", args=[obj.pk]), change_status))
        for url, status in pages:
            response = client.get(url)
            if response.status_code != expected(persona, status):
                failures.append((url, response.status_code))
            elif response.status_code == 302:
                assert response["Location"].startswith(("/admin/login/", "/login/")), url
    assert not failures, f"{persona}: {failures}"


def test_the_office_admin_cannot_open_a_superusers_page(client, world, office_admin, superuser):
    client.force_login(office_admin)
    response = client.get(f"/admin/auth/user/{superuser.pk}/change/")
    assert response.status_code == 302 and not response["Location"].startswith("/admin/login/")
