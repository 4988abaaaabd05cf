"""The progress and information grids' save request and reply (static/js/progress-grid.js).

Request: `{"changes": [{"id": n, "version": "…", "values": {"completed": "80", …}, "confirmed": false}]}` —
`id` a target (progress grid) or a unit (information grid), `version` the stamp the row was loaded with
("" for a row not entered yet), values as typed (text). Types are strict and a request holds at most
`MAX_CHANGES` rows, each once. Any invalid row → nothing saved, every error named by its row.

A row saved by someone else since it was loaded is refused and sent back with both values (the period is
locked first, so two saves of the same row are serialised); the other rows are saved through the
services (`save_progress_rows`, `save_information_rows`: validated, audited). A completion above the
year's plausibility limit is asked back (`confirm`) unless the row says it is confirmed.

Reply: `{"saved": [{id, version, values, display, lagging}], "conflicts": [{id, mine, theirs, theirs_by,
theirs_version}], "confirm": [{id, message}], "errors": [{id, message}]}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import display_name
from projects import progress_rules as progress
from projects.models import InformationReport, Progress, Target, Unit

from .. import access, rules, services
from ..models import Period
from ..results import one_derivation
from ..services.base import lock_for_write

MAX_CHANGES = 2000
LARGEST_ID = 2**53
PROGRESS_FIELDS = ("completed", "paid", "beneficiaries", "note")
INFORMATION_FIELDS = ("reported", "city_adopted", "province_adopted")
LABELS = {
    "completed": "累计完成",
    "paid": "累计拨付",
    "beneficiaries": "累计受益人次",
    "note": "说明",
    "reported": "报送",
    "city_adopted": "市采用",
    "province_adopted": "省采用",
}


class Refused(Exception):
    """The request cannot be saved; `errors` are [{id, message}] and nothing was written."""

    def __init__(self, status: int, errors: list[dict]):
        super().__init__(errors[0]["message"] if errors else "")
        self.status, self.errors = status, errors

    @classmethod
    def whole(cls, message: str, status: int = 400) -> Refused:
        return cls(status, [{"id": None, "message": message}])

    def reply(self) -> dict:
        return {"saved": [], "conflicts": [], "confirm": [], "errors": self.errors}


@dataclass(frozen=True)
class Change:
    id: int
    version: str
    values: dict[str, str]
    confirmed: bool


def stamp(row) -> str:
    """A stored row's version as the grid carries it: its last change, to the microsecond."""
    return row.updated_at.isoformat() if row is not None and row.updated_at else ""


def _refuse_constant(name: str):
    raise ValueError(name)


def parse_changes(body: bytes, fields: tuple[str, ...]) -> list[Change]:
    try:
        payload = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Refused.whole("请求格式错误：不是有效的 JSON。") from None
    changes = payload.get("changes") if isinstance(payload, dict) else None
    if not isinstance(changes, list):
        raise Refused.whole('请求格式错误：应为 {"changes": [...]}。')
    if len(changes) > MAX_CHANGES:
        raise Refused.whole(f"一次最多保存 {MAX_CHANGES} 行，本次有 {len(changes)} 行，请分批保存。")
    result, seen = [], set()
    for index, change in enumerate(changes, start=1):
        if not isinstance(change, dict):
            raise Refused.whole(f"请求格式错误：第{index}项修改应为对象。")
        identifier, version = change.get("id"), change.get("version", "")
        values, confirmed = change.get("values"), change.get("confirmed", False)
        if isinstance(identifier, bool) or not isinstance(identifier, int) or not 0 < identifier < LARGEST_ID:
            raise Refused.whole(f"请求格式错误：第{index}项修改的 id 应为正整数。")
        if not isinstance(version, str) or len(version) > 64:
            raise Refused.whole(f"请求格式错误：第{index}项修改的 version 应为文本。")
        if not isinstance(confirmed, bool):
            raise Refused.whole(f"请求格式错误：第{index}项修改的 confirmed 应为 true 或 false。")
        if not isinstance(values, dict) or set(values) - set(fields):
            raise Refused.whole(f"请求格式错误：第{index}项修改的 values 只能包含 {'、'.join(fields)}。")
        if any(not isinstance(value, str) for value in values.values()):
            raise Refused.whole(f"请求格式错误：第{index}项修改的值应为文本。")
        if identifier in seen:
            raise Refused.whole(f"请求格式错误：同一行（{identifier}）在一次保存中出现了多次。")
        seen.add(identifier)
        result.append(Change(identifier, version, {name: values.get(name, "") for name in fields}, confirmed))
    return result


