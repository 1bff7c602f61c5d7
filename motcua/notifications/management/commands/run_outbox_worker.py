"""``manage.py run_outbox_worker``: deliver the outbox, forever or once.

Each pass calls ``deliver_due`` and logs what it did; the worker sleeps ``--interval`` seconds
between passes, except while a pass takes a full batch (a backlog: the next pass starts at
once). Any number of workers may run, on any machine: each message is taken by one of them
(services.py). SIGTERM stops the worker at the end of the pass under way (at most --limit
messages); Ctrl-C stops it at once, and the message in hand is rolled back and taken again
later (delivery is at least once). A database error (the server restarting, a network cut)
fails one pass, not the worker: it is logged, the broken connection is dropped, and the next
pass reconnects.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils import timezone

from motcua.notifications.services import DeliveryReport, deliver_due
from motcua.notifications.sms import SmsGateway, get_sms_gateway

logger = logging.getLogger("motcua.notifications.worker")


class Command(BaseCommand):
    help = (
        "Deliver the notifications outbox (email, SMS, inter-agency mail): one pass every --interval seconds "
        "until stopped (SIGTERM or Ctrl-C), or a single pass with --once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between passes (default 5); must be positive."
        )
        parser.add_argument("--once", action="store_true", help="Run one pass, report it and exit.")
        parser.add_argument(
            "--limit", type=int, default=100, help="Most messages taken in one pass (default 100); must be positive."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        limit: int = options["limit"]
        if interval <= 0 or limit <= 0:
            raise CommandError("--interval and --limit must be positive.")
        # Resolved once, so that a wrong SMS_GATEWAY stops the worker at start-up with its message.
        gateway = get_sms_gateway()
        if options["once"]:
            self._run_once(limit, gateway=gateway, verbosity=options["verbosity"])
            return
        stop = threading.Event()
        # Signal handlers can be set only in the main thread; elsewhere (a thread of a test) there is no SIGTERM.
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set()) if in_main_thread else None
        logger.info("Outbox worker started: a pass every %s s, at most %d messages a pass.", interval, limit)
        try:
            while not stop.is_set():
                report = self._pass(limit, gateway=gateway)
                if report is not None and report.taken >= limit:
                    continue  # a backlog: no sleep before the next batch
                stop.wait(interval)
        except KeyboardInterrupt:
            pass
        finally:
            if in_main_thread and previous is not None:
                signal.signal(signal.SIGTERM, previous)
        logger.info("Outbox worker stopped.")

    def _run_once(self, limit: int, *, gateway: SmsGateway, verbosity: int) -> None:
        try:
            report = deliver_due(now=timezone.now(), limit=limit, sms_gateway=gateway)
        except DatabaseError as error:
            raise CommandError(f"The outbox pass failed: {error}") from error
        if verbosity >= 1:
            self.stdout.write(f"Outbox: {report}.")

    def _pass(self, limit: int, *, gateway: SmsGateway) -> DeliveryReport | None:
        """One pass; None when a database error cut it short (logged)."""
        _drop_broken_connections()
        try:
            report = deliver_due(now=timezone.now(), limit=limit, sms_gateway=gateway)
        except DatabaseError:
            logger.exception("Outbox pass failed on a database error; the next pass will try again.")
            _drop_broken_connections()
            return None
        if report.taken:
            logger.info("Outbox pass: %s.", report)
        return report


def _drop_broken_connections() -> None:
    """Close connections that failed or outlived CONN_MAX_AGE, as Django does between requests.

    A connection inside a transaction is left alone: that transaction belongs to whoever opened
    it (a caller running the worker inside its own transaction, as tests do).
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
