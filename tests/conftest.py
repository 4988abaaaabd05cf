"""Shared fixtures: the Tongling 2020 reference data, one persona per role, data built once per module."""

import os
import sys
import zoneinfo
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from accounts.models import UserProfile
from accounts.roles import Role
from assessment.models import Period
from projects.models import AssessmentYear, Unit

# The steering repository's shared reference lies beside the checkout: ../shared/reference/.
SHARED_REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


def shared_reference(name: str) -> Path:
    """A file of the shared reference; skipped when absent, but a failure under CI=true."""
    path = SHARED_REFERENCE / name
    if not path.is_file():
        message = f"the shared reference {name} is not at ../shared/reference/ beside the checkout"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@contextmanager
def data_for_module(django_db_blocker, build):
    """`build()` once for a test module, inside a transaction rolled back when the module is done;
    each test then runs in its own savepoint (the `db` fixture)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def load_reference_data():
    """The Tongling 2020 reference data; loaded unless a module's data has it already (loading the fixture
    again over a published month would be an edit of its reference data, which is refused)."""
    existing = AssessmentYear.objects.filter(year=2020).first()
    if existing is not None:
        return existing
    call_command("loaddata", "tongling_2020", verbosity=0)
    return AssessmentYear.objects.get(year=2020)


PASSWORD = "test-password"


@pytest.fixture
def reference_data(db):
    return load_reference_data()


def make_user(username, role=None, unit_name=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role is not None:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    if unit_name is not None:
        UserProfile.objects.create(user=user, unit=Unit.objects.get(name=unit_name))
    return user


@pytest.fixture
def office_admin(reference_data):
    return make_user("office-admin", Role.OFFICE_ADMIN, is_staff=True)


@pytest.fixture
def office_staff(reference_data):
    return make_user("office-staff", Role.OFFICE_STAFF)


@pytest.fixture
def department_user(reference_data):
    return make_user("jiaotong-user", Role.DEPARTMENT_USER, "市交通局")


@pytest.fixture
def region_user(reference_data):
    return make_user("yian-user", Role.REGION_USER, "义安区")


@pytest.fixture
def viewer(reference_data):
    return make_user("leader-user", Role.VIEWER)


@pytest.fixture
def outsider(reference_data):
    return make_user("outsider")


@pytest.fixture
def superuser(reference_data):
    return get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)


# The September 2020 notice is dated 2020-10-16: the month is published that morning.
PUBLISHED_ON = datetime(2020, 10, 16, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def build_published_september():
    from tests.september_2020 import build_september_2020

    load_reference_data()
    period = build_september_2020()
    Period.objects.filter(pk=period.pk).update(published_at=PUBLISHED_ON)
    return period


@pytest.fixture(scope="module")
def september_period(django_db_setup, django_db_blocker):
    """January–September 2020 (tests/september_2020.py), built once for the module and rolled back."""
    with data_for_module(django_db_blocker, build_published_september) as period:
        yield period


@pytest.fixture
def september(september_period, db):
    """The published September 2020 period, fresh for the test."""
    return Period.objects.select_related("year").get(pk=september_period.pk)
