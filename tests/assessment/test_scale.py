"""At a province's size the pages cost the same number of queries as at a city's, the region grid shows
a bounded page, and the official workbook keeps its look (tests, not timings: see `manage.py bench`)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from assessment.exports.registry import exporter
from assessment.selectors.grid import GRID_PAGE_SIZE
from assessment.synthetic import generate_year
from projects.models import Unit
from tests.conftest import data_for_module, make_user
from tests.workbooks import merged, open_workbook, values

CITY = {"year": 2091, "regions": 5, "departments": 22, "projects": 43, "months": 2}
PROVINCE = {"year": 2092, "regions": 100, "departments": 120, "projects": 44, "months": 2}


def page_urls(generated) -> list[str]:
    year, month = generated.year.year, generated.periods[-1].month
    published = {"year": year, "month": month - 1}
    period = {"year": year, "month": month}
    urls = [reverse("home")]
    urls += [reverse(name, kwargs=published) for name in ("attachment1", "attachment2", "attachment3")]
    urls += [reverse("period_workbook", kwargs=published), reverse("entry_grid", kwargs=period)]
    urls += [reverse("unit_detail", args=[unit.pk]) + f"?year={year}" for unit in generated.regions[:1]]
    urls += [reverse("unit_detail", args=[unit.pk]) + f"?year={year}" for unit in generated.departments[:1]]
    return urls


def measure(client, urls) -> tuple[dict[str, int], dict[str, bytes]]:
    counts, contents = {}, {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url.split("/")[-2] if "?" not in url else "unit"] = len(queries)
        contents[url] = b"".join(response.streaming_content) if response.streaming else response.content
    return counts, contents


def build():
    Unit.objects.update(is_active=False)
    city = generate_year(**CITY, seed=3)
    client = Client()
    client.force_login(make_user("scale-office", Role.OFFICE_ADMIN))
    city_counts, _ = measure(client, page_urls(city))
    Unit.objects.update(is_active=False)  # the province's units alone take part in its year
    province = generate_year(**PROVINCE, seed=4)
    province_counts, contents = measure(client, page_urls(province))
    return city, province, city_counts, province_counts, contents


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker, build) as value:
        yield value


@pytest.mark.django_db
def test_every_page_takes_the_same_queries_for_a_city_and_a_generated_province(worlds):
    _, _, city_counts, province_counts, _ = worlds
    assert province_counts == city_counts


@pytest.mark.django_db
def test_the_region_grid_shows_one_bounded_page_of_regions(worlds):
    _, province, _, _, contents = worlds
    year, month = province.year.year, province.periods[-1].month
    html = contents[reverse("entry_grid", kwargs={"year": year, "month": month})].decode()
    inputs = html.count('class="cell-input')
    assert inputs == GRID_PAGE_SIZE * len(province.projects)
    assert "第 1–20 个，共 100 个县区" in html
    assert province.regions[GRID_PAGE_SIZE - 1].name in html and province.regions[GRID_PAGE_SIZE].name not in html


@pytest.mark.django_db
def test_the_next_page_and_a_search_show_other_regions(worlds, client):
    _, province, _, _, _ = worlds
    client.force_login(make_user("scale-staff", Role.OFFICE_STAFF))
    url = reverse("entry_grid", kwargs={"year": province.year.year, "month": province.periods[-1].month})
    second = client.get(url + "?page=2").content.decode()
    assert province.regions[GRID_PAGE_SIZE].name in second and province.regions[0].name not in second
    wanted = province.regions[57]
    found = client.get(url, {"q": wanted.name}).content.decode()
    assert wanted.name in found and "共 1 个县区" in found
    assert client.get(url + "?page=999").status_code == 200  # past the end: the last page


@pytest.mark.django_db
def test_the_workbook_of_a_generated_province_month_keeps_the_official_look(worlds):
    _, province, _, _, _ = worlds
    period = province.periods[-2]
    workbook = open_workbook(exporter("month").export(period, "xlsx").content)
    ws = workbook["附件2"]
    columns = 2 + len(province.regions) + 1
    last = ws.cell(1, columns).column_letter
    assert ws["A1"].value == "附件2" and ws["A2"].value.endswith("项目县(区)得分情况统计表")
    assert {f"A2:{last}2", f"A3:{last}3"} <= merged(ws)
    assert values(ws, 4)[:2] == ["项目", "责任部门"] and values(ws, 4)[-1] == "平均得分"
    note_rows = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("注：")]
    assert note_rows and f"A{note_rows[0]}:{last}{note_rows[0]}" in merged(ws)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert 10 <= int(ws.page_setup.scale) < 100  # one page wide
    attachment3 = workbook["附件3"]
    assert {"C4:E4", "A4:A5"} <= merged(attachment3)
    assert attachment3.row_breaks.brk  # 120 departments: several pages, each with the header again
    first_break = attachment3.row_breaks.brk[0].id
    assert values(attachment3, first_break + 1) == values(attachment3, 4)
    assert "— &P —" in attachment3.oddFooter.right.text
