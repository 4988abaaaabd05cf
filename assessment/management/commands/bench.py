"""Benchmark of the stored-results design at national scale, inside a transaction that is rolled back.

A throwaway year (default 2099: 100 regions × 200 projects, 300 departments × 2 indicators, 12 months,
240,000 project scores) is bulk-inserted, its results are derived month by month, and then the command
times and counts the queries of: a one-cell write through the service, `recompute_results` of one period
after a change (the current month, and January, whose change rewrites the year to date of every later
month), `selectors.rankings`, and, for comparison, ranking the month from the raw scores of the whole year
(what every page would cost without stored results). Nothing is kept: the transaction is rolled back,
so the database is unchanged afterwards. The transaction holds write locks while it runs (on SQLite the
whole database), so run it against a development database, not a live one.
"""

import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessment import scoring, services
from assessment.models import Adjustment, AdjustmentCategory, IndicatorScore, Period, ProjectScore, UnitResult
from assessment.results import period_inputs, recompute_results
from assessment.selectors.rankings import rankings
from assessment.selectors.reference import period_units
from minsheng.devguard import require_explicit_debug
from projects.models import AssessmentYear, Indicator, Project, Unit, UnitKind

BATCH = 2000


def points(thousandths: int) -> Decimal:
    return Decimal(thousandths).scaleb(-3)


class Measurement:
    def __init__(self, label: str):
        self.label = label
        self.seconds: list[float] = []
        self.queries: list[int] = []

    def run(self, action: Callable[[], object]):
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            value = action()
            self.seconds.append(time.perf_counter() - start)
        self.queries.append(len(context.captured_queries))
        return value

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.seconds) * 1000


