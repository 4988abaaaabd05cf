from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from assessment.models import AuditAction
from assessment.reference_history import reference_change, write
from projects.models import AssessmentYear, Unit


class Command(BaseCommand):
    help = "Load a reference-data fixture unless its year is already there, so edits made by the office survive."

    def add_arguments(self, parser):
        parser.add_argument("fixture", nargs="?", default="tongling_2020")
        parser.add_argument("--year", type=int, default=2020, help="the year the fixture defines")

    def handle(self, *args, fixture, year, **options):
        if AssessmentYear.objects.filter(year=year).exists():
            self.stdout.write(f"{year}年的基础数据已存在，未重新加载（如需覆盖请运行 loaddata {fixture}）。")
            return
        with transaction.atomic(), reference_change(reason=f"load_reference {fixture}"):
            call_command("loaddata", fixture, verbosity=0)
            loaded = AssessmentYear.objects.filter(year=year).first()
            summary = (
                f"{year}年：{loaded.projects.count()} 个项目、{loaded.indicators.count()} 个指标；"
                f"单位 {Unit.objects.count()} 个"
                if loaded
                else fixture
            )
            write(AuditAction.REFERENCE_LOADED, "", f"基础数据 {fixture} · {summary}")
        self.stdout.write(f"已加载基础数据 {fixture}。")
