"""python manage.py draft_notice --year 2020 --month 9 --output 通报.docx

The month's notice in the official look with 附件1–3 (the saved draft, or one generated now from the
month's results and the year's template). An output path ending in .pdf is converted with LibreOffice
(optional: exit 1 when `soffice` is not installed)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.selectors.periods import find_period
from notices import exports


class Command(BaseCommand):
    help = "生成某月民生工程月度考评通报的 Word 文件（含附件1-3）；输出路径以 .pdf 结尾时经 LibreOffice 转为 PDF。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="考评年度，如 2020")
        parser.add_argument("--month", type=int, required=True, help="考评月份 1-12")
        parser.add_argument("--output", required=True, help="输出的 .docx（或 .pdf）文件路径，或一个目录")

    def handle(self, *args, year, month, output, **options):
        period = find_period(year, month)
        if period is None:
            raise CommandError(f"没有{year}年{month}月的考评月份，无法生成通报。")
        download = exports.notice_download(period)
        path = Path(output)
        if path.is_dir():
            path = path / download.filename
        content = download.content
        if path.suffix.lower() == ".pdf":
            try:
                content = exports.docx_to_pdf(content)
            except exports.PdfUnavailable as error:
                raise CommandError(str(error)) from error
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"无法写入文件 {path}：{error.strerror}") from error
        status = "" if period.is_published else "（草稿，月份未发布）"
        self.stdout.write(self.style.SUCCESS(f"已生成{period}通报{status}：{path}"))
