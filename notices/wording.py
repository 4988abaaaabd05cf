"""Every sentence the monthly notice (通报) prints: the one wording home of the notice (pure, no ORM).

The findings module decides which item goes where; this module decides how it reads. The default
texts of a year's template (`NoticeTemplate`) are here too, with `{year}` and `{month}` placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# ---------------------------------------------------------------- the parts of a notice

PART_LABELS = {
    "title": "标题",
    "salutation": "主送单位",
    "opening": "开头段落",
    "findings": "从考评结果看",
    "requirements": "工作要求",
}
PARTS = tuple(PART_LABELS)

DEFAULT_TITLE = "关于{month}月份民生工程月度考评情况的通报"
DEFAULT_SALUTATION = "市民生工作领导小组有关成员单位："
DEFAULT_OPENING = (
    "根据《{year}年度民生工程月度考评办法》要求，市民生办依据民生工程项目实施的阶段性特点细化考评指标，"
    "内容包括民生工程专项督查、第三方绩效评估、数据库编制等。在市直部门组织考评的同时，"
    "市民生办结合日常工作开展，完成了{month}月份月度考评工作。"
)
DEFAULT_REQUIREMENTS = (
    "针对考评工作中发现的问题，一是市直责任部门要加强工作指导和项目检查，主动加强向上对接，"
    "积极寻求省直部门指导支持。二是县区对进展缓慢的项目要派专人进组项目点，按照“日督查、周报告”制度"
    "加大协调推进力度，确保按时完成民生工程建设任务。三是继续夯实基础工作，规范档案资料管理，"
    "及时主动公示公开民生工程信息，加强网络宣传，全力提升民生工程质量和效果。"
)

FINDINGS_INTRO = "从考评结果看："
NO_FINDINGS = "从考评结果看：本月各单位未发现需要通报的问题。"
ATTACHMENTS_LABEL = "附件："


def fill(template: str, *, year: int, month: int) -> str:
    """A template text with its placeholders filled: '{month}' → '9'. Unknown braces are kept."""
    return template.replace("{year}", str(year)).replace("{month}", str(month))


def attachment_items(titles: Sequence[str]) -> list[str]:
    """'1、9月份民生工程排名情况汇总表', … as the attachment list prints them."""
    return [f"{index}、{title}" for index, title in enumerate(titles, start=1)]


# ---------------------------------------------------------------- the findings' groups

ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是")

RANKING, PROGRESS, MANAGEMENT = "ranking", "progress", "management"
GROUP_LABELS = {
    RANKING: "全省排名靠后",
    PROGRESS: "项目进展缓慢",
    MANAGEMENT: "项目基础管理问题",
}
GROUP_ORDER = (RANKING, PROGRESS, MANAGEMENT)


def group_heading(group: str, month: int) -> str:
    """What a group says before its facts."""
    return {
        RANKING: "少数项目进展在全省排名靠后。",
        PROGRESS: f"个别项目进展缓慢，{month}月份督查发现",
        MANAGEMENT: "存在项目基础管理等问题。如",
    }[group]


def ordinal(index: int) -> str:
    return ORDINALS[index] if index < len(ORDINALS) else f"第{index + 1}是"


# ---------------------------------------------------------------- one fact

INSPECTION_PREFIX = re.compile(r"^\s*(?:\d{1,2}月份?)?督查发现[:：，,]?")
CLOSING_MARKS = "。；;，,、 "


def clean_reason(reason: str) -> str:
    """A reason as a clause of the notice: '9月份督查发现…' loses its prefix (the group says it once),
    inner '；' become '，', and closing marks go."""
    text = INSPECTION_PREFIX.sub("", reason.strip())
    text = text.replace("；", "，").replace(";", "，")
    return text.strip(CLOSING_MARKS)


def without_unit(unit: str, clause: str) -> str:
    """'铜官区公益性岗位…' under 铜官区 → '公益性岗位…' (the unit is printed once)."""
    return clause[len(unit) :].lstrip("的") if clause.startswith(unit) else clause


def lagging_reason(project: str) -> str:
    """A lagging project of the progress data (滞后), worded as a deduction's reason would be."""
    return f"{project}进展滞后"


def ranking_phrase(unit: str, clauses: Sequence[str]) -> str:
    """一是: '市水利局承担的中小河流治理…在全省排名靠后，…' (one phrase per department)."""
    return f"{unit}承担的{'，'.join(clauses)}"


def department_progress_phrase(department: str, clauses: Sequence[str]) -> str:
    """二是, departments: '市交通局承担的“四好农村路”建设未达计划进度'."""
    return f"{department}承担的{'，'.join(clauses)}"


def region_progress_phrase(region: str, clauses: Sequence[str]) -> str:
    """二是, regions: '枞阳县农村改厕、美丽乡村建设进度慢，…等'."""
    return f"{region}{'，'.join(clauses)}等"


def management_phrase(units: Sequence[str], clause: str) -> str:
    """三是: '市数据资源局、市城管执法局未按时报送信息' (the units with the same problem together)."""
    return f"{'、'.join(units)}{clause}"


def join_phrases(group: str, department_phrases: Sequence[str], region_phrases: Sequence[str]) -> str:
    """The facts of a group joined as the seed joins them: departments by '、' in 二是, then the regions
    by '；'; the other groups by '；'. Closed with '等。' in 三是, '。' otherwise."""
    if group == PROGRESS:
        parts = []
        if department_phrases:
            parts.append("、".join(department_phrases))
        parts.extend(region_phrases)
        return "；".join(parts) + "。"
    text = "；".join([*department_phrases, *region_phrases])
    return text + ("等。" if group == MANAGEMENT else "。")
