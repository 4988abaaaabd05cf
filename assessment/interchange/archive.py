"""Checking an uploaded .xlsx as a zip archive before openpyxl opens it: pure functions, no ORM.

An .xlsx is a zip of XML files. A small upload can inflate to gigabytes (a zip bomb), list thousands of
members, or declare a sheet of a million rows that openpyxl would pad out. This reads only the zip's
central directory and the first bytes of each worksheet, and refuses, in a few milliseconds, an
archive that holds more than a month's data can need. The sizes in the directory are the ones Python's
zipfile enforces while inflating (a member that inflates past its declared size fails its check), so
checking them bounds what openpyxl can be made to read. Entity declarations are refused here too (and
openpyxl parses through defusedxml, which refuses them again).
"""

import io
import re
import zipfile
from dataclasses import dataclass

MAX_MEMBERS = 200  # an .xlsx written by Excel, WPS or openpyxl holds about a dozen
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # uncompressed, any one member
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # uncompressed, all members
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024  # openpyxl keeps every shared string in memory
MAX_RATIO = 100  # uncompressed ÷ compressed, for a member above RATIO_FLOOR (sheets compress 5–20×)
RATIO_FLOOR = 1024 * 1024
HEAD_BYTES = 64 * 1024  # where a worksheet's <dimension> element is, and any DOCTYPE

TOO_LARGE = "文件解压后过大（{size}），超出一个月数据所需，已拒绝。请只保留需要导入的工作表和数据。"
TOO_MANY_MEMBERS = "文件结构异常（包含 {count} 个部件），不是正常的 Excel 文件，已拒绝。"
RATIO = "文件压缩比异常（{name} 解压后是压缩前的 {ratio} 倍），可能是恶意构造的文件，已拒绝。"
TOO_MANY_ROWS = "工作表“{sheet}”声明了 {rows} 行，超出一个月数据所需的 {limit} 行，已拒绝。"
TOO_MANY_COLUMNS = "工作表“{sheet}”声明了 {columns} 列，超出一个月数据所需的 {limit} 列，已拒绝。"
ENTITIES = "文件中含有 XML 实体声明（DOCTYPE），不是正常的 Excel 文件，已拒绝。"
NOT_EXCEL = "文件无法读取，不是有效的 Excel（.xlsx）文件。"

DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\"")
DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class ArchiveRefused(Exception):
    """The archive cannot be read safely; the message is the user's."""


@dataclass(frozen=True)
class Capacity:
    """The most rows and columns a file of one import can need (from the reference data)."""

    max_rows: int
    max_columns: int


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_xlsx(data: bytes, capacity: Capacity) -> None:
    """Raise ArchiveRefused unless `data` is a zip whose members are few and small enough to read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ArchiveRefused(NOT_EXCEL) from None
    if len(members) > MAX_MEMBERS:
        raise ArchiveRefused(TOO_MANY_MEMBERS.format(count=len(members)))
    total = 0
    for member in members:
        total += member.file_size
        limit = MAX_SHARED_STRINGS_BYTES if member.filename.lower().endswith("sharedstrings.xml") else MAX_MEMBER_BYTES
        if member.file_size > limit or total > MAX_TOTAL_BYTES:
            raise ArchiveRefused(TOO_LARGE.format(size=_megabytes(max(member.file_size, total))))
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise ArchiveRefused(RATIO.format(name=member.filename, ratio=ratio))
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")):
            _check_head(archive, member, capacity)


def _check_head(archive: zipfile.ZipFile, member: zipfile.ZipInfo, capacity: Capacity) -> None:
    try:
        with archive.open(member) as stream:
            head = stream.read(HEAD_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise ArchiveRefused(NOT_EXCEL) from None
    if DOCTYPE.search(head):
        raise ArchiveRefused(ENTITIES)
    if not member.filename.startswith("xl/worksheets/"):
        return
    found = DIMENSION.search(head)
    if found is None:
        return  # no declaration: the reader counts the rows as it streams them
    last_column, last_row = (found.group(3), found.group(4)) if found.group(3) else (found.group(1), found.group(2))
    sheet = member.filename.rsplit("/", 1)[-1]
    rows, columns = int(last_row), column_number(last_column)
    if rows > capacity.max_rows:
        raise ArchiveRefused(TOO_MANY_ROWS.format(sheet=sheet, rows=rows, limit=capacity.max_rows))
    if columns > capacity.max_columns:
        raise ArchiveRefused(TOO_MANY_COLUMNS.format(sheet=sheet, columns=columns, limit=capacity.max_columns))
