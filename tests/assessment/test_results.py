"""Results are derived once per change: an outermost service call or an import derives each period it
touched exactly once, in the same transaction, and a failed write derives nothing."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment import results, services
from assessment.interchange.apply import apply_import
from assessment.interchange.long_format import read_long_format
from assessment.interchange.plan import plan_import
from assessment.models import Adjustment, Period, ProjectScore, UnitResult
from assessment.results import one_derivation
from projects.models import Project, Unit

D = Decimal


@pytest.fixture
def derivations(monkeypatch):
    """Counts the derivations (results.derive calls) per month."""
    counts = Counter()
    original = results.derive

    def counting(period, changes):
        counts[period.month] += 1
        return original(period, changes)

    monkeypatch.setattr(results, "derive", counting)
    return counts


def month_file(*months) -> bytes:
    lines = ["年度,月份,单位,考评项,分值,说明"]
    for month in months:
        for region in ("义安区", "铜官区", "枞阳县"):
            for code in ("1", "4", "12-1", "30"):
                lines.append(f"2020,{month},{region},{code},1.4,进度慢")
        lines += [
            f"2020,{month},市交通局,项目进展,0.9,进展滞后",
            f"2020,{month},市交通局,工作推进情况,0.5,",
            f"2020,{month},义安区,加扣分,0.05,省民生网站刊登信息",
            f"2020,{month},铜官区,加扣分,-0.05,未使用标识牌",
            f"2020,{month},市水利局,月度得分,1.45,",
            f"2020,{month},市城管执法局,未纳入考评,,",
        ]
    return ("\n".join(lines) + "\n").encode()


def test_importing_a_month_derives_it_once_however_many_rows_and_services(reference_data, derivations):
    plan = plan_import(read_long_format(month_file(9), "scores.csv"))
    assert plan.ok and len(plan.rows) == 18
    apply_import(plan)
    assert derivations == {9: 1}
    result = UnitResult.objects.get(period__month=9, unit__name="市水利局")
    assert result.score == D("1.450")  # derived after the last row, the recorded total included


def test_importing_two_months_derives_each_once_in_month_order(reference_data, derivations):
    apply_import(plan_import(read_long_format(month_file(10, 9), "scores.csv")))
    assert derivations == {9: 1, 10: 1}


def test_a_failed_import_derives_nothing_and_writes_nothing(reference_data, derivations, monkeypatch):
    plan = plan_import(read_long_format(month_file(9), "scores.csv"))

    def refuse(**kwargs):
        raise ValidationError("模拟：写入加扣分时失败")

    monkeypatch.setattr(services, "replace_adjustment_sets", refuse)
    with pytest.raises(ValidationError):
        apply_import(plan)
    assert derivations == {}
    assert not Period.objects.exists() and not ProjectScore.objects.exists()


def test_a_refused_plan_is_never_applied(reference_data, derivations):
    plan = plan_import(read_long_format("年度,月份,单位,考评项,分值,说明\n2020,9,义安区,4,9,\n".encode(), "s.csv"))
    with pytest.raises(ValidationError):
        apply_import(plan)
    assert derivations == {} and not Period.objects.exists()


def test_nested_services_derive_once_when_the_outermost_returns(reference_data, derivations, office_staff):
    region, project = Unit.objects.get(name="义安区"), Project.objects.get(code="4")
    with one_derivation():
        period = services.get_or_create_period(year=2020, month=9, user=office_staff)
        item = services.ProjectScoreInput(region, project, D("1.4"), reason="进度慢")
        services.save_project_scores(user=office_staff, period=period, items=[item])
        services.add_adjustment(user=office_staff, period=period, unit=region, points=D("0.05"), reason="信息")
        assert derivations == {}  # not yet: the outermost block has not ended
    assert derivations == {9: 1}
    assert UnitResult.objects.get(period=period, unit=region).adjustment_total == D("0.050")
    assert Adjustment.objects.count() == 1


def test_a_write_that_changes_nothing_derives_nothing(reference_data, derivations, office_staff):
    period = services.get_or_create_period(year=2020, month=9)
    derivations.clear()
    region, project = Unit.objects.get(name="义安区"), Project.objects.get(code="4")
    item = services.ProjectScoreInput(region, project, D("1.5"))
    services.save_project_scores(user=office_staff, period=period, items=[item])
    services.save_project_scores(user=office_staff, period=period, items=[item])
    assert derivations == {9: 1}


def test_a_write_outside_a_service_is_a_programming_error():
    with pytest.raises(RuntimeError, match="one_derivation"):
        results.mark_changed(Period(month=1))
