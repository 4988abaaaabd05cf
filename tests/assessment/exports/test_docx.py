"""The official document look in Word: page setup, fonts, page numbers and attached tables."""

import io
from decimal import Decimal

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from assessment.exports.docx import DocumentLook, OfficialDocument
from assessment.exports.tables import Column, OfficialTable, Section

D = Decimal


def table(landscape=False) -> OfficialTable:
    columns = [
        Column("单位"),
        Column("项目进展", group="评分项目", kind="score"),
        Column("加(扣)分", group="评分项目", kind="score"),
        Column("备注", width=40),
    ]
    rows = [["市商务局", D("1"), D("0.05"), "信息被省民生工程网站采用"], ["市水利局", D("0.85"), None, None]]
    return OfficialTable(
        "附件3", "9月份民生工程市直部门得分情况统计表", columns, [Section(None, rows)], landscape=landscape
    )


def reopen(document: OfficialDocument):
    return docx.Document(io.BytesIO(document.content()))


def mm(*lengths) -> tuple:
    """Word stores lengths in twips: compare them to the millimetre."""
    return tuple(round(length.mm) for length in lengths)


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_a_notice_is_a4_with_the_gbt_margins_title_body_and_page_numbers():
    document = OfficialDocument()
    document.title("关于9月份民生工程月度考评情况的通报")
    document.paragraph("市民生工作领导小组有关成员单位：", indent=False, align="left")
    document.paragraph("根据考评办法要求，完成了9月份月度考评工作。")
    result = reopen(document)
    section = result.sections[0]
    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (37, 35, 28, 26)
    title, salutation, body = result.paragraphs[:3]
    assert east_asian_font(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.name == "宋体"
    assert title.runs[0].font.size.pt == 22
    assert east_asian_font(body.runs[0]) == "仿宋" and body.runs[0].font.size.pt == 16
    assert body.paragraph_format.first_line_indent.pt == 32 and salutation.paragraph_format.first_line_indent is None
    assert round(body.paragraph_format.line_spacing.pt, 1) == round(Mm(225).pt / 28, 1)
    footer = section.footer.paragraphs[0]
    assert footer.text == "—  —" and "PAGE" in footer._element.xml


def test_an_attached_table_starts_its_own_page_in_its_orientation_with_merged_group_headers():
    document = OfficialDocument()
    document.title("通报")
    document.table_section(table(landscape=True))
    document.table_section(table())
    result = reopen(document)
    notice, landscape, portrait = result.sections
    assert landscape.orientation == WD_ORIENT.LANDSCAPE and mm(landscape.page_width) == (297,)
    assert portrait.orientation == WD_ORIENT.PORTRAIT and notice.orientation == WD_ORIENT.PORTRAIT
    first = result.tables[0]
    assert [cell.text for cell in first.rows[0].cells] == ["单位", "评分项目", "评分项目", "备注"]
    assert [cell.text for cell in first.rows[1].cells] == ["单位", "项目进展", "加(扣)分", "备注"]
    assert [cell.text for cell in first.rows[2].cells] == ["市商务局", "1.000", "0.050", "信息被省民生工程网站采用"]
    assert [cell.text for cell in first.rows[3].cells][:3] == ["市水利局", "0.850", ""]
    assert "w:tblHeader" in first.rows[0]._tr.xml


def test_fonts_and_the_grid_are_settings():
    look = DocumentLook(title_font="华文中宋", body_font="楷体", lines_per_page=22)
    document = OfficialDocument(look)
    document.title("通报")
    document.paragraph("正文")
    title, body = reopen(document).paragraphs[:2]
    assert east_asian_font(title.runs[0]) == "华文中宋" and east_asian_font(body.runs[0]) == "楷体"
    assert round(body.paragraph_format.line_spacing.pt, 1) == round(Mm(225).pt / 22, 1)
