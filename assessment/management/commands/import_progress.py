import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from assessment.interchange.files import ImportFileError
from assessment.interchange.progress_format import (
    PROGRESS_COLUMNS,
    apply_progress_import,
    capped,
    plan_progress_import,
    read_progress_file,
)


class Command(BaseCommand):
    help = f"Import targets and monthly cumulative progress ({','.join(PROGRESS_COLUMNS)}) from .xlsx or .csv."

    def add_arguments(self, parser):
        parser.add_argument("path", help=".xlsx or .csv (UTF-8, with or without BOM)")
        parser.add_argument("--dry-run", action="store_true", help="validate and show what would change, write nothing")

    def handle(self, *args, path, dry_run, **options):
        file_path = Path(path)
        if not file_path.is_file():
            fail(self, [f"找不到文件：{path}"])
        try:
            rows = read_progress_file(file_path.read_bytes(), file_path.name)
        except ImportFileError as error:
            fail(self, [str(error)])
        plan = plan_progress_import(rows)
        if not plan.ok:
            fail(self, capped(plan.errors))
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
            fail(self, error.messages)
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


def fail(command, messages):
    for message in messages:
        command.stderr.write(message)
    command.stderr.write("未写入任何数据。")
    sys.exit(1)
