"""``manage.py import_history FILE.csv``: import an agency's past dossiers (docs/howto/historical-import.md).

The file loads completely or not at all; on refusal the problems are listed with their row
numbers (the header is row 1) and the command exits with status 1.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.reports.services import ImportRefused, import_history


class Command(BaseCommand):
    help = "Import past dossiers from a CSV file into the statistics (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8; layout in docs/howto/historical-import.md).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        started = time.perf_counter()
        try:
            batch = import_history(content=content, file_name=path.name, user=None)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name} was not imported: nothing was written.", returncode=1) from refused
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Imported {batch.rows} dossiers from {path.name} in {elapsed:.1f} s.")
