"""Issue 10: every reference-data change made in the admin or by `load_reference` writes a `reference.*`
audit entry (who, when, old, new, why) in the same transaction as the change."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessment.models import AuditAction
from projects.models import Project, Unit
from tests.hardening.test_reference_history import project_form, reference_audit, unit_form


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "test-password")


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def test_admin_changes_are_audited_with_who_old_new_and_why(admin_client, root, reference_data):
    project = Project.objects.get(year=reference_data, code="4")
    old_name = project.name
    region = Unit.objects.get(name="义安区")
    data = project_form(project, name="新的名称", change_reason="更正项目名称")
    data["excluded_regions"] = [*data["excluded_regions"], str(region.pk)]
    response = admin_client.post(f"/admin/projects/project/{project.pk}/change/", data)
    assert response.status_code == 302
    entries = list(reference_audit().order_by("id"))
    assert [entry.action for entry in entries] == [AuditAction.REFERENCE_CHANGED] * 2
    name_entry, excluded_entry = entries
    assert name_entry.username == root.username and name_entry.reason == "更正项目名称"
    assert old_name in name_entry.old_value and "新的名称" in name_entry.new_value
    assert "义安区" in excluded_entry.new_value and "义安区" not in excluded_entry.old_value
    assert name_entry.target_text.startswith("项目 2020年 4")


def test_a_change_in_the_admin_needs_a_reason(admin_client, reference_data):
    unit = Unit.objects.get(name="义安区")
    response = admin_client.post(
        f"/admin/projects/unit/{unit.pk}/change/", unit_form(unit, short_name="义安", change_reason="")
    )
    assert "修改原因" in str(response.context["adminform"].form.errors) or response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.short_name == "义安区" and not reference_audit().exists()


def test_creation_deletion_and_list_edits_are_audited(admin_client, reference_data):
    response = admin_client.post(
        "/admin/projects/unit/add/",
        {"name": "市新设局", "short_name": "新设局", "kind": "department", "display_order": 9, "is_active": "on"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="市新设局")
    response = admin_client.post(f"/admin/projects/unit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    actions = list(reference_audit().order_by("id").values_list("action", "reason"))
    assert actions == [(AuditAction.REFERENCE_CREATED, "新增"), (AuditAction.REFERENCE_DELETED, "后台删除")]


def test_load_reference_is_audited(db):
    call_command("load_reference", stdout=StringIO())
    entry = reference_audit().get()
    assert entry.action == AuditAction.REFERENCE_LOADED and "tongling_2020" in entry.new_value
    assert "43 个项目" in entry.new_value


def run_command(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*map(str, args), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_reference_is_audited_and_cannot_rewrite_a_published_month(db, tmp_path):
    from openpyxl import load_workbook

    from assessment.models import Period, PeriodStatus
    from projects.models import AssessmentYear
    from tests.progress.county import write_reference

    path = write_reference(tmp_path / "ref.xlsx")
    code, _, err = run_command("import_reference", path)
    assert code == 0, err
    entries = reference_audit()
    assert entries.filter(action=AuditAction.REFERENCE_CREATED).exists()
    assert set(entries.values_list("reason", flat=True)) == {"import_reference ref.xlsx"}

    year = AssessmentYear.objects.get(year=2021)
    Period.objects.create(year=year, month=1, status=PeriodStatus.PUBLISHED)
    book = load_workbook(path)
    book["项目"]["D2"] = "改名的项目"
    book.save(path)
    before = entries.count()
    code, _, err = run_command("import_reference", path)
    assert code == 1 and "已发布" in err and "Traceback" not in err
    assert Project.objects.get(year=year, code="1").name == "民生工程1"
    assert reference_audit().count() == before
