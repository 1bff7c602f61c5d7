"""``manage.py verify_event_chains``: check every dossier's event chain (see workflow/events.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.models import Dossier
from motcua.workflow.events import verify_chain
from motcua.workflow.models import DossierEvent


class Command(BaseCommand):
    help = "Verify the SHA-256 chain of every dossier's events; exits with an error listing any break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", help="Only the dossier with this code.")

    def handle(self, *args: Any, **options: Any) -> None:
        dossiers = Dossier.objects.order_by("pk")
        if options["code"]:
            dossiers = dossiers.filter(code=options["code"])
        checked, problems = 0, []
        for dossier in dossiers.iterator(chunk_size=500):
            events = DossierEvent.objects.filter(dossier=dossier).order_by("seq")
            problems += verify_chain(dossier, events)
            checked += 1
        for problem in problems:
            self.stderr.write(f"dossier {problem.dossier_id}, event {problem.seq}: {problem.message}")
        if problems:
            raise CommandError(f"{len(problems)} break(s) in the event chains of {checked} dossiers.")
        self.stdout.write(self.style.SUCCESS(f"Event chains intact: {checked} dossiers checked."))
