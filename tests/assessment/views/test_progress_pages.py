"""The progress pages, their exports, the 小结 page and .docx, on a county's 1–6月 2021 whose totals are
the seed's (tests/progress/county.py)."""

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import docx
import openpyxl
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.roles import Role
from assessment.models import Period, PeriodStatus
from assessment.selectors import progress_pages as pages
from assessment.selectors.progress import progress_overview
from assessment.summary_wording import summary_document
from projects.models import AssessmentYear
from tests.conftest import data_for_module, make_user
from tests.progress.county import DEPARTMENTS, TOWNS, load_county

D = Decimal
SEED_SENTENCES = [
    "截止6月底，南陵县30项民生工程共计拨付资金6.69亿元，占年度预算的63.78%。",
    "1-6月，全县保障各类补助人员63.68万人次，发放补助资金4.1亿元。",
    "1-6月份，我县共报送民生工程信息513条。其中，市民生网采用信息248条，采用率48.34%，省民生网采用信息60条。",
]


def build():
    with tempfile.TemporaryDirectory() as directory:
        load_county(Path(directory))
    return AssessmentYear.objects.get(year=2021)


@pytest.fixture(scope="module")
def county_year(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker, build) as year:
        yield year


@pytest.fixture
def county(county_year, db):
    return AssessmentYear.objects.get(pk=county_year.pk)


@pytest.fixture
def office(county):
    return make_user("county-office", Role.OFFICE_STAFF)


def url(name, month=6, **kwargs):
    return reverse(name, kwargs={"year": 2021, "month": month, **kwargs})


def test_the_months_exist_and_are_open(county):
    assert set(Period.objects.filter(year=county).values_list("month", flat=True)) >= {6}


def test_progress_by_project_has_units_as_columns_and_marks_lagging(client, office):
    client.force_login(office)
    response = client.get(url("progress_projects"))
    assert response.status_code == 200
    for town in TOWNS:
        assertContains(response, town)
    assertContains(response, "滞后")
    assertContains(response, "54.55%")  # 序时进度 of 工程类 in June: 6 ÷ 11
    assertContains(response, "草稿·未发布")


def test_the_summary_page_prints_the_seed_sentences(client, office):
    client.force_login(office)
    response = client.get(url("progress_summary"))
    assert response.status_code == 200
    assertContains(response, "南陵县2021年1-6月份民生工作小结")
    for sentence in SEED_SENTENCES:
        assertContains(response, sentence)
    assertContains(response, "均已完成全年目标任务。")
    assertContains(response, "二、主要做法")


def test_the_summary_docx(client, office):
    client.force_login(office)
    response = client.get(url("progress_summary_docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "南陵县2021年1-6月份民生工作小结"
    for sentence in SEED_SENTENCES:
        assert sentence in texts
    assert "三、下一步工作安排" in texts


def test_progress_by_unit_lists_each_units_targets_with_subtotals(client, office):
    client.force_login(office)
    response = client.get(url("progress_units"))
    assert response.status_code == 200
    for name in TOWNS + DEPARTMENTS:
        assertContains(response, name)
    assertContains(response, "小计")
    assertContains(response, "滞后：2")  # 籍山镇's project 2


def test_funds_overview_with_its_chart_data(client, office):
    client.force_login(office)
    response = client.get(url("progress_funds"))
    assert response.status_code == 200
    assertContains(response, 'id="funds-chart-data"')
    assertContains(response, "vendor/echarts/echarts.min")
    assertContains(response, "104892.00")
    assertContains(response, "66900.00")
    assertContains(response, "63.78%")
    chart = response.context["chart"]
    assert chart["units"][: len(TOWNS)] == TOWNS
    assert all(isinstance(value, str) for value in chart["paid"])  # never a float
    assertNotContains(response, "<script>")  # data through json_script only


def test_information_table_totals(client, office):
    client.force_login(office)
    response = client.get(url("progress_information"))
    assert response.status_code == 200
    total = response.context["lines"][-1]
    assert (total.label, total.year_to_date.reported, total.year_to_date.city_adopted) == ("合计", 513, 248)
    assert total.year_to_date.province_adopted == 60
    assertContains(response, "48.34%")


def xlsx_of(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def csv_of(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    "name,stem",
    [
        ("progress_projects", "项目进度情况表"),
        ("progress_units", "单位进度情况表"),
        ("progress_funds", "资金拨付情况表"),
        ("progress_information", "信息报送情况表"),
    ],
)
def test_every_page_downloads_as_excel_in_the_official_look_and_as_csv(client, office, name, stem):
    client.force_login(office)
    response = client.get(url(name) + "?format=xlsx")
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"]).endswith(f"2021年1-6月民生工程{stem}（草稿·未发布）.xlsx")
    sheet = xlsx_of(response).worksheets[0]
    assert sheet["A2"].value == f"1-6月民生工程{stem}"
    assert sheet["A2"].font.name == "方正小标宋简体" and sheet["A2"].font.sz == 22
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    rows = csv_of(client.get(url(name) + "?format=csv"))
    assert len(rows) > 2


def test_the_funds_workbook_holds_numbers_with_two_decimals(client, office):
    client.force_login(office)
    sheet = xlsx_of(client.get(url("progress_export", identifier="progress-funds", fmt="xlsx"))).worksheets[0]
    total = next(row for row in sheet.iter_rows() if row[0].value == "合计")
    assert [Decimal(str(cell.value)) for cell in total[1:]] == [D("104892.00"), D("66900.00"), D("63.78")]
    assert total[1].number_format == "0.00"


def test_the_information_csv(client, office):
    client.force_login(office)
    rows = csv_of(client.get(url("progress_information") + "?format=csv"))
    total = next(row for row in rows if row[0] == "合计")
    assert total[4:] == ["513", "248", "48.34", "60"]


def test_unknown_export_is_404(client, office):
    client.force_login(office)
    assert client.get(url("progress_export", identifier="attachment-1", fmt="xlsx")).status_code == 404
    assert client.get(url("progress_export", identifier="progress-funds", fmt="pdf")).status_code == 404


def test_the_summary_comes_from_one_wording(county):
    figures = pages.summary_figures(progress_overview(year=county, month=6))
    document = summary_document(figures)
    for sentence in SEED_SENTENCES:
        assert sentence in document.sentences
    assert figures.projects == 30 and figures.reported == 513


def test_a_published_month_is_seen_by_every_role_and_an_open_one_only_by_the_office(client, county):
    viewer = make_user("county-viewer", Role.VIEWER)
    client.force_login(viewer)
    assert client.get(url("progress_summary")).status_code == 404
    Period.objects.filter(year=county, month=6).update(status=PeriodStatus.PUBLISHED)
    response = client.get(url("progress_summary"))
    assert response.status_code == 200
    assertNotContains(response, "草稿·未发布")
    assert client.get(url("progress_proposals")).status_code == 403
