"""How the 小结 (a 1–M月 progress summary) words its figures: pure functions over plain values.

The page, the .docx and the tests all take their sentences from `summary_document()`, so a sentence
is worded in one place. The seed (shared/seeds/002_*.txt, 南陵县2021年1-6月份民生工作小结) prints:

- 截止6月底，南陵县30项民生工程共计拨付资金6.69亿元，占年度预算的63.78%。
- 截止6月底，南陵县30项民生工程任务中A，B均已完成全年目标任务。
- 1-6月，全县保障各类补助人员63.68万人次，发放补助资金4.1亿元。
- 1-6月份，我县共报送民生工程信息513条。其中，市民生网采用信息248条，采用率48.34%，省民生网采用信息60条。

Money arrives in 万元 and prints in 亿元 with 2 decimals (half-up; the 补助类 money without trailing zeros,
as the seed prints "4.1亿元"); people in 万人次 with 2 decimals. Numbers are printed by
`projects.progress_rules`, so a page and the `progress_summary` command print them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from projects import progress_rules as rules

OFFICE_SUFFIXES = ("民生工作领导小组办公室", "民生工程领导小组办公室", "民生办")
LEVELS = "省市县区镇乡"
EDITABLE_PLACEHOLDER = "（由民生办填写。）"


@dataclass(frozen=True)
class SummaryFigures:
    """What the 小结's first section needs, as the selectors compute it (Decimal money in 万元)."""

    year: int
    month: int
    office_name: str  # 南陵县民生办
    projects: int  # projects of the year
    budget: Decimal  # 万元
    paid: Decimal  # 万元
    paid_rate: Decimal | None  # percent, 2 decimals; None without a budget
    completed_names: Sequence[str] = ()  # projects whose every target reached 100 %, in display order
    lagging_names: Sequence[str] = ()  # 工程类 projects with a unit 滞后 this month
    construction_projects: int = 0
    beneficiaries: int = 0  # 补助类, 人次
    subsidy_paid: Decimal = Decimal("0")  # 补助类, 万元
    subsidy_projects: int = 0
    reported: int = 0
    city_adopted: int = 0
    province_adopted: int = 0
    adoption_rate: Decimal | None = None  # percent, 2 decimals; None when nothing was reported


@dataclass(frozen=True)
class Block:
    """One paragraph of the 小结: `kind` is title, heading (一、), subheading (（一）), text, or editable
    (a paragraph the office writes itself: left for it to fill in the .docx)."""

    kind: str
    text: str
    generated: bool = False  # worded from the data (the page marks it)


@dataclass(frozen=True)
class SummaryDocument:
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        return [block.text for block in self.blocks if block.generated]


# ---------------------------------------------------------------- numbers (printed by projects.progress_rules)


def yi_text(wan: Decimal) -> str:
    """万元 → 亿元 with 2 decimals, half-up: 66900.00 → '6.69'."""
    return rules.yi_text(wan)


def short_yi_text(wan: Decimal) -> str:
    """亿元 as the seed prints the 补助类 money: 41000.00 → '4.1'."""
    return rules.short_text(rules.yi(wan))


def wan_people_text(people: int) -> str:
    """人次 → 万人次 with 2 decimals, half-up, as the seed prints it: 636800 → '63.68', 637000 → '63.7'."""
    return rules.short_text(rules.wan_people(people))


def percent_text(rate: Decimal | None) -> str:
    """48.3430… → '48.34%'; None → '—'."""
    return rules.percent_label(rate)


# ---------------------------------------------------------------- names


def place_name(office_name: str) -> str:
    """'南陵县民生办' → '南陵县'; the bare '市民生办' → '全市'."""
    place = office_name.strip()
    for suffix in OFFICE_SUFFIXES:
        if place.endswith(suffix):
            place = place[: -len(suffix)]
            break
    if len(place) <= 1:
        return "全" + (place or "市")
    return place


def level(office_name: str) -> str:
    """The administrative level the office works at: 县 for 南陵县民生办, 市 for 市民生办."""
    place = place_name(office_name)
    return place[-1] if place[-1] in LEVELS else "市"


def month_span(month: int) -> str:
    """'1-6月'; '1月' in January."""
    return f"1-{month}月" if month > 1 else "1月"


