"""Every link leads somewhere: as each role, crawl every page from the dashboard, follow every link and
form target on it (GET links, downloads included; POST forms posted empty), and fail on any 403, 404
or 500. Together with tests/test_access_matrix.py (what each URL answers each role) this proves that no
page offers a role a link it may not follow.

Data: the Tongling reference, August and September 2020 published, October open with some scores and a
加扣分 item, built once for the module.
"""

from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.roles import Role
from assessment import services
from assessment.models import PeriodStatus
from projects.models import Indicator, Project, Unit
from tests.conftest import data_for_module, load_reference_data, make_user

ROLES = {
    "office_admin": (Role.OFFICE_ADMIN, None),
    "office_staff": (Role.OFFICE_STAFF, None),
    "department_user": (Role.DEPARTMENT_USER, "市交通局"),
    "region_user": (Role.REGION_USER, "义安区"),
    "viewer": (Role.VIEWER, None),
    "outsider": (None, None),
}
NEVER_FOLLOWED = ("/logout/", "/admin/", "/static/", "/login/")
QUERY_VARIANTS = 3  # a path is visited with at most this many different queries (e.g. ?unit= on 附件1)
DEAD = (403, 404, 500)


class Links(HTMLParser):
    """a[href], and form targets with their method."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.posts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            target = attributes.get("action") or ""
            if (attributes.get("method") or "get").lower() == "post":
                self.posts.append(target)
            else:
                self.links.append(target)


def month_of_scores(period, *, share: float = 1.0, publish: bool):
    regions = list(Unit.objects.regions())
    projects = list(Project.objects.filter(year=period.year).prefetch_related("excluded_regions"))
    projects = projects[: max(1, int(len(projects) * share))]
    items = [
        services.ProjectScoreInput(region, project, Decimal("1.5") if (n % 7) else Decimal("1.45"), reason="进度慢")
        for n, project in enumerate(projects)
        for region in regions
        if region not in project.excluded_regions.all()
    ]
    services.save_project_scores(user=None, period=period, items=items)
    indicators = list(Indicator.objects.filter(year=period.year))
    departments = list(Unit.objects.departments())[: max(1, int(22 * share))]
    services.save_indicator_scores(
        user=None,
        period=period,
        items=[services.IndicatorScoreInput(d, i, i.max_score) for d in departments for i in indicators],
    )
    services.add_adjustment(
        user=None,
        period=period,
        unit=regions[0],
        points=Decimal("0.05"),
        reason="省民生网站刊登信息",
        category="information_adopted",
    )
    if publish:
        services.change_period_status(user=None, period=period, status=PeriodStatus.CLOSED)
        services.change_period_status(user=None, period=period, status=PeriodStatus.PUBLISHED)


def build():
    load_reference_data()
    for month in (8, 9):
        month_of_scores(services.get_or_create_period(year=2020, month=month), publish=True)
    month_of_scores(services.get_or_create_period(year=2020, month=10), share=0.5, publish=False)
    return {name: make_user(f"crawl-{name}", role, unit).pk for name, (role, unit) in ROLES.items()}


@pytest.fixture(scope="module")
def users(django_db_setup, django_db_blocker):
    with data_for_module(django_db_blocker, build) as value:
        yield value


def local(url: str, base: str) -> str | None:
    """The same-site URL to follow, or None (another site, a fragment, mailto, never-followed paths)."""
    url, _ = urldefrag(url)
    if not url:
        return base
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return urlsplit(base).path + ("?" + parts.query if parts.query else "")
    if not parts.path.startswith("/"):
        return None
    if parts.path.startswith(NEVER_FOLLOWED):
        return None
    query = urlencode(sorted(parse_qsl(parts.query)))
    return parts.path + ("?" + query if query else "")


def crawl(client: Client) -> tuple[dict[str, int], dict[str, str]]:
    """Every page reachable from the dashboard: url → status, and where each URL was found."""
    seen: dict[str, int] = {}
    posted: set[str] = set()
    found_on: dict[str, str] = {"/": "(start)"}
    variants: dict[str, set[str]] = defaultdict(set)
    queue = ["/"]
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for target in parser.posts:
            post = local(target, url)
            if post and post not in posted:
                posted.add(post)
                status = client.post(post, {}).status_code
                seen[post + " [POST]"] = status
                found_on[post + " [POST]"] = url
        for link in parser.links:
            target = local(link, url)
            if target is None or target in seen or target in queue:
                continue
            path = urlsplit(target).path
            if len(variants[path]) >= QUERY_VARIANTS and target not in variants[path]:
                continue
            variants[path].add(target)
            found_on.setdefault(target, url)
            queue.append(target)
    return seen, found_on


@pytest.mark.parametrize("persona", sorted(ROLES))
def test_no_page_offers_a_role_a_link_or_form_that_answers_403_404_or_500(users, persona, db):
    client = Client()
    client.force_login(get_user_model().objects.get(pk=users[persona]))
    seen, found_on = crawl(client)
    dead = {url: (status, found_on.get(url)) for url, status in seen.items() if status in DEAD}
    assert not dead, f"{persona}: dead links (status, found on): {dead}"
    assert len(seen) >= (1 if persona == "outsider" else 5), seen


def test_the_crawl_reaches_what_each_role_should_reach(users, db):
    """The crawl is not vacuous: the office reaches the entry pages, a region user its own unit and tables."""
    region_client, office_client = Client(), Client()
    region_client.force_login(get_user_model().objects.get(pk=users["region_user"]))
    office_client.force_login(get_user_model().objects.get(pk=users["office_admin"]))
    region_pages, _ = crawl(region_client)
    office_pages, _ = crawl(office_client)
    own = Unit.objects.get(name="义安区").pk
    assert any(url.startswith(f"/units/{own}/") for url in region_pages)
    assert not any(url.startswith("/units/") and not url.startswith(f"/units/{own}/") for url in region_pages)
    assert not any(url.startswith("/entry/") for url in region_pages)
    assert "/periods/2020/9/attachment-1/" in region_pages and "/periods/2020/10/tables/" not in region_pages
    for page in (
        "/entry/2020/10/grid/",
        "/entry/2020/10/departments/",
        "/entry/2020/10/adjustments/",
        "/entry/2020/10/changes/",
    ):
        assert office_pages.get(page) == 200, page
    posted = [url for url in office_pages if url.endswith("[POST]")]
    assert any("/adjustments/" in url and "/delete/" in url for url in posted)
    assert "/entry/2020/10/departments/ [POST]" in posted
