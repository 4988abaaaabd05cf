"""Issue 10: an uploaded file cannot take the server down. An .xlsx is checked as an archive before
openpyxl opens it (members, sizes, ratio, declared dimensions, entity declarations) and refused in well
under a second; files are streamed and stop at the capacity of a month; a CSV of a million bad rows stops
after the first 100 errors, on the upload page and in `import_scores`, in bounded memory."""

import functools
import io
import time
import tracemalloc
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from assessment import services
from assessment.interchange import archive
from assessment.interchange.capacity import import_capacity
from assessment.interchange.files import ImportFileError
from assessment.interchange.plan import MAX_ERRORS, plan_import
from assessment.interchange.template import read_upload
from assessment.models import ProjectScore

HEADER = ["年度", "月份", "单位", "考评项", "分值", "说明"]


@pytest.fixture
def period(reference_data):
    return services.get_or_create_period(year=2020, month=9)


@functools.cache
def plain_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([2020, 9, "义安区", "4", 1.2, "原因"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, replace=None, drop=(), add=()) -> bytes:
    """The archive with members replaced (name → function of the old bytes), dropped or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in drop:
                continue
            content = source.read(item.filename)
            if replace and item.filename in replace:
                content = replace[item.filename](content)
            target.writestr(item.filename, content)
        for name, content in add:
            target.writestr(name, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


@functools.cache
def zip_bomb() -> bytes:
    """A sheet whose XML inflates to 200 MB (whitespace between its elements), about 200 KB zipped."""
    head, tail = zipfile.ZipFile(io.BytesIO(plain_xlsx())).read(SHEET).split(b"<sheetData>")
    source = zipfile.ZipFile(io.BytesIO(plain_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item.filename, source.read(item.filename))
        with target.open(SHEET, "w", force_zip64=True) as stream:
            stream.write(head + b"<sheetData>")
            chunk = b" " * (1024 * 1024)
            for _ in range(200):
                stream.write(chunk)
            stream.write(tail)
    return out.getvalue()


def ratio_bomb() -> bytes:
    """Under the size caps, but 20 MB of whitespace zipped a thousandfold."""
    return rewrite(plain_xlsx(), {SHEET: lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000)})


def huge_dimension() -> bytes:
    return rewrite(plain_xlsx(), {SHEET: lambda xml: xml.replace(b'ref="A1:F2"', b'ref="A1:XFD1048576"')})


def many_rows_declared() -> bytes:
    return rewrite(plain_xlsx(), {SHEET: lambda xml: xml.replace(b'ref="A1:F2"', b'ref="A1:F900000"')})


def far_row_undeclared() -> bytes:
    """No dimension, one cell in Excel's last row: streaming would pad out a million empty rows."""
    far = b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>'
    return rewrite(
        plain_xlsx(), {SHEET: lambda xml: xml.replace(b'<dimension ref="A1:F2"/>', b"").replace(b"</sheetData>", far)}
    )


def far_column_undeclared() -> bytes:
    wide = b'<c r="XFD2" t="n"><v>1</v></c></row></sheetData>'
    return rewrite(
        plain_xlsx(),
        {SHEET: lambda xml: xml.replace(b'<dimension ref="A1:F2"/>', b"").replace(b"</row></sheetData>", wide)},
    )


def many_members() -> bytes:
    return rewrite(plain_xlsx(), add=[(f"xl/media/image{i}.png", b"x") for i in range(1000)])


def missing_sheet_xml() -> bytes:
    return rewrite(plain_xlsx(), drop=(SHEET,))


def without_declaration(xml: bytes) -> bytes:
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def entity_attack() -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b"]>"
    )

    def sheet(xml: bytes) -> bytes:
        return laughs + without_declaration(xml).replace(b"<t>", b"<t>&lol9;", 1)

    return rewrite(plain_xlsx(), {SHEET: sheet})


def external_entity() -> bytes:
    def sheet(xml: bytes) -> bytes:
        doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        return doctype + without_declaration(xml).replace(b"<v>", b"<v>&e;", 1)

    return rewrite(plain_xlsx(), {SHEET: sheet})


HOSTILE = {
    "zip bomb": (zip_bomb, "解压后过大"),
    "ratio bomb": (ratio_bomb, "压缩比异常"),
    "declared XFD1048576": (huge_dimension, "声明了"),
    "declared 900000 rows": (many_rows_declared, "声明了 900000 行"),
    "a row in Excel's last row": (far_row_undeclared, "行，超出一次导入所需"),
    "a cell in column XFD": (far_column_undeclared, "列，超出一次导入所需"),
    "1000 members": (many_members, "部件"),
    "a sheet without its XML": (missing_sheet_xml, "没有可读取的工作表"),
    "billion laughs": (entity_attack, "实体"),
    "external entity": (external_entity, "实体"),
}


