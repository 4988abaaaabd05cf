"""Run the application as the operator does: manage.py and gunicorn in subprocesses with the production
environment, and talk to it over HTTP like a browser behind the TLS proxy.

Used by tests/test_deploy.py, tests/test_security_settings.py and tests/test_two_servers.py.
"""

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = BASE_DIR / "deploy" / "gunicorn.conf.py"
HOST = "127.0.0.1"


def production_env(**variables: str) -> dict[str, str]:
    """Exactly the operator's variables (DEBUG unset), nothing inherited from the test process's Django setup."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    env.update(
        LANG="C.UTF-8",
        PYTHONUNBUFFERED="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
    )
    env.update(variables)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage_ok(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    result = manage(*args, env=env, timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """collectstatic once for the session's servers (needs no database): use it as STATIC_ROOT."""
    root = tmp_path_factory.mktemp("static")
    manage_ok("collectstatic", "--noinput", env=production_env(STATIC_ROOT=str(root)))
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`python -m gunicorn -c deploy/gunicorn.conf.py minsheng.wsgi:application --bind 127.0.0.1:PORT`."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int = 1):
        self.port = free_port()
        self.log_path = log_path
        self.env = {**env, "CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{self.port}"}
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(GUNICORN_CONFIG),
            "minsheng.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
        ]
        self.process = None

    def start(self, ready_status: int | None = 200, timeout: float = 30) -> "Gunicorn":
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.command, cwd=BASE_DIR, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited:\n{self.output()}"
            try:
                status = self.client().get("/health/").status
            except OSError:
                time.sleep(0.1)
                continue
            if ready_status is None or status == ready_status:
                return self
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer /health/ with {ready_status} in {timeout} s:\n{self.output()}")

    def stop(self) -> str:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)  # gunicorn's graceful_timeout is 30 s
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            self._log.close()
        return self.output()

    def wait_for_output(self, text: str, timeout: float = 5) -> str:
        """The log so far, once it contains `text` (gunicorn writes its access line after the response)."""
        deadline = time.monotonic() + timeout
        while text not in self.output() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.output()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self, **kwargs) -> "Client":
        return Client(self.port, **kwargs)

    def __enter__(self):
        return self if self.process is not None else self.start()

    def __exit__(self, *exc):
        self.stop()


@contextmanager
def running(*servers: Gunicorn):
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read()

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """A browser in front of nginx: sends X-Forwarded-Proto: https (the proxy's header), keeps cookies
    (Secure ones too: the browser did speak HTTPS to nginx), and sends the CSRF token and Origin on POST."""

    def __init__(self, port: int, forwarded_proto: str | None = "https"):
        self.port = port
        self.forwarded_proto = forwarded_proto
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        all_headers = {"Host": f"{HOST}:{self.port}"}
        if self.forwarded_proto:
            all_headers["X-Forwarded-Proto"] = self.forwarded_proto
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        all_headers.update(headers or {})
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = Response(connection.getresponse())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=Thu, 01 Jan 1970" not in cookie:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def _post_headers(self, content_type: str) -> dict:
        return {
            "Content-Type": content_type,
            "Origin": self.origin,
            "Referer": self.origin + "/",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }

    def post_form(self, path: str, data: dict) -> Response:
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request(
            "POST", path, urlencode(form).encode(), self._post_headers("application/x-www-form-urlencoded")
        )

    def post_json(self, path: str, payload) -> Response:
        return self.request("POST", path, json.dumps(payload).encode(), self._post_headers("application/json"))

    def login(self, username: str, password: str) -> Response:
        page = self.get("/login/")
        assert page.status == 200, page.text[:500]
        response = self.post_form("/login/", {"username": username, "password": password})
        assert response.status == 302 and response.header("Location") == "/", (response.status, response.text[:500])
        return response


class AssetParser(HTMLParser):
    """The stylesheets and scripts a page refers to, and any inline script or style it carries."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.assets.append(attributes["href"])
        elif tag == "script":
            if attributes.get("src"):
                self.assets.append(attributes["src"])
            elif attributes.get("type") != "application/json":
                self._in_script = True
        elif tag == "style":
            self.inline.append("<style>")
        self.inline += [f"{tag} {name}=" for name in attributes if name == "style" or name.startswith("on")]

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def page_assets(html: str) -> tuple[list[str], list[str]]:
    parser = AssetParser()
    parser.feed(html)
    return parser.assets, parser.inline


HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")
