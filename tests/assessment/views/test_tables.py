"""Pages and downloads of the official tables: who sees what, and a fixed number of queries."""

from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.roles import Role
from assessment import services
from assessment.models import OverrideKind, PeriodStatus
from projects.models import AssessmentYear, Indicator, Project, Unit, UnitKind
from tests.access import PERSONAS
from tests.access_tables import TABLES_ACCESS
from tests.conftest import make_user

D = Decimal
YEAR = 2031


# --- a synthetic world that can be doubled -------------------------------------------------------------------------


def make_year() -> AssessmentYear:
    year = AssessmentYear.objects.create(year=YEAR, title="测试年度")
    Indicator.objects.create(year=year, name="项目进展", max_score=D("1.0"), display_order=1)
    Indicator.objects.create(year=year, name="工作推进情况", max_score=D("0.5"), display_order=2)
    return year


def add_units(year: AssessmentYear, count: int) -> None:
    """`count` more regions, departments and projects (each project run by one of the new departments)."""
    start = Unit.objects.count()
    for i in range(start, start + count):
        region = Unit.objects.create(name=f"测试区{i}", short_name=f"区{i}", kind=UnitKind.REGION, display_order=i)
        department = Unit.objects.create(
            name=f"测试局{i}", short_name=f"局{i}", kind=UnitKind.DEPARTMENT, display_order=i
        )
        # bulk, behind the reference-data guard: the office cannot add a project to a year with published
        # months (assessment.reference_history); this test only measures the pages at twice the size
        (project,) = Project.objects.bulk_create(
            [
                Project(
                    year=year,
                    code=str(i),
                    group_code=str(i),
                    name=f"项目{i}",
                    responsible_department=department,
                    display_order=i,
                )
            ]
        )
        Project.excluded_regions.through.objects.bulk_create(  # every project excludes one region: "—"
            [Project.excluded_regions.through(project_id=project.pk, unit_id=region.pk)]
        )


def fill_month(year: AssessmentYear, month: int, *, publish: bool = True):
    """Every cell of the month entered, a deduction, a not-applicable cell and 加扣分 items; then published."""
    period = services.get_or_create_period(year=year.year, month=month)
    projects = list(Project.objects.filter(year=year).prefetch_related("excluded_regions"))
    items = []
    for r, region in enumerate(Unit.objects.regions().order_by("display_order")):
        for p, project in enumerate(projects):
            if region in project.excluded_regions.all():
                continue
            if (p + month) % 3 == 0:
                items.append(services.ProjectScoreInput(region, project, None, not_applicable=True))
            elif (p + r + month) % 2 == 0:
                items.append(services.ProjectScoreInput(region, project, D("1.4"), reason=f"{project.name}进度慢"))
            else:
                items.append(services.ProjectScoreInput(region, project, D("1.5")))
    services.save_project_scores(user=None, period=period, items=items)
    indicators = list(Indicator.objects.filter(year=year))
    services.save_indicator_scores(
        user=None,
        period=period,
        items=[
            services.IndicatorScoreInput(d, i, i.max_score - (D("0.05") if (n + month) % 2 else 0), "进展慢")
            for n, d in enumerate(Unit.objects.departments())
            for i in indicators
        ],
    )
    for unit in Unit.objects.all():
        services.add_adjustment(user=None, period=period, unit=unit, points=D("0.05"), reason="信息被采用")
    if publish:
        services.change_period_status(user=None, period=period, status=PeriodStatus.CLOSED)
        period = services.change_period_status(user=None, period=period, status=PeriodStatus.PUBLISHED)
    return period


def page_urls(month: int, region: Unit, department: Unit) -> list[str]:
    period = {"year": YEAR, "month": month}
    urls = [reverse("home"), reverse("period_tables", kwargs=period), reverse("period_workbook", kwargs=period)]
    for name in ("attachment1", "attachment2", "attachment3"):
        url = reverse(name, kwargs=period)
        urls += [url, url + "?format=xlsx", url + "?format=csv"]
    urls += [reverse("unit_detail", args=[unit.pk]) + f"?year={YEAR}" for unit in (region, department)]
    return urls


