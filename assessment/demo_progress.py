"""Demo progress, funds and information of our own making for the demo year (load_demo).

Not real figures: a seeded `random.Random` (its own, so the score demo draws what it always drew) gives
each project a type (from words of its name, unless the office has typed them), each target a budget
in whole 万元 and a pace, and each unit a number of information items per month. Every month is entered
before it is published (a published month refuses writes); the open month is entered for about half
of the units. The year's proposal rules are set, and the open month's proposals generated, so the
review page has something to review.
"""

import random
from decimal import Decimal

from projects.models import AssessmentYear, InformationReport, Project, ProjectType, Target, Unit

from . import services
from .models import AdjustmentCategory, AuditEntry, Period, ProposalRule, ProposalSource
from .selectors.reference import year_reference

SEED = 20210630

TYPE_WORDS = [
    (ProjectType.TRAINING, ("培训",)),
    (ProjectType.SUBSIDY, ("补助", "补贴", "救助", "资助", "保险", "养老", "低保", "医疗", "关爱", "帮扶", "服务")),
    (ProjectType.CONSTRUCTION, ("建设", "改造", "公路", "工程", "设施", "站", "路", "水")),
]

PROPOSAL_RULES = [
    {
        "source": ProposalSource.PROVINCE_ADOPTED,
        "points": "0.05",
        "cap": "0.1",
        "category": AdjustmentCategory.INFORMATION_ADOPTED,
        "reason": "省民生网站刊登信息{count}条",
        "display_order": 1,
    },
    {
        "source": ProposalSource.NOT_REPORTED,
        "points": "-0.025",
        "cap": None,
        "category": AdjustmentCategory.INFORMATION_REPORTING,
        "reason": "{month}未按时报送民生工程信息",
        "display_order": 2,
    },
    {
        "source": ProposalSource.LAGGING,
        "points": "-0.05",
        "cap": None,
        "category": AdjustmentCategory.SUPERVISION,
        "reason": "{project}进度滞后于序时进度",
        "display_order": 3,
        "project_types": "construction",
    },
]


def type_of(project: Project) -> str:
    for project_type, words in TYPE_WORDS:
        if any(word in project.name for word in words):
            return project_type
    return ProjectType.OTHER


class ProgressGenerator:
    def __init__(self, year: AssessmentYear):
        self.year = year
        self.rng = random.Random(SEED)
        reference = year_reference(year.pk)
        self.projects = reference.projects
        self.regions = list(Unit.objects.regions().active())
        self.units = self.regions + list(Unit.objects.departments().active())
        self.applies = reference.applies
        self.targets: list[Target] = []
        self.pace: dict[int, Decimal] = {}  # target id → share of the schedule it keeps (0.6 … 1.3)
        self.filled: dict[int, tuple[Decimal, Decimal, int]] = {}

    def set_types(self) -> None:
        if any(project.project_type != ProjectType.OTHER for project in self.projects):
            return  # the office has typed its projects
        for project in self.projects:
            project.project_type = type_of(project)
        Project.objects.bulk_update(self.projects, ["project_type"])

    def set_targets(self) -> None:
        items = []
        for project in self.projects:
            by_region = project.project_type in (ProjectType.CONSTRUCTION, ProjectType.SUBSIDY)
            units = [u for u in self.regions if self.applies(project.pk, u.pk)] if by_region else []
            units = units or [project.responsible_department]
            measure = {
                ProjectType.CONSTRUCTION: "个",
                ProjectType.SUBSIDY: "人",
                ProjectType.TRAINING: "人次",
            }.get(project.project_type, "项")
            for unit in units:
                quantity = Decimal(self.rng.randint(2, 60) * (50 if measure in ("人", "人次") else 1))
                budget = Decimal(self.rng.randint(80, 3000))
                items.append(services.TargetInput(project, unit, quantity, measure, budget, None))
        self.targets = services.save_targets(user=None, year=self.year, items=items)
        for target in self.targets:
            self.pace[target.pk] = Decimal(self.rng.randint(60, 130)) / 100

    def progress_items(self, month: int, share_of_units: int = 100) -> list[services.ProgressInput]:
        items = []
        for target in self.targets:
            if share_of_units < 100 and self.rng.randint(1, 100) > share_of_units:
                continue
            project_type = target.project.project_type
            due = 11 if project_type == ProjectType.CONSTRUCTION else 12
            schedule = min(Decimal(month) / Decimal(due), Decimal(1))
            share = min(schedule * self.pace[target.pk], Decimal("1.05"))
            completed = (target.quantity * share).quantize(Decimal("0.01"))
            paid = (target.budget * min(share * Decimal("0.95"), Decimal(1))).quantize(Decimal("0.01"))
            people = int(completed * 3) if project_type == ProjectType.SUBSIDY else 0
            before = self.filled.get(target.pk, (Decimal(0), Decimal(0), 0))
            completed, paid, people = max(completed, before[0]), max(paid, before[1]), max(people, before[2])
            self.filled[target.pk] = (completed, paid, people)
            items.append(services.ProgressInput(target, month, completed, paid, people, ""))
        return items

    def information_items(self, month: int, share_of_units: int = 100) -> list[services.InformationInput]:
        items = []
        for unit in self.units:
            if self.rng.randint(1, 100) > share_of_units or self.rng.randint(1, 100) <= 8:
                continue  # not reported (yet)
            reported = self.rng.randint(1, 12 if unit.is_region else 5)
            city = self.rng.randint(0, reported)
            province = self.rng.randint(0, min(city, 3))
            items.append(services.InformationInput(unit, month, reported, city, province))
        return items


def ensure_proposal_rules(year: AssessmentYear) -> None:
    if ProposalRule.objects.filter(year=year).exists():
        return
    for rule in PROPOSAL_RULES:
        fields = {**rule, "points": Decimal(rule["points"]), "cap": rule["cap"] and Decimal(rule["cap"])}
        ProposalRule.objects.create(year=year, **fields)


def start(year: AssessmentYear) -> ProgressGenerator:
    """Project types, targets and proposal rules of the demo year; returns the generator for the months."""
    generator = ProgressGenerator(year)
    generator.set_types()
    generator.set_targets()
    ensure_proposal_rules(year)
    return generator


def enter_month(generator: ProgressGenerator, period: Period, *, share_of_units: int = 100) -> None:
    """A month's progress and information, entered while the month is still open."""
    month = period.month
    items = generator.progress_items(month, share_of_units)
    if items:
        services.save_progress_rows(user=None, year=generator.year, items=items)
    information = generator.information_items(month, share_of_units)
    if information:
        services.save_information_rows(user=None, year=generator.year, items=information)


def delete_progress(year: AssessmentYear) -> None:
    """The demo year's targets (with their progress), information counts and target audit rows
    (the others go with their periods)."""
    AuditEntry.objects.filter(period=None, project__year=year, action__startswith="target.").purge_demo_data()
    Target.objects.filter(project__year=year).delete()
    InformationReport.objects.filter(year=year).delete()
