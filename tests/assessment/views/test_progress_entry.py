"""Entering progress and information in the browser: who may enter what, the grids' saves (conflicts with
both values, decreases, confirmation, Chinese refusals), the templates and the upload with preview."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assessment import services
from assessment.models import AuditEntry, PendingUpload, Period, PeriodStatus
from projects.models import InformationReport, Progress, Project, ProjectType, Target, Unit

D = Decimal


@pytest.fixture
def world(reference_data):
    """June 2020 open; project 4 (市交通局, 工程类) has targets at 义安区, 铜官区 and at 市交通局 itself."""
    Project.objects.filter(year=reference_data, code="4").update(project_type=ProjectType.CONSTRUCTION)
    project = Project.objects.get(year=reference_data, code="4")
    targets = {}
    for name in ("义安区", "铜官区", "市交通局"):
        targets[name] = services.save_target(
            user=None,
            project=project,
            unit=Unit.objects.get(name=name),
            quantity=D("100"),
            measure="公里",
            budget=D("500.00"),
        )
    period = services.get_or_create_period(year=2020, month=6)
    return {"year": reference_data, "project": project, "targets": targets, "period": period}


def url(name, month=6, **kwargs):
    return reverse(name, kwargs={"year": 2020, "month": month, **kwargs})


def save(client, changes, name="progress_grid_save", month=6):
    response = client.post(url(name, month), json.dumps({"changes": changes}), content_type="application/json")
    return response.status_code, response.json()


def change(target, completed="30", paid="100", beneficiaries="", note="", version="", confirmed=False):
    values = {"completed": completed, "paid": paid, "beneficiaries": beneficiaries, "note": note}
    return {"id": target.pk, "version": version, "values": values, "confirmed": confirmed}


# ---------------------------------------------------------------- who enters what


def test_the_office_sees_every_units_row_and_a_region_user_only_its_own(client, world, office_staff, region_user):
    client.force_login(office_staff)
    response = client.get(url("progress_grid_project", project_id=world["project"].pk))
    assert response.status_code == 200
    for name in ("义安区", "铜官区", "市交通局"):
        assertContains(response, f'data-label="{name} · 4')
    client.force_login(region_user)
    response = client.get(url("progress_grid_project", project_id=world["project"].pk))
    assert response.status_code == 200
    assertContains(response, 'data-label="义安区 · 4')
    assertNotContains(response, 'data-label="铜官区 · 4')
    assertContains(response, 'data-editable="1"')


def test_a_region_user_saves_its_own_row_and_is_refused_another(client, world, region_user):
    client.force_login(region_user)
    status, reply = save(client, [change(world["targets"]["义安区"])])
    assert status == 200 and len(reply["saved"]) == 1
    saved = reply["saved"][0]
    assert saved["values"]["completed"] == "30" and saved["display"]["rate"] == "30.00%" and saved["lagging"]
    row = Progress.objects.get(target=world["targets"]["义安区"], month=6)
    assert row.updated_by == region_user
    assert AuditEntry.objects.filter(action="progress.created", unit__name="义安区").count() == 1
    status, reply = save(client, [change(world["targets"]["铜官区"])])
    assert status == 403 and "您不能修改铜官区" in reply["errors"][0]["message"]
    assert not Progress.objects.filter(target=world["targets"]["铜官区"]).exists()


def test_a_department_user_enters_its_own_units_target(client, world, department_user):
    client.force_login(department_user)
    status, reply = save(client, [change(world["targets"]["市交通局"])])
    assert status == 200 and reply["saved"]
    status, _ = save(client, [change(world["targets"]["义安区"])])
    assert status == 403


def test_roles_without_a_unit_cannot_enter(client, world, viewer, outsider):
    for user in (viewer, outsider):
        client.force_login(user)
        assert client.get(url("progress_entry")).status_code == 403
        assert save(client, [change(world["targets"]["义安区"])])[0] == 403


def test_a_closed_month_is_read_only_for_units_and_open_for_the_office(client, world, region_user, office_staff):
    Period.objects.filter(pk=world["period"].pk).update(status=PeriodStatus.CLOSED)
    client.force_login(region_user)
    response = client.get(url("progress_grid_project", project_id=world["project"].pk))
    assertContains(response, "只有民生办可以修改")
    assert save(client, [change(world["targets"]["义安区"])])[0] == 403
    client.force_login(office_staff)
    assert save(client, [change(world["targets"]["义安区"])])[0] == 200


def test_a_published_month_refuses_everyone(client, world, office_admin):
    Period.objects.filter(pk=world["period"].pk).update(status=PeriodStatus.PUBLISHED)
    client.force_login(office_admin)
    status, reply = save(client, [change(world["targets"]["义安区"])])
    assert status == 403 and not Progress.objects.exists()


# ---------------------------------------------------------------- the save


def test_a_row_saved_by_someone_else_since_comes_back_with_both_values(client, world, office_staff, region_user):
    target = world["targets"]["义安区"]
    client.force_login(region_user)
    loaded = ""  # the row was empty when both opened the grid
    assert save(client, [change(target, completed="30", version=loaded)])[0] == 200
    client.force_login(office_staff)
    status, reply = save(client, [change(target, completed="35", version=loaded), change(world["targets"]["铜官区"])])
    assert status == 200
    (conflict,) = reply["conflicts"]
    assert conflict["mine"]["completed"] == "35" and conflict["theirs"]["completed"] == "30"
    assert conflict["theirs_by"] == "yian-user" and conflict["theirs_version"]
    assert [row["id"] for row in reply["saved"]] == [world["targets"]["铜官区"].pk]  # the other row is saved
    assert Progress.objects.get(target=target).completed == D("30")
    status, reply = save(client, [change(target, completed="35", version=conflict["theirs_version"])])
    assert reply["saved"] and Progress.objects.get(target=target).completed == D("35")


def test_invalid_values_refuse_the_whole_save_in_chinese(client, world, office_staff):
    client.force_login(office_staff)
    status, reply = save(
        client,
        [
            change(world["targets"]["义安区"], completed="1.234"),
            change(world["targets"]["铜官区"], paid="-5"),
            change(world["targets"]["市交通局"], completed=""),
        ],
    )
    assert status == 400
    messages = [error["message"] for error in reply["errors"]]
    assert "义安区 · 4、" in messages[0] and "最多保留 2 位小数" in messages[0]
    assert "累计拨付不能为负数" in messages[1] or "累计拨付" in messages[1]
    assert "都要填写" in messages[2]
    assert not Progress.objects.exists()


def test_full_width_digits_are_read(client, world, office_staff):
    client.force_login(office_staff)
    status, reply = save(client, [change(world["targets"]["义安区"], completed="３０．５", paid="１００")])
    assert status == 200 and Progress.objects.get().completed == D("30.5")


def test_a_decrease_needs_a_reason(client, world, office_staff):
    target = world["targets"]["义安区"]
    services.save_progress(user=None, target=target, month=5, completed=D("40"), paid=D("100"))
    client.force_login(office_staff)
    status, reply = save(client, [change(target, completed="30")])
    assert status == 400 and "低于上月" in reply["errors"][0]["message"]
    assert not Progress.objects.filter(month=6).exists()
    status, reply = save(client, [change(target, completed="30", note="更正：5月多报10公里")])
    assert status == 200 and Progress.objects.get(month=6).note == "更正：5月多报10公里"


def test_an_implausible_completion_asks_first(client, world, office_staff):
    target = world["targets"]["义安区"]
    client.force_login(office_staff)
    status, reply = save(client, [change(target, completed="180")])
    assert status == 200 and not reply["saved"] and reply["confirm"][0]["id"] == target.pk
    assert "请确认" in reply["confirm"][0]["message"]
    assert not Progress.objects.exists()
    status, reply = save(client, [change(target, completed="180", confirmed=True)])
    assert reply["saved"] and Progress.objects.get().confirmed


@pytest.mark.parametrize(
    "body,message",
    [
        (b"not json", "不是有效的 JSON"),
        (b'{"changes": {}}', '应为 {"changes": [...]}'),
        (b'{"changes": [{"id": "1", "values": {}}]}', "id 应为正整数"),
        (b'{"changes": [{"id": 1, "values": {"completed": 30}}]}', "值应为文本"),
        (b'{"changes": [{"id": 1, "values": {"score": "1"}}]}', "values 只能包含"),
    ],
)
def test_malformed_requests_are_refused_whole(client, world, office_staff, body, message):
    client.force_login(office_staff)
    response = client.post(url("progress_grid_save"), body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["errors"][0]["message"]


def test_information_counts(client, world, office_staff, region_user):
    client.force_login(region_user)
    yian = Unit.objects.get(name="义安区")
    values = {"reported": "5", "city_adopted": "6", "province_adopted": "1"}
    status, reply = save(client, [{"id": yian.pk, "version": "", "values": values}], "progress_information_save")
    assert status == 400 and "市采用 6 条多于报送 5 条" in reply["errors"][0]["message"]
    values["city_adopted"] = "3"
    status, reply = save(client, [{"id": yian.pk, "version": "", "values": values}], "progress_information_save")
    assert status == 200 and InformationReport.objects.get(unit=yian, month=6).city_adopted == 3
    other = Unit.objects.get(name="铜官区")
    status, _ = save(client, [{"id": other.pk, "version": "", "values": values}], "progress_information_save")
    assert status == 403
    client.force_login(office_staff)
    response = client.get(url("progress_information_grid"))
    assertContains(response, 'data-label="铜官区"')
    assertContains(response, 'data-original="3"')


# ---------------------------------------------------------------- template and upload


def upload(client, content: bytes, name="进度.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(url("progress_upload"), {"file": file})


def filled_template(client, **cells) -> bytes:
    response = client.get(url("progress_template"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for key, value in cells.items():
        row, column = key.split(",")
        sheet.cell(int(row), header.index(column) + 1, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_template_lists_the_users_rows_and_round_trips(client, world, region_user):
    client.force_login(region_user)
    content = filled_template(client, **{"2,累计完成": 30, "2,累计拨付": 120.5})
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)] == ["义安区"]
    response = upload(client, content)
    assert response.status_code == 200
    assertContains(response, "义安区 项目4 6月")
    token = response.context["token"]
    assert not Progress.objects.exists()  # the preview writes nothing
    response = client.post(url("progress_upload_confirm"), {"token": token})
    assert response.status_code == 302
    row = Progress.objects.get(target=world["targets"]["义安区"], month=6)
    assert (row.completed, row.paid) == (D("30"), D("120.50"))
    assert not PendingUpload.objects.exists()


def test_upload_errors_are_named_by_row_and_column_and_nothing_is_saved(client, world, office_staff):
    client.force_login(office_staff)
    content = filled_template(
        client,
        **{
            "2,累计完成": "abc",
            "2,累计拨付": 100,
            "3,累计完成": 10,
            "3,累计拨付": 1.234,
            "4,月份": 5,
            "4,累计完成": 1,
            "4,累计拨付": 1,
        },
    )
    response = upload(client, content)
    assertContains(response, "不能导入（什么都没有保存）")
    errors = [str(error) for error in response.context["upload"].errors]
    assert any(error.startswith("第2行 累计完成") for error in errors)
    assert any(error.startswith("第3行 累计拨付") and "2 位小数" in error for error in errors)
    assert any(error.startswith("第4行 月份") and "只能导入2020年6月" in error for error in errors)
    assert response.context["token"] is None or not response.context["upload"].ok
    assert not Progress.objects.exists()


def test_an_upload_of_another_units_rows_is_refused(client, world, region_user):
    client.force_login(region_user)
    csv_text = "年度,月份,单位,项目,目标任务,计量单位,年度预算,完成时限,累计完成,累计拨付,累计受益人次,说明\n"
    csv_text += "2020,6,铜官区,4,,,,,30,100,,\n"
    response = upload(client, ("\ufeff" + csv_text).encode(), "进度.csv")
    assertContains(response, "第2行 单位：您不能修改2020年6月铜官区的数据。")
    assert not Progress.objects.exists()


def test_an_unreadable_file_says_why(client, world, office_staff):
    client.force_login(office_staff)
    response = upload(client, b"garbage", "x.xlsx")
    assertContains(response, "不是有效的 Excel")
    response = upload(client, b"", "x.csv")
    assert response.status_code == 200


def test_the_information_template_and_upload(client, world, office_staff):
    client.force_login(office_staff)
    response = client.get(url("progress_information_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:6] == ["年度", "月份", "单位", "报送", "市采用", "省采用"]
    names = [sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)]
    assert "义安区" in names and "市交通局" in names
    row = names.index("义安区") + 2
    sheet.cell(row, 4, 8), sheet.cell(row, 5, 3), sheet.cell(row, 6, 1)
    other = row + 1 if row == 2 else 2
    sheet.cell(other, 4, 0)  # a row with 报送 only: the other counts are missing
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    response = upload(client, buffer.getvalue(), "信息.xlsx")
    assert response.context["upload"].kind == "information"
    assert [str(e) for e in response.context["upload"].errors] == [f"第{other}行 市采用：请填写市采用"]
    sheet.cell(other, 4).value = None  # rows left empty are left alone
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    response = upload(client, buffer.getvalue(), "信息.xlsx")
    assert response.context["upload"].ok and response.context["upload"].skipped == sheet.max_row - 2
    client.post(url("progress_upload_confirm"), {"token": response.context["token"]})
    assert InformationReport.objects.get(unit__name="义安区", month=6).reported == 8


def test_a_changed_row_between_preview_and_confirm_shows_the_new_preview(client, world, office_staff):
    client.force_login(office_staff)
    content = filled_template(client, **{"2,累计完成": 30, "2,累计拨付": 100})
    token = upload(client, content).context["token"]
    services.save_progress(user=None, target=world["targets"]["义安区"], month=6, completed=D("10"), paid=D("50"))
    response = client.post(url("progress_upload_confirm"), {"token": token})
    assertContains(response, "预览之后有人修改了数据")
    assert Progress.objects.get(target=world["targets"]["义安区"]).completed == D("10")
    client.post(url("progress_upload_confirm"), {"token": token})
    assert Progress.objects.get(target=world["targets"]["义安区"]).completed == D("30")


def test_targets_of_the_entry_page(client, world, region_user):
    client.force_login(region_user)
    response = client.get(url("progress_entry"))
    assert response.status_code == 200
    assertContains(response, "4、")
    assert [line.project.code for line in response.context["overview"].projects] == ["4"]
    assert Target.objects.count() == 3
