"""Writes of the notice: generate a month's draft, edit its parts. Office only, refused once the month is
published (the notice is frozen with its period), each saved state kept as a version and audited in the
same transaction (notice.generated / notice.changed)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.roles import is_office
from assessment.models import AuditAction, Period
from assessment.services.base import acting_user, actor_of, audit, lock_period

from . import selectors, wording
from .models import TEXT_MAX_LENGTH, Notice, NoticeVersion

OFFICE_ONLY = "只有民生办可以起草和修改通报。"
LIMITS = {"title": 200, "salutation": 200, "opening": TEXT_MAX_LENGTH, "findings": TEXT_MAX_LENGTH}
LIMITS["requirements"] = TEXT_MAX_LENGTH


class NoticeConflict(ValidationError):
    """The notice was saved by someone else since the form was opened."""


def _writable(user, period: Period) -> Period:
    if user is not None and not is_office(user):
        raise PermissionDenied(OFFICE_ONLY)
    period = lock_period(period)
    if period.is_published:
        raise ValidationError(f"{period}已发布，通报已随之定稿，不能修改；如需修改请先重新开放该月份。")
    return period


def _check(parts: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for name, text in parts.items():
        if name not in wording.PART_LABELS:
            raise ValidationError(f"通报没有“{name}”这一部分。")
        text = (text or "").replace("\r\n", "\n").strip()
        label = wording.PART_LABELS[name]
        if name in ("title", "salutation", "opening") and not text:
            raise ValidationError(f"通报的“{label}”不能为空。")
        if len(text) > LIMITS[name]:
            raise ValidationError(f"通报的“{label}”最多{LIMITS[name]}个字，现有{len(text)}个字。")
        cleaned[name] = text
    return cleaned


def _save_version(notice: Notice, *, user, kind: str, changed: list[str]) -> NoticeVersion:
    _, actor = actor_of(user)
    version = NoticeVersion(
        notice=notice,
        number=notice.version,
        kind=kind,
        changed=changed,
        content=notice.parts,
        user=acting_user(user),
        actor_name=actor,
    )
    version.save()
    return version


def _audit(user, period: Period, action: str, changed: list[str], number: int) -> None:
    labels = "、".join(wording.PART_LABELS[name] for name in changed)
    audit(user=user, period=period, action=action, new=f"第{number}版：{labels}").save()


@transaction.atomic
def generate_notice(*, user, period: Period, lagging=None) -> Notice:
    """The month's draft from its data: a new notice from the year's template and the findings, or, for
    an existing notice, its findings generated again (the other parts keep the office's edits)."""
    period = _writable(user, period)
    parts, generated = selectors.draft_parts(period, lagging=lagging)
    notice = Notice.objects.select_for_update().filter(period=period).first()
    now = timezone.now()
    if notice is None:
        notice = Notice(period=period, **parts, sources=generated.as_json(), generated_at=now)
        notice.updated_by = acting_user(user)
        notice.full_clean()
        notice.save()
        _save_version(notice, user=user, kind=NoticeVersion.Kind.GENERATED, changed=list(wording.PARTS))
        _audit(user, period, AuditAction.NOTICE_GENERATED, list(wording.PARTS), notice.version)
        return notice
    changed = ["findings"] if notice.findings != parts["findings"] else []
    notice.findings, notice.sources, notice.generated_at = parts["findings"], generated.as_json(), now
    if changed:
        notice.version += 1
    notice.updated_by = acting_user(user)
    notice.full_clean()
    notice.save()
    if changed:
        _save_version(notice, user=user, kind=NoticeVersion.Kind.REGENERATED, changed=changed)
        _audit(user, period, AuditAction.NOTICE_GENERATED, changed, notice.version)
    return notice


@transaction.atomic
def update_notice(*, user, period: Period, parts: dict[str, str], version: int | None = None) -> Notice:
    """The office edits parts of the draft. `version`: the version the form showed (a later save by
    someone else is refused, nothing written). Unchanged parts are not recorded."""
    period = _writable(user, period)
    notice = Notice.objects.select_for_update().filter(period=period).first()
    if notice is None:
        raise ValidationError(f"{period}还没有通报草稿，请先生成。")
    if version is not None and version != notice.version:
        editor = notice.updated_by.get_full_name() or notice.updated_by.get_username() if notice.updated_by else "他人"
        raise NoticeConflict(
            f"通报已被{editor}修改（现为第{notice.version}版），您的修改没有保存，请查看最新内容后再改。"
        )
    cleaned = _check(parts)
    changed = [name for name in wording.PARTS if name in cleaned and cleaned[name] != getattr(notice, name)]
    if not changed:
        return notice
    for name in changed:
        setattr(notice, name, cleaned[name])
    notice.version += 1
    notice.updated_by = acting_user(user)
    notice.full_clean()
    notice.save()
    _save_version(notice, user=user, kind=NoticeVersion.Kind.EDITED, changed=changed)
    _audit(user, period, AuditAction.NOTICE_CHANGED, changed, notice.version)
    return notice
