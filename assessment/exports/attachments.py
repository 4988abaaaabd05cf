"""One exporter per official table (附件1–3), and the whole month in one workbook.

The look (fonts, merges, borders, number formats, print settings) belongs to the renderers; this
module only decides what the tables contain.
"""

from __future__ import annotations

from ..models import Period
from ..selectors.tables import Attachment1, Attachment2, Attachment3, attachment1, attachment2, attachment3
from .registry import REGISTRY, Exporter, register
from .tables import AS_PUBLISHED_FORMAT, NUMBER_FORMATS, Column, OfficialTable, Section

OFFICE_ADJUSTMENT_ROW = "民生办加(扣)分"


def score_format(as_published: bool) -> str:
    """附件2/附件3 print scores as the year chooses: 1.500, or as the notice does (1.5, 0.95, 1.55)."""
    return AS_PUBLISHED_FORMAT if as_published else NUMBER_FORMATS["score"]


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
        notes=data.notes + incomplete_note(data),
        author=data.heading.office_name,
    )


def incomplete_note(data: Attachment1) -> list[str]:
    """A draft's units still being entered: printed without score or rank, and said so under the table."""
    lacking = [f"{row.unit}缺{len(row.missing)}项" for _, rows in data.blocks for row in rows if row.missing]
    return [f"未录入完的单位（不计得分和排名）：{'、'.join(lacking)}"] if lacking else []


def draft_suffix(period: Period) -> str:
    """A file of a month not yet published says so in its name."""
    return "" if period.is_published else "（草稿·未发布）"


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
        score_format=score_format(data.as_published),
        author=data.heading.office_name,
    )


def attachment3_table(data: Attachment3) -> OfficialTable:
    group = "评分项目"
    columns = [Column("序号", kind="number"), Column("责任部门")]
    columns += [Column(indicator.name, group=group, kind="score") for indicator in data.indicators]
    columns += [
        Column("加(扣)分", group=group, kind="score"),
        Column("得分", kind="score"),
        Column("备注", wrap=True, align="left"),
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
        landscape=None,  # portrait while the body prints at 10.5 pt or more, else landscape
        score_format=score_format(data.as_published),
        author=data.heading.office_name,
    )


class AttachmentExporter(Exporter):
    """One attachment: the page's data (a selector), one table; files named
    '附件1 2020年9月份民生工程排名情况汇总表' (a draft: '…（草稿·未发布）')."""

    def __init__(self, identifier: str, label: str, select, build):
        self.identifier, self.label, self.select, self.build = identifier, label, select, build

    def data(self, period):
        return self.select(period)

    def tables(self, period, data):
        return [self.build(data)]

    def file_stem(self, period: Period, tables: list[OfficialTable]) -> str:
        table = tables[0]
        return f"{table.attachment} {period.year.year}年{table.title}{draft_suffix(period)}"


register(AttachmentExporter("attachment-1", "附件1", attachment1, attachment1_table))
register(AttachmentExporter("attachment-2", "附件2", attachment2, attachment2_table))
register(AttachmentExporter("attachment-3", "附件3", attachment3, attachment3_table))
ATTACHMENTS = ("attachment-1", "attachment-2", "attachment-3")


@register
class MonthExporter(Exporter):
    """The whole month: sheets 附件1, 附件2, 附件3."""

    identifier, label = "month", "附件1-3"
    formats = ("xlsx",)

    def data(self, period):
        return None

    def tables(self, period, data):
        tables = []
        for identifier in ATTACHMENTS:
            attachment = REGISTRY[identifier]
            tables.extend(attachment.tables(period, attachment.data(period)))
        return tables

    def file_stem(self, period, tables):
        """'2020年9月份民生工程月度考评（附件1-3）', a draft '…（附件1-3）（草稿·未发布）'."""
        return f"{period.year.year}年{period.month}月份民生工程月度考评（附件1-3）{draft_suffix(period)}"
