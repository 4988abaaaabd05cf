"""Content-Security-Policy: scripts and styles only from our static files, and templates that need nothing else.

The browser side (no violation reported while the pages work) is tests/browser/test_csp_browser.py.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from assessment import services
from tests.servers import page_assets

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_no_template_has_inline_script_handlers_or_styles(template):
    text = (TEMPLATES / template).read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move the code to static/js"
    assert not HANDLER_ATTRIBUTE.search(text), "on...= handler: use addEventListener in static/js"
    assert not STYLE.search(text), "inline style: use a class in static/css"


def test_the_policy_allows_only_our_own_scripts_and_styles(client, db):
    policy = directives(client.get(reverse("login"))["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]  # Bootstrap's data: SVG icons


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


@pytest.mark.parametrize(
    "name, args",
    [
        ("home", []),
        ("entry_periods", []),
        ("entry_period", [2020, 9]),
        ("entry_grid", [2020, 9]),
        ("entry_indicators", [2020, 9]),
        ("entry_adjustments", [2020, 9]),
        ("entry_upload", [2020, 9]),
        ("entry_audit_log", [2020, 9]),
        ("period_tables", [2020, 9]),
        ("attachment1", [2020, 9]),
        ("attachment2", [2020, 9]),
        ("attachment3", [2020, 9]),
        ("password_change", []),
    ],
)
def test_pages_carry_the_policy_and_no_inline_code(client, office_admin, period, name, args):
    client.force_login(office_admin)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assets, inline = page_assets(response.content.decode())
    assert assets and not inline, inline


def test_error_pages_carry_the_policy(client, region_user, period):
    client.force_login(region_user)
    response = client.get(reverse("entry_grid", args=[2020, 9]))
    assert response.status_code == 403 and response["Content-Security-Policy"]
    assert client.get("/no-such-page/")["Content-Security-Policy"]
