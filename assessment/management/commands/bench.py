"""`make bench`: the scale benchmark of issue 14, on the configured database, inside a transaction that
is rolled back (the database is unchanged afterwards; on SQLite it holds the write lock meanwhile).

For each scale it generates a year (`assessment.synthetic`: months 1–11 published, 12 open) and a
second year of the same units with one month stored, then reports:

- every page's median ms through the test client (middleware, session, queries, template), its B1
  floor (the same cells pre-formatted in memory, rendered through a template that extends base.html,
  served the same way), the ratio and the queries per request;
- 附件2 and the whole-month workbook against a bare openpyxl write of the same cells;
- `import_scores` of a month (xlsx and csv, end to end) against bulk-inserting the same rows;
- a one-cell save through the services with 12 months stored and with 1;
- requests/s under gunicorn (2 workers, 4 clients) against an empty view (once, not per scale).

Timings are taken with DEBUG off (no query log); queries are counted in a separate run.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from openpyxl import Workbook

from accounts.roles import Role
from assessment import services
from assessment.benchmarks.views import FLOORS
from assessment.exports.registry import REGISTRY
from assessment.exports.tables import cell_value
from assessment.exports.xlsx import official_workbook, workbook_bytes
from assessment.models import Adjustment, IndicatorScore, Period, ProjectScore
from assessment.selectors import dashboard, tables, units
from assessment.selectors.grid import project_grid
from assessment.selectors.periods import visible_periods
from assessment.synthetic import generate_year
from minsheng.devguard import require_explicit_debug
from projects.models import AssessmentYear, Unit

SCALES = {
    "city": (5, 22, 43),
    "province": (100, 350, 44),
    "national": (2800, 350, 44),
    "smoke": (3, 12, 5),  # the test suite's tiny run; not part of a full run
}
FULL_RUN = ("city", "province", "national")
YEAR, ONE_MONTH_YEAR = 2097, 2098
BENCH_URLCONF = "assessment.benchmarks.urls"
SAVED_VALUES = (Decimal("1.400"), Decimal("1.450"))


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)

    def run(self, action: Callable[[], object]):
        start = time.perf_counter()
        value = action()
        self.seconds.append(time.perf_counter() - start)
        return value

    @property
    def ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def interleaved(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median ms of each action, the actions run in turn so that the machine's load hits them alike."""
    timings = {name: Timing() for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            timings[name].run(action)
    return {name: timing.ms for name, timing in timings.items()}


class Command(BaseCommand):
    help = "The scale benchmark (issue 14): pages, exports, import and a one-cell save at city/province/national size."

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="append", choices=sorted(SCALES), help="run only this scale (repeatable)")
        parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (the median is shown)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-server", action="store_true", help="skip the gunicorn requests/s measurement")
        parser.add_argument("--server-seconds", type=float, default=3.0)

    def handle(self, *args, scale, repeat, seed, no_server, server_seconds, **options):
        require_explicit_debug("基准测试（bench）")
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")
        for year in (YEAR, ONE_MONTH_YEAR):
            if AssessmentYear.objects.filter(year=year).exists():
                raise CommandError(f"year {year} exists; the benchmark needs it free")
        self.repeat, self.seed = repeat, seed
        self.say(f"minsheng benchmark on {connection.vendor}, {date.today().isoformat()}, median of {repeat} runs")
        if not no_server:
            self.say(f"gunicorn (2 workers, 4 clients), empty view: {self.server_rate(server_seconds):,.0f} requests/s")
        for name in scale or FULL_RUN:
            with transaction.atomic():
                try:
                    self.run_scale(name, *SCALES[name])
                finally:
                    transaction.set_rollback(True)
        self.say("Everything was rolled back; the database is unchanged.")

    def say(self, line: str = "") -> None:
        self.stdout.write(line)

    # ------------------------------------------------------------------ one scale

    def run_scale(self, name: str, regions: int, departments: int, projects: int) -> None:
        self.say()
        self.say(f"## {name}: {regions} regions, {departments} departments, {projects} projects, 12 months")
        Unit.objects.filter(is_active=True).update(is_active=False)
        start = time.perf_counter()
        generated = generate_year(
            year=YEAR, regions=regions, departments=departments, projects=projects, months=12, seed=self.seed
        )
        generated_in = time.perf_counter() - start
        start = time.perf_counter()
        one_month = generate_year(
            year=ONE_MONTH_YEAR,
            regions=regions,
            departments=departments,
            projects=projects,
            months=1,
            seed=self.seed,
            units=(generated.regions, generated.departments),
        )
        counts = ", ".join(f"{count:,} {what}" for what, count in generated.counts.items())
        self.say(f"generated in {generated_in:.1f} s (+ {time.perf_counter() - start:.1f} s one month): {counts}")
        user = self.office_user()
        with override_settings(ROOT_URLCONF=BENCH_URLCONF):
            self.pages(generated, user)
        self.exports(generated)
        self.imports(one_month)
        self.saves(generated, one_month)

    def office_user(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        user = get_user_model().objects.create_user(username=f"bench-{time.time_ns()}", password=None)
        user.groups.add(Group.objects.get_or_create(name=Role.OFFICE_ADMIN.value)[0])
        return user

    # ------------------------------------------------------------------ pages

    def pages(self, generated, user) -> None:
        client = Client()
        client.force_login(user)
        published, open_period = generated.periods[-2], generated.periods[-1]
        region = generated.regions[len(generated.regions) // 2]
        pages = {
            "附件1": (self.url("attachment1", published), attachment1_floor(published)),
            "附件2": (self.url("attachment2", published), attachment2_floor(published)),
            "附件3": (self.url("attachment3", published), attachment3_floor(published)),
            "region grid (a page of 20)": (self.url("entry_grid", open_period), grid_floor(open_period, user)),
            "unit page (a region)": (
                reverse("unit_detail", args=[region.pk]) + f"?year={YEAR}",
                unit_floor(region, generated.year, user),
            ),
            "dashboard": (reverse("home"), dashboard_floor(published, open_period)),
        }
        self.say()
        self.say(f"{'page':<28} {'median ms':>10} {'B1 ms':>8} {'ratio':>6} {'queries':>8}")
        for label, (url, floor_rows) in pages.items():
            key = f"f{len(FLOORS)}"
            FLOORS[key] = floor_rows
            floor_url = reverse("bench_floor", args=[key])
            for target in (url, floor_url):
                assert client.get(target).status_code == 200, target  # warm up, and fail loudly
            reset_queries()  # the query log is a bounded deque: start it empty
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            count = len(queries)  # now: each request clears the query log
            with override_settings(DEBUG=False):
                ms = interleaved(
                    {"page": lambda u=url: client.get(u), "floor": lambda u=floor_url: client.get(u)}, self.repeat
                )
            ratio = ms["page"] / ms["floor"]
            self.say(f"{label:<28} {ms['page']:>10.1f} {ms['floor']:>8.1f} {ratio:>5.2f}× {count:>8}")

    @staticmethod
    def url(name: str, period: Period) -> str:
        return reverse(name, kwargs={"year": period.year.year, "month": period.month})

    # ------------------------------------------------------------------ exports

    def exports(self, generated) -> None:
        period = generated.periods[-2]
        attachment2 = REGISTRY["attachment-2"]
        one = attachment2.tables(period, attachment2.data(period))
        month = REGISTRY["month"].tables(period, None)
        self.say()
        self.say(f"{'xlsx export':<28} {'median ms':>10} {'bare ms':>8} {'ratio':>6} {'cells':>9}")
        for label, official_tables in (("附件2", one), ("whole month (附件1-3)", month)):
            ms = interleaved(
                {
                    "ours": lambda t=official_tables: workbook_bytes(official_workbook(t)),
                    "bare": lambda t=official_tables: bare_workbook(t),
                },
                self.repeat,
            )
            cells = sum(len(t.columns) * sum(len(s.rows) for s in t.sections) for t in official_tables)
            ratio = ms["ours"] / ms["bare"]
            self.say(f"{label:<28} {ms['ours']:>10.1f} {ms['bare']:>8.1f} {ratio:>5.2f}× {cells:>9,}")

    # ------------------------------------------------------------------ import

    def imports(self, one_month) -> None:
        period = one_month.periods[0]
        rows = long_format_rows(period, month=2)
        floor_rows = rows_to_models(period, one_month.year, month=2)
        self.say()
        self.say(f"{'import_scores (a month)':<28} {'rows/s':>10} {'ms':>8} {'floor ms':>9} {'ratio':>6}")
        with tempfile.TemporaryDirectory() as directory:
            paths = {"xlsx": Path(directory) / "month.xlsx", "csv": Path(directory) / "month.csv"}
            write_xlsx(paths["xlsx"], rows)
            write_csv(paths["csv"], rows)
            for kind, path in paths.items():
                timings = {"import": Timing(), "floor": Timing()}
                with override_settings(DEBUG=False):
                    for _ in range(max(1, self.repeat // 2)):
                        timings["floor"].run(lambda: in_savepoint(lambda: bulk_insert(floor_rows)))
                        timings["import"].run(lambda p=path: in_savepoint(lambda: import_file(p)))
                count = len(rows) - 1
                ms, floor_ms = timings["import"].ms, timings["floor"].ms
                label = f"{count:,} rows, {kind}"
                self.say(f"{label:<28} {count / ms * 1000:>10,.0f} {ms:>8.0f} {floor_ms:>9.0f} {ms / floor_ms:>5.2f}×")

    # ------------------------------------------------------------------ one-cell save

    def saves(self, generated, one_month) -> None:
        self.say()
        self.say(f"{'one-cell save (services)':<28} {'median ms':>10} {'queries':>8}")
        results = {}
        for label, period in (("12 months stored", generated.periods[-1]), ("1 month stored", one_month.periods[0])):
            cells = list(ProjectScore.objects.filter(period=period).select_related("region", "project")[:2])

            def save(index=[0], cells=cells, period=period):  # noqa: B006 (a counter across calls)
                index[0] += 1
                cell = cells[index[0] % len(cells)]
                value = SAVED_VALUES[index[0] % 2]
                item = services.ProjectScoreInput(cell.region, cell.project, value, reason="基准测试")
                services.save_project_scores(user=None, period=period, items=[item])

            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                save()
            count = len(queries)
            timing = Timing()
            with override_settings(DEBUG=False):
                for _ in range(self.repeat):
                    timing.run(save)
            results[label] = timing.ms
            self.say(f"{label:<28} {timing.ms:>10.1f} {count:>8}")
        ratio = results["12 months stored"] / results["1 month stored"]
        self.say(f"{'ratio 12 / 1':<28} {ratio:>9.2f}×")

    # ------------------------------------------------------------------ server

    def server_rate(self, seconds: float) -> float:
        port = free_port()
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "minsheng.settings",
            "DEBUG": os.environ.get("DEBUG", "1"),
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        process = subprocess.Popen(
            [*command, "assessment.benchmarks.wsgi:application"], env=environment, cwd=settings.BASE_DIR
        )
        url = f"http://127.0.0.1:{port}/bench/empty/"
        try:
            wait_for(url)
            done, stop = [0] * 4, time.perf_counter() + seconds

            def client(index):
                while time.perf_counter() < stop:
                    with urllib.request.urlopen(url) as response:
                        response.read()
                    done[index] += 1

            threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return sum(done) / seconds
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


# ---------------------------------------------------------------------- floors: the same cells, pre-formatted


def attachment1_floor(period) -> list[list[str]]:
    data = tables.attachment1(period)
    rows = []
    for title, block in data.blocks:
        rows.append([title])
        rows += [[r.unit, text(r.score), str(r.rank or ""), text(r.ytd_score), str(r.ytd_rank or "")] for r in block]
    return rows


def attachment2_floor(period) -> list[list[str]]:
    data = tables.attachment2(period)
    rows = [[row.label, row.department, *(cell.text for cell in row.cells), row.average_text] for row in data.rows]
    rows.append(["民生办加(扣)分", "", *data.adjustment_texts, ""])
    return rows + [[note] for note in data.notes]


def attachment3_floor(period) -> list[list[str]]:
    data = tables.attachment3(period)
    return [
        [str(r.number), r.short_name, *r.indicator_texts, r.adjustment_text, r.score_text, r.remarks] for r in data.rows
    ]


def grid_floor(period, user) -> list[list[str]]:
    """The grid's cells as the markup they print as (the same <td><input …></td>), pre-built."""
    from django.utils.safestring import mark_safe

    from assessment.templatetags.entry_grid import grid_cells

    grid = project_grid(period, user, page=1)
    rows = []
    for row in grid.rows:
        cells = mark_safe(grid_cells(row.cells))
        rows.append([row.project.display_code, row.project.name, row.project.responsible_department.short_name, cells])
    return rows


def unit_floor(unit, assessment_year, user) -> list[list[str]]:
    data = units.unit_year(unit, assessment_year, list(visible_periods(user, year=assessment_year, tables=True)))
    rows = [
        [m.period.label, text(m.score), str(m.rank or ""), text(m.ytd_score), text(m.peer_average), m.change]
        for m in data.months
    ]
    return rows + [[i.period.label, i.item, text(i.points), i.reason] for i in data.items]


def dashboard_floor(published, open_period) -> list[list[str]]:
    board = dashboard.Dashboard()
    dashboard.published_highlights(board, published)
    edges = [*board.top.values(), *board.bottom.values()]
    rows = [[r.unit, text(r.score), str(r.rank)] for groups in edges for group in groups for r in group.rows]
    rows += [[m.row.unit, m.change] for m in board.moves]
    rows += [[p.label, str(p.regions), "、".join(p.regions_list)] for p in board.deductions]
    rows += [[c.label, f"{c.entered} / {c.expected}", f"{c.percent}%"] for c in dashboard.completeness(open_period)]
    return rows


def text(value) -> str:
    return "" if value is None else f"{value:.3f}"


# ---------------------------------------------------------------------- exports, import


def bare_workbook(official_tables) -> bytes:
    """The same cells written by openpyxl with nothing else: no styles, merges, sizes or print setup."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in official_tables:
        ws = workbook.create_sheet(table.attachment)
        ws.append([column.header for column in table.columns])
        for section in table.sections:
            for row in section.rows:
                ws.append([cell_value(value, column.kind) for column, value in zip(table.columns, row, strict=True)])
        for note in table.notes:
            ws.append([note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["年度", "月份", "单位", "考评项", "分值", "说明"]


def long_format_rows(period, month: int) -> list[list]:
    """The period's numbers as a long-format file of another month of the same year."""
    year = period.year.year
    rows = [HEADER]
    for name, code, score, not_applicable, reason in ProjectScore.objects.filter(period=period).values_list(
        "region__name", "project__code", "score", "not_applicable", "reason"
    ):
        rows.append([year, month, name, code, "—" if not_applicable else score, reason])
    for name, indicator, score, reason in IndicatorScore.objects.filter(period=period).values_list(
        "department__name", "indicator__name", "score", "reason"
    ):
        rows.append([year, month, name, indicator, score, reason])
    for name, points, reason in Adjustment.objects.filter(period=period).values_list("unit__name", "points", "reason"):
        rows.append([year, month, name, "加扣分", points, reason])
    return rows


def rows_to_models(period, assessment_year, month: int):
    """The same rows as unsaved model instances of a new period: what a bare bulk insert writes."""
    target = Period(year=assessment_year, month=month)

    def build():
        target.save()
        scores = [
            ProjectScore(period=target, region_id=s.region_id, project_id=s.project_id, score=s.score, reason=s.reason)
            for s in ProjectScore.objects.filter(period=period).only("region_id", "project_id", "score", "reason")
        ]
        indicators = [
            IndicatorScore(
                period=target,
                department_id=s.department_id,
                indicator_id=s.indicator_id,
                score=s.score,
                reason=s.reason,
            )
            for s in IndicatorScore.objects.filter(period=period)
        ]
        adjustments = [
            Adjustment(period=target, unit_id=a.unit_id, points=a.points, reason=a.reason, category=a.category)
            for a in Adjustment.objects.filter(period=period)
        ]
        return scores, indicators, adjustments

    return build


def bulk_insert(build) -> None:
    scores, indicators, adjustments = build()
    ProjectScore.objects.bulk_create(scores, batch_size=1000)
    IndicatorScore.objects.bulk_create(indicators, batch_size=1000)
    Adjustment.objects.bulk_create(adjustments, batch_size=1000)


def import_file(path: Path) -> None:
    call_command("import_scores", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def in_savepoint(action) -> None:
    with transaction.atomic():
        action()
        transaction.set_rollback(True)


def write_xlsx(path: Path, rows) -> None:
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("导入")
    for row in rows:
        ws.append([str(value) if isinstance(value, Decimal) else value for value in row])
    workbook.save(path)


def write_csv(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


# ---------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.perf_counter() + seconds
    while True:
        try:
            with urllib.request.urlopen(url) as response:
                response.read()
            return
        except OSError:
            if time.perf_counter() > deadline:
                raise CommandError("gunicorn did not start") from None
            time.sleep(0.2)
