"""Issue 10: an office admin (group 民生办管理员, not a superuser) manages users in the admin but cannot grant
superuser status, cannot edit superusers, and cannot give anyone (themselves included) a permission or
a group holding permissions they do not hold themselves."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts.roles import Role
from tests.conftest import make_user

User = get_user_model()


@pytest.fixture
def admin_client(client, office_admin):
    client.force_login(office_admin)
    return client


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(g.pk) for g in user.groups.all()],
        "user_permissions": [str(p.pk) for p in user.user_permissions.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "profile-TOTAL_FORMS": "0",
        "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def change_url(user):
    return f"/admin/auth/user/{user.pk}/change/"


def permission(label: str) -> Permission:
    app, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename)


def test_an_office_admin_cannot_make_themselves_a_superuser(admin_client, office_admin):
    response = admin_client.post(change_url(office_admin), user_form(office_admin, is_superuser="on"))
    assert response.status_code in (200, 302)
    office_admin.refresh_from_db()
    assert not office_admin.is_superuser
    page = admin_client.get(change_url(office_admin)).content.decode()
    assert 'name="is_superuser"' not in page


def test_an_office_admin_cannot_make_another_user_a_superuser(admin_client, office_staff):
    admin_client.post(change_url(office_staff), user_form(office_staff, is_superuser="on"))
    office_staff.refresh_from_db()
    assert not office_staff.is_superuser


@pytest.mark.parametrize("who", ["self", "other"])
def test_an_office_admin_cannot_give_a_permission_they_do_not_hold(admin_client, office_admin, office_staff, who):
    target = office_admin if who == "self" else office_staff
    extra = permission("auth.delete_user")
    assert not office_admin.has_perm("auth.delete_user")
    response = admin_client.post(change_url(target), user_form(target, user_permissions=[str(extra.pk)]))
    assert response.status_code == 200  # the form again, with its error
    target.refresh_from_db()
    assert not target.user_permissions.exists()
    assert not User.objects.get(pk=target.pk).has_perm("auth.delete_user")


@pytest.mark.parametrize("who", ["self", "other"])
def test_an_office_admin_cannot_give_a_group_holding_more_than_they_hold(admin_client, office_admin, office_staff, who):
    powerful = Group.objects.create(name="全部权限")
    powerful.permissions.add(permission("auth.delete_user"), permission("assessment.change_period"))
    target = office_admin if who == "self" else office_staff
    groups = [str(g.pk) for g in target.groups.all()] + [str(powerful.pk)]
    response = admin_client.post(change_url(target), user_form(target, groups=groups))
    assert response.status_code == 200
    assert not target.groups.filter(pk=powerful.pk).exists()


def test_an_office_admin_still_assigns_roles_and_permissions_they_hold(admin_client, office_admin, reference_data):
    newcomer = make_user("newcomer")
    role = Group.objects.get(name=Role.DEPARTMENT_USER.value)
    held = permission("projects.view_unit")
    response = admin_client.post(
        change_url(newcomer), user_form(newcomer, groups=[str(role.pk)], user_permissions=[str(held.pk)])
    )
    assert response.status_code == 302
    assert newcomer.groups.filter(pk=role.pk).exists() and newcomer.user_permissions.filter(pk=held.pk).exists()
    office_group = Group.objects.get(name=Role.OFFICE_ADMIN.value)
    response = admin_client.post(change_url(newcomer), user_form(newcomer, groups=[str(office_group.pk)]))
    assert response.status_code == 302 and newcomer.groups.filter(pk=office_group.pk).exists()


def test_an_office_admin_cannot_see_or_edit_a_superuser(admin_client, superuser):
    assert admin_client.get(change_url(superuser)).status_code in (302, 403, 404)
    response = admin_client.post(change_url(superuser), user_form(superuser, is_active=""))
    assert response.status_code in (302, 403, 404)
    response = admin_client.post(
        f"/admin/auth/user/{superuser.pk}/password/", {"password1": "N3w-passw0rd!x", "password2": "N3w-passw0rd!x"}
    )
    assert response.status_code in (302, 403, 404)
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.check_password("test-password")
    assert superuser.username not in admin_client.get("/admin/auth/user/").content.decode()


def test_a_superuser_still_manages_everything(client, superuser, office_staff):
    client.force_login(superuser)
    response = client.post(change_url(office_staff), user_form(office_staff, is_superuser="on"))
    assert response.status_code == 302
    office_staff.refresh_from_db()
    assert office_staff.is_superuser


def test_what_a_superuser_gave_beyond_the_office_admins_reach_is_kept_when_they_save(
    admin_client, office_staff, reference_data
):
    powerful = Group.objects.create(name="审计组")
    powerful.permissions.add(permission("auth.delete_user"))
    office_staff.groups.add(powerful)
    office_staff.user_permissions.add(permission("auth.delete_group"))
    visible = [str(g.pk) for g in office_staff.groups.exclude(pk=powerful.pk)]
    response = admin_client.post(change_url(office_staff), user_form(office_staff, groups=visible, user_permissions=[]))
    assert response.status_code == 302
    assert office_staff.groups.filter(pk=powerful.pk).exists()
    assert office_staff.user_permissions.filter(codename="delete_group").exists()
