import json
import sys

from django.core.management.base import BaseCommand

from assessment.rules import score_text as exact_score_text
from assessment.selectors.periods import find_period
from assessment.selectors.rankings import RankingRow, rankings
from assessment.wording import rank_change_text


def score_text(value) -> str | None:
    return exact_score_text(value) or None


def row_json(row: RankingRow) -> dict:
    return {
        "unit": row.unit,
        "short_name": row.short_name,
        "score": score_text(row.score),
        "rank": row.rank,
        "ytd_score": score_text(row.ytd_score),
        "ytd_rank": row.ytd_rank,
        "rank_change": row.rank_change,
        "ytd_rank_change": row.ytd_rank_change,
        "imputed": row.imputed,
        "imputed_months": row.imputed_months,
        "adjustment_total": score_text(row.adjustment_total),
        "missing": row.missing,
    }


class Command(BaseCommand):
    help = "Print the 附件1 ranking summary of a period; --json prints one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, year, month, as_json, **options):
        period = find_period(year, month)
        if period is None:
            self.stderr.write(f"没有{year}年{month}月的考评数据。")
            sys.exit(1)
        table = rankings(period)
        if as_json:
            payload = {
                "year": year,
                "month": month,
                "status": period.status,
                "complete": table.is_complete,
                "regions": [row_json(row) for row in table.regions],
                "departments": [row_json(row) for row in table.departments],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"{month}月份民生工程排名情况汇总表（{period.get_status_display()}）")
        for title, rows in (
            (period.year.region_label, table.regions),
            (period.year.department_label, table.departments),
        ):
            self.stdout.write(f"\n{title}排名")
            self.stdout.write(f"{'单位':<10}\t{month}月得分\t{month}月排名\t1-{month}月得分\t1-{month}月排名\t排名变化")
            for row in rows:
                mark = "*" if row.imputed_months else ""
                self.stdout.write(
                    f"{row.unit + mark:<10}\t{score_text(row.score) or '—'}\t{row.rank or '—'}\t"
                    f"{score_text(row.ytd_score) or '—'}\t{row.ytd_rank or '—'}\t{rank_change_text(row.rank_change)}"
                )
        for row in table.imputed_units:
            months = "、".join(f"{m}月" for m in row.imputed_months)
            self.stdout.write(f"* {row.unit}未纳入{months}考评，按同类单位平均得分计。")
        if not table.is_complete:
            self.stdout.write("\n尚未录入完整：")
            for row in table.regions + table.departments:
                if row.missing:
                    self.stdout.write(f"  {row.unit}：{'、'.join(row.missing)}")
