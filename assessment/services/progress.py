"""Writes of targets, monthly progress and information counts: checked, validated and audited.

Every service is keyword-only and atomic; a change writes one audit row (`target.*`, `progress.*`,
`information.*`) in the same transaction. Months are periods of the assessment: a month's progress and
information are written only while its period may be written (never once published), and creating them
creates the period (as an import of scores does). These writes do not change any score, so they derive
nothing.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from projects import progress_rules as rules
from projects.models import AssessmentYear, InformationReport, Progress, Project, Target, Unit

from ..access import can_edit_progress, can_edit_targets, require
from ..models import AuditAction, AuditEntry
from ..selectors.reference import year_reference
from .adjustments import NeedsConfirmation
from .base import acting_user, audit, lock_for_write, service, validate
from .periods import get_or_create_period


@dataclass(frozen=True)
class TargetInput:
    project: Project
    unit: Unit
    quantity: Decimal
    measure: str
    budget: Decimal
    due_month: int | None = None


@dataclass(frozen=True)
class ProgressInput:
    target: Target
    month: int
    completed: Decimal
    paid: Decimal
    beneficiaries: int = 0
    note: str = ""


@dataclass(frozen=True)
class InformationInput:
    unit: Unit
    month: int
    reported: int
    city_adopted: int
    province_adopted: int


def target_unit_problem(project: Project, unit: Unit, applies) -> str | None:
    """A target belongs to a region the project applies to, or to the project's responsible department."""
    if unit.is_region:
        return None if applies(project.pk, unit.pk) else f"项目 {project.code} 不适用于{unit.name}"
    if unit.pk != project.responsible_department_id:
        return f"项目 {project.code} 的责任部门是{project.responsible_department.name}，不是{unit.name}"
    return None


# --- targets ----------------------------------------------------------------------------------------------------


@service
def save_targets(*, user, year: AssessmentYear, items: Sequence[TargetInput]) -> list[Target]:
    """Create or change the year's targets (office only); unchanged ones are left alone. Returns the targets."""
    require(can_edit_targets(user))
    reference = year_reference(year.pk)
    stored = {(t.project_id, t.unit_id): t for t in Target.objects.filter(project__year=year)}
    editor, log, result = acting_user(user), [], []
    for item in items:
        if item.project.year_id != year.pk:
            raise ValidationError(f"项目 {item.project.code} 不是{year.year}年的项目。")
        problem = target_unit_problem(item.project, item.unit, reference.applies)
        if problem:
            raise ValidationError(problem)
        target = stored.get((item.project.pk, item.unit.pk))
        old = target.text if target is not None else ""
        if target is None:
            target = Target(project=item.project, unit=item.unit)
        target.project, target.unit = item.project, item.unit
        target.quantity, target.measure, target.budget = item.quantity, item.measure.strip(), item.budget
        target.due_month = item.due_month
        if target.pk is not None and target.text == old:
            result.append(target)
            continue
        target.updated_by = editor
        validate(target, f"{item.unit.name} 项目{item.project.code} 目标任务", exclude=("updated_by",))
        action = AuditAction.TARGET_CHANGED if target.pk else AuditAction.TARGET_CREATED
        target.save()
        log.append(
            audit(
                user=user,
                period=None,
                action=action,
                old=old,
                new=target.text,
                unit=target.unit,
                project=target.project,
            )
        )
        result.append(target)
    AuditEntry.objects.append(log)
    return result


@service
def save_target(
    *,
    user,
    project: Project,
    unit: Unit,
    quantity: Decimal,
    measure: str,
    budget: Decimal,
    due_month: int | None = None,
) -> Target:
    """One target; see save_targets."""
    item = TargetInput(project, unit, quantity, measure, budget, due_month)
    return save_targets(user=user, year=project.year, items=[item])[0]


# --- progress ---------------------------------------------------------------------------------------------------


def _figures(row) -> rules.MonthFigures:
    return rules.MonthFigures(row.completed, row.paid, row.beneficiaries)


