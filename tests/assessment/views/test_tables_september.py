"""With the September 2020 data (tests/september_2020.py) the pages and the workbook show every published figure."""

import io
import json
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from projects.models import Unit
from tests.conftest import make_user, shared_reference
from tests.workbooks import dec

D = Decimal


def decoded_attachment1() -> dict[str, list]:
    """附件1 as decoded in the shared reference file."""
    published = json.loads(shared_reference("tongling-2020.json").read_text(encoding="utf-8"))["attachment1_2020_09"]
    return {"regions": published["regions"], "departments": published["departments_decoded"]}


class RowParser(HTMLParser):
    """Text of each <tr data-unit="…"> cell; and of every other table row, keyed by its first cell."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.unit = None
        self.cells: list[str] | None = None
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.unit, self.cells = dict(attrs).get("data-unit"), []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append("")
            self.in_cell = True
        elif tag == "sup" or "short-name" in (dict(attrs).get("class") or ""):
            self.in_cell = False  # the ※ mark and the phone's short name are not part of the figure

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.in_cell = False
        elif tag == "tr" and self.cells:
            key = self.unit or self.cells[0].strip()
            self.rows[key] = [cell.strip() for cell in self.cells]
            self.cells = None

    def handle_data(self, data):
        if self.in_cell and self.cells is not None:
            self.cells[-1] += data


def page_rows(client, url_name, period_obj):
    response = client.get(reverse(url_name, args=[period_obj.year.year, period_obj.month]))
    assert response.status_code == 200
    parser = RowParser()
    parser.feed(response.content.decode())
    return parser.rows, response.content.decode()


@pytest.fixture
def viewer_client(client, september):
    # not the `viewer` persona: it reloads the reference fixture, which resets the excluded regions
    client.force_login(make_user("leader", Role.VIEWER))
    return client


def test_attachment1_page_shows_every_figure_of_the_decoded_attachment1(viewer_client, september):
    rows, page = page_rows(viewer_client, "attachment1", september)
    for decoded in decoded_attachment1().values():
        for name, score, rank, ytd, ytd_rank in decoded:
            unit, month_score, month_rank, _, ytd_score, ytd_rank_cell, _ = rows[name]
            assert (unit, month_score, month_rank) == (name, score, str(rank)), name
            if ytd is not None:
                assert ytd_score == ytd, name
            if ytd_rank is not None:
                assert ytd_rank_cell == str(ytd_rank), name
    assert "备注：市城管执法局和市数据资源局未纳入一季度考评，一季度按市直单位平均得分计" in page
    assert "9月份民生工程排名情况汇总表" in page and "市民生办　2020年10月16日" in page


def test_attachment1_page_lists_units_in_rank_order_with_the_two_block_titles(viewer_client, september):
    rows, page = page_rows(viewer_client, "attachment1", september)
    units = [key for key in rows if key in {row[0] for kind in decoded_attachment1().values() for row in kind}]
    expected = [row[0] for row in decoded_attachment1()["regions"] + decoded_attachment1()["departments"]]
    assert units == expected
    assert page.index("县区排名") < page.index("市直责任单位排名")


def test_attachment1_workbook_shows_every_figure_of_the_decoded_attachment1(viewer_client, september):
    response = viewer_client.get(reverse("period_workbook", args=[2020, 9]))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["附件1"]
    cells = {ws.cell(row=r, column=1).value: [dec(c.value) for c in ws[r]] for r in range(6, ws.max_row + 1)}
    for decoded in decoded_attachment1().values():
        for name, score, rank, ytd, ytd_rank in decoded:
            _, month_score, month_rank, ytd_score, ytd_rank_cell = cells[name]
            assert (month_score, month_rank) == (D(score), rank), name
            assert ytd is None or ytd_score == D(ytd), name
            assert ytd_rank is None or ytd_rank_cell == ytd_rank, name


def test_attachment2_page_shows_the_dash_the_averages_the_office_row_and_the_notes(viewer_client, september):
    rows, page = page_rows(viewer_client, "attachment2", september)
    assert rows["1、“四带一自”产业扶贫工程"][1:] == ["农业农村局", "1.500", "1.500", "1.500", "1.500", "—", "1.500"]
    assert rows["30、棚户区改造"][-2:] == ["0.900", "1.380"]
    assert rows["民生办加(扣)分"][1:] == ["0.050", "0.050", "0.050", "-0.050", "-0.050", ""]
    assert "注：市直单位对县(区)考评扣分原因：" in page
    assert "1、义安区：部分项目点未使用民生工程标识牌扣0.05分；省民生网站刊登信息加0.1分。" in page


def test_attachment3_page_shows_departments_in_rank_order_with_remarks(viewer_client, september):
    rows, page = page_rows(viewer_client, "attachment3", september)
    assert rows["1"] == ["1", "组织部", "1.000", "0.500", "0.050", "1.550", "信息被省民生工程网站采用"]
    assert rows["22"][:6] == ["22", "水利局", "0.850", "0.500", "-0.100", "1.250"]
    assert rows["8"][1:] == [
        "退役军人局",
        "1.000",
        "0.500",
        "0.000",
        "1.500",
        "信息被省民生工程网站采用；未按时公示民生工程进展",
    ]


def test_unit_page_shows_the_months_the_peer_average_and_the_deductions(viewer_client, september):
    unit = Unit.objects.get(name="市城管执法局")
    response = viewer_client.get(reverse("unit_detail", args=[unit.pk]) + "?year=2020")
    data = response.context["data"]
    assert [row.period.month for row in data.months] == list(range(1, 10))
    assert [row.imputed for row in data.months[:4]] == [True, True, True, False]
    assert data.months[0].score == D("1.493") and data.months[0].peer_average == D("1.493")
    assert data.months[-1].ytd_score == D("13.375") and data.months[-1].rank == 15
    assert [(item.period.month, item.points, item.reason) for item in data.items] == [
        (9, D("-0.025"), "未按时报送信息")
    ]
    chart = response.context["chart"]
    assert chart["score"][-1] == "1.475" and chart["rank"][-1] == 15
    assert 'id="unit-chart-data"' in response.content.decode()


def test_region_unit_page_lists_project_deductions_with_reasons(viewer_client, september):
    unit = Unit.objects.get(name="经开区")
    data = viewer_client.get(reverse("unit_detail", args=[unit.pk])).context["data"]
    assert [(i.item, i.score, i.points, i.reason) for i in data.items] == [
        ("30、棚户区改造", D("0.900"), D("-0.600"), "棚户区改造项目进度慢"),
        ("加(扣)分", None, D("-0.050"), "未按时报送资金报表"),
    ]


def test_dashboard_shows_top_and_bottom_units_moves_and_most_deducted_projects(viewer_client, september):
    dashboard = viewer_client.get(reverse("home")).context["dashboard"]
    assert dashboard.published.month == 9

    def units(groups):
        return [row.unit for group in groups for row in group.rows]

    assert units(dashboard.top["regions"]) == ["义安区", "铜官区", "枞阳县"]
    assert units(dashboard.bottom["departments"]) == ["市交通局", "市农业农村局", "市水利局"]  # in rank order
    assert units(dashboard.bottom["regions"]) == ["郊区", "经开区"]  # five regions: no repeats
    assert dashboard.hidden["regions"] == 0
    assert all(item.row.rank_change for item in dashboard.moves)
    changes = [abs(item.row.rank_change) for item in dashboard.moves]
    assert changes == sorted(changes, reverse=True)
    top = dashboard.deductions[0]
    assert (top.label, top.regions, top.regions_list) == ("13、就业创业促进工程", 2, ["铜官区", "郊区"])


def test_the_period_overview_links_the_three_attachments_and_the_workbook(viewer_client, september):
    page = viewer_client.get(reverse("period_tables", args=[2020, 9])).content.decode()
    for name in ("attachment1", "attachment2", "attachment3", "period_workbook"):
        assert reverse(name, args=[2020, 9]) in page
