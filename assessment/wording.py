"""How the official tables word things: pure functions over plain values (no ORM, no queries).

A year's labels come from the data (县区/镇, 市直责任单位/县直部门); every sentence the tables, the
pages and the commands print about a unit's peers, its imputed months or its 加扣分 is worded here.
"""

import re
from datetime import date
from decimal import Decimal

REGION = "region"
LIST_SEPARATOR = "；"
POINTS_IN_TEXT = re.compile(r"[加扣]\s*[0-9.]+\s*分")
QUARTERS = {(1, 2, 3): "一季度", (4, 5, 6): "二季度", (7, 8, 9): "三季度", (10, 11, 12): "四季度"}


def month_range_text(months: list[int]) -> str:
    """[1, 2, 3] → '1-3月'; [2] → '2月'; [1, 2, 5] → '1-2、5月'."""
    runs: list[list[int]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = [f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    return "、".join(parts) + "月" if parts else ""


def months_phrase(months: list[int]) -> str:
    """How the notice names a set of months: '一季度' for a whole quarter, else '1-2月'."""
    return QUARTERS.get(tuple(sorted(set(months))), month_range_text(months))


def ytd_label(month: int) -> str:
    """'1-9月' (the year to date), '1月' in January."""
    return f"1-{month}月" if month > 1 else "1月"


def peer_label(assessment_year, kind: str) -> str:
    """How the notice names a unit's peers: '市直单位' (from '市直责任单位'), '县区'."""
    if kind == REGION:
        return assessment_year.region_label
    return assessment_year.department_label.replace("责任", "")


def region_word(assessment_year) -> str:
    """The seed prints the region group as '县(区)'."""
    return "县(区)" if assessment_year.region_label == "县区" else assessment_year.region_label


def department_word(assessment_year) -> str:
    """'市直责任单位' → '市直部门', as the seed titles 附件3."""
    return assessment_year.department_label.replace("责任单位", "部门")


def printed_points(points: Decimal) -> str:
    """0.050 → '0.05', 0.100 → '0.1', 1.000 → '1': how the notes print points."""
    return format(abs(points).normalize(), "f")


def adjustment_phrase(reason: str, points: Decimal) -> str:
    """'省民生网站刊登信息加0.05分'; a reason already naming its points is kept as written."""
    reason = reason.strip().rstrip("。；;")
    if POINTS_IN_TEXT.search(reason):
        return reason
    verb = "加" if points > 0 else "扣"
    return f"{reason}{verb}{printed_points(points)}分"


def join_sentences(parts: list[str]) -> str:
    """Join reasons with '；' and close with '。'."""
    cleaned = [part.strip().rstrip("。；;") for part in parts if part and part.strip()]
    return LIST_SEPARATOR.join(cleaned) + "。" if cleaned else ""


def join_remarks(parts: list[str]) -> str:
    """附件3's 备注: distinct reasons joined by '；', without a closing mark."""
    return LIST_SEPARATOR.join(dict.fromkeys(part.strip().rstrip("。；;") for part in parts if part.strip()))


def and_join(names: list[str]) -> str:
    """['甲'] → '甲'; ['甲', '乙', '丙'] → '甲、乙和丙'."""
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def rank_change_text(change: int | None) -> str:
    """▲2 moved up two places, ▼1 down one, — unchanged or no previous month."""
    if not change:
        return "—"
    return f"▲{change}" if change > 0 else f"▼{-change}"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def imputation_sentence(names: list[str], months: list[int], peers: str) -> str:
    """'市数据资源局和市城管执法局未纳入一季度考评，一季度按市直单位平均得分计' (the seed's words)."""
    when = months_phrase(months)
    return f"{and_join(names)}未纳入{when}考评，{when}按{peers}平均得分计"


def imputed_this_month(peers: str) -> str:
    """附件3's 备注 of a unit not assessed this month."""
    return f"未纳入本月考评，按{peers}平均得分计"
