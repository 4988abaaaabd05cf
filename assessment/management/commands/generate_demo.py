from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessment.synthetic import generate_year
from minsheng.devguard import require_explicit_debug
from projects.models import Unit


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate a plausible assessment year of any size (new regions, departments and projects; months "
        "before the last published, the last open), bulk-inserted and derived month by month. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=positive, required=True)
        parser.add_argument("--departments", type=positive, required=True)
        parser.add_argument("--projects", type=positive, required=True)
        parser.add_argument("--months", type=int, default=12, choices=range(1, 13), metavar="{1..12}")
        parser.add_argument("--year", type=int, required=True, help="a year that does not exist yet")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same year")
        parser.add_argument(
            "--deactivate-others",
            action="store_true",
            help="make the units already in the database inactive, so that only the generated ones take part",
        )

    def handle(self, *args, **options):
        require_explicit_debug("生成演示数据")
        others = Unit.objects.filter(is_active=True)
        if others.exists() and not options["deactivate_others"]:
            raise CommandError(
                f"数据库中已有 {others.count()} 个启用的单位（如“{others.first().name}”），"
                "它们也会成为生成年度的考评单位。"
                "请使用空数据库，或加 --deactivate-others 停用它们（其已有数据不受影响）。"
            )
        try:
            with transaction.atomic():
                deactivated = others.update(is_active=False) if options["deactivate_others"] else 0
                generated = self.generate(options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        counts = "，".join(f"{name} {count:,}" for name, count in generated.counts.items())
        if deactivated:
            self.stdout.write(f"已停用原有的 {deactivated} 个单位。")
        months = options["months"]
        opened = f"1–{months - 1}月已发布，{months}月录入中" if months > 1 else "1月录入中"
        self.stdout.write(self.style.SUCCESS(f"已生成{options['year']}年：{counts}；{opened}。"))

    def generate(self, options):
        return generate_year(
            year=options["year"],
            regions=options["regions"],
            departments=options["departments"],
            projects=options["projects"],
            months=options["months"],
            seed=options["seed"],
            log=self.stdout.write if options["verbosity"] >= 2 else (lambda message: None),
        )
