from django.core.exceptions import ValidationError

from assessment.interchange.apply import apply_import
from assessment.interchange.long_format import read_long_format
from assessment.interchange.plan import plan_import
from assessment.management.file_import import FileImportCommand


class Command(FileImportCommand):
    help = "Import scores in the long format (年度,月份,单位,考评项,分值,说明) from .xlsx or .csv; all or nothing."

    def handle(self, *args, path, dry_run, **options):
        # the rows stream from the file into the plan: reading errors may surface while planning
        plan = self.read(path, lambda data, name: plan_import(read_long_format(data, name)))
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