@pytest.mark.parametrize("build, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_xlsx_is_refused_on_the_upload_page_quickly(client, period, office_staff, build, message):
    data = build()
    client.force_login(office_staff)
    started = time.monotonic()
    response = client.post(reverse("entry_upload", args=[2020, 9]), {"file": SimpleUploadedFile("scores.xlsx", data)})
    assert time.monotonic() - started < 1.0
    assert response.status_code == 200
    assert message in "".join(response.context["form"].errors["file"])
    assert not ProjectScore.objects.exists()


@pytest.mark.parametrize("build, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_xlsx_is_refused_by_import_scores_quickly_in_bounded_memory(reference_data, tmp_path, build, message):
    path = tmp_path / "scores.xlsx"
    path.write_bytes(build())
    err = StringIO()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(SystemExit) as exit_:
            call_command("import_scores", str(path), "--dry-run", stdout=StringIO(), stderr=err)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exit_.value.code == 1 and message in err.getvalue() and "Traceback" not in err.getvalue()
    assert elapsed < 1.0
    assert peak < path.stat().st_size + 30 * 1024 * 1024


def test_a_sheet_listed_without_its_xml_is_a_clean_refusal_as_a_template_too(reference_data):
    """The grid-template detection read the missing sheet and failed with an IndexError."""
    with pytest.raises(ImportFileError, match="没有可读取的工作表"):
        list(read_upload(missing_sheet_xml(), "template.xlsx"))


def test_the_archive_check_allows_the_entry_template_and_a_real_month(client, period, office_staff):
    client.force_login(office_staff)
    template = client.get(reverse("entry_template", args=[2020, 9])).content
    archive.check_xlsx(template, import_capacity(period))
    archive.check_xlsx(plain_xlsx(), import_capacity(period))


def bad_rows_csv(count: int) -> bytes:
    return ",".join(HEADER).encode() + b"\n" + b"2020,9,no-such-unit,4,1.2,r\n" * count


def test_a_million_bad_rows_stop_after_the_first_100_errors_in_bounded_memory(reference_data):
    data = bad_rows_csv(1_000_000)
    tracemalloc.start()
    try:
        plan = plan_import(read_upload(data, "bad.csv"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(plan.errors) == MAX_ERRORS and plan.stopped and plan.rows_read == MAX_ERRORS
    assert "已读取 100 行数据" in plan.stopped_message
    assert peak < 10 * 1024 * 1024


def test_import_scores_prints_the_first_100_errors_and_how_many_rows_were_read(reference_data, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(bad_rows_csv(1_000_000))
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_scores", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert exit_.value.code == 1 and len(lines) == MAX_ERRORS + 2
    assert lines[0].startswith("第2行") and "已读取 100 行数据" in lines[-2]


def test_the_upload_page_shows_the_first_100_errors_of_a_5_mb_file(client, period, office_staff):
    data = bad_rows_csv(5 * 1024 * 1024 // 30)
    client.force_login(office_staff)
    response = client.post(reverse("entry_upload", args=[2020, 9]), {"file": SimpleUploadedFile("bad.csv", data)})
    content = response.content.decode()
    assert response.status_code == 200 and content.count("<li>第") == MAX_ERRORS
    assert "已读取 100 行数据" in content and len(response.content) < 100_000


def test_more_rows_than_a_month_can_have_are_refused(client, period, office_staff, tmp_path):
    capacity = import_capacity(period)
    data = ",".join(HEADER).encode() + b"\n" + b",,,,,\n" * capacity.max_rows
    client.force_login(office_staff)
    response = client.post(reverse("entry_upload", args=[2020, 9]), {"file": SimpleUploadedFile("long.csv", data)})
    assert f"文件超过 {capacity.max_rows} 行" in "".join(response.context["form"].errors["file"])


def test_a_row_wider_than_a_month_can_have_is_refused(reference_data):
    data = ",".join(HEADER).encode() + b"\n" + b"," * 10_000 + b"\n"
    with pytest.raises(ImportFileError, match="列，超出一次导入所需"):
        list(read_upload(data, "wide.csv"))


def test_openpyxl_parses_through_defusedxml():
    """Entity declarations past the archive check's first bytes are refused by the XML parser itself."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
