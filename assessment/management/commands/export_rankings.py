"""python manage.py export_rankings --year 2020 --month 9 --output 附件.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.exports.registry import exporter
from assessment.selectors.periods import find_period


class Command(BaseCommand):
    help = "导出某月的附件1–3（排名情况汇总表、县(区)得分情况统计表、市直部门得分情况统计表）到一个 Excel 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="考评年度，如 2020")
        parser.add_argument("--month", type=int, required=True, help="考评月份 1-12")
        parser.add_argument("--output", required=True, help="输出的 .xlsx 文件路径")

    def handle(self, *args, year, month, output, **options):
        period = find_period(year, month)
        if period is None:
            raise CommandError(f"没有{year}年{month}月的考评月份，无法导出。")
        download = exporter("month").export(period, "xlsx")
        path = Path(output)
        if path.is_dir():
            path = path / download.filename
        try:
            path.write_bytes(download.content)
        except OSError as error:
            raise CommandError(f"无法写入文件 {path}：{error.strerror}") from error
        status = "" if period.is_published else "（未发布）"
        self.stdout.write(self.style.SUCCESS(f"已导出{period}考评结果{status}：{path}"))
