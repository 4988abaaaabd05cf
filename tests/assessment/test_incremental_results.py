"""The incremental derivation stores exactly what deriving the whole year from its raw numbers gives."""

import random
from decimal import Decimal

import pytest

from assessment import scoring, services
from assessment.models import Adjustment, OverrideKind, Period, ProjectScore, ResultSummary, UnitResult
from assessment.results import period_inputs, recompute_results
from assessment.selectors.reference import period_units
from projects.models import Indicator, Project, Unit

D = Decimal
MONTHS = (1, 2, 3)
FIELDS = ("score", "rank", "ytd_score", "ytd_rank", "rank_change", "ytd_rank_change", "imputed", "imputed_months")


def from_scratch(year) -> dict[int, dict[int, tuple]]:
    """Every month's results derived from the raw numbers of the whole year (the pure engine)."""
    months, kinds, extras = {}, {}, {}
    for period in Period.objects.filter(year=year).select_related("year").order_by("month"):
        units = period_units(period)
        kinds.update((unit.id, unit.kind) for unit in units)
        inputs, missing = period_inputs(period, units)
        months[period.month] = scoring.month_scores(inputs, year.region_formula)
        for unit in inputs:
            extras[(period.month, unit.unit_id)] = (scoring.decimal_sum(unit.adjustments), missing[unit.unit_id])
    yearly = scoring.year_results(months, kinds)
    return {
        month: {
            uid: tuple(getattr(result, name) for name in FIELDS) + extras[(month, uid)]
            for uid, result in results.items()
            if (month, uid) in extras
        }
        for month, results in yearly.items()
    }


def stored(year) -> dict[int, dict[int, tuple]]:
    table = {}
    for result in UnitResult.objects.filter(period__year=year).select_related("period"):
        values = tuple(getattr(result, name) for name in FIELDS) + (result.adjustment_total, result.missing)
        table.setdefault(result.period.month, {})[result.unit_id] = values
    return table


def assert_summaries_match(year):
    for summary in ResultSummary.objects.filter(period__year=year):
        scores = list(
            UnitResult.objects.filter(period=summary.period, unit__kind=summary.kind, score__isnull=False).values_list(
                "score", flat=True
            )
        )
        assert summary.scored == len(scores)
        assert summary.mean == scoring.mean_score(scores)


def random_change(rng: random.Random, periods, regions, departments, projects, indicators):
    period = rng.choice(periods)
    action = rng.randrange(7)
    if action <= 2:
        region, project = rng.choice(regions), rng.choice(projects)
        score = rng.choice([None, D("1.5"), D("1.4"), D("1.25"), D("0.9")])
        item = services.ProjectScoreInput(region, project, score, not_applicable=rng.random() < 0.05, reason="进度慢")
        services.save_project_scores(user=None, period=period, items=[item])
    elif action == 3:
        department, indicator = rng.choice(departments), rng.choice(indicators)
        score = rng.choice([indicator.max_score, indicator.max_score - D("0.05"), None])
        item = services.IndicatorScoreInput(department, indicator, score, reason="报送迟")
        services.save_indicator_scores(user=None, period=period, items=[item])
    elif action == 4:
        unit = rng.choice(regions + departments)
        services.add_adjustment(
            user=None, period=period, unit=unit, points=rng.choice([D("0.05"), D("-0.1")]), reason="信息"
        )
    elif action == 5:
        adjustment = Adjustment.objects.filter(period=period).order_by("?").first()
        if adjustment is not None:
            services.delete_adjustment(user=None, adjustment=adjustment)
    else:
        unit = rng.choice(regions + departments)
        kind = rng.choice([None, OverrideKind.NOT_ASSESSED, OverrideKind.RECORDED_TOTAL])
        score = D("1.475") if kind == OverrideKind.RECORDED_TOTAL else None
        services.set_month_override(user=None, period=period, unit=unit, kind=kind, score=score)


def fill(period, regions, projects, departments, indicators):
    services.save_project_scores(
        user=None,
        period=period,
        items=[services.ProjectScoreInput(r, p, D("1.5")) for r in regions for p in projects if not p.excluded],
    )
    services.save_indicator_scores(
        user=None,
        period=period,
        items=[services.IndicatorScoreInput(d, i, i.max_score) for d in departments for i in indicators],
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_change_leaves_the_same_results_as_deriving_the_year_from_scratch(reference_data, seed):
    rng = random.Random(seed)
    year = reference_data
    regions = list(Unit.objects.regions())
    departments = list(Unit.objects.departments())
    projects = list(Project.objects.filter(year=year).prefetch_related("excluded_regions"))
    for project in projects:
        project.excluded = False
    indicators = list(Indicator.objects.filter(year=year))
    periods = []
    for month in MONTHS:
        period = services.get_or_create_period(year=year.year, month=month)
        periods.append(Period.objects.select_related("year").get(pk=period.pk))
    # Start from complete months (most rules only bite then), with a few exclusions honoured.
    applicable = [p for p in projects if not p.excluded_regions.exists()]
    for period in periods:
        fill(period, regions, applicable, departments, indicators)
    excluded = [p for p in projects if p.excluded_regions.exists()]
    for period in periods:
        services.save_project_scores(
            user=None,
            period=period,
            items=[
                services.ProjectScoreInput(r, p, D("1.5"))
                for p in excluded
                for r in regions
                if r not in p.excluded_regions.all()
            ],
        )
    candidates = [p for p in projects if not p.excluded_regions.exists()]
    for _ in range(40):
        random_change(rng, periods, regions, departments, candidates, indicators)
        assert stored(year) == from_scratch(year)
    assert_summaries_match(year)


def test_a_full_recompute_changes_nothing_after_incremental_changes(reference_data):
    year = reference_data
    regions = list(Unit.objects.regions())
    project = Project.objects.filter(year=year, excluded_regions__isnull=True).first()
    january = services.get_or_create_period(year=year.year, month=1)
    february = services.get_or_create_period(year=year.year, month=2)
    for period in (january, february):
        services.save_project_scores(
            user=None,
            period=period,
            items=[services.ProjectScoreInput(r, project, D("1.4"), reason="慢") for r in regions],
        )
    before = stored(year)
    for period in Period.objects.filter(year=year).select_related("year").order_by("month"):
        recompute_results(period)
    assert stored(year) == before
    assert ProjectScore.objects.filter(period=february).count() == len(regions)
