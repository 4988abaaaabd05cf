from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from assessment.interchange.files import ImportFileError
from assessment.interchange.progress_format import (
    INFORMATION_COLUMNS,
    apply_information_import,
    capped,
    plan_information_import,
    read_information_file,
)

from .import_progress import fail, report


class Command(BaseCommand):
    help = f"Import information counts ({','.join(INFORMATION_COLUMNS)}) from .xlsx or .csv; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help=".xlsx or .csv (UTF-8, with or without BOM)")
        parser.add_argument("--dry-run", action="store_true", help="validate and show what would change, write nothing")

    def handle(self, *args, path, dry_run, **options):
        file_path = Path(path)
        if not file_path.is_file():
            fail(self, [f"找不到文件：{path}"])
        try:
            rows = read_information_file(file_path.read_bytes(), file_path.name)
        except ImportFileError as error:
            fail(self, [str(error)])
        plan = plan_information_import(rows)
        if not plan.ok:
            fail(self, capped(plan.errors))
        report(self, plan)
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{len(plan.information)} 行，将变更 {len(plan.changed)} 项。")
            return
        try:
            applied = apply_information_import(plan)
        except ValidationError as error:
            fail(self, error.messages)
        self.stdout.write(self.style.SUCCESS(f"已导入信息报送 {applied.information} 行，变更 {len(plan.changed)} 项。"))
