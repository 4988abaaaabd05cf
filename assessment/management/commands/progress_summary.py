import json
import sys

from django.core.management.base import BaseCommand

from assessment.selectors.progress import progress_overview, summary_json
from assessment.selectors.progress_pages import summary_figures
from assessment.summary_wording import summary_document
from projects import progress_rules as rules
from projects.models import AssessmentYear


class Command(BaseCommand):
    help = "The 1–M月 progress, funds and information figures of a year (the 小结's); --json for one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="exactly one JSON object (README)")

    def handle(self, *args, year, month, json: bool = False, **options):
        assessment_year = AssessmentYear.objects.filter(year=year).first()
        if assessment_year is None:
            self.stderr.write(f"没有{year}年的考评年度。")
            sys.exit(1)
        if not 1 <= month <= 12:
            self.stderr.write(f"月份“{month}”无效，应为 1–12。")
            sys.exit(1)
        overview = progress_overview(year=assessment_year, month=month)
        if json:
            self.stdout.write(dumps(summary_json(overview)))
            return
        self.print_tables(overview)

    def print_tables(self, overview):
        document = summary_document(summary_figures(overview))
        out = self.stdout.write
        out(document.title)
        for sentence in document.sentences:
            out(sentence)
        out("")
        out("项目\t类型\t年度预算（万元）\t累计拨付（万元）\t拨付率\t完成目标\t滞后单位")
        for project in overview.projects:
            funds = project.funds
            out(
                f"{project.code}、{project.project.name}\t{project.project.get_project_type_display()}\t"
                f"{rules.wan_text(funds.budget)}\t{rules.wan_text(funds.paid)}\t{rules.percent_label(funds.rate)}\t"
                f"{'是' if project.met_target else ''}\t{'、'.join(u.name for u in project.lagging_units)}"
            )
        out("")
        out("单位\t年度预算（万元）\t累计拨付（万元）\t拨付率\t滞后项目\t报送\t市采用\t采用率\t省采用")
        for unit in overview.units:
            funds = unit.funds
            money = (
                f"{rules.wan_text(funds.budget)}\t{rules.wan_text(funds.paid)}\t{rules.percent_label(funds.rate)}"
                if funds is not None
                else "\t\t"
            )
            info = unit.information
            out(
                f"{unit.unit.name}\t{money}\t{'、'.join(unit.lagging)}\t{info.reported}\t{info.city_adopted}\t"
                f"{rules.percent_label(info.adoption_rate)}\t{info.province_adopted}"
            )


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
