"""A year's reference data from one .xlsx (`import_reference`): sheets 年度, 单位, 项目, 指标.

- `年度`: 年度,标题,民生办名称,县区组名称,部门组名称,项目满分 (one row);
- `单位`: 名称,简称,类别,排序 — 类别 the year's region or department label, or 县区 / 部门;
- `项目`: 编号,项目组编号,打印编号,项目名称,类型,责任部门,排序,不适用的县区;
- `指标`: 名称,满分,排序.

Sets up or updates the year: units by name, projects by code, indicators by name; nothing else is
removed. All or nothing: every row is checked (the models' own rules included) in one transaction that
is rolled back when any row is wrong; errors are `工作表 第N行 列名：原因`.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import AssessmentYear, Indicator, Project, ProjectType, Unit, UnitKind

from .files import ImportFileError, RawRow, is_filled, read_sheets, rows_under_header
from .long_format import RowInvalid, number, text, whole_number

SHEETS = {
    "年度": ["年度", "标题", "民生办名称", "县区组名称", "部门组名称", "项目满分"],
    "单位": ["名称", "简称", "类别", "排序"],
    "项目": ["编号", "项目组编号", "打印编号", "项目名称", "类型", "责任部门", "排序", "不适用的县区"],
    "指标": ["名称", "满分", "排序"],
}
TYPE_LABELS = {label: value for value, label in ProjectType.choices}
MAX_ROWS = 2000


@dataclass(frozen=True)
class SheetError:
    sheet: str
    line: int
    column: str
    message: str

    def __str__(self):
        where = f"第{self.line}行 " if self.line else ""
        return f"{self.sheet} {where}{self.column}：{self.message}"


@dataclass
class ReferenceResult:
    year: AssessmentYear | None = None
    errors: list[SheetError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def read_reference_file(data: bytes, filename: str) -> dict[str, list[RawRow]]:
    """The rows of the four sheets; raises ImportFileError naming the sheet when one is missing or bad."""
    sheets = read_sheets(data, filename)
    missing = [name for name in SHEETS if name not in sheets]
    if missing:
        raise ImportFileError(f"缺少工作表“{'”“'.join(missing)}”（应有工作表 {'、'.join(SHEETS)}）。")
    result = {}
    for name, columns in SHEETS.items():
        try:
            rows = list(rows_under_header(sheets[name], columns))
        except ImportFileError as error:
            raise ImportFileError(f"{name} {error}") from error
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"{name}：最多 {MAX_ROWS} 行数据（现有 {len(rows)} 行）。")
        result[name] = rows
    if len(result["年度"]) != 1:
        raise ImportFileError(f"年度：应只有一行数据（现有 {len(result['年度'])} 行）。")
    return result


def import_reference(sheets: dict[str, list[RawRow]], *, dry_run: bool = False) -> ReferenceResult:
    """Write the year's reference data, or nothing (errors, or `dry_run`)."""
    result = ReferenceResult()
    try:
        with transaction.atomic():
            _write(sheets, result)
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _model_errors(error: ValidationError, columns: dict[str, str]) -> tuple[str, str]:
    """The first message of a full_clean() error, with the column it belongs to."""
    for name, messages in error.message_dict.items():
        return columns.get(name, "—"), "；".join(messages)
    return "—", "；".join(error.messages)


def _clean(instance, sheet: str, line: int, columns: dict[str, str], result: ReferenceResult, exclude=()) -> bool:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        column, message = _model_errors(error, columns)
        result.errors.append(SheetError(sheet, line, column, message))
        return False
    return True


def _write(sheets: dict[str, list[RawRow]], result: ReferenceResult) -> None:
    year = _write_year(sheets["年度"][0], result)
    if year is None:
        return
    result.year = year
    units = _write_units(sheets["单位"], year, result)
    _write_projects(sheets["项目"], year, units, result)
    _write_indicators(sheets["指标"], year, result)