def by_month_end(month: int) -> str:
    return f"截止{month}月底"


def listed(names: Sequence[str]) -> str:
    """Project names as the seed lists them, separated by '，'."""
    return "，".join(names)


# ---------------------------------------------------------------- sentences


def title(figures: SummaryFigures) -> str:
    """'南陵县2021年1-6月份民生工作小结'."""
    return f"{place_name(figures.office_name)}{figures.year}年{month_span(figures.month)}份民生工作小结"


def funds_sentence(figures: SummaryFigures) -> str:
    """'截止6月底，南陵县30项民生工程共计拨付资金6.69亿元，占年度预算的63.78%。'"""
    place = place_name(figures.office_name)
    paid = f"共计拨付资金{yi_text(figures.paid)}亿元"
    share = f"，占年度预算的{percent_text(figures.paid_rate)}" if figures.paid_rate is not None else ""
    return f"{by_month_end(figures.month)}，{place}{figures.projects}项民生工程{paid}{share}。"


def completed_sentence(figures: SummaryFigures) -> str:
    """'截止6月底，南陵县30项民生工程任务中A，B均已完成全年目标任务。'"""
    start = f"{by_month_end(figures.month)}，{place_name(figures.office_name)}{figures.projects}项民生工程任务中"
    names = list(figures.completed_names)
    if not names:
        return f"{start}尚无已完成全年目标任务的项目。"
    verb = "均已完成" if len(names) > 1 else "已完成"
    return f"{start}{listed(names)}{verb}全年目标任务。"


def construction_sentence(figures: SummaryFigures) -> str:
    """工程类: how many there are and which lag behind their 序时进度 this month."""
    if not figures.construction_projects:
        return ""
    lagging = list(figures.lagging_names)
    start = f"{month_span(figures.month)}，工程类项目{figures.construction_projects}项"
    if not lagging:
        return f"{start}，均按序时进度推进。"
    return f"{start}，其中{listed(lagging)}共{len(lagging)}项滞后于序时进度。"


def subsidy_sentence(figures: SummaryFigures) -> str:
    """'1-6月，全县保障各类补助人员63.68万人次，发放补助资金4.10亿元。'"""
    whole = "全" + level(figures.office_name)
    people, money = wan_people_text(figures.beneficiaries), short_yi_text(figures.subsidy_paid)
    return f"{month_span(figures.month)}，{whole}保障各类补助人员{people}万人次，发放补助资金{money}亿元。"


def information_sentence(figures: SummaryFigures) -> str:
    """'1-6月份，我县共报送民生工程信息513条。其中，市民生网采用信息248条，采用率48.34%，省民生网采用信息60条。'"""
    we = "我" + level(figures.office_name)
    first = f"{month_span(figures.month)}份，{we}共报送民生工程信息{figures.reported}条。"
    rate = percent_text(figures.adoption_rate)
    return (
        f"{first}其中，市民生网采用信息{figures.city_adopted}条，采用率{rate}，"
        f"省民生网采用信息{figures.province_adopted}条。"
    )


def summary_document(figures: SummaryFigures) -> SummaryDocument:
    """The 小结 as blocks: the first section worded from the data, the office's sections left to it."""
    span = month_span(figures.month)
    blocks = [
        Block("editable", "（开头段落由民生办填写。）"),
        Block("text", funds_sentence(figures), generated=True),
        Block("heading", f"一、{span}份民生工程完成情况及信息报送情况"),
        Block("subheading", "（一）目标任务完成情况"),
        Block("text", completed_sentence(figures), generated=True),
    ]
    construction = construction_sentence(figures)
    if construction:
        blocks.append(Block("text", construction, generated=True))
    if figures.subsidy_projects:
        blocks.append(Block("text", subsidy_sentence(figures), generated=True))
    blocks += [
        Block("subheading", "（二）信息报送录用情况"),
        Block("text", information_sentence(figures), generated=True),
        Block("heading", "二、主要做法"),
        Block("editable", EDITABLE_PLACEHOLDER),
        Block("heading", "三、下一步工作安排"),
        Block("editable", EDITABLE_PLACEHOLDER),
    ]
    return SummaryDocument(title(figures), blocks)
