from django.core.exceptions import ValidationError

from assessment.interchange.progress_format import (
    PROGRESS_COLUMNS,
    apply_progress_import,
    plan_progress_import,
    read_progress_file,
)
from assessment.management.file_import import FileImportCommand


class Command(FileImportCommand):
    help = f"Import targets and monthly cumulative progress ({','.join(PROGRESS_COLUMNS)}) from .xlsx or .csv."

    def handle(self, *args, path, dry_run, **options):
        rows = self.read(path, read_progress_file)
        plan = plan_progress_import(rows)
        if not plan.ok:
            self.fail(plan.errors)
        report(self, plan)
        if dry_run:
            self.stdout.write(
                f"检查通过（未写入）：目标任务 {len(plan.targets)} 行，进度 {len(plan.progress)} 行，"
                f"将变更 {len(plan.changed)} 项。"
            )
            return
        try:
            applied = apply_progress_import(plan)
        except ValidationError as error:
            self.fail(error.messages)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入目标任务 {applied.targets} 行、进度 {applied.progress} 行，变更 {len(plan.changed)} 项。"
            )
        )


def report(command, plan):
    for change in plan.changed:
        command.stdout.write(f"{change.what}：{change.old or '（空）'} → {change.new}")
    for question in plan.questions:
        command.stdout.write(f"请核实：{question}")
