"""``manage.py rebuild_summaries``: count the statistics summaries again from the whole event log.

Empties the summaries and recounts the imported history, every dossier event and every rating
(DOMAIN.md §8), in one transaction: reports show the old figures until it commits. Run it after
moving units in the agency tree (summaries follow the tree as it was when each event was counted)
or when ``check_summaries`` reports differences.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.reports.services import rebuild_summaries


class Command(BaseCommand):
    help = "Recount the statistics summaries from the whole event log, the imported history and the ratings."

    def handle(self, *args: Any, **options: Any) -> None:
        report = rebuild_summaries(progress=self.stdout.write if options["verbosity"] > 1 else None)
        self.stdout.write(f"Summaries rebuilt: {report.events} events and {report.ratings} ratings counted.")
