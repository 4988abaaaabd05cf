"""The Excel 台账 and the reminder slip (.docx, .xlsx) through the registry and the shared renderers."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from assessment.exports.registry import exporter
from ledger.models import ReminderSlip
from tests.ledger.helpers import issue_september


@pytest.fixture
def slips(september):
    return issue_september(september)


def test_the_ledger_exporters_are_not_month_tables(client, september, office_staff):
    assert exporter("ledger") is None and exporter("reminder-slip") is None
    assert exporter("ledger", kind="ledger") is not None
    client.force_login(office_staff)
    url = reverse("period_export", kwargs={"year": 2020, "month": 9, "identifier": "ledger", "fmt": "xlsx"})
    assert client.get(url).status_code == 404


def test_the_excel_ledger(client, september, slips, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("ledger_export"), {"year": 2020, "month": 9})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["整改台账"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "民生工程考评问题整改台账"
    assert values[2][0] == "2020年9月"
    header = values[3]
    assert header[:7] == ("序号", "月份", "责任单位", "来源", "项目/指标", "扣分", "存在问题")
    body = [row for row in values[4:] if isinstance(row[0], int)]
    assert len(body) == 30
    water = [row for row in body if row[2] == "市水利局"]
    assert {row[3] for row in water} == {"指标得分", "加扣分"}
    assert any(row[6] == "水利薄弱环节治理项目整体进展滞后影响我市在全省排名" and row[7] == "市民生办" for row in water)
    assert all(row[8].startswith("铜民生提〔2020〕") for row in body)
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.scale >= 60, sheet.page_setup.scale
    assert workbook.properties.creator == "市民生办"


def test_a_region_user_exports_only_its_own_findings(client, september, slips, region_user):
    client.force_login(region_user)
    response = client.get(reverse("ledger_export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [row for row in workbook["整改台账"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert {row[2] for row in rows} == {"义安区"} and len(rows) == 2


def test_the_slip_as_word(client, september, slips, region_user):
    slip = ReminderSlip.objects.get(period=september, unit__name="义安区")
    client.force_login(region_user)
    response = client.get(reverse("ledger_slip_export", args=[slip.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert texts[0] == "工作提示单"
    assert texts[1] == slip.code and slip.code.startswith("铜民生提〔2020〕")
    assert texts[2] == "义安区："
    assert texts[3].startswith("经2020年9月份民生工程月度考评，你单位存在以下问题")
    assert "市民生办" in texts
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "来源", "项目/指标", "存在问题", "扣分", "发现单位"]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert {row[3] for row in rows} == {"9月份督查发现两处养老服务站进展滞后", "部分项目点未使用民生工程标识牌"}
    assert {row[5] for row in rows} == {"市民政局", "市民生办"}
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    title_run = document.paragraphs[0].runs[0]
    assert title_run.font.size.pt == 22


def test_the_slip_as_excel_and_its_page(client, september, slips, office_staff):
    slip = ReminderSlip.objects.get(period=september, unit__name="市交通局")
    client.force_login(office_staff)
    response = client.get(reverse("ledger_slip_export", args=[slip.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(workbook["工作提示单"].iter_rows(values_only=True))
    assert values[0][0] == slip.code and values[1][0] == "工作提示单" and values[2][0] == "市交通局："
    assert client.get(reverse("ledger_slip_export", args=[slip.pk, "csv"])).status_code == 404
    page = client.get(reverse("ledger_slip", args=[slip.pk])).content.decode()
    assert slip.code in page and "上报进展时审核不严" in page and "data-print" in page
