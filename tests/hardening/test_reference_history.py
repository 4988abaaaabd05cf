"""Issue 10: reference-data edits do not rewrite published history, and every one is audited.

While a month of a year is published, its 附件1–3 stay exactly as published: adding a region to a
project's excluded regions, changing a unit's kind or lowering the year's maximum (and the like) is
refused with a Chinese message — as a form error in the admin, as a ValidationError on any other path.
Each reference change made in the admin or by `load_reference` writes a `reference.*` audit entry."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from assessment.models import AuditEntry
from projects.models import AssessmentYear, Project, Unit, UnitKind

PAGES = ("attachment1", "attachment2", "attachment3")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|data-csrf="[^"]+"')


def published_tables(client, period) -> dict[str, bytes]:
    kwargs = {"year": period.year.year, "month": period.month}
    pages = {name: CSRF.sub(b"", client.get(reverse(name, kwargs=kwargs)).content) for name in PAGES}
    workbook = client.get(reverse("period_workbook", kwargs=kwargs))
    pages["workbook"] = _workbook_values(
        b"".join(workbook.streaming_content) if workbook.streaming else workbook.content
    )
    return pages


def _workbook_values(content: bytes):
    from tests.workbooks import open_workbook

    workbook = open_workbook(content)
    return [[tuple(cell.value for cell in row) for row in sheet.iter_rows()] for sheet in workbook.worksheets]


@pytest.fixture
def root(db):
    """A superuser made without the `reference_data` fixture (loading the fixture again over a published
    year is itself an edit the guard refuses)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.com", "test-password")


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def reference_audit():
    return AuditEntry.objects.filter(action__startswith="reference.")


def project_form(project, **changes):
    data = {
        "year": project.year_id,
        "code": project.code,
        "group_code": project.group_code,
        "printed_code": project.printed_code,
        "name": project.name,
        "responsible_department": project.responsible_department_id,
        "project_type": project.project_type,
        "display_order": project.display_order,
        "excluded_regions": [str(pk) for pk in project.excluded_regions.values_list("pk", flat=True)],
        "change_reason": "测试",
    }
    data.update(changes)
    return data


def unit_form(unit, **changes):
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "display_order": unit.display_order,
        "is_active": "on" if unit.is_active else "",
        "change_reason": "测试",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def year_form(year, **changes):
    data = {
        "year": year.year,
        "title": year.title,
        "office_name": year.office_name,
        "region_label": year.region_label,
        "department_label": year.department_label,
        "project_max_score": str(year.project_max_score),
        "region_formula": year.region_formula,
        "printed_numbers": year.printed_numbers,
        "change_reason": "测试",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    if year.blank_cancelled_adjustments:
        data["blank_cancelled_adjustments"] = "on"
    data.update(changes)
    return data


def admin_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def test_admin_edits_that_would_rewrite_a_published_month_are_form_errors(admin_client, september):
    before = published_tables(admin_client, september)
    audit_rows = AuditEntry.objects.count()
    project = Project.objects.get(year=september.year, code="4")
    region = Unit.objects.get(name="义安区")
    assert not project.excluded_regions.filter(pk=region.pk).exists()
    excluded = [*project_form(project)["excluded_regions"], str(region.pk)]
    response = admin_client.post(
        f"/admin/projects/project/{project.pk}/change/", project_form(project, excluded_regions=excluded)
    )
    assert "2020年已有已发布的月份" in admin_errors(response) and "不适用的县区" in admin_errors(response)

    response = admin_client.post(f"/admin/projects/unit/{region.pk}/change/", unit_form(region, kind="department"))
    assert "已发布的月份" in admin_errors(response) and "类别" in admin_errors(response)

    year = september.year
    response = admin_client.post(
        f"/admin/projects/assessmentyear/{year.pk}/change/", year_form(year, project_max_score="1.2")
    )
    assert "项目满分" in admin_errors(response)

    response = admin_client.post("/admin/projects/project/add/", project_form(project, code="99", name="新项目"))
    assert "新增项目" in admin_errors(response)

    assert not project.excluded_regions.filter(pk=region.pk).exists()
    region.refresh_from_db()
    year.refresh_from_db()
    assert region.kind == UnitKind.REGION and year.project_max_score == Decimal("1.500")
    assert AuditEntry.objects.count() == audit_rows
    assert published_tables(admin_client, september) == before


def test_the_same_edits_by_any_other_path_are_refused(admin_client, september):
    before = published_tables(admin_client, september)
    project = Project.objects.get(year=september.year, code="4")
    region = Unit.objects.get(name="义安区")
    with pytest.raises(ValidationError, match="已发布"), transaction.atomic():
        project.excluded_regions.add(region)
    region.kind = UnitKind.DEPARTMENT
    with pytest.raises(ValidationError, match="类别"), transaction.atomic():
        region.save()
    year = AssessmentYear.objects.get(pk=september.year_id)
    year.project_max_score = Decimal("1.2")
    with pytest.raises(ValidationError, match="项目满分"), transaction.atomic():
        year.save()
    with pytest.raises((ValidationError, ProtectedError)), transaction.atomic():
        project.delete()  # its scores protect it already; the guard refuses a project without any too
    spare = Project.objects.create(
        year=AssessmentYear.objects.create(year=2031, title="2031"),
        code="spare-1",
        name="x",
        responsible_department=project.responsible_department,
    )
    Project.objects.filter(pk=spare.pk).update(year=year)
    with pytest.raises(ValidationError, match="删除项目"), transaction.atomic():
        Project.objects.get(pk=spare.pk).delete()
    Project.objects.filter(pk=spare.pk).update(year=spare.year)
    with pytest.raises(ValidationError, match="新增项目"), transaction.atomic():
        Project.objects.create(year=year, code="99", name="新", responsible_department=project.responsible_department)
    assert published_tables(admin_client, september) == before


def test_a_unit_created_after_publication_does_not_join_the_published_tables(admin_client, september):
    before = published_tables(admin_client, september)
    Unit.objects.create(name="新设县", short_name="新设县", kind=UnitKind.REGION, display_order=0)
    Unit.objects.create(name="市新设局", short_name="新设局", kind=UnitKind.DEPARTMENT, display_order=0)
    assert published_tables(admin_client, september) == before


def test_edits_that_do_not_touch_a_published_month_are_allowed(admin_client, september):
    region = Unit.objects.get(name="义安区")
    response = admin_client.post(f"/admin/projects/unit/{region.pk}/change/", unit_form(region, is_active=""))
    assert response.status_code == 302
    region.refresh_from_db()
    assert not region.is_active
