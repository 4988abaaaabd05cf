"""The ledger's files through the exporter registry and the shared renderers: the Excel 台账 and a reminder
slip (.docx, .xlsx). Registered with kind "ledger": the month export view never serves them; the ledger's
views check access first and pass the rows they selected."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from assessment import wording
from assessment.exports.docx import OfficialDocument
from assessment.exports.registry import RENDERERS, Exporter, exporter, register
from assessment.exports.tables import Column, OfficialTable, Section

from .selectors import Row, SlipData


def _subject(row: Row) -> str:
    finding = row.finding
    if finding.project_id:
        return str(finding.project)
    if finding.indicator_id:
        return finding.indicator.name
    return "加扣分"


def _day(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


LEDGER_COLUMNS = [
    Column("序号", kind="number"),
    Column("月份"),
    Column("责任单位"),
    Column("来源"),
    Column("项目/指标", wrap=True),
    Column("扣分", kind="score"),
    Column("存在问题", wrap=True),
    Column("发现单位"),
    Column("工作提示单"),
    Column("整改期限"),
    Column("状态"),
    Column("备注"),
]


def ledger_table(rows: list[Row], *, office_name: str, subtitle: str) -> OfficialTable:
    body = []
    for index, row in enumerate(rows, start=1):
        finding = row.finding
        body.append(
            [
                index,
                f"{finding.period.year.year}年{finding.period.month}月",
                finding.unit.name,
                finding.get_source_display(),
                _subject(row),
                finding.points,
                finding.reason,
                finding.finder_name,
                finding.slip.code if finding.slip_id else "",
                _day(finding.deadline),
                finding.get_status_display(),
                "、".join(flag for flag, on in (("逾期", row.overdue), ("重复发现", finding.repeated)) if on),
            ]
        )
    return OfficialTable(
        attachment="",
        title="民生工程考评问题整改台账",
        columns=LEDGER_COLUMNS,
        sections=[Section(None, body)],
        subtitle=subtitle,
        notes=[f"共 {len(rows)} 项。状态：待整改 → 整改中 → 待销号 → 已销号。"],
        landscape=True,
        sheet_name="整改台账",
        author=office_name,
    )


@register
class LedgerExporter(Exporter):
    """The Excel 台账 of the findings a page selected (data: (rows, office name, subtitle))."""

    identifier, label, kind = "ledger", "整改台账", "ledger"
    formats = ("xlsx",)

    def data(self, period):
        raise ValueError("the ledger is exported from the rows its view selected")

    def tables(self, period, data):
        rows, office_name, subtitle = data
        return [ledger_table(rows, office_name=office_name, subtitle=subtitle)]

    def file_stem(self, period, tables):
        """'民生工程考评问题整改台账（2020年9月 · 义安区）'"""
        return f"{tables[0].title}（{tables[0].subtitle}）"


SLIP_COLUMNS = [
    Column("序号", kind="number"),
    Column("来源"),
    Column("项目/指标"),
    Column("存在问题", wrap=True),
    Column("扣分", kind="score"),
    Column("发现单位"),
]


def slip_intro(data: SlipData) -> str:
    slip = data.slip
    return (
        f"经{slip.period.year.year}年{slip.period.month}月份民生工程月度考评，你单位存在以下问题，"
        f"请对照问题认真整改，于{wording.chinese_date(slip.deadline)}前将整改情况及佐证材料通过民生工程月度考评系统报送{data.office_name}，"
        "整改到位后对账销号。"
    )


def slip_table(data: SlipData) -> OfficialTable:
    slip = data.slip
    body = [
        [
            index,
            row.finding.get_source_display(),
            _subject(row),
            row.finding.reason,
            row.finding.points,
            row.finding.finder_name,
        ]
        for index, row in enumerate(data.rows, start=1)
    ]
    notes = [f"整改期限：{wording.chinese_date(slip.deadline)}"]
    if slip.note:
        notes.append(f"整改要求：{slip.note}")
    return OfficialTable(
        attachment=slip.code,
        title="工作提示单",
        columns=SLIP_COLUMNS,
        sections=[Section(None, body)],
        subtitle=f"{slip.unit.name}：",
        notes=notes,
        landscape=False,
        sheet_name="工作提示单",
        author=data.office_name,
    )


@register
class SlipExporter(Exporter):
    """工作提示单 of one unit and month (data: SlipData)."""

    identifier, label, kind = "reminder-slip", "工作提示单", "ledger"
    formats = ("docx", "xlsx")

    def data(self, period):
        raise ValueError("a slip is exported from its SlipData")

    def tables(self, period, data: SlipData):
        return [slip_table(data)]

    def file_stem(self, period, tables):
        table = tables[0]
        return f"{table.attachment} 工作提示单（{table.subtitle.rstrip('：')}）"

    def render(self, fmt, tables, data: SlipData) -> bytes:
        if fmt != "docx":
            return RENDERERS[fmt].render(tables)
        slip = data.slip
        document = OfficialDocument()
        document.title("工作提示单")
        document.paragraph(slip.code, indent=False, align="center")
        document.paragraph(f"{slip.unit.name}：", indent=False, align="left")
        document.paragraph(slip_intro(data))
        document.table(tables[0])
        if slip.note:
            document.paragraph(f"整改要求：{slip.note}")
        document.blank_line()
        document.date_line(data.office_name, wording.chinese_date(timezone.localdate(slip.issued_at)))
        return document.content()


def ledger_exporter() -> Exporter:
    return exporter("ledger", kind="ledger")


def slip_exporter() -> Exporter:
    return exporter("reminder-slip", kind="ledger")
