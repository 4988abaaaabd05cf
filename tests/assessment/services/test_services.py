"""Write services: permissions per role and period status, audit in the same transaction, derived results."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessment import services
from assessment.models import AuditEntry, OverrideKind, Period, PeriodStatus, ProjectScore, UnitResult
from projects.models import Indicator, Project, Unit


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def score_input(region="义安区", code="4", score="1.5", reason="", **extra):
    return services.ProjectScoreInput(
        Unit.objects.get(name=region), Project.objects.get(code=code), Decimal(score), reason=reason, **extra
    )


def fill_period(period, user=None):
    """Every cell and indicator of the period at the maximum."""
    regions, projects = list(Unit.objects.regions()), list(Project.objects.all())
    items = [services.ProjectScoreInput(r, p, Decimal("1.5")) for r in regions for p in projects]
    services.save_project_scores(user=user, period=period, items=items)
    indicators = list(Indicator.objects.all())
    items = [services.IndicatorScoreInput(d, i, i.max_score) for d in Unit.objects.departments() for i in indicators]
    services.save_indicator_scores(user=user, period=period, items=items)


def set_status(period, status):
    Period.objects.filter(pk=period.pk).update(status=status)
    period.refresh_from_db()


def test_department_user_can_edit_its_own_projects_in_an_open_period(period, department_user):
    services.save_project_scores(user=department_user, period=period, items=[score_input(code="4")])
    assert ProjectScore.objects.get(project__code="4").updated_by == department_user


def test_department_user_cannot_edit_other_projects(period, department_user):
    with pytest.raises(PermissionDenied):
        services.save_project_scores(user=department_user, period=period, items=[score_input(code="6")])
    assert not ProjectScore.objects.exists()


def test_department_user_cannot_write_in_a_closed_period(period, department_user):
    set_status(period, PeriodStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        services.save_project_scores(user=department_user, period=period, items=[score_input(code="4")])


def test_office_staff_can_still_edit_a_closed_period(period, office_staff):
    set_status(period, PeriodStatus.CLOSED)
    services.save_project_scores(user=office_staff, period=period, items=[score_input(code="6")])
    assert ProjectScore.objects.count() == 1


@pytest.mark.parametrize("persona", ["region_user", "viewer", "outsider"])
def test_roles_without_entry_rights_cannot_write(period, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.save_project_scores(user=user, period=period, items=[score_input(code="4")])
    with pytest.raises(PermissionDenied):
        services.add_adjustment(
            user=user, period=period, unit=Unit.objects.get(name="义安区"), points=Decimal("0.05"), reason="x"
        )


def test_published_period_refuses_every_write_even_from_the_office(period, office_admin):
    set_status(period, PeriodStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="已发布"):
        services.save_project_scores(user=office_admin, period=period, items=[score_input()])
    with pytest.raises(ValidationError, match="已发布"):
        services.set_month_override(user=None, period=period, unit=Unit.objects.get(name="义安区"), kind="not_assessed")


def test_department_user_cannot_add_adjustments(period, department_user):
    with pytest.raises(PermissionDenied):
        services.add_adjustment(
            user=department_user, period=period, unit=Unit.objects.get(name="义安区"), points=Decimal("1"), reason="x"
        )


def test_score_below_maximum_needs_a_reason(period, office_staff):
    with pytest.raises(ValidationError, match="扣分原因"):
        services.save_project_scores(user=office_staff, period=period, items=[score_input(score="1.4")])


def test_score_above_maximum_is_refused(period, office_staff):
    with pytest.raises(ValidationError, match="得分应在 0 到 1.5 之间"):
        services.save_project_scores(user=office_staff, period=period, items=[score_input(score="1.6")])


def test_audit_row_is_written_with_the_change(period, office_staff):
    services.save_project_scores(user=office_staff, period=period, items=[score_input(score="1.5")])
    services.save_project_scores(user=office_staff, period=period, items=[score_input(score="1.45", reason="进度慢")])
    entry = AuditEntry.objects.filter(action__startswith="score.").first()
    assert (entry.username, entry.old_value, entry.new_value, entry.reason) == (
        "office-staff",
        "1.500",
        "1.450",
        "进度慢",
    )
    assert entry.unit.name == "义安区" and entry.project.code == "4"


def test_audit_rows_roll_back_with_a_failed_change(period, office_staff):
    good, bad = score_input(code="4"), score_input(code="6", score="9")
    with pytest.raises(ValidationError):
        services.save_project_scores(user=office_staff, period=period, items=[good, bad])
    assert not ProjectScore.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="score.").exists()


def test_audit_rows_roll_back_when_the_surrounding_transaction_fails(period, office_staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.save_project_scores(user=office_staff, period=period, items=[score_input()])
        raise RuntimeError("later failure")
    assert not AuditEntry.objects.filter(action__startswith="score.").exists()


def test_unchanged_values_write_no_audit(period, office_staff):
    services.save_project_scores(user=office_staff, period=period, items=[score_input()])
    services.save_project_scores(user=office_staff, period=period, items=[score_input()])
    assert AuditEntry.objects.filter(action__startswith="score.").count() == 1


def test_concurrent_edit_is_refused_for_that_cell_and_both_values_reported(period, office_staff, department_user):
    services.save_project_scores(user=office_staff, period=period, items=[score_input(code="4")])
    loaded_version = ProjectScore.objects.get().version
    services.save_project_scores(
        user=office_staff,
        period=period,
        items=[score_input(code="4", score="1.4", reason="慢", expected_version=loaded_version)],
    )
    result = services.save_project_scores(
        user=department_user,
        period=period,
        items=[
            score_input(code="4", score="1.3", reason="很慢", expected_version=loaded_version),
            score_input(region="郊区", code="4", expected_version=None),
        ],
    )
    assert len(result.saved) == 1
    (conflict,) = result.conflicts
    assert (conflict.mine, conflict.theirs, conflict.theirs_by) == ("1.300", "1.400", "office-staff")
    assert ProjectScore.objects.get(region__name="义安区").score == Decimal("1.400")


def test_results_are_derived_in_the_same_transaction(period, office_staff):
    services.save_project_scores(user=office_staff, period=period, items=[score_input(score="1.4", reason="慢")])
    result = UnitResult.objects.get(period=period, unit__name="义安区")
    assert result.score is None and result.rank is None and result.missing[:2] == ["1", "2"]
    assert "4" not in result.missing


def test_publish_is_refused_while_anything_is_missing_and_lists_it(period, office_admin):
    set_status(period, PeriodStatus.CLOSED)
    with pytest.raises(ValidationError) as refusal:
        services.change_period_status(user=office_admin, period=period, status=PeriodStatus.PUBLISHED)
    text = "\n".join(refusal.value.messages)
    assert "不能发布" in text and "义安区：1、2、3" in text and "市委组织部：项目进展、工作推进情况" in text
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED


def test_full_workflow_open_closed_published_reopened(period, office_admin, office_staff):
    fill_period(period, office_staff)
    services.change_period_status(user=office_staff, period=period, status=PeriodStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        services.change_period_status(user=office_staff, period=period, status=PeriodStatus.PUBLISHED)
    services.change_period_status(user=office_admin, period=period, status=PeriodStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="原因"):
        services.change_period_status(user=office_admin, period=period, status=PeriodStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.change_period_status(user=office_staff, period=period, status=PeriodStatus.OPEN, reason="更正")
    services.change_period_status(user=office_admin, period=period, status=PeriodStatus.OPEN, reason="更正数据")
    statuses = list(
        AuditEntry.objects.filter(action__startswith="period.").order_by("id").values_list("new_value", "reason")
    )
    assert statuses == [("录入中", ""), ("审核中", ""), ("已发布", ""), ("录入中", "更正数据")]


def test_creating_a_period_is_audited(reference_data, office_staff):
    period = services.get_or_create_period(year=2020, month=10, user=office_staff)
    entry = AuditEntry.objects.get(period=period)
    assert (entry.action, entry.get_action_display(), entry.username, entry.new_value) == (
        "period.created",
        "新建月份",
        "office-staff",
        "录入中",
    )
    assert entry.target_text == "2020年10月"
    assert services.get_or_create_period(year=2020, month=10) == period
    assert AuditEntry.objects.filter(period=period).count() == 1


def test_open_period_cannot_be_published_without_review(period, office_admin):
    fill_period(period)
    with pytest.raises(ValidationError, match="不能从"):
        services.change_period_status(user=office_admin, period=period, status=PeriodStatus.PUBLISHED)


def test_earlier_month_is_locked_while_a_later_month_is_published(reference_data, office_staff):
    august = services.get_or_create_period(year=2020, month=8)
    september = services.get_or_create_period(year=2020, month=9)
    set_status(september, PeriodStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="9月已发布"):
        services.save_project_scores(user=office_staff, period=august, items=[score_input()])


def test_changing_an_earlier_month_updates_later_year_to_date(reference_data):
    yian = Unit.objects.get(name="义安区")
    august = services.get_or_create_period(year=2020, month=8)
    september = services.get_or_create_period(year=2020, month=9)
    services.set_month_override(
        user=None, period=september, unit=yian, kind=OverrideKind.RECORDED_TOTAL, score=Decimal("1.5")
    )
    services.set_month_override(
        user=None, period=august, unit=yian, kind=OverrideKind.RECORDED_TOTAL, score=Decimal("1.4")
    )
    result = UnitResult.objects.get(period=september, unit=yian)
    assert (result.score, result.ytd_score) == (Decimal("1.500"), Decimal("2.900"))


def test_adjustments_are_added_edited_and_removed_with_audit(period, office_staff):
    unit = Unit.objects.get(name="义安区")
    adjustment = services.add_adjustment(
        user=office_staff,
        period=period,
        unit=unit,
        points=Decimal("0.05"),
        reason="信息采用",
        category="information_adopted",
    )
    services.update_adjustment(
        user=office_staff,
        adjustment=adjustment,
        points=Decimal("0.1"),
        reason="信息采用",
        category="information_adopted",
    )
    assert UnitResult.objects.get(period=period, unit=unit).adjustment_total == Decimal("0.100")
    services.delete_adjustment(user=office_staff, adjustment=adjustment, reason="录错")
    actions = list(
        AuditEntry.objects.filter(action__startswith="adjustment.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["adjustment.created", "adjustment.changed", "adjustment.deleted"]
    assert UnitResult.objects.get(period=period, unit=unit).adjustment_total == Decimal("0")


def test_adjustment_without_reason_is_refused(period, office_staff):
    with pytest.raises(ValidationError, match="原因"):
        services.add_adjustment(
            user=office_staff, period=period, unit=Unit.objects.get(name="义安区"), points=Decimal("0.05"), reason=" "
        )


def test_a_score_can_be_cleared_and_the_clearing_is_audited(period, department_user):
    services.save_project_scores(user=department_user, period=period, items=[score_input(code="4")])
    version = ProjectScore.objects.get().version
    cleared = services.ProjectScoreInput(
        Unit.objects.get(name="义安区"),
        Project.objects.get(code="4"),
        None,
        reason="录错单元格",
        expected_version=version,
    )
    services.save_project_scores(user=department_user, period=period, items=[cleared])
    assert not ProjectScore.objects.exists()
    entry = AuditEntry.objects.filter(action__startswith="score.").first()
    assert (entry.action, entry.old_value, entry.new_value, entry.reason) == (
        "score.deleted",
        "1.500",
        "",
        "录错单元格",
    )
    assert "4" in UnitResult.objects.get(period=period, unit__name="义安区").missing


def test_clearing_an_empty_cell_writes_nothing(period, office_staff):
    empty = services.ProjectScoreInput(Unit.objects.get(name="义安区"), Project.objects.get(code="4"), None)
    services.save_project_scores(user=office_staff, period=period, items=[empty])
    assert not AuditEntry.objects.filter(action__startswith="score.").exists()


def test_the_office_sets_the_notice_date_audited_and_frozen_with_publication(period, office_staff, department_user):
    from datetime import date

    with pytest.raises(PermissionDenied):
        services.set_notice_date(user=department_user, period=period, notice_date=date(2020, 10, 16))
    services.set_notice_date(user=office_staff, period=period, notice_date=date(2020, 10, 16))
    entry = AuditEntry.objects.get(action="period.notice_date")
    assert (entry.old_value, entry.new_value, entry.actor_name) == ("", "2020年10月16日", "office-staff")
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="已发布"):
        services.set_notice_date(user=office_staff, period=period, notice_date=date(2020, 10, 17))