def _row(sheet: str, raw: RawRow, result: ReferenceResult, parse):
    try:
        return parse(raw.values)
    except RowInvalid as invalid:
        result.errors.append(SheetError(sheet, raw.line, invalid.column, invalid.message))
        return None


YEAR_FIELDS = {
    "year": "年度",
    "title": "标题",
    "office_name": "民生办名称",
    "region_label": "县区组名称",
    "department_label": "部门组名称",
    "project_max_score": "项目满分",
}


def _write_year(raw: RawRow, result: ReferenceResult) -> AssessmentYear | None:
    def parse(values):
        fields = {"year": whole_number(values.get("年度"), "年度", 2000, 2100)}
        for name in ("title", "office_name", "region_label", "department_label"):
            column = YEAR_FIELDS[name]
            fields[name] = text(values.get(column), column, 200 if name == "title" else 100)
            if not fields[name]:
                raise RowInvalid(column, f"请填写{column}")
        if fields["region_label"] == fields["department_label"]:
            raise RowInvalid("部门组名称", "部门组名称不能与县区组名称相同")
        if not is_filled(values.get("项目满分")):
            raise RowInvalid("项目满分", "请填写项目满分")
        fields["project_max_score"] = number(values.get("项目满分"), "项目满分")
        return fields

    fields = _row("年度", raw, result, parse)
    if fields is None:
        return None
    year = AssessmentYear.objects.filter(year=fields["year"]).first()
    if year is None:
        year = AssessmentYear(**fields)
        created = True
    else:
        for name, value in fields.items():
            setattr(year, name, value)
        created = False
    if not _clean(year, "年度", raw.line, YEAR_FIELDS, result, exclude=("year",) if not created else ()):
        return None
    year.save()
    result.created["年度"] += created
    result.updated["年度"] += not created
    return year


UNIT_FIELDS = {"name": "名称", "short_name": "简称", "kind": "类别", "display_order": "排序"}


def _write_units(rows: list[RawRow], year: AssessmentYear, result: ReferenceResult) -> dict[str, Unit]:
    kinds = {
        year.region_label: UnitKind.REGION,
        year.department_label: UnitKind.DEPARTMENT,
        UnitKind.REGION.label: UnitKind.REGION,
        "部门": UnitKind.DEPARTMENT,
        UnitKind.DEPARTMENT.label: UnitKind.DEPARTMENT,
    }
    stored = {unit.name: unit for unit in Unit.objects.all()}
    seen = {}

    def parse(values):
        name = text(values.get("名称"), "名称", 50)
        if not name:
            raise RowInvalid("名称", "请填写名称")
        if name in seen:
            raise RowInvalid("名称", f"与第{seen[name]}行重复")
        short_name = text(values.get("简称"), "简称", 30) or name
        kind_text = text(values.get("类别"), "类别", 30)
        if kind_text not in kinds:
            raise RowInvalid("类别", f"“{kind_text}”无效，应为“{year.region_label}”或“{year.department_label}”")
        order = whole_number(values.get("排序"), "排序", 0, 100000) if is_filled(values.get("排序")) else 0
        return {"name": name, "short_name": short_name, "kind": kinds[kind_text], "display_order": order}

    for raw in rows:
        fields = _row("单位", raw, result, parse)
        if fields is None:
            continue
        seen[fields["name"]] = raw.line
        unit = stored.get(fields["name"])
        created = unit is None
        unit = unit or Unit()
        for name, value in fields.items():
            setattr(unit, name, value)
        if _clean(unit, "单位", raw.line, UNIT_FIELDS, result, exclude=() if created else ("name",)):
            unit.save()
            stored[unit.name] = unit
            result.created["单位"] += created
            result.updated["单位"] += not created
    return stored


PROJECT_FIELDS = {
    "code": "编号",
    "group_code": "项目组编号",
    "printed_code": "打印编号",
    "name": "项目名称",
    "project_type": "类型",
    "responsible_department": "责任部门",
    "display_order": "排序",
}


