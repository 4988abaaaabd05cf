"""The production deployment as README "Deploying" describes it: DEBUG unset, the operator's variables,
migrate, load_reference, collectstatic, then gunicorn with deploy/gunicorn.conf.py behind a (simulated)
TLS proxy. Every page is served with its CSS and JS (hashed names, gzip), under the CSP."""

import gzip

import pytest

from tests.servers import HASHED_NAME, Gunicorn, manage_ok, page_assets, production_env

pytestmark = pytest.mark.server

ADMIN = ("operator-admin", "a-long-operator-password-2020")
REQUEST_ID = "nginx-req-0123456789abcdef"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated SQLite database with the reference data and a superuser, and collected static files."""
    root = tmp_path_factory.mktemp("site")
    env = production_env(DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}", STATIC_ROOT=str(root / "static"))
    manage_ok("migrate", "--noinput", env=env)
    manage_ok("load_reference", "tongling_2020", "--year", "2020", env=env)
    manage_ok(
        "createsuperuser",
        "--noinput",
        env={
            **env,
            "DJANGO_SUPERUSER_USERNAME": ADMIN[0],
            "DJANGO_SUPERUSER_PASSWORD": ADMIN[1],
            "DJANGO_SUPERUSER_EMAIL": "admin@example.gov.cn",
        },
    )
    manage_ok("collectstatic", "--noinput", env=env)
    region = manage_ok("shell", "-c", "print(Unit.objects.get(name='义安区').pk)", env=env).split()[-1]
    return root, env, region


@pytest.fixture(scope="module")
def server(site):
    root, env, _ = site
    gunicorn = Gunicorn(env, root / "gunicorn.log").start()
    yield gunicorn
    gunicorn.stop()


@pytest.fixture(scope="module")
def signed_in(server):
    client = server.client()
    client.login(*ADMIN)
    return client


def assert_assets_served(client, html: str) -> list[str]:
    assets, inline = page_assets(html)
    assert assets, "the page refers to no CSS or JS"
    assert not inline, f"inline script or style: {inline}"
    for url in assets:
        assert url.startswith("/static/") and HASHED_NAME.search(url), url
        plain = client.get(url)
        assert plain.status == 200, url
        assert "max-age=315360000" in plain.header("Cache-Control"), url  # hashed: cacheable for ever
        compressed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert compressed.status == 200 and compressed.header("Content-Encoding") == "gzip", url
        assert gzip.decompress(compressed.body) == plain.body
    return assets


def test_the_login_page_is_served_with_hashed_compressed_css_and_js_and_the_security_headers(server):
    client = server.client()
    response = client.get("/login/", headers={"X-Request-ID": REQUEST_ID})
    assert response.status == 200
    assert "民生工程月度考评系统" in response.text and 'name="password"' in response.text
    assets = assert_assets_served(client, response.text)
    assert any("bootstrap.min" in url for url in assets) and any(url.endswith(".js") for url in assets)
    csp = response.header("Content-Security-Policy")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "max-age=31536000" in response.header("Strict-Transport-Security")
    assert response.header("X-Request-ID") == REQUEST_ID
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert "Secure" in response.headers.get("Set-Cookie", "")  # the CSRF cookie


@pytest.mark.parametrize(
    "path, text",
    [
        ("/", "首页"),
        ("/entry/", "考评月份"),
        ("/units/{region}/?year=2020", "义安区"),
        ("/account/password/", "修改密码"),
        ("/admin/", "考评基础数据"),
    ],
)
def test_signed_in_pages_are_served_with_their_assets(site, signed_in, path, text):
    path = path.format(region=site[2])
    response = signed_in.get(path)
    assert response.status == 200, (path, response.text[:300])
    assert text in response.text
    assert response.header("Content-Security-Policy")
    assert_assets_served(signed_in, response.text)


def test_plain_http_is_redirected_to_https_but_the_health_check_is_not(server):
    client = server.client(forwarded_proto=None)
    redirect = client.get("/login/")
    assert redirect.status == 301 and redirect.header("Location") == f"https://127.0.0.1:{server.port}/login/"
    health = client.get("/health/")
    assert health.status == 200 and health.json()["status"] == "ok"


def test_a_missing_page_is_the_chinese_404_and_logs_carry_the_request_id(server):
    response = server.client().get("/no-such-page/", headers={"X-Request-ID": REQUEST_ID + "-404"})
    assert response.status == 404
    assert "页面不存在" in response.text and "Not Found" not in response.text
    assert response.header("X-Request-ID") == REQUEST_ID + "-404"
    output = server.wait_for_output(f"request_id={REQUEST_ID}-404")
    django_line = next(line for line in output.splitlines() if "Not Found: /no-such-page/" in line)
    assert f"[{REQUEST_ID}-404] django.request" in django_line
    assert any(f"request_id={REQUEST_ID}-404" in line and "GET /no-such-page/" in line for line in output.splitlines())


def test_a_database_outage_is_the_chinese_500_page_and_the_health_check_says_503(site, tmp_path):
    root, env, _ = site
    broken = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}"}
    with Gunicorn(broken, tmp_path / "broken.log").start(ready_status=503) as gunicorn:
        client = gunicorn.client()
        health = client.get("/health/")
        assert health.status == 503
        assert health.json() == {"status": "error", "database": "unavailable", "message": "数据库无法连接。"}
        client.cookies["sessionid"] = "a-session-that-needs-the-database"
        page = client.get("/")
        assert page.status == 500
        assert "服务器暂时无法处理您的请求" in page.text and "Server Error" not in page.text
        assert_assets_served(client, page.text)
