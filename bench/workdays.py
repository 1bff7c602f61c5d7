"""Benchmark: due-date computations per second on a 10-year calendar, against a day-by-day loop.

Run: ``.venv/bin/python bench/workdays.py`` (``make bench`` runs it). Target (issue 3): at least
500,000 computations per second in one process. The calendar is built in memory (the default
office hours, the holidays package, no overrides): the arithmetic needs no database.

Each computation is ``add_working_days`` on a random reception moment (any minute of the day,
weekends and holidays included) and a random number of working days (1–60, the range of the
real catalogue). The naive loop steps one day at a time, as deadline code often does, over the
same calendar; both must agree on every case measured.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from motcua.workdays import clock  # noqa: E402
from motcua.workdays.workcalendar import VIETNAM_TZ, WorkCalendar, build_calendar  # noqa: E402

TARGET_PER_SECOND = 500_000
YEARS = range(2026, 2036)
CASES = 200_000
NAIVE_CASES = 20_000
ROUNDS = 5
SEED = 20260213


def naive_add_working_days(cal: WorkCalendar, start: dt.datetime, n: int) -> dt.datetime:
    """The textbook loop: find the reception day, then step day by day counting working days."""
    local = start.astimezone(VIETNAM_TZ)
    day = local.date()
    close = cal.office_hours[-1][1]
    if not clock.is_working_day(cal, day) or local.time() > close:
        day += dt.timedelta(days=1)
        while not clock.is_working_day(cal, day):
            day += dt.timedelta(days=1)
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if clock.is_working_day(cal, day):
            counted += 1
    return dt.datetime.combine(day, close, tzinfo=VIETNAM_TZ)


def make_cases(count: int, rng: random.Random, tz: dt.tzinfo) -> list[tuple[dt.datetime, int]]:
    first = dt.datetime(YEARS.start, 1, 1, tzinfo=VIETNAM_TZ)
    minutes = (len(YEARS) - 1) * 365 * 24 * 60  # leave the last year for the periods to end in
    return [
        ((first + dt.timedelta(minutes=rng.randrange(minutes))).astimezone(tz), rng.randint(1, 60))
        for _ in range(count)
    ]


def per_second(cal: WorkCalendar, cases: list[tuple[dt.datetime, int]], rounds: int) -> float:
    """Best of ``rounds`` passes over ``cases`` (the least disturbed by the rest of the machine)."""
    add = clock.add_working_days
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for start, n in cases:
            add(cal, start, n)
        best = min(best, time.perf_counter() - began)
    return len(cases) / best


def naive_per_second(cal: WorkCalendar, cases: list[tuple[dt.datetime, int]]) -> float:
    began = time.perf_counter()
    for start, n in cases:
        naive_add_working_days(cal, start, n)
    return len(cases) / (time.perf_counter() - began)


def main() -> int:
    began = time.perf_counter()
    cal = build_calendar(YEARS)
    built = time.perf_counter() - began
    rng = random.Random(SEED)
    local_cases = make_cases(CASES, rng, VIETNAM_TZ)
    utc_cases = [(start.astimezone(dt.UTC), n) for start, n in local_cases]
    naive_cases = local_cases[:NAIVE_CASES]

    mismatches = [
        (start, n)
        for start, n in naive_cases
        if clock.add_working_days(cal, start, n) != naive_add_working_days(cal, start, n)
    ]
    local_rate = per_second(cal, local_cases, ROUNDS)
    utc_rate = per_second(cal, utc_cases, ROUNDS)
    naive_rate = naive_per_second(cal, naive_cases)

    print(f"workdays: calendar {YEARS.start}–{YEARS.stop - 1} built in {built * 1000:.0f} ms")
    print(f"  add_working_days, moments in Asia/Ho_Chi_Minh: {local_rate:>12,.0f} /s")
    print(f"  add_working_days, moments in UTC (from the DB): {utc_rate:>11,.0f} /s")
    print(f"  naive day-by-day loop:                          {naive_rate:>11,.0f} /s")
    print(f"  ratio (precomputed / naive):                    {local_rate / naive_rate:>11,.1f} ×")
    ok = min(local_rate, utc_rate) >= TARGET_PER_SECOND and not mismatches
    verdict = "OK" if ok else "FAIL"
    print(f"  target ≥ {TARGET_PER_SECOND:,} /s and agreement on {len(naive_cases):,} cases: {verdict}")
    for start, n in mismatches[:5]:
        print(f"  MISMATCH: {start.isoformat()} + {n} working days")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
