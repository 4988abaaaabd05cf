"""The official document look in Word (GB/T 9704): the monthly notice, a county's 小结 and any
`OfficialTable` attached to them.

A4, margins 37/35/28/26 mm, title in 小标宋 (宋体 where it is not installed) 2号 centred, body 仿宋 3号
on a fixed grid (by default 28 lines of 28 characters), labels 黑体 3号, page numbers "— N —" in
the footer. Every attachment starts a section of its own, so 附件2 can be landscape while the
notice is portrait. Fonts and the grid are settings (`DocumentLook`): offices install different ones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .tables import OfficialTable, display_text, group_spans, natural_widths

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# 号 → points, as Chinese typesetting names the sizes.
SIZE_2 = Pt(22)
SIZE_3 = Pt(16)
SIZE_4 = Pt(14)
SIZE_5 = Pt(10.5)

A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TABLE_MARGINS = {"top": Mm(25), "bottom": Mm(20), "left": Mm(20), "right": Mm(20)}
TEXT_HEIGHT = Mm(297 - 37 - 35)
MIN_NUMBER_WIDTH = Mm(18)


@dataclass(frozen=True)
class DocumentLook:
    title_font: str = "方正小标宋简体"
    title_fallback: str = "宋体"
    body_font: str = "仿宋"
    label_font: str = "黑体"
    number_font: str = "宋体"
    lines_per_page: int = 28
    chars_per_line: int = 28

    @property
    def line_pitch(self) -> Pt:
        return Pt(TEXT_HEIGHT.pt / self.lines_per_page)


def _fonts(run, font: str, size, *, bold: bool = False, fallback: str | None = None) -> None:
    """A run in a CJK font: Word takes East Asian text from the eastAsia slot of rFonts."""
    run.font.name = fallback or font
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:ascii"), fallback or font)
    fonts.set(qn("w:hAnsi"), fallback or font)


def _field(paragraph, instruction: str):
    """A field (PAGE) as Word stores it: begin, instruction, separate, end."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    return run


