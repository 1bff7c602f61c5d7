"""``manage.py load_demo``: the demo province, its departments and one account per role."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from motcua.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo data (one province, its departments, demo staff and a citizen). Idempotent; DEBUG only."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_demo(verbosity=options["verbosity"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if report.created:
            added = ", ".join(report.created[:12]) + (" …" if len(report.created) > 12 else "")
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(report.created)} new records ({added})."))
        else:
            self.stdout.write("Demo data already present: nothing added.")
