"""Several application servers on one PostgreSQL database (PostgreSQL only; skipped on SQLite).

Two gunicorn instances (two workers each, production settings) share the test database. Office staff
signed in on both save the same cells at once, then the office admin closes and publishes the month
while the saves go on. Only HTTP drives the app; the ORM checks the outcome:

- no lost update: each cell's final value is the value of an accepted save, the last one audited, and
  its version is one more per accepted save;
- the audit log has exactly one row per accepted change, and none after the publication;
- the stored results equal a recomputation from the raw scores.
"""

import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, transaction

from assessment import services
from assessment.models import AuditAction, AuditEntry, Period, PeriodStatus, ProjectScore, UnitResult
from assessment.results import recompute_results
from projects.models import Project, Unit
from tests.conftest import PASSWORD
from tests.periods import fill_period
from tests.servers import Gunicorn, collected_static, production_env, running  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several servers on one database: PostgreSQL only",
    ),
]

YEAR, MONTH = 2020, 9
SAVE_URL = f"/entry/{YEAR}/{MONTH}/grid/save/"
STATUS_URL = f"/entry/{YEAR}/{MONTH}/status/"
WRITERS_PER_SERVER = 2
SAVES_PER_WRITER = 6


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def servers_can_check(user) -> None:
    """The servers use the production hashers (the tests' MD5 is not among them): a cheap PBKDF2 hash."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


@dataclass
class Log:
    """What the writers were told, per cell key "region-project"."""

    accepted: dict = field(default_factory=dict)  # key -> [value text]
    conflicts: int = 0
    misreported: list = field(default_factory=list)  # (key, value sent, expected version, reply)
    refused: list = field(default_factory=list)  # (status, messages) of whole requests refused
    lock: threading.Lock = field(default_factory=threading.Lock)


class Writer(threading.Thread):
    """A staff member saving the same cells again and again, keeping their value after a conflict."""

    def __init__(self, client, cells, first_value: int, log: Log, saves: int, stop: threading.Event | None = None):
        super().__init__()
        self.client, self.cells, self.log, self.saves, self.stop = client, cells, log, saves, stop
        self.next_value = first_value
        self.versions = {key: version for key, version in cells.items()}
        self.error = None
        self.url = SAVE_URL

    def run(self):
        try:
            for _ in range(self.saves):
                if self.stop is not None and self.stop.is_set():
                    break
                self.save_once()
        except BaseException as error:  # reported by the test
            self.error = error

    def save_once(self):
        value = f"{Decimal(1000 + self.next_value) / 1000:.3f}"
        self.next_value += 1
        changes = []
        for key in self.cells:
            region, project = map(int, key.split("-"))
            version = self.versions[key]
            reason = f"{self.name} 第{self.next_value}次 {key}"
            changes.append({"region": region, "project": project, "value": value, "reason": reason, "version": version})
        response = self.client.post_json(self.url, {"changes": changes})
        if response.status != 200:
            is_json = response.header("Content-Type").startswith("application/json")
            messages = [error["message"] for error in response.json()["errors"]] if is_json else [response.text[:80]]
            with self.log.lock:
                self.log.refused.append((response.status, messages))
            return
        reply = response.json()
        sent = {f"{c['region']}-{c['project']}": c for c in changes}
        with self.log.lock:
            for saved in reply["saved"]:
                key = saved["key"]
                self.log.accepted.setdefault(key, []).append(value)
                if saved["value"] != value or saved["version"] != sent[key]["version"] + 1:
                    self.log.misreported.append((key, value, sent[key]["version"] + 1, saved))
                self.versions[key] = saved["version"]
        with self.log.lock:
            self.log.conflicts += len(reply["conflicts"])
        for conflict in reply["conflicts"]:
            self.versions[conflict["key"]] = conflict["theirs_version"]  # keep my value, save again
        assert not reply["errors"], reply["errors"]


def login(server: Gunicorn, username: str):
    client = server.client()
    client.login(username, PASSWORD)
    return client


def results_snapshot(period, month=None):
    fields = ("unit_id", "score", "rank", "ytd_score", "ytd_rank", "imputed", "adjustment_total", "missing")
    results = UnitResult.objects.filter(period__year_id=period.year_id)
    if month is not None:
        results = results.filter(period__month=month)
    return sorted(results.values_list("period__month", *fields))


def assert_no_lost_update(period, cells, log: Log, since: int):
    for key in cells:
        region, project = map(int, key.split("-"))
        row = ProjectScore.objects.get(period=period, region_id=region, project_id=project)
        accepted = log.accepted.get(key, [])
        audits = list(
            AuditEntry.objects.filter(
                period=period, unit_id=region, project_id=project, pk__gt=since, action__startswith="score."
            ).order_by("pk")
        )  # publishing also records the ledger's findings of these cells: not score changes
        assert [a.action for a in audits] == [AuditAction.SCORE_CHANGED] * len(accepted), key
        assert sorted(a.new_value for a in audits) == sorted(accepted), key
        assert row.version == 1 + len(accepted), key  # version 1 from the fill, +1 per accepted save
        assert f"{row.score:.3f}" == audits[-1].new_value and f"{row.score:.3f}" in accepted, key
        # Each accepted change's old value is the value before it: a chain, nothing overwritten unseen.
        assert [a.old_value for a in audits[1:]] == [a.new_value for a in audits[:-1]], key


def assert_results_match_a_recomputation(period):
    stored = results_snapshot(period)
    with transaction.atomic():
        recompute_results(Period.objects.get(pk=period.pk))
        recomputed = results_snapshot(period)
        transaction.set_rollback(True)
    assert stored == recomputed


@pytest.fixture
def shared_database(transactional_db, office_staff, office_admin):
    """Committed data the servers can see: September 2020 complete and open, and three contended cells."""
    period = services.get_or_create_period(year=YEAR, month=MONTH, user=office_admin)
    fill_period(period, user=office_admin)
    for user in (office_staff, office_admin):
        servers_can_check(user)
    regions = list(Unit.objects.regions()[:2])
    project = Project.objects.get(year__year=YEAR, code="4")
    cells = {f"{region.pk}-{project.pk}": 1 for region in regions}
    other = Project.objects.get(year__year=YEAR, code="12-1")
    cells[f"{regions[0].pk}-{other.pk}"] = 1
    return period, cells


@pytest.fixture
def two_servers(shared_database, collected_static, tmp_path):  # noqa: F811 - the imported fixture
    env = production_env(DATABASE_URL=database_url(), STATIC_ROOT=str(collected_static))
    servers = [Gunicorn(env, tmp_path / f"gunicorn-{n}.log", workers=2) for n in (1, 2)]
    with running(*servers):
        yield servers
    wait_until_the_servers_left_the_database()


def wait_until_the_servers_left_the_database(timeout: float = 10) -> None:
    """A stopped server's database sessions end a moment later; the test database is dropped at the end."""
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(others)
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