class OfficialDocument:
    """Build a document paragraph by paragraph; `content()` gives the .docx bytes."""

    def __init__(self, look: DocumentLook = DocumentLook()):  # noqa: B008 (a frozen dataclass)
        self.look = look
        self.document = Document()
        self._setup_section(self.document.sections[0], landscape=False, margins=MARGINS)
        normal = self.document.styles["Normal"]
        normal.font.size = SIZE_3
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), look.body_font)

    # ------------------------------------------------------------ page setup

    def _setup_section(self, section, *, landscape: bool, margins: dict) -> None:
        width, height = A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        for side, value in margins.items():
            setattr(section, f"{side}_margin", value)
        section.footer_distance = Mm(28) if not landscape else Mm(10)
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(paragraph.add_run("— "), self.look.number_font, SIZE_4)
        _fonts(_field(paragraph, "PAGE"), self.look.number_font, SIZE_4)
        _fonts(paragraph.add_run(" —"), self.look.number_font, SIZE_4)

    def _body_format(self, paragraph, *, indent: bool) -> None:
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = self.look.line_pitch
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = SIZE_3 * 2  # two characters

    # ------------------------------------------------------------ the notice's parts

    def title(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._body_format(paragraph, indent=False)
        paragraph.paragraph_format.line_spacing = Pt(max(self.look.line_pitch.pt, SIZE_2.pt * 1.3))
        paragraph.paragraph_format.space_after = self.look.line_pitch
        _fonts(paragraph.add_run(text), self.look.title_font, SIZE_2, fallback=self.look.title_fallback)

    def paragraph(self, text: str, *, indent: bool = True, align: str = "justify", font: str | None = None):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
        }[align]
        self._body_format(paragraph, indent=indent)
        _fonts(paragraph.add_run(text), font or self.look.body_font, SIZE_3)
        return paragraph

    def label(self, text: str) -> None:
        """A 黑体 label at the top left of a page, as 附件1 is printed."""
        self.paragraph(text, indent=False, align="left", font=self.look.label_font)

    def attachment_list(self, items: Sequence[str]) -> None:
        """'附件：1、…' with the following items aligned under the first."""
        for index, item in enumerate(items):
            prefix = "附件：" if index == 0 else ""
            paragraph = self.paragraph(f"{prefix}{item}", indent=False, align="left")
            paragraph.paragraph_format.left_indent = SIZE_3 * 5
            paragraph.paragraph_format.first_line_indent = -SIZE_3 * 3 if index == 0 else 0

    def blank_line(self) -> None:
        self.paragraph("", indent=False)

    def date_line(self, office: str, day_text: str) -> None:
        """The issuing office and the date, right-aligned with four characters to spare."""
        for text in (office, day_text):
            paragraph = self.paragraph(text, indent=False, align="right")
            paragraph.paragraph_format.right_indent = SIZE_3 * 4

    # ------------------------------------------------------------ tables

    def table_section(self, table: OfficialTable, *, label: str | None = None) -> None:
        """An attachment on pages of its own: label, title, date line, the table, its notes."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        self._setup_section(section, landscape=table.landscape, margins=TABLE_MARGINS)
        self.label(label or table.attachment)
        heading = self.document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(heading.add_run(table.title), self.look.title_font, SIZE_2, fallback=self.look.title_fallback)
        if table.subtitle:
            self.paragraph(table.subtitle, indent=False, align="right")
        self._table(table)
        for note in table.notes:
            paragraph = self.paragraph(note, indent=False, align="left")
            for run in paragraph.runs:
                run.font.size = SIZE_5
            paragraph.paragraph_format.line_spacing = Pt(16)

    def table(self, table: OfficialTable) -> None:
        """A table in the running text (a reminder slip's findings), on the current page."""
        self._table(table)

    def _table(self, table: OfficialTable) -> None:
        columns = table.columns
        two_levels = any(column.group for column in columns)
        header_rows = 2 if two_levels else 1
        body: list[tuple[str | None, Sequence | None]] = []
        for section in table.sections:
            if section.title:
                body.append((section.title, None))
            body.extend((None, row) for row in section.rows)
        grid = self.document.add_table(rows=header_rows + len(body), cols=len(columns))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False
        self._widths(grid, table)
        self._headers(grid, table, two_levels)
        for offset, (title, row) in enumerate(body, start=header_rows):
            cells = grid.rows[offset].cells
            if row is None:
                merged = cells[0].merge(cells[-1])
                self._cell(merged, title, bold=True)
                continue
            for index, (column, value) in enumerate(zip(columns, row, strict=True)):
                text = display_text(value, column.kind)
                left = column.kind == "text" and (index == 0 or column.width is not None)  # names and 备注
                self._cell(cells[index], text, align="left" if left else "center")
        for index in range(header_rows):
            _repeat_header(grid.rows[index])

    def _widths(self, grid, table: OfficialTable) -> None:
        """Columns in proportion to their text, as the Excel renderer sizes them, across the text width."""
        section = self.document.sections[-1]
        available = section.page_width - section.left_margin - section.right_margin
        units = natural_widths(table)
        widths = [available * unit / sum(units) for unit in units]
        # A number needs its width whatever the remarks take: borrow from the widest text column.
        widest = max(range(len(widths)), key=lambda i: widths[i])
        for index, column in enumerate(table.columns):
            missing = MIN_NUMBER_WIDTH - widths[index]
            if column.kind != "text" and missing > 0 and index != widest:
                widths[index] += missing
                widths[widest] -= missing
        for index, column in enumerate(grid.columns):
            column.width = int(widths[index])
            for cell in column.cells:
                cell.width = int(widths[index])

    def _headers(self, grid, table: OfficialTable, two_levels: bool) -> None:
        top, bottom = grid.rows[0].cells, grid.rows[1].cells if two_levels else None
        for group, first, last in group_spans(table.columns):
            if group is None:
                for index in range(first, last + 1):
                    cell = top[index].merge(bottom[index]) if two_levels else top[index]
                    self._cell(cell, table.columns[index].header, bold=True)
                continue
            self._cell(top[first].merge(top[last]) if last > first else top[first], group, bold=True)
            for index in range(first, last + 1):
                self._cell(bottom[index], table.columns[index].header, bold=True)

    def _cell(self, cell, text: str, *, bold: bool = False, align: str = "center") -> None:
        paragraph = cell.paragraphs[0]
        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if align == "left" else WD_ALIGN_PARAGRAPH.CENTER
        _fonts(paragraph.add_run(text or ""), self.look.body_font, SIZE_5, bold=bold)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _repeat_header(row) -> None:
    """Repeat the header rows on every page the table spans."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
