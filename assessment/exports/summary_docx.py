"""The 小结 as a Word document in the official look (`docx.OfficialDocument`, GB/T 9704).

The blocks come from `assessment.summary_wording.summary_document`, the same the page shows: the
title in 小标宋 2号, 一、 headings in 黑体, （一） headings in 楷体, body paragraphs in 仿宋 3号 with a
two-character indent. The office's own sections are ordinary paragraphs holding a placeholder, to be
written over in Word.
"""

from __future__ import annotations

from ..summary_wording import SummaryDocument
from .docx import DOCX_CONTENT_TYPE, DocumentLook, OfficialDocument

__all__ = ["DOCX_CONTENT_TYPE", "summary_docx"]

SUBHEADING_FONT = "楷体"


def summary_docx(document: SummaryDocument, look: DocumentLook = DocumentLook()) -> bytes:  # noqa: B008
    writer = OfficialDocument(look)
    writer.title(document.title)
    for block in document.blocks:
        if block.kind == "heading":
            writer.paragraph(block.text, font=look.label_font)
        elif block.kind == "subheading":
            writer.paragraph(block.text, font=SUBHEADING_FONT)
        else:
            writer.paragraph(block.text)
    return writer.content()
