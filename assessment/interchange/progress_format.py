"""Progress and information files: rows read, validated and compared with what is stored, then applied
all or nothing through the services.

- progress: `年度,月份,单位,项目,目标任务,计量单位,年度预算,完成时限,累计完成,累计拨付,累计受益人次,说明`
  — a row with 月份 empty sets a target, a row with 月份 a month's cumulative progress;
- information: `年度,月份,单位,报送,市采用,省采用`.

Cells are read as the score import reads them (`files.read_table`, `long_format.number`, `assessment.rules`),
and errors are `第N行 列名：原因` (`plan.RowError`). At most `plan.MAX_ERRORS` errors are listed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from projects import progress_rules as prules
from projects.models import AssessmentYear, InformationReport, Progress, Project, ProjectType, Target, Unit

from .. import rules
from ..access import can_edit_progress, can_edit_targets
from ..results import one_derivation
from ..services.progress import (
    InformationInput,
    ProgressInput,
    TargetInput,
    save_information_rows,
    save_progress_rows,
    save_targets,
    target_unit_problem,
)
from .files import RawRow, is_filled, read_table, rows_under_header
from .long_format import Lookups, RowInvalid, number, text, whole_number
from .plan import RowError, _month_error, listed_errors

PROGRESS_COLUMNS = [
    "年度",
    "月份",
    "单位",
    "项目",
    "目标任务",
    "计量单位",
    "年度预算",
    "完成时限",
    "累计完成",
    "累计拨付",
    "累计受益人次",
    "说明",
]
INFORMATION_COLUMNS = ["年度", "月份", "单位", "报送", "市采用", "省采用"]
TARGET_COLUMNS = ("目标任务", "计量单位", "年度预算", "完成时限")
MONTH_COLUMNS = ("累计完成", "累计拨付", "累计受益人次", "说明")
MAX_COUNT = 10**9
MONEY = prules.MONEY_DECIMALS


@dataclass(frozen=True)
class Change:
    """old → new of one target, month or information row, for the preview."""

    what: str
    old: str
    new: str


@dataclass
class Plan:
    targets: list[tuple[int, TargetInput]] = field(default_factory=list)
    progress: list[tuple[int, dict]] = field(default_factory=list)  # (line, fields; "key" is project×unit)
    information: list[tuple[int, AssessmentYear, InformationInput]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # plausibility: to confirm (a command is confirmed)
    changes: list[Change] = field(default_factory=list)
    years: set = field(default_factory=set)
    year_objects: dict = field(default_factory=dict)  # pk → AssessmentYear of the rows

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> list[Change]:
        return [change for change in self.changes if change.old != change.new]


def _amount(values: dict, column: str, *, required: bool, places: int = MONEY) -> Decimal | None:
    value = values.get(column)
    if not is_filled(value):
        if required:
            raise RowInvalid(column, f"请填写{column}")
        return None
    amount = number(value, column, places)
    if amount < 0:
        raise RowInvalid(column, f"{column}不能为负数")
    return amount


def _count(values: dict, column: str, *, required: bool) -> int:
    if not is_filled(values.get(column)) and not required:
        return 0
    return whole_number(values.get(column), column, 0, MAX_COUNT)


def _year(values: dict, lookups: Lookups) -> AssessmentYear:
    year = whole_number(values.get("年度"), "年度", 2000, 2100)
    if year not in lookups.years:
        raise RowInvalid("年度", f"没有{year}年的考评年度")
    return lookups.years[year]


def _unit(values: dict, lookups: Lookups) -> Unit:
    name = text(values.get("单位"), "单位")
    if not name:
        raise RowInvalid("单位", "请填写单位")
    return lookups.unit(name)


def _month_ok(plan: Plan, raw: RawRow, year: AssessmentYear, month: int, lookups: Lookups, user, unit: Unit) -> bool:
    problem = _month_error(year.year, month, lookups)
    if problem is None:
        period = lookups.periods.get((year.year, month))
        if period is not None and user is not None and not can_edit_progress(user, period, unit):
            problem = ("单位", f"您不能修改{period}{unit.name}的数据。")
    if problem:
        plan.errors.append(RowError(raw.line, raw.label(problem[0]), problem[1]))
        return False
    return True


# --- progress ---------------------------------------------------------------------------------------------------


def read_progress_file(data: bytes, filename: str) -> list[RawRow]:
    return list(rows_under_header(read_table(data, filename), PROGRESS_COLUMNS))


def plan_progress_import(raw_rows, *, user=None) -> Plan:
    """Validate every row of a progress file against the stored targets and months. Writes nothing."""
    lookups = Lookups()
    plan = Plan()
    first_line = {}
    stored_targets = {}
    loaded_years = set()

    def targets_of(year: AssessmentYear):
        if year.pk not in loaded_years:
            loaded_years.add(year.pk)
            for target in Target.objects.filter(project__year=year).select_related("project", "unit"):
                stored_targets[(target.project_id, target.unit_id)] = target
        return stored_targets

    file_targets: dict[tuple[int, int], TargetInput] = {}
    for raw in raw_rows:
        values = raw.values
        try:
            year = _year(values, lookups)
            month_value = values.get("月份")
            month = whole_number(month_value, "月份", 1, 12) if is_filled(month_value) else None
            unit = _unit(values, lookups)
            code = text(values.get("项目"), "项目")
            if not code:
                raise RowInvalid("项目", "请填写项目编号")
            project = lookups.project(year.year, code)
            if project is None:
                raise RowInvalid("项目", f"“{code}”不是{year.year}年的项目编号")
            problem = target_unit_problem(project, unit, lookups.reference(year.year).applies)
            if problem:
                raise RowInvalid("单位", problem)
            key = (year.pk, month, unit.pk, project.pk)
            if key in first_line:
                raise RowInvalid("项目", f"与第{first_line[key]}行重复")
            if month is None:
                item = _target_row(values, project, unit, user)
                first_line[key] = raw.line
                file_targets[(project.pk, unit.pk)] = item
                plan.targets.append((raw.line, item))
            else:
                fields = _progress_row(values)
                if not _month_ok(plan, raw, year, month, lookups, user, unit):
                    continue
                first_line[key] = raw.line
                plan.progress.append(
                    (raw.line, {"year": year, "project": project, "unit": unit, "month": month, **fields})
                )
            plan.years.add(year.pk)
            plan.year_objects[year.pk] = year
        except RowInvalid as invalid:
            plan.errors.append(RowError(raw.line, raw.label(invalid.column), invalid.message))
    if plan.errors:
        return plan
    for _line, row in plan.progress:
        targets_of(row["year"])
    for year in plan.year_objects.values():
        targets_of(year)
    # every month row needs a target, in the file or stored
    for line, row in plan.progress:
        pair = (row["project"].pk, row["unit"].pk)
        if pair not in file_targets and pair not in targets_of(row["year"]):
            message = f"{row['unit'].name}没有项目 {row['project'].code} 的目标任务，请先导入目标任务行（月份为空）"
            plan.errors.append(RowError(line, "项目", message))
    if plan.errors:
        return plan
    _check_sequences(plan, file_targets, stored_targets)
    _changes(plan, stored_targets)
    return plan


def _target_row(values: dict, project: Project, unit: Unit, user) -> TargetInput:
    if not can_edit_targets(user):
        raise RowInvalid("目标任务", "只有民生办可以设定目标任务")
    filled = [column for column in MONTH_COLUMNS if is_filled(values.get(column))]
    if filled:
        raise RowInvalid(filled[0], "月份为空的行是目标任务行，累计数应填在有月份的行")
    quantity = _amount(values, "目标任务", required=True, places=prules.QUANTITY_DECIMALS)
    measure = text(values.get("计量单位"), "计量单位", 20)
    budget = _amount(values, "年度预算", required=True)
    due_month = None
    if is_filled(values.get("完成时限")) and project.project_type == ProjectType.CONSTRUCTION:
        due_month = whole_number(values.get("完成时限"), "完成时限", 1, 12)
    return TargetInput(project, unit, quantity, measure, budget, due_month)


def _progress_row(values: dict) -> dict:
    filled = [column for column in TARGET_COLUMNS if is_filled(values.get(column))]
    if filled:
        raise RowInvalid(filled[0], "有月份的行是进度行，目标任务应填在月份为空的行")
    return {
        "completed": _amount(values, "累计完成", required=True, places=prules.QUANTITY_DECIMALS),
        "paid": _amount(values, "累计拨付", required=True),
        "beneficiaries": _count(values, "累计受益人次", required=False),
        "note": text(values.get("说明"), "说明", rules.REASON_MAX_LENGTH),
    }


def _check_sequences(plan: Plan, file_targets: dict, stored_targets: dict) -> None:
    """Cumulative figures: no month below the one before it without a reason; plausibility questions."""
    target_ids = [t.pk for t in stored_targets.values()]
    months: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    by_id = {t.pk: key for key, t in stored_targets.items()}
    for row in Progress.objects.filter(target_id__in=target_ids):
        figures = prules.MonthFigures(row.completed, row.paid, row.beneficiaries)
        months[by_id[row.target_id]][row.month] = (figures, row.note, None)
    for line, row in plan.progress:
        pair = (row["project"].pk, row["unit"].pk)
        figures = prules.MonthFigures(row["completed"], row["paid"], row["beneficiaries"])
        months[pair][row["month"]] = (figures, row["note"], line)
    columns = {"completed": "累计完成", "paid": "累计拨付", "beneficiaries": "累计受益人次"}
    for by_month in months.values():
        ordered = sorted(by_month.items())
        for (_, (before, _note, before_line)), (month, (now, note, line)) in zip(ordered, ordered[1:], strict=False):
            problem = prules.decrease_problem(before, now, note)
            if problem and line is not None:
                plan.errors.append(RowError(line, columns[problem.field], problem.message))
            elif problem and before_line is not None:  # the file's month would exceed a stored later month
                message = f"高于已录入的{month}月累计数，请先更正{month}月（或在{month}月说明更正原因）"
                plan.errors.append(RowError(before_line, columns[problem.field], message))
    limit_of = {}
    for line, row in plan.progress:
        pair = (row["project"].pk, row["unit"].pk)
        target = file_targets.get(pair) or stored_targets[pair]
        limit = limit_of.setdefault(row["year"].pk, row["year"].plausibility_limit)
        question = prules.plausibility_problem(row["completed"], target.quantity, limit)
        if question:
            plan.questions.append(f"第{line}行 累计完成：{question}")


def _changes(plan: Plan, stored_targets: dict) -> None:
    for _line, item in plan.targets:
        stored = stored_targets.get((item.project.pk, item.unit.pk))
        new = prules.target_text(item.quantity, item.measure, item.budget, item.due_month)
        what = f"{item.unit.name} 项目{item.project.code} 目标"
        plan.changes.append(Change(what, stored.text if stored else "", new))
    ids = [t.pk for t in stored_targets.values()]
    stored_rows = {
        (r.target_id, r.month): r for r in Progress.objects.filter(target_id__in=ids).select_related("target")
    }
    file_measures = {(item.project.pk, item.unit.pk): item.measure for _line, item in plan.targets}
    for _line, row in plan.progress:
        pair = (row["project"].pk, row["unit"].pk)
        target = stored_targets.get(pair)
        old = stored_rows.get((target.pk, row["month"])) if target else None
        measure = file_measures.get(pair, target.measure if target else "")
        new_text = prules.progress_text(row["completed"], measure, row["paid"], row["beneficiaries"])
        what = f"{row['unit'].name} 项目{row['project'].code} {row['month']}月"
        plan.changes.append(Change(what, old.text if old else "", new_text))


@dataclass(frozen=True)
class Applied:
    targets: int
    progress: int
    information: int


def apply_progress_import(plan: Plan, *, user=None, confirmed: bool = True) -> Applied:
    """Write a valid plan through the services, all or nothing (a refusal rolls everything back)."""
    if not plan.ok:
        raise ValidationError(listed_errors(plan.errors))
    try:
        with one_derivation():
            saved = {}
            by_year = defaultdict(list)
            for _line, item in plan.targets:
                by_year[item.project.year_id].append(item)
            years = plan.year_objects
            for year_id, items in by_year.items():
                for target in save_targets(user=user, year=years[year_id], items=items):
                    saved[(target.project_id, target.unit_id)] = target
            rows_by_year = defaultdict(list)
            pairs = {(row["project"].pk, row["unit"].pk) for _line, row in plan.progress} - set(saved)
            if pairs:
                for target in Target.objects.filter(project_id__in={p for p, _ in pairs}).select_related(
                    "project__year", "unit"
                ):
                    saved.setdefault((target.project_id, target.unit_id), target)
            for _line, row in plan.progress:
                target = saved[(row["project"].pk, row["unit"].pk)]
                rows_by_year[row["year"].pk].append(
                    ProgressInput(
                        target, row["month"], row["completed"], row["paid"], row["beneficiaries"], row["note"]
                    )
                )
            for year_id, items in rows_by_year.items():
                save_progress_rows(user=user, year=years[year_id], items=items, confirmed=confirmed)
    except PermissionDenied as denied:
        raise ValidationError(str(denied)) from denied
    return Applied(len(plan.targets), len(plan.progress), 0)


# --- information ------------------------------------------------------------------------------------------------


def read_information_file(data: bytes, filename: str) -> list[RawRow]:
    return list(rows_under_header(read_table(data, filename), INFORMATION_COLUMNS))


def plan_information_import(raw_rows, *, user=None) -> Plan:
    """Validate every row of an information file. Writes nothing."""
    lookups = Lookups()
    plan = Plan()
    first_line = {}
    for raw in raw_rows:
        values = raw.values
        try:
            year = _year(values, lookups)
            month = whole_number(values.get("月份"), "月份", 1, 12)
            unit = _unit(values, lookups)
            counts = [_count(values, column, required=True) for column in ("报送", "市采用", "省采用")]
            problem = prules.information_problem(*counts)
            if problem:
                column = {"reported": "报送", "city_adopted": "市采用", "province_adopted": "省采用"}[problem.field]
                raise RowInvalid(column, problem.message)
            key = (year.pk, month, unit.pk)
            if key in first_line:
                raise RowInvalid("单位", f"与第{first_line[key]}行重复")
            if not _month_ok(plan, raw, year, month, lookups, user, unit):
                continue
            first_line[key] = raw.line
            plan.information.append((raw.line, year, InformationInput(unit, month, *counts)))
            plan.years.add(year.pk)
        except RowInvalid as invalid:
            plan.errors.append(RowError(raw.line, raw.label(invalid.column), invalid.message))
    if plan.ok:
        stored = {(r.year_id, r.unit_id, r.month): r for r in InformationReport.objects.filter(year_id__in=plan.years)}
        for _line, year, item in plan.information:
            old = stored.get((year.pk, item.unit.pk, item.month))
            new = prules.information_text(item.reported, item.city_adopted, item.province_adopted)
            plan.changes.append(Change(f"{item.unit.name} {item.month}月 信息", old.text if old else "", new))
    return plan


def apply_information_import(plan: Plan, *, user=None) -> Applied:
    if not plan.ok:
        raise ValidationError(listed_errors(plan.errors))
    by_year, years = defaultdict(list), {}
    for _line, year, item in plan.information:
        by_year[year.pk].append(item)
        years[year.pk] = year
    try:
        with one_derivation():
            for year_id, items in by_year.items():
                save_information_rows(user=user, year=years[year_id], items=items)
    except PermissionDenied as denied:
        raise ValidationError(str(denied)) from denied
    return Applied(0, 0, len(plan.information))
