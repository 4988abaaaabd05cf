"""`manage.py bench`: a tiny smoke run of every measurement. Timings are printed, never asserted."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment.models import Period, ProjectScore, UnitResult
from projects.models import AssessmentYear, Project, Unit

SMOKE = ["--scale", "smoke", "--repeat", "1", "--no-server"]


def test_bench_prints_every_measurement_and_leaves_the_database_unchanged(reference_data):
    units_before = list(Unit.objects.values_list("name", "is_active"))
    out = io.StringIO()
    call_command("bench", *SMOKE, stdout=out)
    report = out.getvalue()
    assert "## smoke: 3 regions, 12 departments, 5 projects, 12 months" in report
    for label in ("附件1", "附件2", "附件3", "region grid (a page of 20)", "unit page (a region)", "dashboard"):
        line = next(line for line in report.splitlines() if line.startswith(label))
        median_ms, floor_ms, ratio, queries = line.split()[-4:]
        assert float(median_ms) > 0 and float(floor_ms) > 0 and ratio.endswith("×") and int(queries) > 0
    for label in ("whole month (附件1-3)", "12 months stored", "1 month stored", "ratio 12 / 1"):
        assert any(line.startswith(label) for line in report.splitlines()), label
    assert any("rows, xlsx" in line for line in report.splitlines())
    assert any("rows, csv" in line for line in report.splitlines())
    assert "rolled back" in report
    assert not AssessmentYear.objects.filter(year__in=[2097, 2098]).exists()
    assert list(Unit.objects.values_list("name", "is_active")) == units_before
    assert not Period.objects.exists() and not ProjectScore.objects.exists() and not UnitResult.objects.exists()
    assert Project.objects.count() == 43


def test_bench_refuses_when_its_years_exist(reference_data):
    AssessmentYear.objects.create(year=2097, title="占用")
    with pytest.raises(CommandError, match="2097"):
        call_command("bench", *SMOKE, stdout=io.StringIO())
