"""Issue 10: formula text. Every exported cell — the Excel entry template, the attachments' workbook and
CSV — keeps text that starts with = + - @, a tab, a carriage return or their full-width forms from being
evaluated: in xlsx as a string cell with Excel's quote prefix (no apostrophe shown), in CSV with the
conventional leading apostrophe, only where needed. One rule: `rules.looks_like_formula` / `rules.csv_text`."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment import rules, services
from assessment.exports.registry import exporter
from projects.models import Project, Unit

HOSTILE = [
    '=HYPERLINK("http://evil","点我")',
    "+1+2",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "＝1+2",
    "＋1",
    "－1",
    "＠A1",
]
HARMLESS = ["1+2", "a=b", "扣分：-0.05", "—", ""]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_rule_marks_every_formula_prefix(text):
    assert rules.looks_like_formula(text) and rules.csv_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_the_rule_leaves_other_text_alone(text):
    assert not rules.looks_like_formula(text) and rules.csv_text(text) == text


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


def save_reason(period, reason, code="4", region="义安区"):
    services.save_project_scores(
        user=None,
        period=period,
        items=[
            services.ProjectScoreInput(
                Unit.objects.get(name=region),
                Project.objects.get(year=period.year, code=code),
                rules.parse_number("1.2"),
                reason=reason,
            )
        ],
    )


def quoted_cells(content: bytes) -> dict[str, tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return {
        f"{sheet.title}!{cell.coordinate}": (cell.value, cell.data_type, cell.quotePrefix)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and rules.looks_like_formula(cell.value)
    }


def no_formulas(content: bytes) -> bool:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return not any(
        b"<f>" in archive.read(name) or b"<f " in archive.read(name)
        for name in archive.namelist()
        if name.startswith("xl/worksheets/")
    )


@pytest.mark.parametrize("reason", [HOSTILE[0], "＝1+2", "@SUM(A1)"])
def test_the_entry_template_writes_reasons_and_names_as_quoted_text(client, period, office_staff, reason):
    save_reason(period, reason)
    Project.objects.filter(year=period.year, code="5").update(name="+项目名称")
    client.force_login(office_staff)
    content = client.get(reverse("entry_template", args=[2020, 9])).content
    cells = quoted_cells(content)
    assert (reason, "s", True) in cells.values()
    assert ("+项目名称", "s", True) in cells.values()
    assert no_formulas(content)


def test_the_entry_template_with_a_formula_like_reason_uploads_back_unchanged(client, period, office_staff):
    save_reason(period, HOSTILE[0])
    client.force_login(office_staff)
    content = client.get(reverse("entry_template", args=[2020, 9])).content
    response = client.post(reverse("entry_upload", args=[2020, 9]), {"file": SimpleUploadedFile("t.xlsx", content)})
    assert response.status_code == 200
    assert not response.context["plan"].errors and not response.context["plan"].changed


def test_the_attachments_workbook_and_csv_escape_formula_text(client, period):
    save_reason(period, "＝1+2")
    Unit.objects.filter(name="市商务局").update(short_name="=商务局")
    workbook = exporter("month").export(period, "xlsx").content
    values = quoted_cells(workbook).values()
    assert all(data_type == "s" and prefix for _, data_type, prefix in values)
    texts = {value for value, _, _ in values}
    assert "=商务局" in texts
    assert no_formulas(workbook)
    for identifier in ("attachment-2", "attachment-3"):
        content = exporter(identifier).export(period, "csv").content.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
        assert not any(rules.looks_like_formula(cell) for cell in cells), identifier
    attachment3 = exporter("attachment-3").export(period, "csv").content.decode("utf-8-sig")
    assert "'=商务局" in attachment3
