"""Reference data and published history: edits that would change a published month's 附件1–3 are
refused, and every reference-data change made in the admin or by a command is audited.

A published month's tables are built from its stored numbers and results *and* from the reference data
(project rows, names, codes, order, excluded regions, the year's maximum, formula and labels, the units'
kinds, names and order). So while a year has a published month, its year, projects and indicators are
frozen (creating or deleting one too), and a unit that appears in a published month keeps its kind,
names and order; the office reopens the months first. The check runs on every path that saves a model
(admin form errors first; `pre_save`/`pre_delete`/`m2m_changed` signals as the last line, whatever the
caller: admin, import-export, a command, the shell).

The audit: within `reference_change(user=…, reason=…)` (the admin and `load_reference` open one) each
saved, deleted or re-linked reference object writes an `AuditEntry` (`reference.created|changed|deleted`,
who, when, old and new values of the changed fields, why) in the same transaction as the change. Fixture
rows saved raw by `loaddata` are recorded by `load_reference` as one `reference.loaded` entry.
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from projects.models import AssessmentYear, Indicator, Project, Unit

from .models import AuditAction, AuditEntry, Period, PeriodStatus, UnitResult

# What a published month's 附件1–3 are built from (printed, or used by the derivation). A unit's active flag
# is not: a published month keeps its units whatever the flag (`selectors.reference.period_units_query`);
# nor are the year's progress settings (due month, tolerances), which no attachment reads.
FROZEN = {
    AssessmentYear: [
        "year",
        "title",
        "office_name",
        "region_label",
        "department_label",
        "project_max_score",
        "region_formula",
        "printed_numbers",
        "blank_cancelled_adjustments",
    ],
    Project: [
        "year",
        "code",
        "group_code",
        "printed_code",
        "name",
        "responsible_department",
        "project_type",
        "display_order",
    ],
    Indicator: ["year", "name", "max_score", "display_order"],
    Unit: ["kind", "name", "short_name", "display_order"],
}
KIND_LABEL = {AssessmentYear: "考评年度", Project: "项目", Indicator: "指标", Unit: "单位"}

YEAR_FROZEN = "{year}年已有已发布的月份（{months}），{what}会改变已发布的附件1–3。请先重新开放这些月份再修改。"
UNIT_FROZEN = "“{unit}”出现在已发布的月份（{months}）中，{what}会改变已发布的附件1–3。请先重新开放这些月份再修改。"


@dataclass
class Change:
    """Who is changing reference data now, and why (the admin form's 修改原因, a command's name)."""

    user: object = None
    reason: str = ""


_current: contextvars.ContextVar[Change | None] = contextvars.ContextVar("reference_change", default=None)


@contextlib.contextmanager
def reference_change(*, user=None, reason: str = ""):
    change = Change(user, reason)
    token = _current.set(change)
    try:
        yield change
    finally:
        _current.reset(token)


def current_change() -> Change | None:
    return _current.get()


# --- which published months an object's fields feed ---


def published_months_of_year(year_id) -> list[str]:
    if year_id is None:
        return []
    months = Period.objects.filter(year_id=year_id, status=PeriodStatus.PUBLISHED).order_by("month")
    return [f"{month}月" for month in months.values_list("month", flat=True)]


def published_months_of_unit(unit_id) -> list[str]:
    if unit_id is None:
        return []
    results = UnitResult.objects.filter(unit_id=unit_id, period__status=PeriodStatus.PUBLISHED)
    pairs = results.order_by("period__year__year", "period__month").values_list("period__year__year", "period__month")
    return [f"{year}年{month}月" for year, month in pairs]


def _field_labels(model, names) -> str:
    return "、".join(f"“{model._meta.get_field(name).verbose_name}”" for name in names)


def problem(model, instance, *, changed=(), created=False, deleted=False, excluded_regions=False) -> str | None:
    """Why this change of a reference object would rewrite a published month; None when it would not."""
    if model not in FROZEN:
        return None
    label = KIND_LABEL[model]
    if created:
        what = f"新增{label}"
    elif deleted:
        what = f"删除{label}“{instance}”"
    else:
        names = [name for name in FROZEN[model] if name in changed]
        if excluded_regions:
            names.append("excluded_regions")
        if not names:
            return None
        what = f"修改{label}“{instance}”的{_field_labels(model, names)}"
    if model is Unit:
        if created:
            return None  # a new unit is not in any published month
        months = published_months_of_unit(instance.pk)
        return UNIT_FROZEN.format(unit=instance.name, months="、".join(months), what=what) if months else None
    year_id = instance.pk if model is AssessmentYear else instance.year_id
    months = published_months_of_year(year_id)
    if not months:
        return None
    year = instance.year if model is AssessmentYear else instance.year.year
    return YEAR_FROZEN.format(year=year, months="、".join(months), what=what)


def changed_fields(model, old, new) -> list[str]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return [f.name for f in fields if getattr(old, f.attname) != getattr(new, f.attname)]


def check(model, instance, **kwargs) -> None:
    message = problem(model, instance, **kwargs)
    if message:
        raise ValidationError(message)


# --- the audit rows ---


def _value(instance, field_name: str) -> str:
    value = getattr(instance, field_name)
    field = instance._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def describe(instance, names) -> str:
    """'项目 2020年 4 · 项目名称：…；排序：3'."""
    model = type(instance)
    parts = [f"{instance._meta.get_field(name).verbose_name}：{_value(instance, name)}" for name in names]
    head = f"{KIND_LABEL.get(model, model._meta.verbose_name)} {_identity(instance)}"
    return f"{head} · {'；'.join(parts)}" if parts else head


def _identity(instance) -> str:
    if isinstance(instance, (Project, Indicator)):
        name = instance.code if isinstance(instance, Project) else instance.name
        return f"{instance.year_id and instance.year.year}年 {name}"
    if isinstance(instance, Unit):
        return instance.name
    return str(instance)


def write(action: str, old: str, new: str) -> None:
    change = current_change()
    if change is None:
        return
    from accounts.models import display_name

    user = change.user if change.user is not None and change.user.is_authenticated else None
    AuditEntry(
        user=user,
        username=change.user.get_username() if user is not None else "",
        actor_name=display_name(change.user) if change.user is not None else "",
        action=action,
        old_value=old,
        new_value=new,
        reason=change.reason,
    ).save()


# --- signals: the last line of the guard, and the audit ---


def _before_save(sender, instance, raw=False, **kwargs):
    old = sender.objects.filter(pk=instance.pk).first() if instance.pk is not None else None
    instance._reference_old = old
    if old is None:
        check(sender, instance, created=True)
    else:
        check(sender, instance, changed=changed_fields(sender, old, instance))


def _after_save(sender, instance, created, raw=False, **kwargs):
    old = getattr(instance, "_reference_old", None)
    if raw:
        return  # a fixture row: load_reference records the load as one entry
    if old is None:
        names = [f.name for f in sender._meta.concrete_fields if not f.primary_key]
        write(AuditAction.REFERENCE_CREATED, "", describe(instance, names))
        return
    names = changed_fields(sender, old, instance)
    if names:
        write(AuditAction.REFERENCE_CHANGED, describe(old, names), describe(instance, names))


def _before_delete(sender, instance, **kwargs):
    check(sender, instance, deleted=True)


def _after_delete(sender, instance, **kwargs):
    names = [f.name for f in sender._meta.concrete_fields if not f.primary_key]
    write(AuditAction.REFERENCE_DELETED, describe(instance, names), "")


def _excluded_regions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    projects = [instance] if not reverse else list(Project.objects.filter(pk__in=pk_set or ()))
    if action in ("pre_clear", "post_clear") and reverse:
        projects = list(instance.excluded_projects.all())
    for project in projects:
        if action.startswith("pre_"):
            if action == "pre_clear" or pk_set:
                check(Project, project, excluded_regions=True)
            project._excluded_before = _excluded_names(project)
        else:
            before = getattr(project, "_excluded_before", "")
            after = _excluded_names(project)
            if before != after:
                write(
                    AuditAction.REFERENCE_CHANGED,
                    f"项目 {_identity(project)} · 不适用的县区：{before}",
                    f"项目 {_identity(project)} · 不适用的县区：{after}",
                )


def _excluded_names(project) -> str:
    return "、".join(sorted(project.excluded_regions.values_list("name", flat=True))) or "（无）"


def connect() -> None:
    for model in FROZEN:
        uid = f"reference-history-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _excluded_regions_changed, sender=Project.excluded_regions.through, dispatch_uid="reference-history-excluded"
    )
