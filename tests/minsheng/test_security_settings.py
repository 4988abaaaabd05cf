"""The operator's contract: settings from the environment alone, production unless DEBUG=1 is explicit,
and the destructive development commands refused in production whatever else is set."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from minsheng.devguard import require_explicit_debug
from tests.servers import manage, manage_ok, production_env

SETTINGS_PROBE = (
    "import json; from django.conf import settings as s; print(json.dumps({name: getattr(s, name, None) for name in "
    "['DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SESSION_COOKIE_AGE', 'SESSION_SAVE_EVERY_REQUEST', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'ALLOWED_HOSTS', "
    "'CSRF_TRUSTED_ORIGINS', 'SECURE_PROXY_SSL_HEADER']}, default=str))"
)


def production(**extra):
    variables = {
        "ALLOWED_HOSTS": "minsheng.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://minsheng.example.gov.cn",
        "DATABASE_URL": "postgres://minsheng:s3cret@127.0.0.1:5432/minsheng",
    }
    return production_env(**{**variables, **extra})


def probe(env) -> dict:
    return json.loads(manage_ok("shell", "--no-imports", "-c", SETTINGS_PROBE, env=env).strip().splitlines()[-1])


@pytest.mark.server
def test_check_deploy_passes_with_exactly_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.server
@pytest.mark.parametrize("debug", [None, "0", ""])
def test_debug_unset_or_0_is_production_with_https_hsts_and_secure_cookies(debug):
    env = production() if debug is None else production(DEBUG=debug)
    values = probe(env)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True and values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["ALLOWED_HOSTS"] == ["minsheng.example.gov.cn"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://minsheng.example.gov.cn"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # A working day idle: every request moves the 8-hour expiry on; the cookie dies with the browser.
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


@pytest.mark.server
def test_manage_py_no_longer_turns_debug_on_without_a_secret_key():
    env = production()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.server
def test_debug_1_is_development_without_https():
    env = production(DEBUG="1")
    del env["SECRET_KEY"]
    values = probe(env)
    assert values["DEBUG"] is True and values["SECURE_SSL_REDIRECT"] is False


# The destructive commands ------------------------------------------------------------------------

PROBE_DATA = (
    "from django.contrib.auth import get_user_model; from assessment.models import AuditEntry, Period; "
    "admin = get_user_model().objects.get(username='admin'); "
    "print(admin.password, Period.objects.count(), AuditEntry.objects.count())"
)
MAKE_DATA = (
    "from django.contrib.auth import get_user_model; from assessment import services; "
    "admin = get_user_model().objects.get(username='admin'); admin.set_password('the-office-own-password'); "
    "admin.save(); services.get_or_create_period(year=2020, month=1, user=admin)"
)


@pytest.fixture(scope="module")
def production_database(tmp_path_factory):
    """A database with an admin whose password is the office's own, and a period with its audit entry."""
    env = production(DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('prod') / 'db.sqlite3'}")
    manage_ok("migrate", "--noinput", env=env)
    manage_ok("load_reference", env=env)
    manage_ok("create_demo_users", env={**env, "DEBUG": "1"})
    manage_ok("shell", "--no-imports", "-c", MAKE_DATA, env={**env, "DEBUG": "1"})
    return env


def data_state(env) -> str:
    return manage_ok("shell", "--no-imports", "-c", PROBE_DATA, env=env).strip()


DESTRUCTIVE = {
    "load_demo": ["load_demo", "--reset"],
    "create_demo_users": ["create_demo_users"],
    "bench": ["bench", "--scale", "smoke", "--no-server"],
    "generate_demo": ["generate_demo", "--regions", "2", "--departments", "2", "--projects", "2", "--year", "2097"],
}


@pytest.mark.server
@pytest.mark.parametrize(
    "command, debug",
    [(DESTRUCTIVE[name], None) for name in DESTRUCTIVE]
    + [(DESTRUCTIVE["load_demo"], "0"), (DESTRUCTIVE["create_demo_users"], "yes"), (DESTRUCTIVE["load_demo"], "false")],
)
def test_destructive_commands_refuse_without_explicit_debug_and_change_nothing(production_database, command, debug):
    env = dict(production_database)
    if debug is not None:
        env["DEBUG"] = debug
        if debug == "yes":  # settings treat it as on; the guard insists on an explicit 1/true
            del env["SECRET_KEY"]
    before = data_state(production_database)
    assert before.split()[1:] == ["1", "2"]  # one period; audit: load_reference's entry and the period's
    result = manage(*command, env=env)
    assert result.returncode != 0
    assert "只能在开发环境中运行：请显式设置环境变量 DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr
    assert data_state(production_database) == before


def test_the_guard_reads_the_environment_even_when_settings_debug_is_forced(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="只能在开发环境中运行"):
        call_command("create_demo_users")
    with pytest.raises(CommandError, match="加载演示数据"):
        require_explicit_debug("加载演示数据")


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " 1 "])
def test_the_guard_lets_an_explicit_debug_through(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    require_explicit_debug("测试")
