"""The progress tables as exporters of the registry: by project, by unit, funds, information reporting.

Each reads the month's `ProgressOverview` once (`data`, the same object the page renders) and builds
`OfficialTable`s; the renderers give them the official look (xlsx) or CSV. Files are named
'2021年1-6月民生工程项目进度情况表.xlsx' (a month not yet published adds '（草稿·未发布）').
"""

from __future__ import annotations

from projects import progress_rules as rules

from ..models import Period
from ..selectors import progress_pages as pages
from ..selectors.reference import period_units
from ..selectors.tables import heading
from ..summary_wording import month_span
from .attachments import draft_suffix
from .registry import Exporter, register
from .tables import Column, OfficialTable, Section

RATE_NOTE = (
    "注：完成率 = 累计完成 ÷ 目标任务；序时进度：工程类按完成时限，其他类型按全年；"
    "“（{lagging}）”表示完成率低于序时进度超过{tolerance}个百分点。"
)


def _percent_number(rate):
    return rules.round_percent(rate) if rate is not None else None


def _base(period: Period, title: str, columns, sections, *, notes=(), sheet: str, landscape=None) -> OfficialTable:
    head = heading(period)
    return OfficialTable(
        attachment="",
        title=title,
        subtitle=head.date_line,
        columns=columns,
        sections=sections,
        notes=list(notes),
        landscape=landscape,
        sheet_name=sheet,
        author=head.office_name,
    )


def title_of(period: Period, name: str) -> str:
    return f"{month_span(period.month)}民生工程{name}"


def rate_note(period: Period) -> str:
    tolerance = rules.quantity_text(period.year.lag_tolerance)
    return RATE_NOTE.format(lagging=pages.LAGGING, tolerance=tolerance)


class ProgressExporter(Exporter):
    """Shared by the four progress tables: the data is the month's overview."""

    name: str  # 项目进度情况表

    def data(self, period):
        return pages.overview_for(period)

    def file_stem(self, period, tables):
        return f"{period.year.year}年{title_of(period, self.name)}{draft_suffix(period)}"


@register
class ByProjectExporter(ProgressExporter):
    identifier, label, name = "progress-projects", "项目进度", "项目进度情况表"

    def tables(self, period, data):
        page = pages.by_project(data)
        columns = [Column("编号"), Column("项目名称"), Column("类型"), Column("序时进度（%）", kind="amount")]
        columns += [Column(unit.short_name or unit.name, group="完成率") for unit in page.units]
        columns += [Column("拨付率（%）", kind="amount"), Column("状态")]
        rows = []
        for row in page.rows:
            status = (
                pages.MET if row.met else (f"{row.lagging_count}个单位{pages.LAGGING}" if row.lagging_count else "")
            )
            rows.append(
                [row.code, row.name, row.type_label, _percent_number(row.schedule)]
                + [cell.printed or None for cell in row.cells]
                + [_percent_number(row.funds_rate), status or None]
            )
        return [
            _base(
                period,
                title_of(period, self.name),
                columns,
                [Section(None, rows)],
                notes=[rate_note(period)],
                sheet="项目进度",
                landscape=True,
            )
        ]


@register
class ByUnitExporter(ProgressExporter):
    identifier, label, name = "progress-units", "单位进度", "单位进度情况表"

    def tables(self, period, data):
        columns = [
            Column("项目"),
            Column("目标任务", kind="amount"),
            Column("计量单位"),
            Column("累计完成", kind="amount"),
            Column("完成率（%）", kind="amount"),
            Column("序时进度（%）", kind="amount"),
            Column("年度预算（万元）", kind="amount"),
            Column("累计拨付（万元）", kind="amount"),
            Column("拨付率（%）", kind="amount"),
            Column("状态"),
        ]
        sections = []
        for block in pages.by_unit(data):
            rows = []
            for line in block.rows:
                target = line.row
                rows.append(
                    [
                        f"{target.project.display_code}、{target.project.name}",
                        target.target.quantity,
                        target.target.measure or None,
                        target.completed,
                        _percent_number(target.rate),
                        _percent_number(target.schedule),
                        target.target.budget,
                        target.paid,
                        _percent_number(target.funds_rate),
                        line.status or None,
                    ]
                )
            rows.append(
                [
                    "小计",
                    None,
                    None,
                    None,
                    None,
                    None,
                    block.budget,
                    block.paid,
                    _percent_number(block.funds_rate),
                    None,
                ]
            )
            sections.append(Section(block.unit.name, rows))
        return [
            _base(
                period,
                title_of(period, self.name),
                columns,
                sections,
                notes=[rate_note(period)],
                sheet="单位进度",
                landscape=True,
            )
        ]


@register
class FundsExporter(ProgressExporter):
    identifier, label, name = "progress-funds", "资金拨付", "资金拨付情况表"

    def tables(self, period, data):
        funds = pages.funds_overview(data)
        columns = [
            Column("单位"),
            Column("年度预算（万元）", kind="amount"),
            Column("累计拨付（万元）", kind="amount"),
            Column("拨付率（%）", kind="amount"),
        ]

        def line(row):
            return [row.label, row.budget, row.paid, _percent_number(row.rate)]

        sections = [
            Section("按单位", [line(row) for row in funds.units]),
            Section("按项目类型", [line(row) for row in funds.types]),
            Section(None, [line(funds.total)]),
        ]
        return [_base(period, title_of(period, self.name), columns, sections, sheet="资金拨付", landscape=False)]


@register
class InformationExporter(ProgressExporter):
    identifier, label, name = "progress-information", "信息报送", "信息报送情况表"

    def tables(self, period, data):
        ytd = month_span(period.month)
        month = f"{period.month}月"
        columns = [
            Column("单位"),
            Column("报送", group=month, kind="number"),
            Column("市采用", group=month, kind="number"),
            Column("省采用", group=month, kind="number"),
            Column("报送", group=ytd, kind="number"),
            Column("市采用", group=ytd, kind="number"),
            Column("采用率（%）", group=ytd, kind="amount"),
            Column("省采用", group=ytd, kind="number"),
        ]
        rows = []
        for line in pages.information_lines(data, pages.region_first(period_units(period))):
            m, y = line.month, line.year_to_date
            rows.append(
                [
                    line.label,
                    m.reported,
                    m.city_adopted,
                    m.province_adopted,
                    y.reported,
                    y.city_adopted,
                    _percent_number(y.adoption_rate),
                    y.province_adopted,
                ]
            )
        notes = ["注：采用率 = 市民生网采用 ÷ 报送。"]
        return [
            _base(
                period,
                title_of(period, self.name),
                columns,
                [Section(None, rows)],
                notes=notes,
                sheet="信息报送",
                landscape=False,
            )
        ]


PROGRESS_EXPORTERS = ("progress-projects", "progress-units", "progress-funds", "progress-information")
