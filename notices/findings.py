"""The notice's "从考评结果看：" findings from a month's deductions (pure: plain values in, plain values out).

Input: the month's deduction items (`Item`: a project score below the maximum with its reason, an
indicator score below the maximum, a negative 加扣分 item), the office's rules (`Rule`, from the
`FindingRule` table) and, optionally, the progress data's lagging projects (`Lagging`: the hook for
the progress issue; today nobody passes them). Output: the groups 一是/二是/三是 with their phrases,
each phrase keeping the ids of the items it came from.

The first rule (by priority) an item matches decides its group; an item no rule matches is left out
of the text and listed in `Findings.unplaced`, so the office sees what the notice does not say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import wording

SOURCE_PROJECT = "项目得分"
SOURCE_INDICATOR = "指标得分"
SOURCE_ADJUSTMENT = "加扣分"
SOURCE_LAGGING = "项目进度"
SOURCES = (SOURCE_PROJECT, SOURCE_INDICATOR, SOURCE_ADJUSTMENT, SOURCE_LAGGING)

REGION, DEPARTMENT = "region", "department"


@dataclass(frozen=True)
class Item:
    """One deduction of the month. `id` names the row it came from ('project:12', 'adjustment:7')."""

    id: str
    source: str
    unit: str
    unit_kind: str
    reason: str
    points: Decimal  # signed: a deduction is negative
    category: str = ""  # the 加扣分 category code; '' for a score
    project: str = ""  # the project of a project score
    department: str = ""  # the department responsible for that project
    order: tuple = ()  # how the units and projects sort (display orders)


@dataclass(frozen=True)
class Lagging:
    """A project behind schedule in the progress data (滞后): the hook for that issue."""

    id: str
    project: str
    unit: str
    unit_kind: str = REGION
    department: str = ""
    order: tuple = ()


@dataclass(frozen=True)
class Rule:
    """Which group an item goes to: every condition given must hold (none given: the rule matches all).
    `keywords` match when the reason contains any of them."""

    group: str
    priority: int = 100
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    id: int | None = None

    def matches(self, item: Item) -> bool:
        if self.sources and item.source not in self.sources:
            return False
        if self.categories and item.category not in self.categories:
            return False
        return not self.keywords or any(keyword in item.reason for keyword in self.keywords)


@dataclass(frozen=True)
class Phrase:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    key: str
    ordinal: str
    heading: str
    phrases: tuple[Phrase, ...]
    text: str

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(source for phrase in self.phrases for source in phrase.sources)


@dataclass
class Findings:
    groups: list[Group]
    unplaced: list[Item] = field(default_factory=list)

    @property
    def text(self) -> str:
        if not self.groups:
            return wording.NO_FINDINGS
        return wording.FINDINGS_INTRO + "".join(group.text for group in self.groups)

    def group(self, key: str) -> Group | None:
        return next((group for group in self.groups if group.key == key), None)

    def as_json(self) -> list[dict]:
        """What a notice keeps of its generation: each phrase with the items it came from."""
        return [
            {"group": group.key, "ordinal": group.ordinal, "text": phrase.text, "sources": list(phrase.sources)}
            for group in self.groups
            for phrase in group.phrases
        ]


def classify(item: Item, rules: Sequence[Rule]) -> str | None:
    for rule in sorted(rules, key=lambda rule: (rule.priority, rule.id or 0)):
        if rule.matches(item):
            return rule.group
    return None


def lagging_items(lagging: Iterable[Lagging]) -> list[Item]:
    return [
        Item(
            id=entry.id,
            source=SOURCE_LAGGING,
            unit=entry.unit,
            unit_kind=entry.unit_kind,
            reason=wording.lagging_reason(entry.project),
            points=Decimal("0"),
            project=entry.project,
            department=entry.department,
            order=entry.order,
        )
        for entry in lagging
    ]


def _clauses(unit: str, items: list[Item]) -> list[tuple[str, list[str]]]:
    """(clause, item ids) per distinct reason of a unit, in item order."""
    clauses: dict[str, list[str]] = {}
    for item in items:
        clause = wording.without_unit(unit, wording.clean_reason(item.reason))
        if clause:
            clauses.setdefault(clause, []).append(item.id)
    return list(clauses.items())


def _by_unit(items: list[Item]) -> dict[str, list[Item]]:
    units: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda item: item.order):
        units.setdefault(item.unit, []).append(item)
    return units


def _unit_phrases(items: list[Item], make) -> list[Phrase]:
    phrases = []
    for unit, own in _by_unit(items).items():
        clauses = _clauses(unit, own)
        if clauses:
            text = make(unit, [clause for clause, _ in clauses])
            phrases.append(Phrase(text, tuple(i for _, ids in clauses for i in ids)))
    return phrases


def _ranking(items: list[Item]) -> tuple[list[Phrase], list[Phrase]]:
    """一是 by department: a region's project score is told under the project's department."""
    regrouped = []
    for item in items:
        if item.unit_kind == REGION and item.department:
            reason = f"{item.unit}{wording.clean_reason(item.reason)}"
            regrouped.append(
                Item(**{**item.__dict__, "unit": item.department, "unit_kind": DEPARTMENT, "reason": reason})
            )
        else:
            regrouped.append(item)
    return _unit_phrases(regrouped, wording.ranking_phrase), []


def _progress(items: list[Item]) -> tuple[list[Phrase], list[Phrase]]:
    """二是: departments first ('市交通局承担的…'), then each region ('枞阳县…等'). A lagging project of the
    progress data that a deduction already names for the same unit adds its id to that phrase only."""
    named = {(item.unit, item.project) for item in items if item.source != SOURCE_LAGGING and item.project}
    kept, extra_ids = [], {}
    for item in items:
        if item.source == SOURCE_LAGGING and (item.unit, item.project) in named:
            extra_ids.setdefault(item.unit, []).append(item.id)
        else:
            kept.append(item)
    departments = [item for item in kept if item.unit_kind == DEPARTMENT]
    regions = [item for item in kept if item.unit_kind != DEPARTMENT]
    department_phrases = _unit_phrases(departments, wording.department_progress_phrase)
    region_phrases = _unit_phrases(regions, wording.region_progress_phrase)
    for phrases in (department_phrases, region_phrases):
        for index, phrase in enumerate(phrases):
            unit = next(item.unit for item in kept if item.id == phrase.sources[0])
            if unit in extra_ids:
                phrases[index] = Phrase(phrase.text, phrase.sources + tuple(extra_ids[unit]))
    return department_phrases, region_phrases


def _management(items: list[Item]) -> tuple[list[Phrase], list[Phrase]]:
    """三是: one phrase per problem, the units having it together ('市数据资源局、市城管执法局未按时报送信息')."""
    problems: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda item: (item.unit_kind != DEPARTMENT, item.order)):
        problems.setdefault(wording.clean_reason(item.reason), []).append(item)
    phrases = []
    for clause, own in problems.items():
        units = list(dict.fromkeys(item.unit for item in own))
        phrases.append(Phrase(wording.management_phrase(units, clause), tuple(item.id for item in own)))
    return phrases, []


BUILDERS = {wording.RANKING: _ranking, wording.PROGRESS: _progress, wording.MANAGEMENT: _management}


def generate(*, month: int, items: Sequence[Item], rules: Sequence[Rule], lagging: Sequence[Lagging] = ()) -> Findings:
    """The findings of a month. Only deductions count (points below zero); lagging projects go to 二是."""
    grouped: dict[str, list[Item]] = {key: [] for key in wording.GROUP_ORDER}
    unplaced = []
    for item in items:
        if item.points >= 0 or not item.reason.strip():
            continue
        group = classify(item, rules)
        if group in grouped:
            grouped[group].append(item)
        else:
            unplaced.append(item)
    grouped[wording.PROGRESS].extend(lagging_items(lagging))
    groups = []
    for key in wording.GROUP_ORDER:
        if not grouped[key]:
            continue
        department_phrases, region_phrases = BUILDERS[key](grouped[key])
        phrases = tuple(department_phrases + region_phrases)
        if not phrases:
            continue
        position = wording.ordinal(len(groups))
        heading = wording.group_heading(key, month)
        body = wording.join_phrases(
            key, [phrase.text for phrase in department_phrases], [phrase.text for phrase in region_phrases]
        )
        groups.append(Group(key, position, heading, phrases, f"{position}{heading}{body}"))
    return Findings(groups, unplaced)