def start_writers(servers, cells, log, first_value, saves, stop=None):
    writers = []
    for number, server in enumerate(servers):
        for slot in range(WRITERS_PER_SERVER):
            writer = Writer(login(server, "office-staff"), cells, first_value, log, saves, stop)
            writer.name = f"server{number + 1}-writer{slot + 1}"
            first_value += saves
            writers.append(writer)
    for writer in writers:
        writer.start()
    return writers


def wait_for_accepted(log: Log, more: int, timeout: float = 20) -> None:
    with log.lock:
        target = sum(map(len, log.accepted.values())) + more
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with log.lock:
            if sum(map(len, log.accepted.values())) >= target:
                return
        time.sleep(0.02)


def join(writers):
    for writer in writers:
        writer.join(timeout=60)
        assert not writer.is_alive(), f"{writer.name} still running"
        assert writer.error is None, f"{writer.name}: {writer.error!r}"


def test_concurrent_saves_through_two_servers_lose_no_update(two_servers, shared_database):
    period, cells = shared_database
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    log = Log()
    join(start_writers(two_servers, cells, log, first_value=0, saves=SAVES_PER_WRITER))

    assert not log.refused, log.refused
    assert log.conflicts > 0  # the writers did collide: all four started from the same versions
    assert all(log.accepted.get(key) for key in cells)
    assert_no_lost_update(period, cells, log, since)
    assert_results_match_a_recomputation(period)
    # Each writer was told its own value and version for every change reported saved.
    assert not log.misreported, log.misreported


