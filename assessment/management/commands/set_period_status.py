"""python manage.py set_period_status --year 2020 --month 9 --status published
    [--reason TEXT] [--notice-date 2020-10-16]

The period workflow for an operator: the same service, rules and audit as the period page
(assessment/services/periods.py), recorded in the audit as done by this command. A refusal exits 1
with the Chinese reason and changes nothing (the date and the status are set in one transaction)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessment import services, wording
from assessment.models import PeriodStatus
from assessment.selectors.periods import find_period

COMMAND = "set_period_status"


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"通报日期“{text}”无效，请写成 YYYY-MM-DD，例如 2020-10-16。") from error


class Command(BaseCommand):
    help = "变更考评月份的状态（录入中/审核中/已发布），与月份页面相同的规则和变更记录；重新开放须填写原因。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="考评年度，如 2020")
        parser.add_argument("--month", type=int, required=True, help="考评月份 1-12")
        parser.add_argument("--status", required=True, choices=PeriodStatus.values, help="open、closed 或 published")
        parser.add_argument("--reason", default="", help="原因（重新开放已发布的月份时必填）")
        parser.add_argument("--notice-date", dest="notice_date", default=None, help="通报日期 YYYY-MM-DD")

    def handle(self, *args, year, month, status, reason, notice_date, **options):
        day = parse_day(notice_date) if notice_date else None
        period = find_period(year, month)
        if period is None:
            raise CommandError(f"没有{year}年{month}月的考评月份。")
        old = period.get_status_display()
        try:
            with services.as_command(COMMAND), transaction.atomic():
                reopening = period.is_published and status != PeriodStatus.PUBLISHED
                if day is not None and not reopening:
                    period = services.set_notice_date(user=None, period=period, notice_date=day)
                if status != period.status:
                    period = services.change_period_status(user=None, period=period, status=status, reason=reason)
                if day is not None and reopening:
                    period = services.set_notice_date(user=None, period=period, notice_date=day)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        new = period.get_status_display()
        message = f"{period}：{old} → {new}" if old != new else f"{period}已是“{new}”，状态未变"
        if day is not None:
            message += f"；通报日期 {wording.chinese_date(period.notice_date)}"
        self.stdout.write(self.style.SUCCESS(message))
