"""A county's 1–6月 2021 of our own making (8 towns, 6 county departments, 30 projects) whose totals are
the seed's 小结 (shared/seeds/002_*): 6.69亿元 paid, 63.78% of the budget, 513 information items
reported, 248 adopted by the city site (48.34%), 60 by the province site.

`build_files(directory)` writes the three files a county office would import (reference .xlsx,
progress .xlsx with Excel number cells, information .csv); `load_county(directory)` imports them with
the commands. Reusable by the pages' tests (the 小结 page and its .docx).
"""

import csv
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from django.core.management import call_command
from openpyxl import Workbook

CENT = Decimal("0.01")
YEAR = 2021
MONTH = 6
TOWNS = ["籍山镇", "弋江镇", "许镇镇", "家发镇", "工山镇", "何湾镇", "烟墩镇", "三里镇"]
DEPARTMENTS = ["县交通运输局", "县民政局", "县人社局", "县卫健委", "县教育局", "县农业农村局"]

# 30 projects: 1–10 工程类 (a target per town), 11–22 补助类, 23–26 培训类, 27–30 其他 (one target each,
# at the responsible department).
TYPES = {**dict.fromkeys(range(1, 11), "工程类"), **dict.fromkeys(range(11, 23), "补助类")}
TYPES.update({**dict.fromkeys(range(23, 27), "培训类"), **dict.fromkeys(range(27, 31), "其他")})

# Totals in 万元 by type (budget, paid at the end of June); they add up to the seed's 104892 / 66900.
BUDGETS = {"工程类": Decimal("40000"), "补助类": Decimal("45000"), "培训类": Decimal("8000"), "其他": Decimal("11892")}
PAID = {"工程类": Decimal("18000"), "补助类": Decimal("41000"), "培训类": Decimal("4500"), "其他": Decimal("3400")}
BENEFICIARIES = 636800
INFORMATION = (513, 248, 60)

COMPLETED = ["1", "11", "12", "23", "27"]  # every target at 100% or more by June
# (project, town index) of the 工程类 targets that are 滞后 in June (序时进度 6/11 = 54.55%, tolerance 10).
LAGGING_TOWNS = {(2, 0): 30, (2, 1): 30, (3, 2): 40}
LAGGING_DEPARTMENT_PROJECTS = {13: 35}  # a 补助类 target at 35% against 50.00%

EXPECTED = {
    "year": YEAR,
    "month": MONTH,
    "projects": 30,
    "budget": "104892.00",
    "paid": "66900.00",
    "paid_yi": "6.69",
    "paid_rate": "63.78",
    "completed_projects": COMPLETED,
    "beneficiaries": BENEFICIARIES,
    "subsidy_paid": "41000.00",
    "information": {"reported": 513, "city_adopted": 248, "province_adopted": 60, "adoption_rate": "48.34"},
}


def department_of(number: int) -> str:
    return DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]


