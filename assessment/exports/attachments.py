"""One exporter per official table: selector data → `OfficialTable`; and the whole month in one workbook.

The look (fonts, merges, borders, number formats, print settings) belongs to `official.py`;
this module only decides what the tables contain.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.models import Period
from assessment.tables import Attachment1, Attachment2, Attachment3, attachment1, attachment2, attachment3

from .official import Column, OfficialTable, Section, official_workbook, render_csv, workbook_bytes

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
UTF8_BOM = "\ufeff"
OFFICE_ADJUSTMENT_ROW = "民生办加(扣)分"
REMARKS_WIDTH = 48


def attachment1_table(data: Attachment1) -> OfficialTable:
    month, ytd = data.month_label, data.ytd_label
    columns = [
        Column("单位"),
        Column(f"{month}得分", kind="score"),
        Column(f"{month}排名", kind="rank"),
        Column(f"{ytd}得分", kind="score"),
        Column(f"{ytd}排名", kind="rank"),
    ]
    sections = [
        Section(title, [[row.unit, row.score, row.rank, row.ytd_score, row.ytd_rank] for row in rows])
        for title, rows in data.blocks
    ]
    return OfficialTable(
        attachment="附件1",
        title=data.title,
        subtitle=data.heading.date_line,
        columns=columns,
        sections=sections,
        notes=data.notes,
    )


def attachment2_table(data: Attachment2) -> OfficialTable:
    columns = [Column("项目"), Column("责任部门")]
    columns += [Column(region.short_name, kind="score") for region in data.regions]
    columns.append(Column("平均得分", kind="score"))
    rows = [[row.label, row.department, *(cell.value for cell in row.cells), row.average] for row in data.rows]
    rows.append([OFFICE_ADJUSTMENT_ROW, None, *data.adjustment_totals, None])
    return OfficialTable(
        attachment="附件2",
        title=data.title,
        subtitle=data.heading.date_line,
        columns=columns,
        sections=[Section(None, rows)],
        notes=data.notes,
        landscape=True,
    )


def attachment3_table(data: Attachment3) -> OfficialTable:
    group = "评分项目"
    columns = [Column("序号", kind="number"), Column("责任部门")]
    columns += [Column(indicator.name, group=group, kind="score") for indicator in data.indicators]
    columns += [
        Column("加(扣)分", group=group, kind="score"),
        Column("得分", kind="score"),
        Column("备注", width=REMARKS_WIDTH),
    ]
    rows = [
        [row.number, row.short_name, *row.indicator_scores, row.adjustment_total, row.score, row.remarks or None]
        for row in data.rows
    ]
    return OfficialTable(
        attachment="附件3",
        title=data.title,
        subtitle=data.heading.date_line,
        columns=columns,
        sections=[Section(None, rows)],
    )


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    content_type: str


EXPORTERS = {
    1: (attachment1, attachment1_table),
    2: (attachment2, attachment2_table),
    3: (attachment3, attachment3_table),
}


def attachment_table(period: Period, number: int) -> OfficialTable:
    select, export = EXPORTERS[number]
    return export(select(period))


def file_stem(table: OfficialTable) -> str:
    """'附件1 9月份民生工程排名情况汇总表'."""
    return f"{table.attachment} {table.title}"


def attachment_xlsx(table: OfficialTable) -> Download:
    return Download(f"{file_stem(table)}.xlsx", workbook_bytes(official_workbook([table])), XLSX_CONTENT_TYPE)


def attachment_csv(table: OfficialTable) -> Download:
    return Download(f"{file_stem(table)}.csv", (UTF8_BOM + render_csv(table)).encode("utf-8"), CSV_CONTENT_TYPE)


def month_tables(period: Period) -> list[OfficialTable]:
    return [attachment_table(period, number) for number in EXPORTERS]


def month_filename(period: Period) -> str:
    """'2020年9月份民生工程月度考评（附件1-3）.xlsx'."""
    return f"{period.year.year}年{period.month}月份民生工程月度考评（附件1-3）.xlsx"


def month_workbook(period: Period) -> Download:
    """The whole month: sheets 附件1, 附件2, 附件3."""
    content = workbook_bytes(official_workbook(month_tables(period)))
    return Download(month_filename(period), content, XLSX_CONTENT_TYPE)
