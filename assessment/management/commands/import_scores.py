import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from assessment.interchange.apply import apply_import
from assessment.interchange.files import ImportFileError
from assessment.interchange.long_format import read_long_format
from assessment.interchange.plan import plan_import

MAX_FILE_BYTES = 64 * 1024 * 1024  # a year of a large office in the long format is a few MB


class Command(BaseCommand):
    help = "Import scores in the long format (年度,月份,单位,考评项,分值,说明) from .xlsx or .csv; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help=".xlsx or .csv (UTF-8, with or without BOM)")
        parser.add_argument("--dry-run", action="store_true", help="validate and show what would change, write nothing")

    def handle(self, *args, path, dry_run, **options):
        file_path = Path(path)
        if not file_path.is_file():
            self.fail([f"找不到文件：{path}"])
        if file_path.stat().st_size > MAX_FILE_BYTES:
            self.fail([f"文件太大（最大 {MAX_FILE_BYTES // 1024 // 1024} MB）。"])
        try:
            plan = plan_import(read_long_format(file_path.read_bytes(), file_path.name))
        except ImportFileError as error:
            self.fail([str(error)])
        if not plan.ok:
            self.fail([str(error) for error in plan.errors], plan.stopped_message)
        changed = plan.changed
        for change in changed:
            self.stdout.write(f"{change.period} {change.unit} {change.item}：{change.old or '（空）'} → {change.new}")
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{len(plan.rows)} 行，将变更 {len(changed)} 项。")
            return
        try:
            summary = apply_import(plan)
        except ValidationError as error:
            self.fail(error.messages)
        self.stdout.write(
            self.style.SUCCESS(f"已导入 {summary.rows} 行，变更 {summary.changed} 项（{'、'.join(summary.periods)}）。")
        )

    def fail(self, messages, stopped=""):
        for message in messages:
            self.stderr.write(message)
        if stopped:
            self.stderr.write(stopped)
        self.stderr.write(f"共 {len(messages)} 处错误，未写入任何数据。")
        sys.exit(1)
