"""`manage.py load_demo`: a plausible, deterministic January–October 2020 loaded through the services.

The demo is loaded once per module inside a transaction that is rolled back afterwards; each test runs
in its own savepoint.
"""

import io
import sys
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from assessment import scoring
from assessment.demo import NOT_ASSESSED_IN_Q1, SHANGHAI, load_demo
from assessment.models import (
    Adjustment,
    AuditEntry,
    IndicatorScore,
    MonthOverride,
    OverrideKind,
    Period,
    PeriodStatus,
    ProjectScore,
    UnitResult,
    year_limits,
)
from assessment.selectors.periods import find_period, period_missing
from assessment.selectors.rankings import rankings
from assessment.selectors.tables import heading
from projects.models import AssessmentYear, Project, Unit
from tests.september_2020 import PUBLISHED_ATTACHMENT1

MODELS = (Period, ProjectScore, IndicatorScore, Adjustment, MonthOverride, UnitResult, AuditEntry)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Reference data and the demo, loaded once for the module with the command, rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("loaddata", "tongling_2020", verbosity=0)
            out = io.StringIO()
            with override_settings(DEBUG=True):
                call_command("load_demo", stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(*sys.exc_info())
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def snapshot():
    """Every number of the demo year, cell by cell."""
    return {
        "project": sorted(
            ProjectScore.objects.values_list("period__month", "region__name", "project__code", "score", "reason")
        ),
        "indicator": sorted(
            IndicatorScore.objects.values_list("period__month", "department__name", "indicator__name", "score")
        ),
        "adjustment": sorted(Adjustment.objects.values_list("period__month", "unit__name", "points", "reason")),
        "result": sorted(UnitResult.objects.values_list("period__month", "unit__name", "score", "ytd_score", "rank")),
    }


def test_load_demo_publishes_january_to_september_and_leaves_october_open(demo, db):
    periods = Period.objects.filter(year__year=2020).order_by("month")
    expected = [(month, PeriodStatus.PUBLISHED) for month in range(1, 10)] + [(10, PeriodStatus.OPEN)]
    assert [(p.month, p.status) for p in periods] == expected
    assert all(p.published_at for p in periods if p.is_published)
    assert "已加载2020年演示数据" in demo


def test_demo_months_are_published_in_2020_with_their_notice_dates(demo, db):
    published = Period.objects.filter(year__year=2020, status=PeriodStatus.PUBLISHED).order_by("month")
    september = published.get(month=9)
    assert september.notice_date == date(2020, 10, 16)
    assert timezone.localtime(september.published_at) == datetime(2020, 10, 16, 9, 30, tzinfo=SHANGHAI)
    for period in published:
        local = timezone.localtime(period.published_at)
        assert local.date() == period.notice_date and local.year == 2020
        assert period.notice_date.month == period.month + 1 and 14 <= period.notice_date.day <= 16
        assert period.notice_date.weekday() < 5
    assert heading(september).date_line == "市民生办　2020年10月16日"


def test_demo_year_has_its_adjustment_rules_and_every_item_obeys_them(demo, db):
    limits = year_limits(Period.objects.get(year__year=2020, month=1).year_id)
    assert limits.categories["information_adopted"].allowed == (Decimal("0.05"), Decimal("0.1"))
    for item in Adjustment.objects.all():
        assert limits.check(item.points, item.category, 1).problems == []


def test_every_published_demo_month_is_complete_with_every_cell_entered(demo, db):
    applicable = sum(5 - p.excluded_regions.count() for p in Project.objects.filter(year__year=2020))
    for period in Period.objects.filter(year__year=2020, status=PeriodStatus.PUBLISHED):
        assert period_missing(period) == []
        assert ProjectScore.objects.filter(period=period).count() == applicable
        assessed = 22 - (2 if period.month <= 3 else 0)
        assert IndicatorScore.objects.filter(period=period).count() == assessed * 2


def test_every_published_demo_month_has_rankings_for_every_unit(demo, db):
    for period in Period.objects.filter(year__year=2020, status=PeriodStatus.PUBLISHED):
        table = rankings(period)
        assert (len(table.regions), len(table.departments)) == (5, 22)
        assert table.is_complete
        assert all(row.score is not None and row.rank and row.ytd_rank for row in table.regions + table.departments)
        assert min(row.rank for row in table.regions) == min(row.rank for row in table.departments) == 1


def test_demo_credits_the_two_departments_not_assessed_in_q1_with_the_average(demo, db):
    overrides = MonthOverride.objects.filter(period__year__year=2020)
    assert sorted(overrides.values_list("period__month", "unit__name", "kind")) == sorted(
        (month, name, OverrideKind.NOT_ASSESSED) for month in (1, 2, 3) for name in NOT_ASSESSED_IN_Q1
    )
    september = rankings(find_period(2020, 9))
    imputed = {row.unit: row.imputed_months for row in september.departments if row.imputed_months}
    assert imputed == {name: [1, 2, 3] for name in NOT_ASSESSED_IN_Q1}


def test_demo_has_deductions_bonuses_and_reasons_like_the_notice(demo, db):
    below = ProjectScore.objects.filter(period__year__year=2020, score__lt=Decimal("1.5"))
    assert below.exists() and all(score.reason for score in below)
    assert all(Decimal("0.025") <= Decimal("1.5") - score.score <= Decimal("0.3") for score in below)
    assert (
        ProjectScore.objects.filter(period__year__year=2020, period__month=9, score=Decimal("1.5")).count()
        > below.filter(period__month=9).count()
    )
    for score in IndicatorScore.objects.filter(period__year__year=2020).select_related("indicator"):
        assert score.score == score.indicator.max_score or score.reason
    categories = set(Adjustment.objects.values_list("category", flat=True))
    assert {"information_adopted", "signboard", "information_reporting"} <= categories
    months_with_items = set(Adjustment.objects.values_list("period__month", flat=True))
    assert months_with_items == set(range(1, 10))
    assert all(points.as_tuple().exponent >= -3 for points in Adjustment.objects.values_list("points", flat=True))


def test_demo_figures_come_from_its_own_numbers_not_from_the_published_notice(demo, db):
    period = find_period(2020, 9)
    september = rankings(period)
    for row in september.regions:
        scores = ProjectScore.objects.filter(period=period, region_id=row.unit_id, not_applicable=False)
        items = Adjustment.objects.filter(period=period, unit_id=row.unit_id).values_list("points", flat=True)
        assert row.score == scoring.region_month_score(list(scores.values_list("score", flat=True)), list(items))
    for row in september.departments:
        if row.imputed:
            continue
        indicators = IndicatorScore.objects.filter(period=period, department_id=row.unit_id)
        items = Adjustment.objects.filter(period=period, unit_id=row.unit_id).values_list("points", flat=True)
        own = scoring.department_month_score(list(indicators.values_list("score", flat=True)), list(items))
        assert row.score == own
    published = {name: score for name, score, *_ in PUBLISHED_ATTACHMENT1["regions"]}
    assert [f"{row.score:.3f}" for row in september.regions] != [published[row.unit] for row in september.regions]


def test_october_is_open_with_about_half_of_its_cells_entered(demo, db):
    october = find_period(2020, 10)
    entered = ProjectScore.objects.filter(period=october).count()
    assert 0.3 * 215 <= entered <= 0.7 * 215
    assert 0.3 * 44 <= IndicatorScore.objects.filter(period=october).count() <= 0.7 * 44
    assert period_missing(october)
    assert not rankings(october).is_complete


def test_second_run_changes_nothing_and_says_so(demo, db):
    counts = {model: model.objects.count() for model in MODELS}
    before = snapshot()
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    assert "演示数据已加载" in out.getvalue()
    assert {model: model.objects.count() for model in MODELS} == counts
    assert snapshot() == before


def test_reset_reloads_the_same_year_cell_for_cell(demo, db):
    before = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo", "--reset", stdout=io.StringIO())
    assert snapshot() == before
    assert Period.objects.filter(year__year=2020).count() == 10


def test_load_demo_refuses_outside_development_even_when_settings_debug_is_forced(demo, db, monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo", "--reset", stdout=io.StringIO())
    assert Period.objects.filter(year__year=2020).count() == 10


def test_load_demo_needs_the_reference_data_of_the_year(demo, db):
    assert not AssessmentYear.objects.filter(year=2099).exists()
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="loaddata tongling_2020"):
        call_command("load_demo", "--year", "2099", stdout=io.StringIO())


def test_load_demo_function_returns_what_it_did(demo, db):
    summary = load_demo(log=lambda message: None)
    assert not summary.loaded and len(summary.periods) == 10
    assert Unit.objects.filter(name__in=NOT_ASSESSED_IN_Q1).count() == 2


def test_demo_has_progress_information_and_proposals(demo, db):
    from assessment.models import Proposal
    from assessment.selectors.progress import progress_overview
    from projects.models import InformationReport, Progress, ProjectType, Target

    year = AssessmentYear.objects.get(year=2020)
    assert set(Project.objects.filter(year=year).values_list("project_type", flat=True)) >= {
        ProjectType.CONSTRUCTION,
        ProjectType.SUBSIDY,
    }
    assert Target.objects.filter(project__year=year).count() >= Project.objects.filter(year=year).count()
    assert Progress.objects.filter(target__project__year=year, month=9).count() == Target.objects.count()
    assert 0 < Progress.objects.filter(month=10).count() < Target.objects.count()
    assert InformationReport.objects.filter(year=year, month=9).exists()
    overview = progress_overview(year=year, month=9)
    assert overview.funds.rate is not None and overview.lagging and overview.information.reported > 0
    assert Proposal.objects.filter(period__month=10).exists()
