"""The same typed value gets the same answer wherever it enters: the region grid, the department grid,
the 加扣分 form, the long-format import and the Excel entry template.

Each path is driven from the outside (a request, or the file readers and the planner the upload page
and `import_scores` use) and its answer is compared with one table of expectations written with the
words of `assessment.rules`.
"""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment import rules, services
from assessment.interchange.long_format import read_long_format
from assessment.interchange.plan import plan_import
from assessment.interchange.template import FIRST_DATA_ROW
from assessment.models import Adjustment, AdjustmentRule
from projects.models import Indicator, Project, Unit

OK = "accepted"
NOTHING = "nothing to save"

INPUTS = ["1.5", "1.50", " 1.5 ", "１．５", "1.5000", "1.2345", "abc", "-0.1", "1e0", "—", "-", ""]


def expected(value: str, kind: str, empty_means: str):
    """(outcome, message): what every path of a kind must answer. Kinds: a region's project score, a
    department's indicator score (maximum 1.5 here, like the project), signed 加扣分 points."""
    text = rules.normalize(value)
    if text == "":
        return (NOTHING, None) if empty_means == NOTHING else ("refused", rules.VALUE_REQUIRED)
    if text in ("—", "-"):
        if kind == "project":
            return (OK, rules.NOT_APPLICABLE)
        if kind == "indicator":
            return ("refused", rules.NOT_APPLICABLE_REFUSED.format(text=text))
        return ("refused", rules.NOT_A_NUMBER.format(text=text))
    if text in ("abc", "1e0"):
        return ("refused", rules.NOT_A_NUMBER.format(text=text))
    if text == "1.2345":
        return ("refused", rules.TOO_PRECISE.format(text=text))
    if text == "-0.1":
        return (OK, "-0.100") if kind == "points" else ("refused", rules.OUT_OF_RANGE.format(maximum="1.5"))
    return (OK, "1.500" if kind != "points" else "+1.500")


@pytest.fixture
def period(reference_data):
    Indicator.objects.create(year=reference_data, name="测试指标", max_score=Decimal("1.5"), display_order=9)
    # this test is about reading a typed number: the year's 加扣分 rules (assessment.limits) stay out of the way
    AdjustmentRule.objects.create(year=reference_data, category="", minimum=Decimal("-10"), maximum=Decimal("10"))
    return services.get_or_create_period(year=2020, month=9)


@pytest.fixture
def office(client, office_staff):
    client.force_login(office_staff)
    return client


def region_and_project():
    return Unit.objects.get(name="义安区"), Project.objects.get(code="4")


def message_after_label(text: str) -> str:
    """'义安区 · 4：得分应在…' → '得分应在…' (each path names the cell its own way before the colon)."""
    return text.split("：", 1)[1] if "：" in text else text


# ---------------------------------------------------------------- the paths


def through_the_grid(client, period, value):
    region, project = region_and_project()
    change = {"region": region.pk, "project": project.pk, "value": value, "reason": "", "version": 0}
    url = reverse("entry_grid_save", args=[2020, 9])
    data = client.post(url, json.dumps({"changes": [change]}), "application/json").json()
    if data["errors"]:
        return "refused", message_after_label(data["errors"][0]["message"])
    if not data["saved"]:
        return NOTHING, None
    return OK, data["saved"][0]["value"]


def through_the_department_grid(client, period, value):
    department, indicator = Unit.objects.get(name="市交通局"), Indicator.objects.get(name="测试指标")
    key = f"{department.pk}-{indicator.pk}"
    url = reverse("entry_indicators", args=[2020, 9])
    response = client.post(url, {f"score-{key}": value, f"reason-{key}": "", f"version-{key}": "0"})
    if response.status_code == 400:
        return "refused", response.context["errors"][key]
    stored = indicator.scores.filter(department=department).first()
    return (OK, stored.text) if stored else (NOTHING, None)


def through_the_adjustment_form(client, period, value):
    unit = Unit.objects.get(name="义安区")
    data = {"unit": unit.pk, "points": value, "category": "other", "reason": "测试"}
    response = client.post(reverse("entry_adjustment_add", args=[2020, 9]), data)
    if response.status_code == 200:
        return "refused", response.context["form"].errors["points"][0]
    return OK, rules.points_text(Adjustment.objects.get(unit=unit).points)


def through_the_long_format(item: str, unit_name: str, reason: str = ""):
    def run(client, period, value):
        line = f"2020,9,{unit_name},{item},{value},{reason}"
        csv = f"年度,月份,单位,考评项,分值,说明\n{line}\n".encode()
        plan = plan_import(read_long_format(csv, "scores.csv"))
        if plan.errors:
            return "refused", plan.errors[0].message
        row = plan.rows[0]
        if item == "加扣分":
            return OK, rules.points_text(row.value)
        return OK, rules.score_text(row.value, row.not_applicable)

    return run


def through_the_template(client, period, value):
    response = client.get(reverse("entry_template", args=[2020, 9]))
    workbook = load_workbook(io.BytesIO(response.content))
    workbook.active.cell(FIRST_DATA_ROW + 3, 4).value = value  # project 4, 义安区 (typed as text)
    output = io.BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("模板.xlsx", output.getvalue())
    preview = client.post(reverse("entry_upload", args=[2020, 9]), {"file": upload}).context["plan"]
    if preview.errors:
        return "refused", preview.errors[0].message
    if not preview.rows:
        return NOTHING, None
    row = preview.rows[0]
    return OK, rules.score_text(row.value, row.not_applicable)


PATHS = {
    "region grid": (through_the_grid, "project", NOTHING),
    "Excel template": (through_the_template, "project", NOTHING),
    "long format, project": (through_the_long_format("4", "义安区"), "project", "required"),
    "department grid": (through_the_department_grid, "indicator", NOTHING),
    "long format, indicator": (through_the_long_format("测试指标", "市交通局"), "indicator", "required"),
    "加扣分 form": (through_the_adjustment_form, "points", "required"),
    "long format, 加扣分": (through_the_long_format("加扣分", "义安区", reason="测试"), "points", "required"),
}


@pytest.mark.parametrize("value", INPUTS)
@pytest.mark.parametrize("path", PATHS)
def test_a_typed_value_gets_the_same_answer_on_every_path(office, period, path, value):
    run, kind, empty_means = PATHS[path]
    assert run(office, period, value) == expected(value, kind, empty_means)


def test_the_template_row_used_above_is_project_4_for_the_first_region(office, period):
    response = office.get(reverse("entry_template", args=[2020, 9]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(FIRST_DATA_ROW + 3, 1).value == "4" and sheet.cell(3, 4).value == "义安区"
