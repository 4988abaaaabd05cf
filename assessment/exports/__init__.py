"""Exports of the official tables: a registry of exporters (`registry.REGISTRY`) and one renderer per
format (`xlsx.py`, `csv_text.py`) sharing the official look (`tables.py`).

Importing the package registers every exporter.
"""

from . import attachments  # noqa: F401  (registers the attachment exporters)
