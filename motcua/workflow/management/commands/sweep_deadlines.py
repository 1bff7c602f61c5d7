"""``manage.py sweep_deadlines``: deadline reminders and closing dossiers never supplemented."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.workflow import services


class Command(BaseCommand):
    help = (
        "Queue reminders for dossiers due soon or overdue (never twice for the same due moment) and close "
        "dossiers that waited 15 days for a supplement (Decree 118/2025/NĐ-CP Art. 19.5). Safe to run often."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, metavar="SECONDS", help="Run again every SECONDS, forever.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = services.sweep_deadlines()
            closed = services.close_unanswered_supplements()
            self.stdout.write(
                f"Reminders queued: {report.due_soon} due soon, {report.overdue} overdue; "
                f"{len(closed)} dossiers closed without supplement."
            )
            if not options["every"]:
                return
            time.sleep(options["every"])