# ---------------------------------------------------------------- values


def _amount(text: str, label: str, places: int = 2):
    if rules.is_blank(text):
        return None
    try:
        value = rules.parse_number(text, places=places)
    except rules.InvalidNumber as invalid:
        raise ValueError(f"{label}：{invalid}") from None
    if value < 0:
        raise ValueError(f"{label}不能为负数")
    return value


def _count(text: str, label: str):
    value = _amount(text, label, places=0)
    return None if value is None else int(value)


def progress_text(row: Progress | None) -> dict[str, str]:
    if row is None:
        return dict.fromkeys(PROGRESS_FIELDS, "")
    return {
        "completed": progress.quantity_text(row.completed),
        "paid": progress.wan_text(row.paid),
        "beneficiaries": str(row.beneficiaries),
        "note": row.note,
    }


def information_text(row: InformationReport | None) -> dict[str, str]:
    if row is None:
        return dict.fromkeys(INFORMATION_FIELDS, "")
    return {name: str(getattr(row, name)) for name in INFORMATION_FIELDS}


# ---------------------------------------------------------------- progress


def save_progress_changes(*, user, period: Period, body: bytes) -> dict:
    """Parse, check and save the progress grid's rows of the period's month; raises Refused."""
    changes = parse_changes(body, PROGRESS_FIELDS)
    year = period.year
    targets = {
        t.pk: t
        for t in Target.objects.filter(project__year=year, pk__in=[c.id for c in changes]).select_related(
            "project__responsible_department", "unit"
        )
    }
    items, errors = [], []
    for change in changes:
        target = targets.get(change.id)
        if target is None:
            errors.append({"id": change.id, "message": "没有这个目标任务。"})
            continue
        label = f"{target.unit.name} · {target.project.display_code}、{target.project.name}"
        if not access.can_edit_progress(user, period, target.unit):
            raise Refused.whole(f"您不能修改{label}的进度。", 403)
        values = change.values
        problem = rules.text_problem(values["note"])
        try:
            if problem:
                raise ValueError(f"说明：{problem}")
            completed = _amount(values["completed"], "累计完成")
            paid = _amount(values["paid"], "累计拨付")
            beneficiaries = _count(values["beneficiaries"], "累计受益人次") or 0
            if completed is None or paid is None:
                raise ValueError("累计完成和累计拨付都要填写")
        except ValueError as invalid:
            errors.append({"id": change.id, "message": f"{label}：{invalid}"})
            continue
        items.append(
            (change, services.ProgressInput(target, period.month, completed, paid, beneficiaries, values["note"]))
        )
    if errors:
        raise Refused(400, errors)
    return _save(
        user=user,
        period=period,
        items=items,
        stored_rows=lambda ids: {
            row.target_id: row
            for row in Progress.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(target_id__in=ids, month=period.month)
        },
        key=lambda item: item.target.pk,
        texts=progress_text,
        write=lambda inputs, confirmed: services.save_progress_rows(
            user=user, year=year, items=inputs, confirmed=confirmed
        ),
        row_key=lambda row: row.target_id,
        display=_progress_display(period),
        question=lambda item: _plausibility(item, year),
    )


def _plausibility(item, year) -> str | None:
    """The question a completion above the year's plausibility limit asks (the services' rule)."""
    text = progress.plausibility_problem(item.completed, item.target.quantity, year.plausibility_limit)
    if text is None:
        return None
    return f"{item.target.unit.name} · {item.target.project.display_code}：{text}"


