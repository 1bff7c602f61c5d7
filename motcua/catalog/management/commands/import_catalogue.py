"""``manage.py import_catalogue``: import the national procedure records (see catalog/importer.py)."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from motcua.catalog.importer import ImportReport, count_records, import_national_records
from motcua.catalog.national_records import DATA_DIR


class Command(BaseCommand):
    help = (
        "Create or update procedures from the national catalogue's records (default: the files shipped in "
        "data/tthc/). Safe to run again: unchanged records change nothing; changed ones become a new version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="*.jsonl.gz files (default: data/tthc/*.jsonl.gz).")
        parser.add_argument(
            "--report", type=Path, metavar="CSV", help="Also write every record not fully parsed, with the reasons."
        )
        parser.add_argument("--quiet-list", action="store_true", help="Do not print the list, only the totals.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        paths: list[Path] = options["files"] or sorted(DATA_DIR.glob("*.jsonl.gz"))
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        if not paths:
            raise CommandError(f"No *.jsonl.gz files in {DATA_DIR}.")
        started = time.perf_counter()
        # tqdm redraws its line with carriage returns, which Django's OutputWrapper would break.
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=count_records(paths), unit=" thủ tục", file=stream, disable=verbosity < 1) as bar:
            report = import_national_records(paths, today=timezone.localdate(), on_record=lambda: _tick(bar))
        elapsed = time.perf_counter() - started
        if options["report"]:
            self._write_csv(options["report"], report)
        if verbosity >= 1:
            self._print(report, elapsed, listing=not options["quiet_list"])

    def _print(self, report: ImportReport, elapsed: float, *, listing: bool) -> None:
        if listing:
            for failure in report.failed:
                self.stdout.write(
                    f"NOT IMPORTED {failure.file}:{failure.line} {failure.code or '-'}: {failure.message}"
                )
            for record in report.not_fully_parsed:
                self.stdout.write(f"NOT FULLY PARSED {record.code} {' '.join(record.name.split())[:70]}")
                for reason in record.reasons:
                    self.stdout.write(f"    - {reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: {report.read} records read in {elapsed:.1f} s: {report.created} created, "
                f"{report.updated} updated, {report.unchanged} unchanged, {len(report.failed)} not imported."
            )
        )
        self.stdout.write(
            f"Fully parsed: {report.fully_parsed} of {report.read} ({report.fully_parsed_share:.2%}); "
            f"{len(report.not_fully_parsed)} imported with problems listed above; "
            f"{report.warnings} assumptions recorded on the versions."
        )
        if report.warnings_by_field:
            parts = ", ".join(f"{part} {count}" for part, count in sorted(report.warnings_by_field.items()))
            self.stdout.write(f"Assumptions by field (see the version's “import assumptions” in the admin): {parts}.")

    def _write_csv(self, path: Path, report: ImportReport) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "name", "status", "reason"])
            for failure in report.failed:
                writer.writerow([failure.code, "", "not imported", f"{failure.file}:{failure.line}: {failure.message}"])
            for record in report.not_fully_parsed:
                for reason in record.reasons:
                    writer.writerow([record.code, record.name, "not fully parsed", reason])


def _tick(bar: tqdm[Any]) -> None:
    bar.update(1)
