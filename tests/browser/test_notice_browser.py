"""The notice in the browser (the office drafts it, edits a part, reads the diff) and its Word file
rendered as the office would print it: LibreOffice → PDF → PNG. With SCREENSHOTS=1 the page and the
rendering are saved for the README:

    SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_notice_browser.py -m browser

The rendering needs `soffice` (Debian libreoffice-writer) and `pdftoppm` (poppler-utils); without them
it is skipped.
"""

import shutil
import subprocess
import zoneinfo
from datetime import datetime

import pytest

from assessment import services as assessment_services
from assessment.models import Period, PeriodStatus
from notices import exports
from notices.defaults import install_default_rules
from notices.models import FindingRule
from tests.browser.test_screenshots import SCREENSHOT_DIR, save
from tests.september_2020 import build_september_2020

pytestmark = pytest.mark.browser
PUBLISHED_ON = datetime(2020, 10, 16, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def september(office_admin):
    install_default_rules(FindingRule)  # an earlier transactional test's flush removed the migration's rules
    period = build_september_2020()
    Period.objects.filter(pk=period.pk).update(published_at=PUBLISHED_ON)
    return Period.objects.select_related("year").get(pk=period.pk)


def test_the_office_drafts_edits_and_compares_the_notice(page, login, office_admin, september):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    assessment_services.change_period_status(user=None, period=september, status=PeriodStatus.OPEN, reason="起草通报")
    login(office_admin)
    page.goto("/periods/2020/9/notice/")
    page.get_by_role("button", name="根据考评结果生成通报").click()
    text = page.locator("#notice-text").inner_text()
    assert "从考评结果看：一是少数项目进展在全省排名靠后。市水利局承担的" in text
    assert "市数据资源局、市城管执法局未按时报送信息" in text or "市城管执法局、市数据资源局未按时报送信息" in text
    save(page, "notice-page")
    page.get_by_role("link", name="修改通报").click()
    page.fill("#id_title", "关于2020年9月份民生工程月度考评情况的通报")
    page.get_by_role("button", name="保存").click()
    assert "通报已保存" in page.content()
    page.locator("#notice-versions").get_by_role("link", name="查看改动").first.click()
    assert page.locator("ins").first.inner_text() == "2020年"
    assert errors == []


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/poppler not installed"
)
def test_the_word_file_renders_through_libreoffice(september, tmp_path, settings):
    pdf = exports.docx_to_pdf(exports.notice_docx(september))
    assert pdf.startswith(b"%PDF")
    source = tmp_path / "notice.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(source), str(tmp_path / "page")], check=True)  # noqa: S603, S607
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4  # the notice, 附件1, 附件2 (landscape), 附件3
    import os

    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copy(pages[0], SCREENSHOT_DIR / "notice-page1.png")
        shutil.copy(next(p for p in pages[1:] if _landscape(p)), SCREENSHOT_DIR / "notice-attachment2.png")


def _landscape(path) -> bool:
    with open(path, "rb") as png:
        header = png.read(24)
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    return width > height