class Command(BaseCommand):
    help = (
        "Time recompute_results, selectors.rankings and a naive whole-year ranking on a national-scale "
        "throwaway year, built with bulk inserts in a transaction that is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=100)
        parser.add_argument("--projects", type=int, default=200)
        parser.add_argument("--departments", type=int, default=300)
        parser.add_argument("--months", type=int, default=12, choices=range(1, 13), metavar="{1..12}")
        parser.add_argument("--year", type=int, default=2099, help="the throwaway year (must not exist)")
        parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        require_explicit_debug("基准测试（bench）")
        for name in ("regions", "projects", "departments", "repeat"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1")
        if AssessmentYear.objects.filter(year=options["year"]).exists():
            raise CommandError(f"year {options['year']} exists; choose another with --year")
        self.rng = random.Random(options["seed"])
        with transaction.atomic():
            try:
                self.run(options)
            finally:
                transaction.set_rollback(True)
        self.stdout.write("Everything was rolled back; the database is unchanged.")

    # --- building the year ------------------------------------------------------------------------------------

    def run(self, options):
        regions, projects, departments, months = (
            options["regions"],
            options["projects"],
            options["departments"],
            options["months"],
        )
        start = time.perf_counter()
        year, periods = self.build(options["year"], regions, projects, departments, months)
        inserted = time.perf_counter() - start
        start = time.perf_counter()
        for period in periods:
            recompute_results(period)
        derived = time.perf_counter() - start

        counts = {
            "project scores": ProjectScore.objects.filter(period__year=year).count(),
            "indicator scores": IndicatorScore.objects.filter(period__year=year).count(),
            "adjustments": Adjustment.objects.filter(period__year=year).count(),
            "results": UnitResult.objects.filter(period__year=year).count(),
        }
        self.stdout.write(
            f"minsheng benchmark on {connection.vendor}: {regions} regions × {projects} projects, "
            f"{departments} departments × 2 indicators, {months} months (year {year.year})"
        )
        self.stdout.write("rows: " + ", ".join(f"{count:,} {name}" for name, count in counts.items()))
        self.stdout.write(f"setup: bulk insert {inserted:.1f} s, derive the results of {months} months {derived:.1f} s")
        self.stdout.write("")
        self.measure(year, periods, options["repeat"])

    def build(self, year_number, regions, projects, departments, months):
        # Only the benchmark's units take part (rolled back with the rest).
        Unit.objects.filter(is_active=True).update(is_active=False)
        year = AssessmentYear.objects.create(year=year_number, title=f"{year_number}年度基准测试")
        stamp = f"{year_number}-{time.time_ns() % 10**9}"
        region_units = Unit.objects.bulk_create(
            Unit(name=f"基准县区{stamp}-{i:04d}", short_name=f"县区{i:04d}", kind=UnitKind.REGION, display_order=i)
            for i in range(1, regions + 1)
        )
        department_units = Unit.objects.bulk_create(
            Unit(name=f"基准部门{stamp}-{i:04d}", short_name=f"部门{i:04d}", kind=UnitKind.DEPARTMENT, display_order=i)
            for i in range(1, departments + 1)
        )
        project_rows = Project.objects.bulk_create(
            Project(
                year=year,
                code=str(i),
                group_code=str(i),
                name=f"民生工程{i}",
                responsible_department=department_units[(i - 1) % departments],
                display_order=i,
            )
            for i in range(1, projects + 1)
        )
        indicators = Indicator.objects.bulk_create(
            [
                Indicator(year=year, name="项目进展", max_score=Decimal("1.0"), display_order=1),
                Indicator(year=year, name="工作推进情况", max_score=Decimal("0.5"), display_order=2),
            ]
        )
        periods = Period.objects.bulk_create(Period(year=year, month=month) for month in range(1, months + 1))
        periods = list(Period.objects.filter(year=year).select_related("year").order_by("month"))
        maximum = year.project_max_score
        for period in periods:
            ProjectScore.objects.bulk_create(
                (
                    self.project_score(period, region, project, maximum)
                    for region in region_units
                    for project in project_rows
                ),
                batch_size=BATCH,
            )
            IndicatorScore.objects.bulk_create(
                (
                    self.indicator_score(period, department, indicator)
                    for department in department_units
                    for indicator in indicators
                ),
                batch_size=BATCH,
            )
            Adjustment.objects.bulk_create(
                (
                    Adjustment(
                        period=period,
                        unit=unit,
                        points=points(self.rng.choice([50, 100, -50, -25])),
                        reason="基准测试加扣分",
                        category=AdjustmentCategory.OTHER,
                    )
                    for unit in region_units + department_units
                    if self.rng.randrange(10) == 0
                ),
                batch_size=BATCH,
            )
        return year, periods

    def project_score(self, period, region, project, maximum) -> ProjectScore:
        if self.rng.randrange(20):
            return ProjectScore(period=period, region=region, project=project, score=maximum)
        lost = points(self.rng.choice([25, 50, 100, 200, 300]))
        return ProjectScore(period=period, region=region, project=project, score=maximum - lost, reason="进度慢")

    def indicator_score(self, period, department, indicator) -> IndicatorScore:
        if self.rng.randrange(10):
            return IndicatorScore(period=period, department=department, indicator=indicator, score=indicator.max_score)
        score = indicator.max_score - points(self.rng.choice([25, 50, 100]))
        return IndicatorScore(
            period=period, department=department, indicator=indicator, score=score, reason="未按时报送"
        )

    # --- measuring --------------------------------------------------------------------------------------------

    def measure(self, year, periods, repeat):
        first, last = periods[0], periods[-1]
        cells = list(ProjectScore.objects.filter(period=last).select_related("region", "project")[: repeat * 2])
        first_cells = list(ProjectScore.objects.filter(period=first)[:repeat])
        service = Measurement(f"save_project_scores: one cell of month {last.month}, end to end")
        recompute_last = Measurement(f"recompute_results(month {last.month}) after one change")
        recompute_first = Measurement(
            f"recompute_results(month {first.month}) after one change"
            + (f" (+ YTD of {len(periods) - 1} later months)" if len(periods) > 1 else "")
        )
        ranking = Measurement(f"selectors.rankings(month {last.month})")
        naive = Measurement(f"naive: rank month {last.month} from the raw scores of the whole year")

        for i in range(repeat):
            cell = cells[i % len(cells)]
            new_score = Decimal("1.400") if cell.score != Decimal("1.400") else Decimal("1.450")
            item = services.ProjectScoreInput(cell.region, cell.project, new_score, reason="基准测试修改")
            service.run(lambda item=item: services.save_project_scores(user=None, period=last, items=[item]))
            other = cells[(i + repeat) % len(cells)]
            ProjectScore.objects.filter(pk=other.pk).update(score=Decimal("1.425"), reason="基准测试修改")
            recompute_last.run(lambda: recompute_results(last))
            ProjectScore.objects.filter(pk=first_cells[i % len(first_cells)].pk).update(
                score=Decimal("1.375"), reason="基准测试修改"
            )
            recompute_first.run(lambda: recompute_results(first))
            table = ranking.run(lambda: rankings(last))
            naive_results = naive.run(lambda: naive_year_results(year, last.month))

        stored = {
            row.unit_id: (row.score, row.rank, row.ytd_score, row.ytd_rank) for row in table.regions + table.departments
        }
        recomputed = {
            unit_id: (r.score, r.rank, r.ytd_score, r.ytd_rank)
            for unit_id, r in naive_results.items()
            if unit_id in stored
        }
        rows = [service, recompute_last, recompute_first, ranking, naive]
        width = max(len(m.label) for m in rows)
        self.stdout.write(f"{'operation'.ljust(width)}  {'median ms':>10}  {'min ms':>10}  {'queries':>8}")
        self.stdout.write(f"{'-' * width}  {'-' * 10}  {'-' * 10}  {'-' * 8}")
        for m in rows:
            queries = statistics.median(m.queries)
            self.stdout.write(f"{m.label.ljust(width)}  {m.median_ms:>10.1f}  {m.min_ms:>10.1f}  {queries:>8g}")
        self.stdout.write("")
        agree = "yes" if recomputed == stored else "NO"
        self.stdout.write(f"naive ranking agrees with the stored results: {agree}")
        if ranking.median_ms > 0:
            self.stdout.write(
                f"reading stored results is {naive.median_ms / ranking.median_ms:,.0f}× faster than ranking "
                "from raw scores on every read."
            )


def naive_year_results(year: AssessmentYear, through_month: int) -> dict:
    """What a page would cost without stored results: every month's raw numbers, then the year's ranks."""
    months = {}
    kinds = {}
    for period in Period.objects.filter(year=year, month__lte=through_month).select_related("year"):
        units = period_units(period)
        kinds.update((unit.id, unit.kind) for unit in units)
        inputs, _ = period_inputs(period, units)
        months[period.month] = scoring.month_scores(inputs, year.region_formula)
    return scoring.year_results(months, kinds)[through_month]
