"""Reads for the notice: a month's deductions as `findings.Item`s, the rules, the notice and its versions.
Each runs a fixed number of queries whatever the size of the month."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from assessment.models import Adjustment, IndicatorScore, Period, ProjectScore
from assessment.selectors.progress import progress_overview
from assessment.selectors.tables import heading
from projects.models import UnitKind

from . import findings, wording
from .models import FindingRule, Notice, NoticeTemplate, NoticeVersion

ATTACHMENT_IDENTIFIERS = ("attachment-1", "attachment-2", "attachment-3")


def _kind(unit) -> str:
    return findings.REGION if unit.kind == UnitKind.REGION else findings.DEPARTMENT


def month_items(period: Period) -> list[findings.Item]:
    """The month's deductions: project and indicator scores below their maximum with a reason, and
    negative 加扣分 items. Three queries. Decimals compared in Python."""
    items = []
    maximum = period.year.project_max_score
    project_scores = (
        ProjectScore.objects.filter(period=period, not_applicable=False, score__isnull=False)
        .exclude(reason="")
        .select_related("region", "project__responsible_department")
    )
    for score in project_scores:
        if score.score >= maximum:
            continue
        project = score.project
        items.append(
            findings.Item(
                id=f"project:{score.pk}",
                source=findings.SOURCE_PROJECT,
                unit=score.region.name,
                unit_kind=findings.REGION,
                reason=score.reason,
                points=score.score - maximum,
                project=project.name,
                department=project.responsible_department.name,
                order=(score.region.display_order, project.display_order, score.pk),
            )
        )
    indicator_scores = (
        IndicatorScore.objects.filter(period=period, score__isnull=False)
        .exclude(reason="")
        .select_related("department", "indicator")
    )
    for score in indicator_scores:
        if score.score >= score.indicator.max_score:
            continue
        items.append(
            findings.Item(
                id=f"indicator:{score.pk}",
                source=findings.SOURCE_INDICATOR,
                unit=score.department.name,
                unit_kind=findings.DEPARTMENT,
                reason=score.reason,
                points=score.score - score.indicator.max_score,
                order=(score.department.display_order, score.indicator.display_order, score.pk),
            )
        )
    for adjustment in Adjustment.objects.filter(period=period, points__lt=0).select_related("unit"):
        items.append(
            findings.Item(
                id=f"adjustment:{adjustment.pk}",
                source=findings.SOURCE_ADJUSTMENT,
                unit=adjustment.unit.name,
                unit_kind=_kind(adjustment.unit),
                reason=adjustment.reason,
                points=adjustment.points,
                category=adjustment.category,
                order=(adjustment.unit.display_order, 1000, adjustment.pk),
            )
        )
    return items


def active_rules() -> list[findings.Rule]:
    return [rule.rule for rule in FindingRule.objects.filter(is_active=True)]


def month_findings(period: Period, *, lagging: list[findings.Lagging] | None = None) -> findings.Findings:
    """The findings of a month from its data; `lagging` (the projects behind schedule) is read from the
    progress data unless given."""
    if lagging is None:
        lagging = month_lagging(period)
    return findings.generate(month=period.month, items=month_items(period), rules=active_rules(), lagging=lagging)


def month_lagging(period: Period) -> list[findings.Lagging]:
    """Every project × unit 滞后 in the month's progress data (progress_overview: four queries)."""
    overview = progress_overview(year=period.year, month=period.month)
    return [
        findings.Lagging(
            id=f"progress:{target.target.pk}",
            project=project.project.name,
            unit=target.unit.name,
            unit_kind=_kind(target.unit),
            department=project.project.responsible_department.name,
            order=(target.unit.display_order, project.project.display_order, target.target.pk),
        )
        for project in overview.projects
        for target in project.targets
        if target.lagging
    ]


def template_texts(period: Period) -> dict[str, str]:
    """The year's template (or the defaults) with the month filled in. One query."""
    template = NoticeTemplate.objects.filter(year=period.year).first() or NoticeTemplate(year=period.year)
    fill = lambda text: wording.fill(text, year=period.year.year, month=period.month)  # noqa: E731
    return {
        "title": fill(template.title),
        "salutation": fill(template.salutation),
        "opening": fill(template.opening),
        "requirements": fill(template.requirements),
    }


def draft_parts(period: Period, *, lagging=None) -> tuple[dict[str, str], findings.Findings]:
    """Every part of a fresh draft: the template's texts and the generated findings."""
    generated = month_findings(period, lagging=lagging)
    return {**template_texts(period), "findings": generated.text}, generated


def notice_of(period: Period) -> Notice | None:
    return Notice.objects.filter(period=period).select_related("updated_by").first()


def attachment_titles(period: Period) -> list[str]:
    """'9月份民生工程排名情况汇总表', … as the attachment list names them: the tables' own titles, from
    the year's labels (no query: `period.year` loaded)."""
    from assessment.selectors.tables import (
        ATTACHMENT1_NAME,
        ATTACHMENT2_NAME_TEMPLATE,
        ATTACHMENT3_NAME_TEMPLATE,
    )
    from assessment.wording import department_word, region_word

    top = heading(period)
    return [
        top.title(ATTACHMENT1_NAME),
        top.title(ATTACHMENT2_NAME_TEMPLATE.format(region=region_word(period.year))),
        top.title(ATTACHMENT3_NAME_TEMPLATE.format(department=department_word(period.year))),
    ]


@dataclass(frozen=True)
class PartDiff:
    name: str
    label: str
    old: str
    new: str
    html: str  # an inline diff: <del>…</del><ins>…</ins>


def _inline_diff(old: str, new: str) -> str:
    from django.utils.html import escape

    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(old[a1:a2]))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(old[a1:a2])}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return "".join(out)


def version_diff(version: NoticeVersion, previous: NoticeVersion | None) -> list[PartDiff]:
    """What a version changed against the one before it, part by part (every part for the first)."""
    before = previous.content if previous else {}
    diffs = []
    for name in wording.PARTS:
        old, new = before.get(name, ""), version.content.get(name, "")
        if old != new:
            diffs.append(PartDiff(name, wording.PART_LABELS[name], old, new, _inline_diff(old, new)))
    return diffs
