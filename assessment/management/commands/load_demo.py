from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessment.demo import DEMO_YEAR, load_demo
from minsheng.devguard import require_explicit_debug


class Command(BaseCommand):
    help = (
        "Load plausible demo scores for January–October 2020 (months 1–9 published, October open). "
        "Does nothing when the year already has periods; --reset deletes them first (development only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=DEMO_YEAR, help=f"the assessment year (default {DEMO_YEAR})")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete every period of the demo year (scores, results, audit log) before loading",
        )

    def handle(self, *args, year, reset, **options):
        require_explicit_debug("加载演示数据（load_demo）")
        verbosity = options["verbosity"]

        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            load_demo(year=year, reset=reset, log=log)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
