"""Evidence files: type by content (magic bytes), size and count limits, safe names, storage outside the
web root, downloads only for those who see the finding."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ledger import evidence
from ledger.models import Evidence, Finding, FindingStatus
from tests.ledger.helpers import JPEG, PDF, PNG, ooxml, plain_zip


@pytest.fixture
def root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# ---------------------------------------------------------------- the pure checks


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("照片.jpg", JPEG, "jpeg"),
        ("照片.JPEG", JPEG, "jpeg"),
        ("图.png", PNG, "png"),
        ("验收.pdf", PDF, "pdf"),
        ("说明.docx", ooxml("word/document.xml"), "docx"),
        ("台账.xlsx", ooxml("xl/workbook.xml"), "xlsx"),
        ("汇报.pptx", ooxml("ppt/presentation.xml"), "pptx"),
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16, "ole"),
    ],
)
def test_accepted_kinds(name, content, kind):
    checked = evidence.check_file(name, content, max_bytes=1000)
    assert checked.kind == kind and checked.name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("伪装.pdf", b"this is not a pdf at all", "内容与扩展名不符"),
        ("伪装.pdf", PNG, "内容与扩展名不符"),  # a real image named .pdf
        ("图.png", JPEG, "内容与扩展名不符"),
        ("说明.docx", plain_zip(), "内容与扩展名不符"),  # a zip that is no Office file
        ("说明.docx", ooxml("xl/workbook.xml"), "内容与扩展名不符"),  # a workbook named .docx
        ("病毒.exe", b"MZ\x90\x00", "只能上传"),
        ("网页.html", b"<script>alert(1)</script>", "只能上传"),
        ("无扩展名", PDF, "只能上传"),
        ("空.pdf", b"", "空文件"),
        ("大.pdf", PDF + b"0" * 1000, "超过"),
        ("", PDF, "文件名无效"),
    ],
)
def test_refused_files(name, content, message):
    with pytest.raises(evidence.EvidenceRefused, match=message):
        evidence.check_file(name, content, max_bytes=1000)


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("/abs/path/a.pdf", "a.pdf"),
        ("C:\\Users\\x\\报告.pdf", "报告.pdf"),
        ("..pdf", "pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_names_lose_their_directories_and_control_characters(uploaded, shown):
    assert evidence.safe_name(uploaded) == shown


def test_a_stored_name_cannot_leave_the_root(root):
    with pytest.raises(evidence.EvidenceRefused):
        evidence.path_of("../outside.pdf")
    with pytest.raises(evidence.EvidenceRefused):
        evidence.path_of("/etc/passwd")
    assert root.resolve() in evidence.path_of("ab/abc.pdf").parents


# ---------------------------------------------------------------- through the page


@pytest.fixture
def finding(september):
    return Finding.objects.filter(period=september, unit__name="义安区").order_by("id").first()


def post(client, finding, *files, **data):
    return client.post(
        reverse("ledger_finding_report", args=[finding.pk]), {"text": "已整改", "files": list(files), **data}
    )


def test_a_fake_pdf_is_refused_and_nothing_is_written(client, root, finding, region_user):
    client.force_login(region_user)
    fake = SimpleUploadedFile("整改报告.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    good = SimpleUploadedFile("照片.png", PNG, content_type="image/png")
    response = post(client, finding, good, fake)
    assert response.status_code == 400
    assert "“整改报告.pdf”的内容与扩展名不符" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.PENDING and not finding.reports.exists()
    assert not Evidence.objects.exists() and stored_files(root) == []


def test_an_oversized_file_is_refused(client, root, settings, finding, region_user):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(region_user)
    response = post(client, finding, SimpleUploadedFile("大.pdf", PDF + b"0" * 2000))
    assert response.status_code == 400 and "“大.pdf”超过 1 KB" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(root) == []


def test_too_many_files_are_refused(client, root, settings, finding, region_user):
    client.force_login(region_user)
    files = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(settings.EVIDENCE_MAX_FILES_PER_UPLOAD + 1)]
    response = post(client, finding, *files)
    assert response.status_code == 400 and "一次最多上传 5 个文件" in response.content.decode()
    settings.EVIDENCE_MAX_FILES_PER_FINDING = 2
    assert post(client, finding, SimpleUploadedFile("1.png", PNG), SimpleUploadedFile("2.png", PNG)).status_code == 302
    response = post(client, finding, SimpleUploadedFile("3.png", PNG))
    assert response.status_code == 400 and "最多 2 个佐证文件（已有 2 个）" in response.content.decode()


def test_a_traversal_name_is_stored_under_a_random_name_inside_the_root(client, root, finding, region_user, tmp_path):
    client.force_login(region_user)
    assert post(client, finding, SimpleUploadedFile("../evil.pdf", PDF)).status_code == 302
    item = Evidence.objects.get()
    assert item.original_name == "evil.pdf"
    assert "evil" not in item.stored_name and ".." not in item.stored_name
    files = stored_files(root)
    assert files == [evidence.path_of(item.stored_name)] and files[0].read_bytes() == PDF
    # "../" from the root is the test's own directory: nothing was written beside the root
    assert [path for path in tmp_path.rglob("*") if path.is_file() and root not in path.parents] == []
    static_root = Path(django_settings.STATIC_ROOT).resolve()
    assert static_root not in files[0].resolve().parents


def test_downloads_only_for_those_who_see_the_finding(client, root, finding, region_user, department_user, viewer):
    client.force_login(region_user)
    post(client, finding, SimpleUploadedFile("验收.pdf", PDF))
    item = Evidence.objects.get()
    url = reverse("ledger_evidence", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(department_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("ledger_evidence", args=[item.pk + 1000])).status_code == 404
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert Client().get(url).status_code == 302  # signed out


def test_no_url_serves_the_evidence_root(client, root, finding, region_user):
    client.force_login(region_user)
    post(client, finding, SimpleUploadedFile("验收.pdf", PDF))
    item = Evidence.objects.get()
    for guess in (f"/media/{item.stored_name}", f"/evidence/{item.stored_name}", f"/static/{item.stored_name}"):
        assert client.get(guess).status_code == 404
