"""Signing in and out, login protection (django-axes) and changing one's own password."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.urls import reverse

from tests.conftest import PASSWORD, make_user

PROXY = "127.0.0.1"  # nginx on the same host: its X-Forwarded-For is believed


def attempt(client, username, password, address="203.0.113.7", remote=PROXY):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=address,
    )


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def fail(client, username, times, address="203.0.113.7", remote=PROXY):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", address, remote)
    return response


def test_the_limit_is_a_few_failures_with_a_quarter_hour_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_a_wrong_password_is_a_chinese_form_error_and_a_right_one_signs_in(client, office_staff):
    response = attempt(client, "office-staff", "wrong-password")
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    response = attempt(client, "office-staff", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == str(office_staff.pk)


def test_after_five_failures_for_one_username_even_the_right_password_is_refused(client, office_staff):
    for number in range(5):  # from five different addresses: the username alone counts
        attempt(client, "office-staff", "wrong-password", address=f"198.51.100.{number + 1}")
    response = attempt(client, "office-staff", PASSWORD, address="198.51.100.99")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "即使输入正确的密码也无法登录" in page and "请 15 分钟后再试" in page
    assert "民生工程月度考评" in page  # in the site's layout
    assert signed_in_as(client) is None


def test_another_username_from_other_addresses_is_not_affected_by_a_locked_username(client, office_staff, viewer):
    for number in range(5):
        attempt(client, "office-staff", "wrong-password", address=f"198.51.100.{number + 1}")
    response = attempt(client, "leader-user", PASSWORD, address="198.51.100.50")
    assert response.status_code == 302 and signed_in_as(client) == str(viewer.pk)


def test_after_five_failures_from_one_address_every_username_from_it_is_refused(client, office_staff, viewer):
    for number in range(5):  # five different (made-up) usernames, one address
        attempt(client, f"guess-{number}", "wrong-password", address="192.0.2.10")
    locked = attempt(client, "office-staff", PASSWORD, address="192.0.2.10")
    assert locked.status_code == 429 and signed_in_as(client) is None
    elsewhere = attempt(client, "office-staff", PASSWORD, address="192.0.2.11")
    assert elsewhere.status_code == 302 and signed_in_as(client) == str(office_staff.pk)


def test_the_lockout_ends_after_the_cool_off(client, office_staff):
    fail(client, "office-staff", 5)
    assert attempt(client, "office-staff", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = attempt(client, "office-staff", PASSWORD)
    assert response.status_code == 302 and signed_in_as(client) == str(office_staff.pk)


def test_the_address_comes_from_x_forwarded_for_only_when_the_proxy_sent_it(client, office_staff):
    # Straight to gunicorn (not through nginx): a made-up X-Forwarded-For does not give a fresh address.
    for number in range(5):
        attempt(client, f"guess-{number}", "wrong-password", address=f"192.0.2.{number + 1}", remote="10.1.2.3")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.1.2.3"}
    locked = attempt(client, "office-staff", PASSWORD, address="192.0.2.200", remote="10.1.2.3")
    assert locked.status_code == 429
    # Through nginx the forwarded address is the client's.
    attempt(client, "someone", "wrong-password", address="198.51.100.77")
    assert AccessAttempt.objects.filter(ip_address="198.51.100.77").exists()


def test_the_admin_login_is_protected_too(client, office_admin):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "office-admin", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(
        reverse("admin:login"), {"username": "office-admin", "password": PASSWORD}, REMOTE_ADDR="10.9.9.8"
    )
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()


def test_a_signed_in_user_visiting_the_login_page_goes_home(client, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("login"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_logout_signs_out(client, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_as(client) is None


# Changing one's own password ---------------------------------------------------------------------


def test_the_navbar_links_to_the_password_page(client, office_staff):
    client.force_login(office_staff)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in page and "修改密码" in page


def test_anonymous_users_are_sent_to_login_from_the_password_pages(client, db):
    for name in ("password_change", "password_change_done"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["office_admin", "department_user", "region_user", "viewer", "outsider"])
def test_every_role_gets_the_chinese_password_form_in_the_site_layout(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("修改密码", "旧密码", "新密码", 'name="old_password"', 'name="new_password1"', 'name="new_password2"'):
        assert text in page
    assert "民生工程月度考评" in page and "退出登录" in page
    assert "Django" not in page


def test_a_wrong_old_password_is_refused_in_chinese_and_changes_nothing(client, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": "Huai-Ning-2020!", "new_password2": "Huai-Ning-2020!"},
    )
    assert response.status_code == 200 and "旧密码不正确" in response.content.decode()
    office_staff.refresh_from_db()
    assert office_staff.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_in_chinese(client, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "密码" in page and ("太常见" in page or "全都是数字" in page)
    office_staff.refresh_from_db()
    assert office_staff.check_password(PASSWORD)


def test_changing_the_password_keeps_this_session_and_signs_out_the_others(client, office_staff):
    other = client.__class__()
    other.force_login(office_staff)
    client.force_login(office_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Huai-Ning-2020!", "new_password2": "Huai-Ning-2020!"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"])
    assert done.status_code == 200 and "密码已修改" in done.content.decode()
    office_staff.refresh_from_db()
    assert office_staff.check_password("Huai-Ning-2020!")
    assert client.get(reverse("home")).status_code == 200
    assert other.get(reverse("home")).status_code == 302  # the other browser's session is no longer valid


def test_the_password_form_only_changes_ones_own_password(client, office_staff):
    victim = make_user("victim-user")
    client.force_login(office_staff)
    new = "Huai-Ning-2020!"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new, "user": victim.pk}
    client.post(reverse("password_change"), data)
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