def test_publishing_while_two_servers_save_freezes_exactly_what_was_published(two_servers, shared_database):
    period, cells = shared_database
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    log = Log()
    admin = login(two_servers[1], "office-admin")
    assert admin.get(f"/entry/{YEAR}/{MONTH}/").status == 200
    stop = threading.Event()
    writers = start_writers(two_servers, cells, log, first_value=100, saves=4 * SAVES_PER_WRITER, stop=stop)
    try:
        for status in (PeriodStatus.CLOSED, PeriodStatus.PUBLISHED):
            wait_for_accepted(log, more=4)  # some saves land while open, some while closed (office staff may)
            response = admin.post_form(STATUS_URL, {"status": status, "reason": ""})
            assert response.status == 302, response.text[:300]
    finally:
        # Let the writers run into the published month for a moment, then stop them.
        threading.Timer(1.0, stop.set).start()
        join(writers)

    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED and period.published_at is not None
    published = AuditEntry.objects.get(period=period, action=AuditAction.PERIOD_PUBLISHED)
    closed = AuditEntry.objects.get(period=period, action=AuditAction.PERIOD_CLOSED)
    assert since < closed.pk < published.pk
    # publishing writes its own entries after PERIOD_PUBLISHED (the ledger's findings): only score changes count
    score_audits = AuditEntry.objects.filter(period=period, pk__gt=since, action__startswith="score.")
    assert not score_audits.filter(pk__gt=published.pk).exists(), "a score changed after publication"
    # Refused once published: by the view's edit check (403) or by the service under the period lock (400).
    refusals = {
        (status, "已发布" in text or "您不能修改" in text) for status, messages in log.refused for text in messages
    }
    assert refusals <= {(400, True), (403, True)}, log.refused
    assert_no_lost_update(period, cells, log, since)
    assert_results_match_a_recomputation(period)


def test_publishing_a_month_while_the_month_before_is_saved_keeps_the_published_figures(
    two_servers, shared_database, office_admin
):
    """A save of August must not slip in after September (whose year to date includes it) is published, and
    neither request may fail."""
    september, cells = shared_database
    august = services.get_or_create_period(year=YEAR, month=MONTH - 1, user=office_admin)
    fill_period(august, user=office_admin)
    services.change_period_status(user=office_admin, period=september, status=PeriodStatus.CLOSED)
    log = Log()
    admin = login(two_servers[1], "office-admin")
    assert admin.get(f"/entry/{YEAR}/{MONTH}/").status == 200
    stop = threading.Event()
    august_url = f"/entry/{YEAR}/{MONTH - 1}/grid/save/"
    writers = start_writers(two_servers, cells, log, first_value=200, saves=4 * SAVES_PER_WRITER, stop=stop)
    for writer in writers:
        writer.url = august_url
    try:
        wait_for_accepted(log, more=4)
        response = admin.post_form(STATUS_URL, {"status": PeriodStatus.PUBLISHED, "reason": ""})
        assert response.status == 302, response.text[:300]
        published_results = results_snapshot(september, month=MONTH)
    finally:
        threading.Timer(1.0, stop.set).start()
        join(writers)

    september.refresh_from_db()
    assert september.status == PeriodStatus.PUBLISHED
    assert all(status in (400, 403) for status, _ in log.refused), log.refused  # refused, never a 500
    assert results_snapshot(september, month=MONTH) == published_results, "published figures changed"
    assert_results_match_a_recomputation(september)
