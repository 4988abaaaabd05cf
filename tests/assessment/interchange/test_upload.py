"""Excel template download and upload: preview of every change and error, confirm applies all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services
from assessment.interchange.template import FIRST_DATA_ROW
from assessment.models import AuditEntry, Period, PeriodStatus, ProjectScore
from projects.models import Project, Unit


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def url(name, period):
    return reverse(name, args=[period.year.year, period.month])


def template(client, period):
    response = client.get(url("entry_template", period))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def as_upload(workbook, name="模板.xlsx"):
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def test_template_is_prefilled_and_only_editable_cells_are_unlocked(client, period, department_user, office_staff):
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[
            services.ProjectScoreInput(Unit.objects.get(name="义安区"), Project.objects.get(code="4"), Decimal("1.5"))
        ],
    )
    Project.objects.get(code="4").excluded_regions.add(Unit.objects.get(name="经开区"))
    client.force_login(department_user)
    sheet = template(client, period).active
    assert sheet.protection.sheet
    assert [sheet.cell(FIRST_DATA_ROW, c).value for c in range(1, 5)] == ["4", "“四好农村路”建设", "市交通局", 1.5]
    assert sheet.cell(FIRST_DATA_ROW + 1, 1).value is None  # only the department's own project
    assert not sheet.cell(FIRST_DATA_ROW, 4).protection.locked  # 义安区 score
    assert not sheet.cell(FIRST_DATA_ROW, 5).protection.locked  # 义安区 reason
    assert sheet.cell(FIRST_DATA_ROW, 1).protection.locked  # the code
    jingkai = sheet.cell(FIRST_DATA_ROW, 12)
    assert sheet.cell(3, 12).value == "经开区" and jingkai.value == "—" and jingkai.protection.locked


def test_upload_previews_changes_then_confirm_applies_them(client, period, department_user):
    client.force_login(department_user)
    workbook = template(client, period)
    sheet = workbook.active
    sheet.cell(FIRST_DATA_ROW, 4, 1.5)
    sheet.cell(FIRST_DATA_ROW, 6, 1.2)
    sheet.cell(FIRST_DATA_ROW, 7, "进度滞后")
    sheet.cell(FIRST_DATA_ROW, 8, "—")
    response = client.post(url("entry_upload", period), {"file": as_upload(workbook)})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.errors == []
    assert [(c.unit, c.old, c.new) for c in plan.changed] == [
        ("义安区", "", "1.500"),
        ("铜官区", "", "1.200"),
        ("枞阳县", "", "—"),
    ]
    assert not ProjectScore.objects.exists()  # the preview writes nothing
    response = client.post(url("entry_upload_confirm", period), {"token": response.context["token"]})
    assert response.status_code == 302
    scores = {s.region.name: (s.score, s.not_applicable, s.reason) for s in ProjectScore.objects.all()}
    assert scores == {
        "义安区": (Decimal("1.500"), False, ""),
        "铜官区": (Decimal("1.200"), False, "进度滞后"),
        "枞阳县": (None, True, ""),
    }
    assert AuditEntry.objects.filter(action__startswith="score.", username="jiaotong-user").count() == 3


def test_upload_errors_name_the_row_and_the_users_column_and_nothing_can_be_confirmed(client, period, office_staff):
    client.force_login(office_staff)
    workbook = template(client, period)
    sheet = workbook.active
    sheet.cell(FIRST_DATA_ROW, 4, 1.2)  # 义安区 below max without reason
    sheet.cell(FIRST_DATA_ROW + 1, 6, 2)  # 铜官区 above max
    sheet.cell(FIRST_DATA_ROW + 2, 8, 1.5)  # a valid cell: still nothing is saved
    response = client.post(url("entry_upload", period), {"file": as_upload(workbook)})
    errors = [str(e) for e in response.context["plan"].errors]
    assert errors[0].startswith(f"第{FIRST_DATA_ROW}行 义安区扣分原因（E列）：")
    assert errors[1].startswith(f"第{FIRST_DATA_ROW + 1}行 铜官区（F列）：")
    assert "确认导入" not in response.content.decode()
    assert not ProjectScore.objects.exists()


def test_long_format_csv_is_accepted(client, period, office_staff):
    client.force_login(office_staff)
    csv_text = "年度,月份,单位,考评项,分值,说明\n2020,9,义安区,4,1.4,进度慢\n2020,9,市商务局,项目进展,1,\n"
    upload = SimpleUploadedFile("scores.csv", csv_text.encode())
    response = client.post(url("entry_upload", period), {"file": upload})
    assert [(c.unit, c.new) for c in response.context["plan"].changed] == [("义安区", "1.400"), ("市商务局", "1.000")]


def test_long_format_rows_of_another_month_are_refused(client, period, office_staff):
    client.force_login(office_staff)
    csv_text = "年度,月份,单位,考评项,分值,说明\n2020,8,义安区,4,1.5,\n"
    response = client.post(url("entry_upload", period), {"file": SimpleUploadedFile("s.csv", csv_text.encode())})
    assert "只能导入2020年9月" in str(response.context["plan"].errors[0])


def test_a_broken_file_is_reported_on_the_form(client, period, office_staff):
    client.force_login(office_staff)
    response = client.post(url("entry_upload", period), {"file": SimpleUploadedFile("s.xlsx", b"not a zip")})
    assert response.status_code == 200 and "不是有效的 Excel" in response.content.decode()


def test_confirm_rechecks_that_the_period_is_still_open(client, period, department_user):
    client.force_login(department_user)
    workbook = template(client, period)
    workbook.active.cell(FIRST_DATA_ROW, 4, 1.5)
    token = client.post(url("entry_upload", period), {"file": as_upload(workbook)}).context["token"]
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
    response = client.post(url("entry_upload_confirm", period), {"token": token})
    assert response.status_code == 200 and "什么都没有保存" in response.content.decode()
    assert response.context["plan"].errors
    assert not ProjectScore.objects.exists()


def test_confirm_shows_the_preview_again_when_the_data_changed_meanwhile(client, period, office_staff, office_admin):
    client.force_login(office_staff)
    workbook = template(client, period)
    workbook.active.cell(FIRST_DATA_ROW, 4, 1.5)
    token = client.post(url("entry_upload", period), {"file": as_upload(workbook)}).context["token"]
    services.save_project_scores(
        user=office_admin,
        period=period,
        items=[
            services.ProjectScoreInput(
                Unit.objects.get(name="义安区"), Project.objects.get(code="1"), Decimal("1.1"), reason="x"
            )
        ],
    )
    services.save_project_scores(
        user=office_admin,
        period=period,
        items=[
            services.ProjectScoreInput(
                Unit.objects.get(name="义安区"), Project.objects.get(code="1"), Decimal("1.3"), reason="y"
            )
        ],
    )
    response = client.post(url("entry_upload_confirm", period), {"token": token})
    assert response.status_code == 200 and "请再次确认" in response.content.decode()
    assert ProjectScore.objects.get(project__code="1").score == Decimal("1.300")
    response = client.post(url("entry_upload_confirm", period), {"token": token})
    assert response.status_code == 302
    assert ProjectScore.objects.get(project__code="1").score == Decimal("1.500")


def test_confirm_with_an_unknown_token_saves_nothing(client, period, office_staff):
    client.force_login(office_staff)
    response = client.post(url("entry_upload_confirm", period), {"token": "forged"}, follow=True)
    assert "上传的文件已过期" in response.content.decode() and not ProjectScore.objects.exists()