def _write_projects(rows: list[RawRow], year: AssessmentYear, units: dict[str, Unit], result: ReferenceResult) -> None:
    stored = {project.code: project for project in Project.objects.filter(year=year)}
    seen = {}

    def parse(values):
        code = text(values.get("编号"), "编号", 20)
        if not code:
            raise RowInvalid("编号", "请填写编号")
        if code in seen:
            raise RowInvalid("编号", f"与第{seen[code]}行重复")
        name = text(values.get("项目名称"), "项目名称", 100)
        if not name:
            raise RowInvalid("项目名称", "请填写项目名称")
        type_text = text(values.get("类型"), "类型", 20)
        if type_text not in TYPE_LABELS:
            raise RowInvalid("类型", f"“{type_text}”无效，应为{'、'.join(TYPE_LABELS)}之一")
        department_name = text(values.get("责任部门"), "责任部门", 50)
        department = units.get(department_name)
        if department is None:
            raise RowInvalid("责任部门", f"找不到单位“{department_name}”")
        if not department.is_department:
            raise RowInvalid("责任部门", f"“{department_name}”不是{year.department_label}")
        excluded = []
        for part in text(values.get("不适用的县区"), "不适用的县区", 1000).split("、"):
            part = part.strip()
            if not part:
                continue
            region = units.get(part)
            if region is None or not region.is_region:
                raise RowInvalid("不适用的县区", f"“{part}”不是{year.region_label}")
            excluded.append(region)
        order = whole_number(values.get("排序"), "排序", 0, 100000) if is_filled(values.get("排序")) else 0
        return {
            "code": code,
            "group_code": text(values.get("项目组编号"), "项目组编号", 20),
            "printed_code": text(values.get("打印编号"), "打印编号", 20),
            "name": name,
            "project_type": TYPE_LABELS[type_text],
            "responsible_department": department,
            "display_order": order,
            "excluded": excluded,
        }

    for raw in rows:
        fields = _row("项目", raw, result, parse)
        if fields is None:
            continue
        seen[fields["code"]] = raw.line
        excluded = fields.pop("excluded")
        project = stored.get(fields["code"])
        created = project is None
        project = project or Project(year=year)
        for name, value in fields.items():
            setattr(project, name, value)
        if _clean(project, "项目", raw.line, PROJECT_FIELDS, result, exclude=("year",)):
            project.save()
            project.excluded_regions.set(excluded)
            result.created["项目"] += created
            result.updated["项目"] += not created


INDICATOR_FIELDS = {"name": "名称", "max_score": "满分", "display_order": "排序"}


def _write_indicators(rows: list[RawRow], year: AssessmentYear, result: ReferenceResult) -> None:
    stored = {indicator.name: indicator for indicator in Indicator.objects.filter(year=year)}
    seen = {}

    def parse(values):
        name = text(values.get("名称"), "名称", 50)
        if not name:
            raise RowInvalid("名称", "请填写名称")
        if name in seen:
            raise RowInvalid("名称", f"与第{seen[name]}行重复")
        if not is_filled(values.get("满分")):
            raise RowInvalid("满分", "请填写满分")
        maximum = number(values.get("满分"), "满分")
        order = whole_number(values.get("排序"), "排序", 0, 100000) if is_filled(values.get("排序")) else 0
        return {"name": name, "max_score": maximum, "display_order": order}

    for raw in rows:
        fields = _row("指标", raw, result, parse)
        if fields is None:
            continue
        seen[fields["name"]] = raw.line
        indicator = stored.get(fields["name"])
        created = indicator is None
        indicator = indicator or Indicator(year=year)
        for name, value in fields.items():
            setattr(indicator, name, value)
        if _clean(indicator, "指标", raw.line, INDICATOR_FIELDS, result, exclude=("year",)):
            indicator.save()
            result.created["指标"] += created
            result.updated["指标"] += not created
