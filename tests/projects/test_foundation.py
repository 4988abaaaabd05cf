import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects.models import Indicator, Project, Unit, UnitKind


def test_fixture_loads_the_tongling_2020_reference_data(reference_data):
    assert reference_data.year == 2020
    assert Unit.objects.regions().count() == 5
    assert Unit.objects.departments().count() == 22
    assert Project.objects.filter(year=reference_data).count() == 43
    assert list(Indicator.objects.filter(year=reference_data).values_list("name", "max_score")) == [
        ("项目进展", Decimal("1.000")),
        ("工作推进情况", Decimal("0.500")),
    ]
    assert Unit.objects.get(name="市商务局").short_name == "商务局"
    split = Project.objects.get(year=reference_data, code="12-2")
    assert (split.group_code, split.responsible_department.name) == ("12", "市城管执法局")


def test_project_responsible_unit_must_be_a_department(reference_data):
    project = Project(
        year=reference_data, code="99", name="测试", responsible_department=Unit.objects.get(name="义安区")
    )
    with pytest.raises(ValidationError) as excinfo:
        project.full_clean()
    assert "responsible_department" in excinfo.value.message_dict


def test_project_codes_are_unique_per_year(reference_data):
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT).first()
    duplicate = Project(year=reference_data, code="4", name="重复", responsible_department=department)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_group_code_defaults_to_the_code_before_the_dash(reference_data):
    department = Unit.objects.departments().first()
    project = Project(year=reference_data, code="40-2", name="新项目", responsible_department=department)
    project.full_clean()
    assert project.group_code == "40"


@pytest.mark.parametrize("url_name", ["home", "admin:index"])
def test_anonymous_users_are_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_login_page_is_public_and_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.parametrize(
    "model",
    ["assessmentyear", "unit", "project", "indicator"],
)
def test_admin_changelists_open_for_a_superuser(client, superuser, model):
    client.force_login(superuser)
    response = client.get(reverse(f"admin:projects_{model}_changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count > 0


def test_admin_import_of_a_bad_project_row_is_refused_and_writes_nothing(client, superuser):
    client.force_login(superuser)
    before = Project.objects.count()
    csv_text = (
        "年度,编号,项目组编号,打印编号,项目名称,责任部门,排序,不适用的县区\n"
        "2020,50,50,,新项目,市财政局,50,\n"
        "2020,51,51,,坏项目,义安区,51,\n"
    )
    upload = io.BytesIO(csv_text.encode("utf-8"))
    upload.name = "projects.csv"
    response = client.post(
        reverse("admin:projects_project_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "责任部门必须是市直责任单位" in page
    assert reverse("admin:projects_project_process_import") not in page
    assert Project.objects.count() == before


def test_load_reference_keeps_the_office_edits_on_a_second_run(db):
    from django.core.management import call_command

    call_command("load_reference", verbosity=0)
    Unit.objects.filter(name="市商务局").update(short_name="商务")
    call_command("load_reference", verbosity=0)
    assert Unit.objects.get(name="市商务局").short_name == "商务"
    assert Project.objects.count() == 43


def test_role_groups_exist_after_migrate(db):
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_office_admin_who_is_not_a_superuser_manages_users_in_the_admin(client, reference_data):
    from django.contrib.auth import get_user_model

    from accounts.roles import Role
    from tests.conftest import make_user

    office_admin = make_user("chief", Role.OFFICE_ADMIN)
    office_admin.refresh_from_db()
    assert office_admin.is_staff and not office_admin.is_superuser
    client.force_login(office_admin)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 200
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newclerk",
            "password1": "Very-long-pass-42",
            "password2": "Very-long-pass-42",
            "usable_password": "true",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert get_user_model().objects.filter(username="newclerk").exists()


def test_office_staff_are_not_given_the_admin_site(client, office_staff):
    office_staff.refresh_from_db()
    assert not office_staff.is_staff
