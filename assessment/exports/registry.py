"""The exporter registry: each official table is one exporter; each format one renderer.

An exporter (modelled on pretix's `base/exporter.py`) has an identifier, a label and a title, reads
what it needs for a period (`data`, the same data the page renders) and turns it into
`OfficialTable`s. A renderer turns tables into a file. One view serves every exporter in every
format it offers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..models import Period
from .csv_text import CSV_CONTENT_TYPE, UTF8_BOM, render_csv
from .docx import DOCX_CONTENT_TYPE
from .tables import OfficialTable
from .xlsx import XLSX_CONTENT_TYPE, official_workbook, workbook_bytes


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Renderer:
    extension: str
    content_type: str
    render: Callable[[Sequence[OfficialTable]], bytes]
    single_table: bool  # CSV holds one table


def _xlsx(tables: Sequence[OfficialTable]) -> bytes:
    return workbook_bytes(official_workbook(tables))


def _csv(tables: Sequence[OfficialTable]) -> bytes:
    return (UTF8_BOM + render_csv(tables[0])).encode("utf-8")


def _docx(tables: Sequence[OfficialTable]) -> bytes:
    """Tables as a Word document with the official look, one after the other."""
    from .docx import OfficialDocument

    document = OfficialDocument()
    for index, table in enumerate(tables):
        if index:
            document.table_section(table)
            continue
        document.label(table.attachment)
        document.title(table.title)
        if table.subtitle:
            document.paragraph(table.subtitle, indent=False, align="center")
        document.table(table)
        for note in table.notes:
            document.paragraph(note, indent=False, align="left")
    return document.content()


RENDERERS = {
    "xlsx": Renderer("xlsx", XLSX_CONTENT_TYPE, _xlsx, single_table=False),
    "csv": Renderer("csv", CSV_CONTENT_TYPE, _csv, single_table=True),
    "docx": Renderer("docx", DOCX_CONTENT_TYPE, _docx, single_table=False),
}


class Exporter:
    identifier: ClassVar[str]
    label: ClassVar[str]  # "附件1"
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")
    # "period": a month's official table, served to whoever may see the month (tables.export);
    # another kind (the ledger's "ledger") is served only by its own views, which check access first.
    kind: ClassVar[str] = "period"

    def data(self, period: Period):
        """What the page of this table renders (a selector's result)."""
        raise NotImplementedError

    def tables(self, period: Period, data) -> list[OfficialTable]:
        raise NotImplementedError

    def file_stem(self, period: Period, tables: list[OfficialTable]) -> str:
        raise NotImplementedError

    def export(self, period: Period, fmt: str, data=None) -> Download:
        if fmt not in self.formats:
            raise KeyError(fmt)
        renderer = RENDERERS[fmt]
        data = self.data(period) if data is None else data
        tables = self.tables(period, data)
        stem = self.file_stem(period, tables)
        return Download(f"{stem}.{renderer.extension}", self.render(fmt, tables, data), renderer.content_type)

    def render(self, fmt: str, tables: list[OfficialTable], data) -> bytes:
        """The file's bytes: the format's shared renderer (an exporter may lay out a document around its
        tables with the same renderer, e.g. a reminder slip's .docx)."""
        return RENDERERS[fmt].render(tables)


REGISTRY: dict[str, Exporter] = {}


def register(exporter_or_class):
    """Register an exporter (an instance, or a class to instantiate: usable as a class decorator)."""
    instance = exporter_or_class() if isinstance(exporter_or_class, type) else exporter_or_class
    REGISTRY[instance.identifier] = instance
    return exporter_or_class


def exporter(identifier: str, *, kind: str = "period") -> Exporter | None:
    found = REGISTRY.get(identifier)
    return found if found is not None and found.kind == kind else None