def _progress_display(period: Period):
    year = period.year

    def display(row: Progress) -> tuple[dict, bool]:
        target = row.target
        rate = progress.completion_rate(row.completed, target.quantity)
        scheduled = progress.schedule(
            target.project.project_type, period.month, target.due_month, year.progress_due_month
        )
        lagging = progress.is_lagging(rate, scheduled, year.lag_tolerance)
        shown = {
            "rate": progress.percent_label(rate),
            "funds_rate": progress.percent_label(progress.funds_rate(row.paid, target.budget)),
        }
        return shown, lagging

    return display


# ---------------------------------------------------------------- information


def save_information_changes(*, user, period: Period, body: bytes) -> dict:
    changes = parse_changes(body, INFORMATION_FIELDS)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[c.id for c in changes])}
    items, errors = [], []
    for change in changes:
        unit = units.get(change.id)
        if unit is None:
            errors.append({"id": change.id, "message": "没有这个单位。"})
            continue
        if not access.can_edit_progress(user, period, unit):
            raise Refused.whole(f"您不能修改{unit.name}的信息报送。", 403)
        try:
            counts = [_count(change.values[name], LABELS[name]) for name in INFORMATION_FIELDS]
            if counts[0] is None:
                raise ValueError("请填写报送条数")
            counts = [value or 0 for value in counts]
            problem = progress.information_problem(*counts)
            if problem:
                raise ValueError(problem.message)
        except ValueError as invalid:
            errors.append({"id": change.id, "message": f"{unit.name}：{invalid}"})
            continue
        items.append((change, services.InformationInput(unit, period.month, *counts)))
    if errors:
        raise Refused(400, errors)
    return _save(
        user=user,
        period=period,
        items=items,
        stored_rows=lambda ids: {
            row.unit_id: row
            for row in InformationReport.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(year=period.year, unit_id__in=ids, month=period.month)
        },
        key=lambda item: item.unit.pk,
        texts=information_text,
        write=lambda inputs, confirmed: services.save_information_rows(user=user, year=period.year, items=inputs),
        row_key=lambda row: row.unit_id,
        display=None,
        question=lambda item: None,
    )


# ---------------------------------------------------------------- shared


def _save(*, user, period, items, stored_rows, key, texts, write, row_key, display, question) -> dict:
    """Lock the period, refuse rows changed since they were loaded, save the others in one service call."""
    reply = {"saved": [], "conflicts": [], "confirm": [], "errors": []}
    try:
        with one_derivation():  # one transaction (progress changes no score: nothing is derived)
            lock_for_write(period)
            stored = stored_rows([key(item) for _, item in items])
            accepted = []
            for change, item in items:
                current = stored.get(key(item))
                if stamp(current) != change.version:
                    by = display_name(current.updated_by) if current is not None and current.updated_by else "他人"
                    reply["conflicts"].append(
                        {
                            "id": change.id,
                            "mine": change.values,
                            "theirs": texts(current),
                            "theirs_by": by,
                            "theirs_version": stamp(current),
                        }
                    )
                    continue
                accepted.append((change, item))
            if not accepted:
                return reply
            asked = [
                {"id": change.id, "message": text}
                for change, item in accepted
                if not change.confirmed and (text := question(item)) is not None
            ]
            if asked:  # nothing is saved until every implausible row is confirmed
                return {"saved": [], "conflicts": [], "confirm": asked, "errors": []}
            rows = write([item for _, item in accepted], True)
    except ValidationError as error:
        raise Refused.whole("；".join(error.messages)) from None
    except PermissionDenied as denied:
        raise Refused.whole(str(denied), 403) from None
    by_key = {row_key(row): row for row in rows}
    for change, item in accepted:
        row = by_key.get(key(item))
        entry = {"id": change.id, "version": stamp(row), "values": texts(row), "display": {}, "lagging": False}
        if display is not None and row is not None:
            entry["display"], entry["lagging"] = display(row)
        reply["saved"].append(entry)
    return reply
