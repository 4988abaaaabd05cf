"""Shared fixtures: the Tongling 2020 reference data and one persona per role."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from assessment.models import UserProfile
from assessment.roles import Role
from projects.models import AssessmentYear, Unit

PASSWORD = "test-password"


@pytest.fixture
def reference_data(db):
    call_command("loaddata", "tongling_2020", verbosity=0)
    return AssessmentYear.objects.get(year=2020)


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
