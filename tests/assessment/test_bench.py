"""`manage.py bench`: a tiny smoke run. Timings are printed, never asserted."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.models import Period, ProjectScore, UnitResult
from projects.models import AssessmentYear, Project, Unit

SMALL = ["--regions", "3", "--projects", "5", "--departments", "4", "--months", "2", "--repeat", "1"]


def test_bench_prints_the_table_and_leaves_the_database_unchanged(reference_data):
    units_before = list(Unit.objects.values_list("name", "is_active"))
    out = io.StringIO()
    call_command("bench", *SMALL, stdout=out)
    report = out.getvalue()
    assert "3 regions × 5 projects, 4 departments × 2 indicators, 2 months" in report
    assert "30 project scores, 16 indicator scores" in report
    for label in (
        "save_project_scores: one cell of month 2",
        "recompute_results(month 2) after one change",
        "recompute_results(month 1) after one change",
        "selectors.rankings(month 2)",
        "naive: rank month 2 from the raw scores of the whole year",
    ):
        line = next(line for line in report.splitlines() if line.startswith(label))
        median_ms, min_ms, queries = line.split()[-3:]
        assert float(median_ms) >= 0 and float(min_ms) >= 0 and int(queries) > 0
    assert "naive ranking agrees with the stored results: yes" in report
    assert "rolled back" in report
    assert not AssessmentYear.objects.filter(year=2099).exists()
    assert list(Unit.objects.values_list("name", "is_active")) == units_before
    assert not Period.objects.exists() and not ProjectScore.objects.exists() and not UnitResult.objects.exists()
    assert Project.objects.count() == 43


def test_bench_refuses_a_year_that_exists(reference_data):
    with pytest.raises(CommandError, match="2020"):
        call_command("bench", *SMALL, "--year", "2020", stdout=io.StringIO())
