"""Services and selectors of progress, funds and information: validation, audit, access, query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment import services
from assessment.models import AuditEntry, Period, PeriodStatus
from assessment.selectors.progress import progress_overview, summary_json
from assessment.services.adjustments import NeedsConfirmation
from projects.models import InformationReport, Progress, Project, ProjectType, Unit

D = Decimal


@pytest.fixture
def year(reference_data):
    Project.objects.filter(year=reference_data, code="4").update(project_type=ProjectType.CONSTRUCTION)
    return reference_data


def target(year, code="4", unit="义安区", quantity="100", budget="500.00"):
    project = Project.objects.get(year=year, code=code)
    return services.save_target(
        user=None,
        project=project,
        unit=Unit.objects.get(name=unit),
        quantity=D(quantity),
        measure="公里",
        budget=D(budget),
    )


def test_target_and_progress_are_audited_and_read(year):
    t = target(year)
    services.save_progress(user=None, target=t, month=3, completed=D("20"), paid=D("100.00"))
    services.save_progress(user=None, target=t, month=6, completed=D("30"), paid=D("250.00"))
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert "target.created" in actions and actions.count("progress.created") == 2
    overview = progress_overview(year=year, month=6)
    row = overview.unit(t.unit_id).targets[0]
    assert row.rate == D("30.00") and row.schedule == D("54.55") and row.lagging
    assert overview.unit(t.unit_id).lagging == ["4"]
    # May shows March's cumulative figures
    may = progress_overview(year=year, month=5).unit(t.unit_id).targets[0]
    assert may.as_of_month == 3 and may.completed == D("20")
    data = summary_json(overview)
    assert data["budget"] == "500.00" and data["paid"] == "250.00" and data["paid_rate"] == "50.00"


def test_decrease_needs_a_reason(year):
    t = target(year)
    services.save_progress(user=None, target=t, month=3, completed=D("20"), paid=D("100"))
    with pytest.raises(ValidationError, match="低于上月"):
        services.save_progress(user=None, target=t, month=4, completed=D("10"), paid=D("100"))
    services.save_progress(user=None, target=t, month=4, completed=D("10"), paid=D("100"), note="更正：3月多报")
    assert Progress.objects.get(month=4).completed == D("10")


def test_plausibility_needs_confirmation_for_a_person(year, office_admin):
    t = target(year)
    with pytest.raises(NeedsConfirmation):
        services.save_progress(user=office_admin, target=t, month=3, completed=D("151"), paid=D("1"))
    row = services.save_progress(user=office_admin, target=t, month=3, completed=D("151"), paid=D("1"), confirmed=True)
    assert row.confirmed


def test_information_adopted_not_above_reported(year):
    unit = Unit.objects.get(name="义安区")
    with pytest.raises(ValidationError, match="多于报送"):
        services.save_information(
            user=None, year=year, unit=unit, month=2, reported=3, city_adopted=4, province_adopted=0
        )
    services.save_information(user=None, year=year, unit=unit, month=2, reported=5, city_adopted=4, province_adopted=1)
    assert InformationReport.objects.get().city_adopted == 4
    assert AuditEntry.objects.filter(action="information.created").count() == 1


def test_region_user_enters_only_its_own_unit_while_open(year, region_user):
    own = Unit.objects.get(pk=region_user.profile.unit_id)
    other = Unit.objects.regions().exclude(pk=own.pk).first()
    services.save_information(
        user=region_user, year=year, unit=own, month=2, reported=1, city_adopted=0, province_adopted=0
    )
    with pytest.raises(PermissionDenied):
        services.save_information(
            user=region_user, year=year, unit=other, month=2, reported=1, city_adopted=0, province_adopted=0
        )
    Period.objects.filter(year=year, month=2).update(status=PeriodStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        services.save_information(
            user=region_user, year=year, unit=own, month=2, reported=2, city_adopted=0, province_adopted=0
        )


def test_targets_are_the_offices(year, department_user):
    with pytest.raises(PermissionDenied):
        services.save_target(
            user=department_user,
            project=Project.objects.get(year=year, code="4"),
            unit=Unit.objects.get(name="义安区"),
            quantity=D("1"),
            measure="个",
            budget=D("1"),
        )


def test_overview_in_fixed_queries(year):
    def count():
        with CaptureQueriesContext(connection) as queries:
            overview = progress_overview(year=year, month=6)
            summary_json(overview)
        return len(queries)

    target(year)
    small = count()
    for code in ("5", "6", "7"):
        for unit in ("义安区", "铜官区", "郊区"):
            try:
                t = target(year, code=code, unit=unit)
            except ValidationError:
                continue
            services.save_progress(user=None, target=t, month=2, completed=D("1"), paid=D("1"))
    for unit in Unit.objects.regions():
        services.save_information(
            user=None, year=year, unit=unit, month=2, reported=2, city_adopted=1, province_adopted=0
        )
    assert count() == small == 4


def test_an_upload_plan_checks_the_users_rights(year, region_user, office_admin):
    from assessment.interchange.files import RawRow
    from assessment.interchange.progress_format import (
        PROGRESS_COLUMNS,
        apply_progress_import,
        plan_information_import,
        plan_progress_import,
    )

    own = Unit.objects.get(pk=region_user.profile.unit_id)
    other = Unit.objects.regions().exclude(pk=own.pk).first()

    def row(line, **values):
        return RawRow(line, {column: values.get(column) for column in PROGRESS_COLUMNS})

    target_row = row(2, 年度=2020, 单位=own.name, 项目="4", 目标任务="10", 计量单位="公里", 年度预算="5")
    plan = plan_progress_import([target_row], user=region_user)
    assert [str(e) for e in plan.errors] == ["第2行 目标任务：只有民生办可以设定目标任务"]
    plan = plan_progress_import([target_row], user=office_admin)
    assert plan.ok
    apply_progress_import(plan, user=office_admin)
    services.get_or_create_period(year=2020, month=3)
    month_row = row(2, 年度=2020, 月份=3, 单位=own.name, 项目="4", 累计完成="1", 累计拨付="1")
    assert plan_progress_import([month_row], user=region_user).ok
    columns = ["年度", "月份", "单位", "报送", "市采用", "省采用"]
    info = RawRow(2, dict(zip(columns, [2020, 3, other.name, 1, 0, 0], strict=True)))
    plan = plan_information_import([info], user=region_user)
    assert [str(e) for e in plan.errors] == [f"第2行 单位：您不能修改2020年3月{other.name}的数据。"]
