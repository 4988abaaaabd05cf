from django.core.exceptions import ValidationError

from assessment.interchange.progress_format import (
    INFORMATION_COLUMNS,
    apply_information_import,
    plan_information_import,
    read_information_file,
)
from assessment.management.file_import import FileImportCommand

from .import_progress import report


class Command(FileImportCommand):
    help = f"Import information counts ({','.join(INFORMATION_COLUMNS)}) from .xlsx or .csv; all or nothing."

    def handle(self, *args, path, dry_run, **options):
        rows = self.read(path, read_information_file)
        plan = plan_information_import(rows)
        if not plan.ok:
            self.fail(plan.errors)
        report(self, plan)
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{len(plan.information)} 行，将变更 {len(plan.changed)} 项。")
            return
        try:
            applied = apply_information_import(plan)
        except ValidationError as error:
            self.fail(error.messages)
        self.stdout.write(self.style.SUCCESS(f"已导入信息报送 {applied.information} 行，变更 {len(plan.changed)} 项。"))
