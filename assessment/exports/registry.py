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


RENDERERS = {
    "xlsx": Renderer("xlsx", XLSX_CONTENT_TYPE, _xlsx, single_table=False),
    "csv": Renderer("csv", CSV_CONTENT_TYPE, _csv, single_table=True),
}


class Exporter:
    identifier: ClassVar[str]
    label: ClassVar[str]  # "附件1"
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")

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
        tables = self.tables(period, self.data(period) if data is None else data)
        stem = self.file_stem(period, tables)
        return Download(f"{stem}.{renderer.extension}", renderer.render(tables), renderer.content_type)


REGISTRY: dict[str, Exporter] = {}


def register(exporter_or_class):
    """Register an exporter (an instance, or a class to instantiate: usable as a class decorator)."""
    instance = exporter_or_class() if isinstance(exporter_or_class, type) else exporter_or_class
    REGISTRY[instance.identifier] = instance
    return exporter_or_class


def exporter(identifier: str) -> Exporter | None:
    return REGISTRY.get(identifier)
