from pathlib import Path

from django.core.exceptions import ValidationError

from assessment.interchange.reference_format import SHEETS, import_reference, read_reference_file
from assessment.management.file_import import FileImportCommand
from assessment.reference_history import reference_change


class Command(FileImportCommand):
    help = "Set up or update a year from one .xlsx with the sheets 年度, 单位, 项目, 指标; all or nothing."

    path_help = ".xlsx with the sheets 年度, 单位, 项目, 指标"

    def handle(self, *args, path, dry_run, **options):
        sheets = self.read(path, read_reference_file)
        try:
            with reference_change(reason=f"import_reference {Path(path).name}"):  # audited as reference.*
                result = import_reference(sheets, dry_run=dry_run)
        except ValidationError as error:  # a change that would rewrite a published month
            self.fail(error.messages)
        if not result.ok:
            self.fail(result.errors)
        counts = "，".join(f"{name} 新增 {result.created[name]} 项、更新 {result.updated[name]} 项" for name in SHEETS)
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{result.year.year}年，{counts}。")
            return
        self.stdout.write(self.style.SUCCESS(f"已导入{result.year.year}年基础数据：{counts}。"))
