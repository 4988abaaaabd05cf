"""Issue 10: several sessions starting the same month at once — one creates it, the others are shown it;
no 500, one period, one 'period.created' audit row."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from assessment import services
from assessment.models import AuditAction, AuditEntry, Period
from assessment.services import periods as period_services
from tests.conftest import load_reference_data, make_user

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_a_month_created_by_someone_else_meanwhile_is_returned_not_a_500(reference_data, monkeypatch):
    """The moment of the race: the month did not exist when looked up, and exists when inserted."""
    existing = services.get_or_create_period(year=2020, month=9)
    real_filter = Period.objects.filter

    class Missing:
        def first(self):
            return None

    calls = []

    def filter_once(*args, **kwargs):
        if not calls and kwargs.get("month") == 9:
            calls.append(1)
            return Missing()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(period_services.Period.objects, "filter", filter_once)
    assert services.get_or_create_period(year=2020, month=9) == existing
    assert calls and Period.objects.count() == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="concurrent sessions need a server database")
@pytest.mark.django_db(transaction=True)
def test_eight_sessions_starting_the_same_month_at_once():
    load_reference_data()
    users = [make_user(f"office-{i}", Role.OFFICE_STAFF) for i in range(8)]
    barrier = threading.Barrier(len(users))
    statuses, errors = [], []

    def start(user):
        try:
            client = Client(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            response = client.post(reverse("entry_period_create"), {"year": 2020, "month": 10})
            statuses.append((response.status_code, response.get("Location")))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert statuses == [(302, reverse("entry_period", args=[2020, 10]))] * len(users)
    assert Period.objects.filter(year__year=2020, month=10).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.PERIOD_CREATED).count() == 1