def count_queries(client, urls) -> dict[str, int]:
    counts = {}
    for index, url in enumerate(urls):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[index] = len(queries)
    return counts


@pytest.mark.django_db
def test_every_page_runs_the_same_number_of_queries_when_units_projects_and_months_double(client):
    year = make_year()
    add_units(year, 2)
    fill_month(year, 1)
    fill_month(year, 2)
    services.get_or_create_period(year=YEAR, month=3)  # the open period, for the dashboard's completeness
    region, department = Unit.objects.regions().first(), Unit.objects.departments().first()
    client.force_login(make_user("office", Role.OFFICE_ADMIN))
    before = count_queries(client, page_urls(2, region, department))

    # twice the regions, departments, projects and published months
    add_units(year, 2)
    for month in (3, 4):
        fill_month(year, month)
    fill_month(year, 5, publish=False)
    after = count_queries(client, page_urls(4, region, department))
    assert after == before


# --- who sees what ---------------------------------------------------------------------------------------------------


@pytest.fixture
def periods(reference_data):
    """August 2020 published (recorded totals for every unit), September 2020 open."""
    august = services.get_or_create_period(year=2020, month=8)
    for unit in Unit.objects.all():
        services.set_month_override(
            user=None, period=august, unit=unit, kind=OverrideKind.RECORDED_TOTAL, score=D("1.5")
        )
    services.change_period_status(user=None, period=august, status=PeriodStatus.CLOSED)
    august = services.change_period_status(user=None, period=august, status=PeriodStatus.PUBLISHED)
    september = services.get_or_create_period(year=2020, month=9)
    return august, september


@pytest.fixture
def personas(office_admin, office_staff, department_user, region_user, viewer, outsider):
    return {
        "office_admin": office_admin,
        "office_staff": office_staff,
        "department_user": department_user,
        "region_user": region_user,
        "viewer": viewer,
        "outsider": outsider,
    }


TABLE_PAGES = ["period_tables", "attachment1", "attachment2", "attachment3", "period_workbook"]


@pytest.mark.parametrize("persona", ["office_admin", "office_staff", "department_user", "region_user", "viewer"])
@pytest.mark.parametrize("url_name", TABLE_PAGES)
def test_published_tables_are_open_to_every_role(client, periods, personas, persona, url_name):
    client.force_login(personas[persona])
    response = client.get(reverse(url_name, args=[2020, 8]))
    assert response.status_code == 200
    if url_name == "period_workbook":
        assert "8月份民生工程月度考评" in unquote(response["Content-Disposition"])
    else:
        assertContains(response, "8月份民生工程")
        assertNotContains(response, "（未发布）")


@pytest.mark.parametrize("persona", ["department_user", "region_user", "viewer", "outsider"])
@pytest.mark.parametrize("url_name", TABLE_PAGES)
def test_an_unpublished_period_is_404_for_everyone_but_the_office(client, periods, personas, persona, url_name):
    client.force_login(personas[persona])
    for url in (reverse(url_name, args=[2020, 9]), reverse(url_name, args=[2020, 9]) + "?format=xlsx"):
        response = client.get(url)
        assertNotContains(response, "9月份民生工程", status_code=404)
        assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("persona", ["office_admin", "office_staff"])
def test_the_office_sees_the_unpublished_period_marked_as_such(client, periods, personas, persona):
    client.force_login(personas[persona])
    page = client.get(reverse("attachment1", args=[2020, 9])).content.decode()
    assert "（未发布）" in page


def test_users_without_a_role_see_no_published_table(client, periods, outsider):
    client.force_login(outsider)
    assertNotContains(client.get(reverse("attachment1", args=[2020, 8])), "8月份民生工程", status_code=404)
    assertContains(client.get(reverse("home")), "还没有分配角色")


def test_a_missing_period_is_404(client, periods, office_admin):
    client.force_login(office_admin)
    assertNotContains(client.get(reverse("attachment1", args=[2020, 12])), "12月份民生工程", status_code=404)


