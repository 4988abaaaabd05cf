import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from assessment.interchange.files import ImportFileError
from assessment.interchange.progress_format import capped
from assessment.interchange.reference_format import SHEETS, import_reference, read_reference_file
from assessment.reference_history import reference_change


class Command(BaseCommand):
    help = "Set up or update a year from one .xlsx with the sheets 年度, 单位, 项目, 指标; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help=".xlsx with the sheets 年度, 单位, 项目, 指标")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")

    def handle(self, *args, path, dry_run, **options):
        file_path = Path(path)
        if not file_path.is_file():
            self.fail([f"找不到文件：{path}"])
        try:
            sheets = read_reference_file(file_path.read_bytes(), file_path.name)
        except ImportFileError as error:
            self.fail([str(error)])
        try:
            with reference_change(reason=f"import_reference {file_path.name}"):  # audited as reference.*
                result = import_reference(sheets, dry_run=dry_run)
        except ValidationError as error:  # a change that would rewrite a published month
            self.fail(error.messages)
        if not result.ok:
            self.fail(capped(result.errors))
        counts = "，".join(f"{name} 新增 {result.created[name]} 项、更新 {result.updated[name]} 项" for name in SHEETS)
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{result.year.year}年，{counts}。")
            return
        self.stdout.write(self.style.SUCCESS(f"已导入{result.year.year}年基础数据：{counts}。"))

    def fail(self, messages):
        for message in messages:
            self.stderr.write(message)
        self.stderr.write("未写入任何数据。")
        sys.exit(1)
