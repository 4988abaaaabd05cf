"""A race found with tests/test_two_servers.py, made deterministic in one process: when another
server's save of the same cell commits right after this one, the reply still reports this writer's own
save (it is built from what the transaction wrote, `SaveResult.saved`, never read again), so the grid
never shows a value the user did not type as "saved"."""

import json
from decimal import Decimal
from unittest import mock

from django.urls import reverse

from assessment import services
from projects.models import Project, Unit


def test_the_reply_reports_the_writers_own_save_even_when_another_save_follows_at_once(
    client, office_staff, office_admin
):
    period = services.get_or_create_period(year=2020, month=9)
    region, project = Unit.objects.get(name="义安区"), Project.objects.get(year__year=2020, code="4")
    save = services.save_project_scores

    def save_then_another_server_saves(**kwargs):
        result = save(**kwargs)
        other = services.ProjectScoreInput(region, project, Decimal("1.2"), reason="另一位同事", expected_version=1)
        save(user=office_admin, period=period, items=[other])
        return result

    client.force_login(office_staff)
    change = {"region": region.pk, "project": project.pk, "value": "1.300", "reason": "本人", "version": 0}
    with mock.patch.object(services, "save_project_scores", save_then_another_server_saves):
        response = client.post(
            reverse("entry_grid_save", args=[2020, 9]), json.dumps({"changes": [change]}), "application/json"
        )
    saved = response.json()["saved"]
    assert [(s["value"], s["version"], s["updated_by"]) for s in saved] == [("1.300", 1, "office-staff")]