def split(total: Decimal, weights: list[int], places: int = 2) -> list[Decimal]:
    """total in parts proportional to the weights, exact to the cent (the remainder on the last part)."""
    step = Decimal(1).scaleb(-places)
    units = int(total / step)
    whole = sum(weights)
    parts = [units * weight // whole for weight in weights]
    parts[-1] += units - sum(parts)
    return [Decimal(part) * step for part in parts]


def split_int(total: int, weights: list[int]) -> list[int]:
    return [int(part) for part in split(Decimal(total), weights, 0)]


def targets() -> list[dict]:
    """Every target with its June figures: project, unit, quantity, budget, paid, completed, beneficiaries."""
    rows = []
    for number in range(1, 31):
        kind = TYPES[number]
        if kind == "工程类":
            for index, town in enumerate(TOWNS):
                if number == 10 and town == "三里镇":
                    continue  # project 10 does not apply to 三里镇
                rate = LAGGING_TOWNS.get((number, index), 100 if number == 1 else 60 + index)
                rows.append({"project": number, "unit": town, "kind": kind, "quantity": Decimal(20), "rate": rate})
        else:
            rate = 100 if str(number) in COMPLETED else LAGGING_DEPARTMENT_PROJECTS.get(number, 55 + number % 7)
            rows.append(
                {
                    "project": number,
                    "unit": department_of(number),
                    "kind": kind,
                    "quantity": Decimal(1000),
                    "rate": rate,
                }
            )
    for kind in BUDGETS:
        of_kind = [row for row in rows if row["kind"] == kind]
        weights = [3 + (row["project"] * 7 + i) % 5 for i, row in enumerate(of_kind)]
        for row, budget, paid in zip(of_kind, split(BUDGETS[kind], weights), split(PAID[kind], weights), strict=True):
            row["budget"], row["paid"] = budget, paid
    for row in rows:
        row["completed"] = row["quantity"] * row["rate"] / 100
        row["beneficiaries"] = 0
    subsidy = [row for row in rows if row["kind"] == "补助类"]
    for row, people in zip(subsidy, split_int(BENEFICIARIES, [row["project"] for row in subsidy]), strict=True):
        row["beneficiaries"] = people
    return rows


def information_rows() -> list[list]:
    """(年度, 月份, 单位, 报送, 市采用, 省采用) for every unit and month 1–6, adding up to the seed's counts."""
    keys = [(month, unit) for month in range(1, MONTH + 1) for unit in TOWNS + DEPARTMENTS]
    weights = [4 + (i * 5) % 7 for i in range(len(keys))]
    reported, city, province = (split_int(total, weights) for total in INFORMATION)
    rows = []
    for (month, unit), r, c, p in zip(keys, reported, city, province, strict=True):
        assert c <= r and p <= r
        rows.append([YEAR, month, unit, r, c, p])
    return rows


def write_reference(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "年度"
    sheet.append(["年度", "标题", "民生办名称", "县区组名称", "部门组名称", "项目满分"])
    sheet.append([YEAR, "南陵县2021年民生工程月度考评", "南陵县民生办", "镇", "县直部门", 1.5])
    units = book.create_sheet("单位")
    units.append(["名称", "简称", "类别", "排序"])
    for order, town in enumerate(TOWNS, start=1):
        units.append([town, town, "镇", order])
    for order, department in enumerate(DEPARTMENTS, start=1):
        units.append([department, department.removeprefix("县"), "县直部门", order])
    projects = book.create_sheet("项目")
    projects.append(["编号", "项目组编号", "打印编号", "项目名称", "类型", "责任部门", "排序", "不适用的县区"])
    for number in range(1, 31):
        excluded = "三里镇" if number == 10 else ""
        projects.append(
            [str(number), "", "", f"民生工程{number}", TYPES[number], department_of(number), number, excluded]
        )
    indicators = book.create_sheet("指标")
    indicators.append(["名称", "满分", "排序"])
    indicators.append(["项目进展", 1, 1])
    indicators.append(["工作推进情况", 0.5, 2])
    book.save(path)
    return path


PROGRESS_HEADER = [
    "年度",
    "月份",
    "单位",
    "项目",
    "目标任务",
    "计量单位",
    "年度预算",
    "完成时限",
    "累计完成",
    "累计拨付",
    "累计受益人次",
    "说明",
]


def write_progress(path: Path) -> Path:
    """Targets (月份 empty) and the cumulative figures of March and June; numbers as Excel number cells
    (floats such as 1234.56, read back exactly) and, for every third row, as text."""
    book = Workbook()
    sheet = book.active
    sheet.append(PROGRESS_HEADER)
    for i, row in enumerate(targets()):
        cell = (lambda d: format(d, "f")) if i % 3 == 0 else (lambda d: float(d))
        measure = "公里" if row["kind"] == "工程类" else "人次"
        sheet.append(
            [YEAR, None, row["unit"], str(row["project"]), cell(row["quantity"]), measure, cell(row["budget"]), None]
            + [None] * 4
        )
        for month, share in ((3, Decimal("0.5")), (MONTH, Decimal(1))):
            sheet.append(
                [YEAR, month, row["unit"], str(row["project"]), None, None, None, None]
                + [
                    cell((row["completed"] * share).quantize(CENT, ROUND_DOWN)),
                    cell((row["paid"] * share).quantize(CENT, ROUND_DOWN)),
                    int(row["beneficiaries"] * share),
                    "",
                ]
            )
    book.save(path)
    return path


def write_information(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["年度", "月份", "单位", "报送", "市采用", "省采用"])
        writer.writerows(information_rows())
    return path


def build_files(directory: Path) -> tuple[Path, Path, Path]:
    return (
        write_reference(directory / "county_2021.xlsx"),
        write_progress(directory / "county_progress_2021.xlsx"),
        write_information(directory / "county_information_2021.csv"),
    )


def load_county(directory: Path) -> None:
    """The county office starts from nothing: its year, then progress and information from files."""
    reference, progress, information = build_files(directory)
    call_command("import_reference", str(reference), stdout=_Null())
    call_command("import_progress", str(progress), stdout=_Null())
    call_command("import_information", str(information), stdout=_Null())


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
