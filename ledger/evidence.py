"""Evidence files: what a file is (by its content, not its name), a safe display name, and where it is kept.

Accepted: images (JPEG, PNG), PDF and Office files (.docx/.xlsx/.pptx, and the older .doc/.xls/.ppt).
A file's extension must agree with its content: a text file named .pdf is refused. Files are stored
under settings.EVIDENCE_ROOT by a random name (the uploaded name is only shown), outside the web root.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# kind → (extensions, content type)
KINDS = {
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "png": ((".png",), "image/png"),
    "pdf": ((".pdf",), "application/pdf"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ((".pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "ole": ((".doc", ".xls", ".ppt"), "application/octet-stream"),
}
OLE_CONTENT_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
ACCEPTED_EXTENSIONS = tuple(extension for extensions, _ in KINDS.values() for extension in extensions)
ACCEPT_ATTRIBUTE = ",".join(ACCEPTED_EXTENSIONS)
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
NAME_MAX_LENGTH = 100
ZIP_MAX_MEMBERS = 10_000


class EvidenceRefused(ValueError):
    """A file that may not be kept; the message is for the user."""


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the safe display name
    kind: str
    extension: str
    content: bytes
    sha256: str

    @property
    def content_type(self) -> str:
        return content_type(self.kind, self.extension)


def content_type(kind: str, extension: str) -> str:
    if kind == "ole":
        return OLE_CONTENT_TYPES.get(extension, "application/octet-stream")
    return KINDS[kind][1]


def safe_name(name: str) -> str:
    """The uploaded name without any directory part, control or path characters, at most 100 characters
    (the extension kept): '../../etc/passwd.pdf' → 'passwd.pdf', 'C:\\x\\a.pdf' → 'a.pdf'."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C" and char not in '<>:"|?*')
    name = name.strip().lstrip(".").strip()
    stem, extension = os.path.splitext(name)
    if len(name) > NAME_MAX_LENGTH:
        name = stem[: NAME_MAX_LENGTH - len(extension)] + extension
    return name


def detect_kind(head: bytes, content: bytes) -> str | None:
    """What the bytes are, from their magic numbers (and, for a zip, the parts it holds)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if len(names) > ZIP_MAX_MEMBERS or "[Content_Types].xml" not in names:
            return None
        for kind, prefix in OOXML_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def check_file(name: str, content: bytes, *, max_bytes: int | None = None) -> CheckedFile:
    """The file if it may be kept, else EvidenceRefused with a Chinese message naming the file."""
    max_bytes = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    shown = safe_name(name)
    if not shown:
        raise EvidenceRefused("文件名无效。")
    extension = os.path.splitext(shown)[1].lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise EvidenceRefused(
            f"“{shown}”：只能上传图片（jpg、png）、PDF 或 Office 文件（doc、docx、xls、xlsx、ppt、pptx）。"
        )
    if len(content) > max_bytes:
        raise EvidenceRefused(f"“{shown}”超过 {format_size(max_bytes)}，不能上传。")
    if not content:
        raise EvidenceRefused(f"“{shown}”是空文件。")
    kind = detect_kind(content[:16], content)
    if kind is None or extension not in KINDS[kind][0]:
        raise EvidenceRefused(f"“{shown}”的内容与扩展名不符（不是有效的 {extension[1:].upper()} 文件），不能上传。")
    return CheckedFile(shown, kind, extension, content, hashlib.sha256(content).hexdigest())


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


# ---------------------------------------------------------------- storage


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def new_stored_name(extension: str) -> str:
    """A random name that says nothing about the finding or the uploaded name: 'ab/ab12…ef.pdf'."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}{extension}"


def path_of(stored_name: str) -> Path:
    """The file's path, refusing anything that would leave the evidence root."""
    base = root().resolve()
    path = (base / stored_name).resolve()
    if base not in path.parents:
        raise EvidenceRefused("文件路径无效。")
    return path


def write(stored_name: str, content: bytes) -> Path:
    path = path_of(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    return path


def remove(stored_name: str) -> None:
    try:
        path_of(stored_name).unlink()
    except (FileNotFoundError, EvidenceRefused):
        pass
