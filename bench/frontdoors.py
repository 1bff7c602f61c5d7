"""Benchmarks of the two front doors over a large backlog: the officer's queue and the tracking page.

Run as ``.venv/bin/python bench/frontdoors.py`` (``make bench`` runs it on SQLite and PostgreSQL).
It builds the lifecycle benchmark's ward and officers (bench/support/world.py) and its backlog of
existing dossiers (bench/support/existing_dossiers.py: 1,000,000 on PostgreSQL, 20,000 on SQLite),
received up to the last working day before now (the pages render at the real time), then
renders pages server-side through Django's test client, as a browser's request would go
through the whole middleware stack, sessions included:

- ``queue``: the receiving officer's queues (``/can-bo/``, each tab, and the next page of the
  longest one); target p95 < 100 ms;
- ``tracking``: the public tracking page, a lookup with a dossier code and its lookup code
  (POST ``/tra-cuu/``) for dossiers drawn across the backlog; target p95 < 100 ms.

Each figure is the p50 and p95 of 200 renders after a warm-up. The targets apply on PostgreSQL; on
SQLite the figures are printed for information. Exits 1 if a PostgreSQL target is missed.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support.database import bench_database, percentiles, setup_django

setup_django()

from django.core.cache import cache  # noqa: E402
from django.http.response import HttpResponseBase as HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.support.existing_dossiers import generate_backlog  # noqa: E402
from bench.support.world import build_world  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.workdays import clock  # noqa: E402
from motcua.workdays.workcalendar import VIETNAM_TZ  # noqa: E402
from motcua.workflow.calendars import calendar_for  # noqa: E402

BACKLOG = {"postgresql": 1_000_000, "sqlite": 20_000}
TARGET_MS = 100.0
RENDERS = 200
WARM_UP = 20
QUEUES = ("", *(f"hang-doi/{queue}/" for queue in ("to_check", "to_transfer", "due_soon", "overdue", "paused")))


def timed(get: Callable[[int], HttpResponse], count: int) -> list[float]:
    timings = []
    for index in range(count):
        started = time.perf_counter()
        response = get(index)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"frontdoors: unexpected status {response.status_code}")
    return timings


def report(name: str, vendor: str, timings: list[float], note: str) -> bool:
    p50, p95 = percentiles(timings)
    ok = p95 < TARGET_MS
    verdict = ("OK" if ok else "TOO SLOW") if vendor == "postgresql" else "INFO"
    print(
        f"frontdoors.{name} {vendor} p50 {p50:.1f} ms p95 {p95:.1f} ms (target p95 < {TARGET_MS:.0f} ms) "
        f"{verdict}  [{note}]"
    )
    return ok or vendor != "postgresql"


def backlog_moment() -> dt.datetime:
    """10:00 of the last working day up to now: the pages render at the real time, so the backlog
    is received up to it (due soon and overdue then hold what they would on a real day)."""
    cal = calendar_for(None)
    day = timezone.localtime(timezone.now(), VIETNAM_TZ).date()
    while True:
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=VIETNAM_TZ)
        if moment <= timezone.now() and clock.is_working_time(cal, moment):
            return moment
        day -= dt.timedelta(days=1)


def run(vendor: str) -> bool:
    world = build_world()
    count = BACKLOG.get(vendor, BACKLOG["sqlite"])
    started = time.perf_counter()
    generate_backlog(world, count=count, now=backlog_moment())
    print(f"frontdoors.backlog {vendor} {count:,} dossiers in {time.perf_counter() - started:.1f} s (no target) INFO")
    officer = Client()
    officer.force_login(world.receiving)
    paths = [f"/can-bo/{queue}" for queue in QUEUES]
    for path in paths:
        officer.get(path)
    results = [
        report(
            "queue",
            vendor,
            timed(lambda i: officer.get(paths[i % len(paths)]), WARM_UP + RENDERS)[WARM_UP:],
            f"the receiving officer's queues, {len(paths)} tabs in turn, over {count:,} dossiers",
        )
    ]
    chance = random.Random(766)  # a fixed sample, the same on every run
    sample = list(
        Dossier.objects.exclude(code__isnull=True)
        .filter(pk__in=[chance.randint(1, count) for _ in range(WARM_UP + RENDERS)])
        .values_list("code", "lookup_secret")
    )
    visitor = Client()

    def look_up(index: int) -> HttpResponse:
        cache.clear()  # each lookup as from a fresh address: the per-address limit is not what is measured
        code, secret = sample[index % len(sample)]
        return visitor.post("/tra-cuu/", {"code": code, "lookup_secret": secret})

    results.append(
        report(
            "tracking",
            vendor,
            timed(look_up, WARM_UP + RENDERS)[WARM_UP:],
            f"public lookups by code and lookup code of {len(sample)} dossiers drawn across the backlog",
        )
    )
    return all(results)


def main() -> int:
    with bench_database("frontdoors") as vendor, override_settings(ALLOWED_HOSTS=["testserver"]):
        ok = run(vendor)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
