"""Saving region project scores and department indicator scores, with the version check of the grids."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import display_name
from projects.models import Indicator, Project, Unit

from .. import rules
from ..access import can_edit_office_items, can_edit_project_score, require
from ..models import AuditAction, AuditSubject, IndicatorScore, Period, ProjectScore
from .base import acting_user, audit, lock_for_write, record, service, validate


@dataclass(frozen=True)
class ProjectScoreInput:
    region: Unit
    project: Project
    score: Decimal | None  # None, not marked not applicable: clears the cell
    not_applicable: bool = False
    reason: str = ""
    expected_version: int | None = None  # the version the user saw; None skips the concurrency check

    subject = AuditSubject.SCORE

    @property
    def key(self) -> tuple:
        return (self.region.pk, self.project.pk)

    @property
    def label(self) -> str:
        return f"{self.region.name} · {self.project}"

    def values(self) -> dict:
        score = None if self.not_applicable else self.score
        return {"score": score, "not_applicable": self.not_applicable, "reason": self.reason.strip()}

    def new_row(self, period: Period) -> ProjectScore:
        return ProjectScore(period=period, region=self.region, project=self.project, version=0)

    def targets(self) -> dict:
        return {"unit": self.region, "project": self.project}


@dataclass(frozen=True)
class IndicatorScoreInput:
    department: Unit
    indicator: Indicator
    score: Decimal | None  # None clears the cell
    reason: str = ""
    expected_version: int | None = None

    subject = AuditSubject.INDICATOR
    not_applicable = False

    @property
    def key(self) -> tuple:
        return (self.department.pk, self.indicator.pk)

    @property
    def label(self) -> str:
        return f"{self.department.name} · {self.indicator.name}"

    def values(self) -> dict:
        return {"score": self.score, "reason": self.reason.strip()}

    def new_row(self, period: Period) -> IndicatorScore:
        return IndicatorScore(period=period, department=self.department, indicator=self.indicator, version=0)

    def targets(self) -> dict:
        return {"unit": self.department, "indicator": self.indicator}


@dataclass(frozen=True)
class SavedCell:
    """A cell as it is stored after the save (version 0 and no value: cleared)."""

    key: tuple
    text: str
    reason: str
    version: int
    updated_by: str


@dataclass(frozen=True)
class Conflict:
    """Someone saved the cell after the user loaded it: both values are reported, nothing is overwritten."""

    key: tuple
    mine: str
    theirs: str
    theirs_reason: str
    theirs_by: str
    theirs_version: int


@dataclass
class SaveResult:
    saved: list[SavedCell]
    conflicts: list[Conflict]

    @property
    def cleared(self) -> int:
        return sum(1 for cell in self.saved if cell.version == 0)


@service
def save_project_scores(*, user, period: Period, items: Sequence[ProjectScoreInput], reason: str = "") -> SaveResult:
    """Save region project scores; cells changed by someone else since loading are refused, the rest saved.

    An item with no score that is not marked not applicable clears the cell (audited as a deletion).
    """
    period = lock_for_write(period)
    for item in items:
        require(can_edit_project_score(user, period, item.project), f"您不能修改项目 {item.project.code} 的得分。")
    rows = ProjectScore.objects.filter(period=period, project__in={i.project.pk for i in items})
    existing = {(s.region_id, s.project_id): s for s in _locked_with_editor(rows)}
    return _save_scores(user, period, items, existing, reason)


@service
def save_indicator_scores(
    *, user, period: Period, items: Sequence[IndicatorScoreInput], reason: str = ""
) -> SaveResult:
    """Save department indicator scores, with the same concurrency rule as the project scores."""
    period = lock_for_write(period)
    require(can_edit_office_items(user, period))
    rows = IndicatorScore.objects.filter(period=period, department__in={i.department.pk for i in items})
    existing = {(s.department_id, s.indicator_id): s for s in _locked_with_editor(rows)}
    return _save_scores(user, period, items, existing, reason)


def _locked_with_editor(rows):
    return rows.select_for_update(of=("self",)).select_related("updated_by")


# Over this many changed rows an update is a delete and a bulk insert (one statement each) rather than
# one UPDATE per row; nothing refers to a score row by its id.
BULK_REPLACE = 50


def _save_scores(user, period: Period, items, existing: dict, reason: str) -> SaveResult:
    """Compare every item with what is stored, validate every changed row with the model's rules, and
    write the changes in a few statements whatever their number; one audit row per change."""
    saved, conflicts, log = [], [], []
    created, updated, deleted = [], [], []
    editor = acting_user(user)
    now = timezone.now()
    for item in items:
        current = existing.get(item.key)
        old_text = current.text if current else ""
        values = item.values()
        if current is not None and item.expected_version is not None and current.version != item.expected_version:
            mine = rules.score_text(values["score"], values.get("not_applicable", False))
            by = display_name(current.updated_by) if current.updated_by else "系统"
            conflicts.append(Conflict(item.key, mine, old_text, current.reason, by, current.version))
            continue
        if current is not None and all(getattr(current, name) == value for name, value in values.items()):
            saved.append(_saved(item.key, current))  # unchanged: reported as stored
            continue
        why = values["reason"] or reason
        if values["score"] is None and not values.get("not_applicable"):
            if current is not None:
                log.append(_score_audit(user, period, item, "deleted", old_text, "", why))
                deleted.append(current)
            saved.append(SavedCell(item.key, "", "", 0, ""))
            continue
        row = current or item.new_row(period)
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.updated_by = editor
        row.updated_at = now
        row.period = period
        validate(row, item.label, exclude=SCORE_TARGETS)
        (updated if current else created).append(row)
        saved.append(_saved(item.key, row))
        log.append(_score_audit(user, period, item, "changed" if current else "created", old_text, row.text, why))
    _write(deleted, updated, created)
    record(period, log)
    return SaveResult(saved, conflicts)


# The targets of a score are the objects the service was given (they exist); clean() checks their rules.
# Fields the service sets itself (version, editor, time, not applicable) are not checked again.
SCORE_TARGETS = (
    "period",
    "updated_by",
    "region",
    "project",
    "department",
    "indicator",
    "version",
    "updated_at",
    "not_applicable",
)
SCORE_FIELDS = ["score", "not_applicable", "reason", "version", "updated_by", "updated_at"]


def _write(deleted: list, updated: list, created: list) -> None:
    rows = deleted + updated + created
    if not rows:
        return
    model = type(rows[0])
    fields = [name for name in SCORE_FIELDS if hasattr(model, name)]
    if len(updated) > BULK_REPLACE:
        deleted, created = deleted + updated, updated + created
        updated = []
    for start in range(0, len(deleted), 500):
        model.objects.filter(pk__in=[row.pk for row in deleted[start : start + 500]]).delete()
    for row in created:
        row.pk = None
    model.objects.bulk_create(created, batch_size=1000)
    for row in updated:
        row.save(update_fields=fields)


def _saved(key: tuple, row) -> SavedCell:
    editor = display_name(row.updated_by) if row.updated_by else ""
    return SavedCell(key, row.text, row.reason, row.version, editor)


def _score_audit(user, period: Period, item, verb: str, old: str, new: str, reason: str):
    action = AuditAction.of(item.subject, verb)
    return audit(user=user, period=period, action=action, old=old, new=new, reason=reason, **item.targets())