@service
def save_progress_rows(
    *, user, year: AssessmentYear, items: Sequence[ProgressInput], confirmed: bool = False
) -> list[Progress]:
    """Save monthly cumulative progress. A month below the previous one needs a reason in 说明 (a
    correction); a completion above the year's plausibility limit raises NeedsConfirmation unless
    `confirmed` (a trusted command, user None, is confirmed). Unchanged rows are left alone."""
    periods = {}
    for month in sorted({item.month for item in items}):
        period = lock_for_write(get_or_create_period(year=year.year, month=month, user=user))
        periods[month] = period
    for item in items:
        if item.target.project.year_id != year.pk:
            raise ValidationError(f"项目 {item.target.project.code} 不是{year.year}年的项目。")
        require(can_edit_progress(user, periods[item.month], item.target.unit))
    target_ids = {item.target.pk for item in items}
    stored: dict[tuple[int, int], Progress] = {
        (p.target_id, p.month): p for p in Progress.objects.filter(target_id__in=target_ids)
    }
    # The figures of every month as they will be: stored, then the items over them.
    figures: dict[int, dict[int, tuple[rules.MonthFigures, str]]] = defaultdict(dict)
    for (target_id, month), row in stored.items():
        figures[target_id][month] = (_figures(row), row.note)
    for item in items:
        figures[item.target.pk][item.month] = (_figures(item), item.note.strip())
    editor, log, result = acting_user(user), [], []
    for item in items:
        label = f"{item.target.unit.name} 项目{item.target.project.code} {item.month}月"
        months = figures[item.target.pk]
        earlier = [m for m in months if m < item.month]
        previous = months[max(earlier)][0] if earlier else None
        problem = rules.decrease_problem(previous, _figures(item), item.note)
        if problem:
            raise ValidationError(f"{label}：{problem.message}")
        later = [m for m in months if m > item.month]
        if later:
            following, note = months[min(later)]
            problem = rules.decrease_problem(_figures(item), following, note)
            if problem:
                raise ValidationError(
                    f"{item.target.unit.name} 项目{item.target.project.code} {min(later)}月：{problem.message}"
                )
        question = rules.plausibility_problem(item.completed, item.target.quantity, year.plausibility_limit)
        if question and not (confirmed or user is None):
            raise NeedsConfirmation(f"{label}：{question}")
        row = stored.get((item.target.pk, item.month))
        old = row.text if row is not None else ""
        old_note = row.note if row is not None else ""
        if row is None:
            row = Progress(target=item.target, month=item.month)
        row.target = item.target
        row.completed, row.paid, row.beneficiaries = item.completed, item.paid, item.beneficiaries
        row.note, row.confirmed = item.note.strip(), bool(question)
        if row.pk is not None and row.text == old and row.note == old_note:
            result.append(row)
            continue
        row.updated_by = editor
        validate(row, label, exclude=("updated_by",))
        action = AuditAction.PROGRESS_CHANGED if row.pk else AuditAction.PROGRESS_CREATED
        row.save()
        log.append(
            audit(
                user=user,
                period=periods[item.month],
                action=action,
                old=old,
                new=row.text,
                reason=row.note,
                unit=item.target.unit,
                project=item.target.project,
            )
        )
        result.append(row)
    AuditEntry.objects.append(log)
    return result


@service
def save_progress(
    *,
    user,
    target: Target,
    month: int,
    completed: Decimal,
    paid: Decimal,
    beneficiaries: int = 0,
    note: str = "",
    confirmed: bool = False,
) -> Progress:
    """One month of one target; see save_progress_rows."""
    item = ProgressInput(target, month, completed, paid, beneficiaries, note)
    return save_progress_rows(user=user, year=target.project.year, items=[item], confirmed=confirmed)[0]


# --- information ------------------------------------------------------------------------------------------------


@service
def save_information_rows(*, user, year: AssessmentYear, items: Sequence[InformationInput]) -> list[InformationReport]:
    """Save units' information counts of months (adopted never above reported); unchanged rows left alone."""
    periods = {}
    for month in sorted({item.month for item in items}):
        periods[month] = lock_for_write(get_or_create_period(year=year.year, month=month, user=user))
    for item in items:
        require(can_edit_progress(user, periods[item.month], item.unit))
    stored = {
        (r.unit_id, r.month): r
        for r in InformationReport.objects.filter(year=year, unit_id__in={item.unit.pk for item in items})
    }
    editor, log, result = acting_user(user), [], []
    for item in items:
        row = stored.get((item.unit.pk, item.month))
        old = row.text if row is not None else ""
        if row is None:
            row = InformationReport(year=year, unit=item.unit, month=item.month)
        row.unit = item.unit
        row.reported, row.city_adopted, row.province_adopted = item.reported, item.city_adopted, item.province_adopted
        if row.pk is not None and row.text == old:
            result.append(row)
            continue
        row.updated_by = editor
        validate(row, f"{item.unit.name} {item.month}月 信息报送", exclude=("updated_by",))
        action = AuditAction.INFORMATION_CHANGED if row.pk else AuditAction.INFORMATION_CREATED
        row.save()
        log.append(audit(user=user, period=periods[item.month], action=action, old=old, new=row.text, unit=item.unit))
        result.append(row)
    AuditEntry.objects.append(log)
    return result


@service
def save_information(
    *, user, year: AssessmentYear, unit: Unit, month: int, reported: int, city_adopted: int, province_adopted: int
) -> InformationReport:
    """One unit's counts of one month; see save_information_rows."""
    item = InformationInput(unit, month, reported, city_adopted, province_adopted)
    return save_information_rows(user=user, year=year, items=[item])[0]


__all__ = [
    "InformationInput",
    "PermissionDenied",
    "ProgressInput",
    "TargetInput",
    "save_information",
    "save_information_rows",
    "save_progress",
    "save_progress_rows",
    "save_target",
    "save_targets",
    "target_unit_problem",
]
