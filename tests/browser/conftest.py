"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Locally the tests skip when /usr/bin/chromium is missing; under CI=true a missing browser fails.
Fixtures for reuse (e.g. screenshots): `browser`, `page` (fresh context, 1400×900, zh-CN),
`new_page` (another independent context) and `login(user, page=None) -> page`.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import PASSWORD  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium():
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium fonts-noto-cjk`."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _live_database(transactional_db):
    """The live server runs in another thread: the tests need real commits, not a wrapping transaction."""


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def login(page):
    def sign_in(user, target=None):
        target = target or page
        target.goto("/login/")
        target.fill("#id_username", user.get_username())
        target.fill("#id_password", PASSWORD)
        target.click("button[type=submit]")
        target.wait_for_url(lambda url: "/login/" not in url)
        return target

    return sign_in
