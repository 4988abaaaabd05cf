"""Issue 10: a NUL byte (or another control character) is refused on every path where text comes in —
forms, the grid's JSON, imports (.csv and .xlsx, page and command), the admin and query parameters —
never a 500 (PostgreSQL refuses NUL in text) and never stored."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from assessment import services
from assessment.models import Adjustment, AuditEntry, IndicatorScore, ProjectScore
from projects.models import Project, Unit

CONTROLS = ["a\x00b", "a\x01b", "a\x1fb"]
HEADER = "年度,月份,单位,考评项,分值,说明"


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def period_url(name, period, *args):
    return reverse(name, args=[period.year.year, period.month, *args])


def nothing_stored():
    return not (ProjectScore.objects.exists() or Adjustment.objects.exists() or IndicatorScore.objects.exists())


def refused(response) -> bool:
    """A 400 page, or the form shown again with an error: never a 500, never a redirect after saving."""
    if response.status_code == 400:
        return True
    return response.status_code == 200 and "控制字符" in response.content.decode()


@pytest.mark.parametrize("text", CONTROLS)
def test_query_parameters_with_control_characters_are_a_400(client, period, office_admin, text):
    client.force_login(office_admin)
    for name in ("entry_audit_log", "entry_grid"):
        for parameter in ("q", "actor", "subject", "unit", "item", "page"):
            response = client.get(period_url(name, period), {parameter: text})
            assert response.status_code == 400, (name, parameter)
            assert "控制字符" in response.content.decode()
    assert client.get("/admin/projects/unit/", {"q": text}).status_code == 400


def test_a_nul_in_the_path_is_not_a_500(client, office_admin):
    client.force_login(office_admin)
    assert client.get("/admin/projects/unit/%00/change/").status_code in (302, 400, 404)


@pytest.mark.parametrize("text", CONTROLS)
def test_forms_refuse_control_characters(client, period, office_admin, text):
    client.force_login(office_admin)
    unit = Unit.objects.get(name="义安区")
    response = client.post(
        period_url("entry_adjustment_add", period),
        {"unit": unit.pk, "points": "0.05", "category": "信息采用", "reason": text},
    )
    assert refused(response)
    response = client.post(period_url("entry_period_status", period), {"status": "closed", "reason": text})
    assert response.status_code in (400, 200, 302)
    response = client.post(period_url("entry_upload_confirm", period), {"token": text})
    assert response.status_code in (400, 302)
    response = client.post(reverse("login"), {"username": text, "password": text})
    assert response.status_code in (200, 302, 400)
    assert nothing_stored()


@pytest.mark.parametrize("text", CONTROLS)
def test_the_department_grid_refuses_control_characters(client, period, office_staff, text):
    from assessment.selectors.grid import indicator_grid

    client.force_login(office_staff)
    cell = indicator_grid(period, office_staff).rows[0][1][0]
    response = client.post(
        period_url("entry_indicators", period), {f"score-{cell.key}": "0.5", f"reason-{cell.key}": text}
    )
    assert refused(response)
    assert not IndicatorScore.objects.exists()


def csv_bytes(*lines):
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.mark.parametrize("text", CONTROLS)
@pytest.mark.parametrize("column", ["单位", "说明", "分值", "考评项"])
def test_imports_refuse_control_characters_on_the_page_and_the_command(
    client, period, office_staff, tmp_path, text, column
):
    values = {"年度": "2020", "月份": "9", "单位": "义安区", "考评项": "4", "分值": "1.2", "说明": "原因"}
    values[column] = values[column] + text
    line = ",".join(values[name] for name in HEADER.split(","))
    data = csv_bytes(line)
    client.force_login(office_staff)
    response = client.post(period_url("entry_upload", period), {"file": SimpleUploadedFile("s.csv", data)})
    assert response.status_code == 200 and "不能导入" in response.content.decode()
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    for args in (["--dry-run"], []):
        out, err = StringIO(), StringIO()
        with pytest.raises(SystemExit) as exit_:
            call_command("import_scores", str(path), *args, stdout=out, stderr=err)
        assert exit_.value.code == 1 and "第2行" in err.getvalue()
    assert nothing_stored() and not AuditEntry.objects.filter(action__startswith="score.").exists()


def xlsx_with_escaped_control(tmp_path) -> bytes:
    """An .xlsx whose 说明 cell holds `_x0000_` (how OOXML writes a control character)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append([2020, 9, "义安区", "4", 1.2, "MARKER"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content.replace(b"MARKER", b"a_x0000_b_x0001_"))
    return out.getvalue()


def test_an_xlsx_cell_with_an_escaped_control_character_is_refused(client, period, office_staff, tmp_path):
    data = xlsx_with_escaped_control(tmp_path)
    client.force_login(office_staff)
    response = client.post(period_url("entry_upload", period), {"file": SimpleUploadedFile("s.xlsx", data)})
    assert response.status_code == 200 and "不能导入" in response.content.decode()
    path = tmp_path / "s.xlsx"
    path.write_bytes(data)
    with pytest.raises(SystemExit):
        call_command("import_scores", str(path), stdout=StringIO(), stderr=StringIO())
    assert nothing_stored()


@pytest.mark.parametrize("text", CONTROLS)
def test_the_admin_refuses_control_characters_as_a_form_error(client, superuser, text):
    client.force_login(superuser)
    unit = Unit.objects.get(name="义安区")
    response = client.post(
        f"/admin/projects/unit/{unit.pk}/change/",
        {"name": "义安区" + text, "short_name": "义安区", "kind": "region", "display_order": 1, "is_active": "on"},
    )
    assert response.status_code in (200, 400)
    unit.refresh_from_db()
    assert unit.name == "义安区"
    project = Project.objects.filter(year__year=2020).first()
    response = client.post(f"/admin/projects/project/{project.pk}/change/", {"name": project.name + text})
    assert response.status_code in (200, 400)
    project.refresh_from_db()
    assert text not in project.name