def test_an_unknown_download_format_is_404(client, periods, office_admin):
    client.force_login(office_admin)
    response = client.get(reverse("attachment1", args=[2020, 8]) + "?format=pdf")
    assert response.status_code == 404 and "attachment" not in response.get("Content-Disposition", "")
    export = reverse("period_export", args=[2020, 8, "month", "csv"])
    assert client.get(export).status_code == 404  # the whole month is one workbook: no CSV
    assertContains(client.get(reverse("period_export", args=[2020, 8, "attachment-3", "csv"])), "责任部门")


def test_department_and_region_users_see_their_own_unit_page_only(client, periods, department_user, region_user):
    own_department, own_region = Unit.objects.get(name="市交通局"), Unit.objects.get(name="义安区")
    client.force_login(department_user)
    assertContains(client.get(reverse("unit_detail", args=[own_department.pk])), "市交通局")
    assertNotContains(client.get(reverse("unit_detail", args=[own_region.pk])), "义安区", status_code=404)
    client.force_login(region_user)
    assertContains(client.get(reverse("unit_detail", args=[own_region.pk])), "义安区")
    assertNotContains(client.get(reverse("unit_detail", args=[own_department.pk])), "市交通局", status_code=404)


def test_unit_page_of_a_non_office_user_hides_unpublished_months(client, periods, region_user, office_admin):
    url = reverse("unit_detail", args=[Unit.objects.get(name="义安区").pk]) + "?year=2020"
    client.force_login(region_user)
    assert [row.period.month for row in client.get(url).context["data"].months] == [8]
    client.force_login(office_admin)
    assert [row.period.month for row in client.get(url).context["data"].months] == [8, 9]


def test_unit_page_of_an_unknown_year_is_404(client, periods, office_admin):
    client.force_login(office_admin)
    assert client.get(reverse("unit_detail", args=[1]) + "?year=1999").status_code == 404
    assert client.get(reverse("unit_detail", args=[1]) + "?year=abc").status_code == 404
    assert client.get(reverse("unit_detail", args=[99999])).status_code == 404


def test_users_without_a_role_get_a_contact_the_office_message(client, periods, outsider):
    client.force_login(outsider)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "尚未分配角色" in response.content.decode() and "联系市民生办" in response.content.decode()


def test_dashboard_shows_the_open_period_completeness_to_the_office_only(
    client, periods, office_admin, viewer, department_user
):
    client.force_login(office_admin)
    dashboard = client.get(reverse("home")).context["dashboard"]
    assert dashboard.published.month == 8 and dashboard.open_period.month == 9
    lines = {line.label: (line.entered, line.expected) for line in dashboard.completeness}
    assert lines["交通局"] == (0, 5)  # one project × five regions
    assert lines["市民生办（部门考评指标）"] == (0, 44)
    client.force_login(department_user)
    assert [line.label for line in client.get(reverse("home")).context["dashboard"].completeness] == ["交通局"]
    client.force_login(viewer)
    dashboard = client.get(reverse("home")).context["dashboard"]
    assert dashboard.open_period is None and [p.month for p in dashboard.periods] == [8]


def test_downloads_carry_the_chinese_file_name_rfc5987_encoded(client, periods, viewer):
    client.force_login(viewer)
    response = client.get(reverse("attachment1", args=[2020, 8]) + "?format=xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "附件1 2020年8月份民生工程排名情况汇总表.xlsx"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(reverse("attachment3", args=[2020, 8]) + "?format=csv")
    assert unquote(response["Content-Disposition"].split("''", 1)[1]).endswith("得分情况统计表.csv")
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_period_workbook_download_has_the_three_sheets(client, periods, viewer, tmp_path):
    client.force_login(viewer)
    response = client.get(reverse("period_workbook", args=[2020, 8]))
    path = tmp_path / "month.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    assert openpyxl.load_workbook(path).sheetnames == ["附件1", "附件2", "附件3"]
    assert "2020年8月份" in unquote(response["Content-Disposition"])


def test_the_access_contract_lists_every_url_of_the_tables():
    from assessment.urls import urlpatterns
    from tests.access_browser import BROWSER_ACCESS

    names = {pattern.name for pattern in urlpatterns if not pattern.name.startswith(("entry_", "progress_"))}
    assert names - set(BROWSER_ACCESS) == set(TABLES_ACCESS)
    for access in TABLES_ACCESS.values():
        assert set(access.expected) == set(PERSONAS)
