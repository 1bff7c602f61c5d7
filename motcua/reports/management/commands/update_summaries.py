"""``manage.py update_summaries``: count the new events and ratings into the summaries, once or every second.

With ``--follow`` it runs until stopped (SIGTERM or Ctrl-C), a pass every ``--interval`` seconds
(default 1), so a report reflects an event within a few seconds (DOMAIN.md §8; the design asks
for summaries current within seconds of each event). Each batch is one transaction: stopping it
anywhere loses nothing and counts nothing twice. A database error fails one pass, not the
follower: it is logged, the connection dropped, and the next pass reconnects.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

from motcua.reports.services import apply_new_events

logger = logging.getLogger("motcua.reports.follower")


class Command(BaseCommand):
    help = "Count new dossier events and ratings into the statistics summaries (--follow: every second until stopped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--follow", action="store_true", help="Keep running, one pass every --interval seconds.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between passes (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        if interval <= 0:
            raise CommandError("--interval must be positive.")
        if not options["follow"]:
            report = apply_new_events()
            self.stdout.write(f"{report.events} events and {report.ratings} ratings counted.")
            return
        stop = threading.Event()
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set()) if in_main_thread else None
        logger.info("Summary follower started: a pass every %s s.", interval)
        try:
            while not stop.is_set():
                try:
                    report = apply_new_events()
                except DatabaseError:
                    logger.exception("Summary pass failed; retrying in %s s.", interval)
                    connections.close_all()
                else:
                    if report:
                        logger.info("Counted %d events and %d ratings.", report.events, report.ratings)
                stop.wait(interval)
        except KeyboardInterrupt:
            pass
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)
        logger.info("Summary follower stopped.")
