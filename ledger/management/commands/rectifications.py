"""`python manage.py rectifications --year Y [--month M] [--unit NAME] --json`: the ledger's findings."""

import json

from django.core.management.base import BaseCommand, CommandError

from ledger.selectors import items_for_command
from projects.models import AssessmentYear, Unit


class Command(BaseCommand):
    help = "List the rectification ledger's findings of a year (a month, a unit); --json prints one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int)
        parser.add_argument("--unit", help="the unit's full name, e.g. 市水利局")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, year, month, unit, as_json, **options):
        if not AssessmentYear.objects.filter(year=year).exists():
            raise CommandError(f"没有{year}年的考评年度。")
        if month is not None and not 1 <= month <= 12:
            raise CommandError("月份必须是 1 到 12。")
        found = None
        if unit:
            found = Unit.objects.filter(name=unit.strip()).first()
            if found is None:
                raise CommandError(f"没有名为“{unit}”的单位。")
        items = items_for_command(year=year, month=month, unit=found)
        if as_json:
            self.stdout.write(json.dumps({"items": items}, ensure_ascii=False))
            return
        for item in items:
            flags = "".join([" 逾期" if item["overdue"] else "", " 重复发现" if item["repeated"] else ""])
            project = f" {item['project']}" if item["project"] else ""
            self.stdout.write(
                f"{item['month']}月 {item['unit']} {item['source']}{project} {item['points']} {item['reason']}"
                f" [{item['status']}{' 期限' + item['deadline'] if item['deadline'] else ''}]{flags}"
            )
        self.stdout.write(f"共 {len(items)} 项。")
