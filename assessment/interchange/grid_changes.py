"""The region grid's save request and reply.

Request: `{"changes": [{"region": id, "project": id, "value": "1.400", "reason": "…", "version": n}]}`.
Types are strict (ids and versions are whole numbers, value and reason are text: nothing is coerced),
a request carries at most `MAX_CHANGES` changes and one change per cell. A malformed request is
refused as a whole; a cell whose value cannot be taken is reported with its key, and then nothing is
saved. Reply: `{"saved": [...], "conflicts": [...], "errors": [...]}`, proportional to the request.
"""

import json
from dataclasses import dataclass

from projects.models import UnitKind

from .. import rules
from ..models import Period
from ..selectors.reference import period_units, year_reference
from ..services import ProjectScoreInput, SaveResult

MAX_CHANGES = 5000
LARGEST_ID = 2**53


class Refused(Exception):
    """The request cannot be saved; `errors` are [{key, message}] and nothing was written."""

    def __init__(self, status: int, errors: list[dict]):
        super().__init__(errors[0]["message"] if errors else "")
        self.status, self.errors = status, errors

    @classmethod
    def whole(cls, message: str, status: int = 400) -> "Refused":
        return cls(status, [{"key": None, "message": message}])

    def reply(self) -> dict:
        return {"saved": [], "conflicts": [], "errors": self.errors}


def _refuse_constant(name: str):
    raise ValueError(name)


def _payload(body: bytes) -> list:
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Refused.whole("请求格式错误：不是有效的 JSON。") from None
    changes = payload.get("changes") if isinstance(payload, dict) else None
    if not isinstance(changes, list):
        raise Refused.whole('请求格式错误：应为 {"changes": [...]}。')
    if len(changes) > MAX_CHANGES:
        raise Refused.whole(f"一次最多保存 {MAX_CHANGES} 格，本次有 {len(changes)} 格，请分批保存。")
    return changes


def _whole(change: dict, name: str, index: int, *, default=None) -> int:
    value = change.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < LARGEST_ID:
        raise Refused.whole(f"请求格式错误：第{index}项修改的 {name} 应为非负整数。")
    return value


def _text(change: dict, name: str, index: int) -> str:
    value = change.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused.whole(f"请求格式错误：第{index}项修改的 {name} 应为文本。")
    return value


@dataclass(frozen=True)
class _Change:
    region: int
    project: int
    value: str
    reason: str
    version: int

    @property
    def key(self) -> str:
        return f"{self.region}-{self.project}"


def _changes(body: bytes) -> list[_Change]:
    changes, seen = [], set()
    for index, change in enumerate(_payload(body), start=1):
        if not isinstance(change, dict):
            raise Refused.whole(f"请求格式错误：第{index}项修改应为对象。")
        parsed = _Change(
            region=_whole(change, "region", index),
            project=_whole(change, "project", index),
            value=_text(change, "value", index),
            reason=_text(change, "reason", index),
            version=_whole(change, "version", index, default=0),
        )
        if parsed.key in seen:
            raise Refused.whole(f"请求格式错误：同一单元格（{parsed.key}）在一次保存中出现了多次。")
        seen.add(parsed.key)
        changes.append(parsed)
    return changes


def parse(body: bytes, *, period: Period) -> list[ProjectScoreInput]:
    """The changes of a save request as service inputs; raises Refused. Three queries."""
    changes = _changes(body)
    regions = {unit.pk: unit for unit in period_units(period, UnitKind.REGION)}
    reference = year_reference(period.year_id)
    projects = {project.pk: project for project in reference.projects}
    maximum = period.year.project_max_score
    items, errors = [], []
    for change in changes:
        region, project = regions.get(change.region), projects.get(change.project)
        if region is None or project is None:
            errors.append({"key": change.key, "message": "没有这个单元格。"})
            continue
        label = f"{region.name} · {project.display_code}"
        message = _cell_problem(change, region, project, reference, maximum)
        if message:
            errors.append({"key": change.key, "message": f"{label}：{message}"})
            continue
        item = _input(change, region, project, maximum)
        if item is not None:
            items.append(item)
    if errors:
        raise Refused(400, errors)
    return items


def _cell_problem(change: _Change, region, project, reference, maximum) -> str | None:
    if not reference.applies(project.pk, region.pk):
        return f"该项目不适用于{region.name}。"
    problem = rules.text_problem(change.reason)
    if problem:
        return problem
    try:
        cell = rules.parse_cell(change.value, maximum=maximum, not_applicable_allowed=True)
    except rules.InvalidNumber as invalid:
        return str(invalid)
    return rules.reason_problem(cell.score, maximum, change.reason)


def _input(change: _Change, region, project, maximum) -> ProjectScoreInput | None:
    """None when there is nothing to do: an empty value on a cell that was empty when loaded."""
    cell = rules.parse_cell(change.value, maximum=maximum, not_applicable_allowed=True)
    if cell.is_empty and not change.version:
        return None
    reason = change.reason.strip()
    return ProjectScoreInput(region, project, cell.score, cell.not_applicable, reason, change.version)


def reply(result: SaveResult) -> dict:
    def key_fields(key: tuple[int, int]) -> dict:
        return {"key": f"{key[0]}-{key[1]}", "region": key[0], "project": key[1]}

    saved = [
        {**key_fields(c.key), "value": c.text, "reason": c.reason, "version": c.version, "updated_by": c.updated_by}
        for c in result.saved
    ]
    conflicts = [
        {
            **key_fields(c.key),
            "mine": c.mine,
            "theirs": c.theirs,
            "theirs_reason": c.theirs_reason,
            "theirs_by": c.theirs_by,
            "theirs_version": c.theirs_version,
        }
        for c in result.conflicts
    ]
    return {"saved": saved, "conflicts": conflicts, "errors": []}
