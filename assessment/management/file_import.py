"""What the file-import commands share (import_scores, import_reference, import_progress,
import_information): a PATH and --dry-run, the file read within a size limit, and every refusal printed
in Chinese on stderr with exit status 1, nothing written."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from assessment.interchange.files import ImportFileError
from assessment.interchange.plan import listed_errors

MAX_FILE_BYTES = 64 * 1024 * 1024  # a year of a large office in the long format is a few MB


class FileImportCommand(BaseCommand):
    path_help = ".xlsx or .csv (UTF-8, with or without BOM)"

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)
        parser.add_argument("--dry-run", action="store_true", help="validate and show what would change, write nothing")

    def read(self, path: str, reader):
        """`reader(data, filename)` over the file's bytes; a missing, oversized or unreadable file fails."""
        file_path = Path(path)
        if not file_path.is_file():
            self.fail([f"找不到文件：{path}"])
        if file_path.stat().st_size > MAX_FILE_BYTES:
            self.fail([f"文件太大（最大 {MAX_FILE_BYTES // 1024 // 1024} MB）。"])
        try:
            return reader(file_path.read_bytes(), file_path.name)
        except ImportFileError as error:
            self.fail([str(error)])

    def fail(self, messages, stopped: str = ""):
        """Print the errors (at most MAX_ERRORS), why checking stopped if it did, and exit 1."""
        lines = listed_errors(list(messages), stopped)
        for line in lines:
            self.stderr.write(line)
        self.stderr.write(f"共 {len(messages)} 处错误，未写入任何数据。")
        sys.exit(1)
