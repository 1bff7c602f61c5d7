"""``manage.py load_divisions``: load the 34 provinces and 3,321 communes as agencies (see agencies/divisions.py)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.agencies.divisions import load_divisions


class Command(BaseCommand):
    help = (
        "Create or update a People's Committee and a Public Administration Service Centre for every province "
        "and commune of the vietnam-provinces package. Safe to run again: it updates names and creates nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            metavar="CODE",
            help="Load only this province (two-digit code, e.g. 25); repeat for several. Default: all.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity: int = options["verbosity"]
        started = time.perf_counter()
        # tqdm redraws its line with carriage returns, which Django's OutputWrapper would
        # break with its added newlines, so the bar goes to the wrapped stream itself.
        progress = getattr(self.stderr, "_out", sys.stderr) if verbosity >= 1 else None
        try:
            report = load_divisions(province_codes=options["province"], progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Administrative divisions: {report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged ({time.perf_counter() - started:.1f} s)."
                )
            )
