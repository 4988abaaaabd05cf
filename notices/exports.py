"""The notice as a Word file in the official look (GB/T 9704, assessment/exports/docx.py) with 附件1–3
as tables at the end, each a section of its own in its own orientation; and a PDF through LibreOffice
where it is installed (optional)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from assessment import wording as assessment_wording
from assessment.exports.attachments import draft_suffix
from assessment.exports.docx import DOCX_CONTENT_TYPE, DocumentLook, OfficialDocument
from assessment.exports.registry import REGISTRY, Download
from assessment.models import Period
from assessment.selectors.tables import heading

from . import selectors, wording

PDF_CONTENT_TYPE = "application/pdf"
PDF_TIMEOUT_SECONDS = 120


def document_look() -> DocumentLook:
    """The fonts of settings.NOTICE_DOCUMENT_LOOK over the defaults."""
    return DocumentLook(**getattr(settings, "NOTICE_DOCUMENT_LOOK", {}))


def notice_parts(period: Period) -> dict[str, str]:
    """The saved notice's parts, or a draft generated now when the office has not saved one."""
    notice = selectors.notice_of(period)
    if notice is not None:
        return notice.parts
    parts, _ = selectors.draft_parts(period)
    return parts


def notice_docx(period: Period, parts: dict[str, str] | None = None) -> bytes:
    parts = notice_parts(period) if parts is None else parts
    document = OfficialDocument(document_look())
    document.title(parts["title"])
    document.paragraph(parts["salutation"], indent=False, align="left")
    for name in ("opening", "findings", "requirements"):
        for text in parts[name].splitlines():
            if text.strip():
                document.paragraph(text.strip())
    document.blank_line()
    document.attachment_list(wording.attachment_items(selectors.attachment_titles(period)))
    document.blank_line()
    top = heading(period)
    document.date_line(top.office_name, assessment_wording.chinese_date(top.date))
    for identifier in selectors.ATTACHMENT_IDENTIFIERS:
        exporter = REGISTRY[identifier]
        for table in exporter.tables(period, exporter.data(period)):
            document.table_section(table)
    return document.content()


def file_stem(period: Period) -> str:
    """'2020年9月份民生工程月度考评情况通报', a draft '…（草稿·未发布）'."""
    return f"{period.year.year}年{period.month}月份民生工程月度考评情况通报{draft_suffix(period)}"


def notice_download(period: Period) -> Download:
    return Download(f"{file_stem(period)}.docx", notice_docx(period), DOCX_CONTENT_TYPE)


class PdfUnavailable(Exception):
    pass


def soffice() -> str | None:
    return shutil.which(getattr(settings, "SOFFICE_BINARY", "soffice"))


def docx_to_pdf(content: bytes) -> bytes:
    """The PDF of a .docx through LibreOffice (headless, its own profile); PdfUnavailable without it."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(
            "本机未安装 LibreOffice（soffice），不能生成 PDF；请安装 libreoffice-writer 或下载 Word 文件。"
        )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "notice.docx"
        source.write_bytes(content)
        profile = Path(folder) / "profile"
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS)  # noqa: S603
        except (subprocess.SubprocessError, OSError) as error:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败：{error}") from error
        target = Path(folder) / "notice.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice 没有生成 PDF。")
        return target.read_bytes()
