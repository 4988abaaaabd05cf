"""Small files of each kind, and a way to get September's slips issued."""

import io
import zipfile
from datetime import timedelta

from django.utils import timezone

from ledger import services
from ledger.models import SlipSeries

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def ooxml(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


def issue_september(period, *, days: int = 10, prefix: str = "铜民生提"):
    SlipSeries.objects.update_or_create(year=period.year, defaults={"prefix": prefix})
    return services.issue_slips(user=None, period=period, deadline=timezone.localdate() + timedelta(days=days))
