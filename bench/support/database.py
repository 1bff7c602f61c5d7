"""A throwaway database for one benchmark run, and the timing summary every script prints.

The scripts use the test settings, so PostgreSQL when TEST_DATABASE_URL is set (a database
named ``motcua_bench_<script>``) and otherwise SQLite in a temporary file. The database is
created and migrated on entry and dropped on exit.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """Create and migrate a database for the benchmark ``name``; yields the vendor."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as scratch:
        if vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(scratch) / "bench.sqlite3")
        else:
            connection.settings_dict["TEST"]["NAME"] = f"motcua_bench_{name}"
        old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
        try:
            yield vendor
        finally:
            teardown_databases(old_config, verbosity=0)


def percentiles(timings_ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``timings_ms``."""
    return statistics.median(timings_ms), statistics.quantiles(timings_ms, n=20)[-1]


def verdict(ok: bool) -> str:
    return "OK" if ok else "TOO SLOW"
