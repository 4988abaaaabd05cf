"""What every write service shares: one derivation per outermost call, the period lock, the audit row."""

import contextlib
import contextvars
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accounts.models import display_name

from ..models import AuditEntry, Period, PeriodStatus
from ..results import current_batch, mark_changed, one_derivation


def service(function):
    """A write service: atomic, and its changes derived once when the outermost service returns."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with one_derivation():
            return function(*args, **kwargs)

    return wrapper


def ensure_writable(period: Period) -> None:
    """A published period refuses every write, and so does a period whose later months are published."""
    if period.is_published:
        raise ValidationError(f"{period}已发布，不能修改。")
    later = Period.objects.filter(year_id=period.year_id, month__gt=period.month, status=PeriodStatus.PUBLISHED)
    published = [f"{month}月" for month in later.values_list("month", flat=True)]
    if published:
        raise ValidationError(f"{'、'.join(published)}已发布，修改{period.month}月会改变其累计得分，请先重新开放。")


def lock_period(period: Period) -> Period:
    """The period's own row locked (never the year's row, which every month shares), with its year loaded."""
    return Period.objects.select_for_update(of=("self",)).select_related("year").get(pk=period.pk)


def lock_for_write(period: Period) -> Period:
    """The period locked for the rest of the transaction and checked writable, once per outermost call.

    The later months of the year are locked too, in month order, before the check: a change of this month
    rewrites their year to date, so none of them may be published while it is being made (a publish
    locks its own row and so waits, and the fixed order leaves no room for a deadlock)."""
    batch = current_batch()
    locked = batch.locked.get(period.pk)
    if locked is None:
        rows = (
            Period.objects.select_for_update(of=("self",))
            .select_related("year")
            .filter(year_id=period.year_id, month__gte=period.month)
            .order_by("month")
        )
        locked = next(row for row in rows if row.pk == period.pk)
        ensure_writable(locked)
        batch.locked[period.pk] = locked
    return locked


_COMMAND = contextvars.ContextVar("minsheng_command", default="")


@contextlib.contextmanager
def as_command(name: str):
    """Changes made inside (with user=None) are recorded as done by the management command `name`:
    the audit shows '命令 set_period_status' instead of '系统'."""
    token = _COMMAND.set(name)
    try:
        yield
    finally:
        _COMMAND.reset(token)


def actor_of(user) -> tuple[str, str]:
    """(username, actor name) an audit row records: the user, the running command, or '系统'."""
    if user is None and _COMMAND.get():
        return f"command:{_COMMAND.get()}", f"命令 {_COMMAND.get()}"
    return (user.get_username() if user is not None else ""), display_name(user)


def acting_user(user):
    """The user to record as editor: None for a trusted command."""
    return user if user is not None and user.is_authenticated else None


@dataclass
class PendingAudit:
    """An audit row about to be written: the fields of `AuditEntry` as plain values (an import audits
    thousands of changes; building a model instance for each would cost more than writing it), and the
    unit object the change is about, for `record` to know its kind."""

    user_id: int | None
    username: str
    actor_name: str
    period_id: int | None
    action: str
    old_value: str = ""
    new_value: str = ""
    reason: str = ""
    unit_id: int | None = None
    project_id: int | None = None
    indicator_id: int | None = None
    record_id: int | None = None
    target_unit: object = None

    def save(self) -> AuditEntry:
        """Write this one entry through the model (period status changes)."""
        fields = {name: value for name, value in vars(self).items() if name != "target_unit"}
        entry = AuditEntry(**fields)
        entry.save()
        return entry


def audit(*, user, period: Period | None, action: str, old="", new="", reason="", **targets) -> PendingAudit:
    """An audit row of a change; the targets (unit, project, indicator) are given as objects."""
    editor = acting_user(user)
    username, actor_name = actor_of(user)
    return PendingAudit(
        user_id=editor.pk if editor is not None else None,
        username=username,
        actor_name=actor_name,
        period_id=period.pk if period is not None else None,
        action=action,
        old_value=old,
        new_value=new,
        reason=reason,
        target_unit=targets.get("unit"),
        **{f"{name}_id": target.pk if target is not None else None for name, target in targets.items()},
    )


def record(period: Period, entries: list[PendingAudit]) -> None:
    """Write the audit rows of a change and mark the period for derivation (only the units the entries
    name; the whole period when one names none); nothing when nothing changed."""
    if entries:
        AuditEntry.objects.append(entries)
        units = [entry.target_unit for entry in entries]
        mark_changed(period, None if any(unit is None for unit in units) else units)


def validate(instance, label: str, exclude=("period", "updated_by")) -> None:
    """full_clean() without the queries of the unique checks (the database constraints back them)."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages = [message for messages in error.message_dict.values() for message in messages]
        raise ValidationError(f"{label}：{'；'.join(messages)}") from error
