"""Benchmarks of the statistics (issue 6): a province's five years, the reports, the import, the follower.

Run as ``.venv/bin/python bench/reports.py`` (``make bench`` runs it on SQLite and PostgreSQL).

- ``import``: first, on the new installation (Phú Thọ with its 148 communes, their centres and 18
  departments: bench/support/report_province.py), ``import_history`` of a CSV file of 400,000
  past dossiers of 2018–2020, read, checked, loaded (COPY) and counted; target ≥ 40,000 rows/s.
- ``generate``: a catalogue and 10,000,000 dossiers over 2021–2025 written set-based with their
  summaries; target < 5 min.
- ``cross_check``: the 2024 report from the summaries equals the report straight from the rows,
  for the province and for one commune (correctness at scale, not timed).
- ``standard_report``: the standard report (``get_standard_report``, the page's queries) for 120
  periods (a day to five years, anywhere in the five years) and subtrees (the province, a
  commune, a department, the ward); target p95 ≤ 20 ms.
- ``raw_one_year``: the 2024 report for the province straight from the dossiers
  (``raw_report.get_raw_report``), median of five warm runs; target < 500 ms.
- ``lag``: the follower (``manage.py update_summaries --follow``, a separate process) runs while
  dossiers are received through the lifecycle; the time from each reception's commit until the
  summaries count it, worst of five; target < 5 s.

The targets apply on PostgreSQL; on SQLite (30,000 dossiers, 20,000 imported) the figures are
printed for information and only the cross-check must hold. Exits 1 if a target is missed.
``BENCH_REPORTS_DOSSIERS=100000`` generates fewer dossiers (for trying the script out);
``BENCH_REPORTS_VERBOSE=1`` prints how long each phase of the generation took.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support.database import ROOT, bench_database, percentiles, setup_django, verdict

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.support.report_province import (  # noqa: E402
    FIRST,
    NOW,
    Province,
    build_province,
    generate_postgresql,
    generate_sqlite,
)
from motcua.agencies import services as agency_services  # noqa: E402
from motcua.agencies.models import Agency  # noqa: E402
from motcua.dossiers.attachments import store_attachment  # noqa: E402
from motcua.reports.history_csv import REQUIRED_COLUMNS  # noqa: E402
from motcua.reports.models import FlowSummary, Grain, Part  # noqa: E402
from motcua.reports.periods import Period  # noqa: E402
from motcua.reports.raw_report import get_raw_report  # noqa: E402
from motcua.reports.services import import_history  # noqa: E402
from motcua.reports.standard_report import get_standard_report  # noqa: E402
from motcua.workflow import services  # noqa: E402
from motcua.workflow.services import ApplicantDetails  # noqa: E402

DOSSIERS = {"postgresql": 10_000_000, "sqlite": 30_000}
IMPORTED = {"postgresql": 400_000, "sqlite": 20_000}
GENERATE_TARGET_S = 300.0
REPORT_TARGET_MS = 20.0
RAW_TARGET_MS = 500.0
IMPORT_TARGET = 40_000.0
LAG_TARGET_S = 5.0
REPORTS = 120
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def judged(ok: bool, strict: bool) -> str:
    return verdict(ok) if strict else "INFO"


def generate(vendor: str, province: Province) -> bool:
    started = time.perf_counter()
    count = int(os.environ.get("BENCH_REPORTS_DOSSIERS") or DOSSIERS[vendor])
    if vendor == "postgresql":
        generate_postgresql(province, count, log=print if os.environ.get("BENCH_REPORTS_VERBOSE") else lambda _: None)
    else:
        generate_sqlite(province, count)
    elapsed = time.perf_counter() - started
    rows = FlowSummary.objects.count()
    ok = elapsed < GENERATE_TARGET_S
    print(
        f"reports.generate {vendor} {elapsed:.1f} s for {count:,} dossiers and {rows:,} summary rows "
        f"(target < {GENERATE_TARGET_S:.0f} s) {judged(ok, vendor == 'postgresql')}  "
        "[dossiers, their indexes and summaries; the province loaded before]"
    )
    return ok


def cross_check(vendor: str, province: Province) -> bool:
    cases = [(province.province, Period.year(2024)), (province.communes[0], Period.month(2025, 12))]
    ok = all(get_raw_report(agency, period) == get_standard_report(agency, period) for agency, period in cases)
    total = get_standard_report(province.province, Period.year(2024)).total
    print(
        f"reports.cross_check {vendor} summaries == raw rows: {'OK' if ok else 'DIFFERENT'}  "
        f"[2024: {total.received:,} received, {total.resolved:,} resolved, on time {total.on_time_rate} %]"
    )
    return ok


def report_cases(province: Province) -> list[tuple[Agency, Period]]:
    chance = random.Random(6)
    agencies = [province.province, province.communes[0], province.departments[1], province.world.ward]
    days = (NOW - FIRST).days
    cases = []
    for index in range(REPORTS):
        length = chance.choice((1, 7, 31, 92, 366, chance.randint(1, days)))
        start = FIRST.date() + dt.timedelta(days=chance.randint(0, max(0, days - length)))
        cases.append((agencies[index % len(agencies)], Period(start, start + dt.timedelta(days=length - 1))))
    return cases


def time_reports(vendor: str, province: Province) -> bool:
    cases = report_cases(province)
    for agency, period in cases[:10]:
        get_standard_report(agency, period)
    timings = []
    for agency, period in cases:
        started = time.perf_counter()
        get_standard_report(agency, period)
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(timings)
    ok = p95 <= REPORT_TARGET_MS
    print(
        f"reports.standard_report {vendor} p50 {p50:.1f} ms p95 {p95:.1f} ms max {max(timings):.1f} ms "
        f"(target p95 ≤ {REPORT_TARGET_MS:.0f} ms) {judged(ok, vendor == 'postgresql')}  "
        f"[{len(cases)} periods from a day to five years; province, commune, department, ward]"
    )
    return ok


def time_raw(vendor: str, province: Province) -> bool:
    year = Period.year(2024)
    get_raw_report(province.province, year)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        get_raw_report(province.province, year)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    ok = median < RAW_TARGET_MS
    print(
        f"reports.raw_one_year {vendor} median {median:.0f} ms worst {max(timings):.0f} ms "
        f"(target < {RAW_TARGET_MS:.0f} ms) {judged(ok, vendor == 'postgresql')}  "
        "[2024, the whole province, 2 million dossiers, from the rows; 5 warm runs]"
    )
    return ok


def history_file(province: Province, rows: int) -> bytes:
    communes = province.communes[1:6]
    for number, commune in enumerate(communes, start=1):
        agency_services.assign_identifier_code(
            agency=commune, code=f"000.{number + 80:02d}.25.H25", valid_from=dt.date(2015, 1, 1)
        )
    codes = [f"000.{number + 80:02d}.25.H25" for number in range(1, len(communes) + 1)]
    procedures = [f"1.90{index:04d}" for index in range(24)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*REQUIRED_COLUMNS, "delivery"])
    start = dt.datetime(2018, 1, 1, 8, 0)
    step = dt.timedelta(days=365 * 3 - 40) / rows  # everything ends before the generated years begin
    for number in range(rows):
        received = start + number * step
        due = received + dt.timedelta(days=5)
        resolved = received + dt.timedelta(days=(number % 7))
        status = "returned" if number % 50 else "refused"
        returned = (resolved + dt.timedelta(hours=4)).strftime("%Y-%m-%d %H:%M") if status == "returned" else ""
        writer.writerow([
            f"LS-{number}", codes[number % len(codes)], procedures[number * 7 % len(procedures)],
            ("online", "counter", "post")[number % 3], received.strftime("%Y-%m-%d %H:%M"),
            due.strftime("%Y-%m-%d %H:%M"), resolved.strftime("%Y-%m-%d %H:%M"), returned, status,
            str(1 + number % 3) if number % 4 == 0 else "", "online" if number % 3 == 0 else "counter",
        ])  # fmt: skip
    return buffer.getvalue().encode()


def time_import(vendor: str, province: Province) -> bool:
    rows = IMPORTED[vendor]
    content = history_file(province, rows)
    started = time.perf_counter()
    batch = import_history(content=content, file_name="lich-su.csv", user=None)
    elapsed = time.perf_counter() - started
    speed = batch.rows / elapsed
    ok = speed >= IMPORT_TARGET and batch.rows == rows
    print(
        f"reports.import {vendor} {speed:,.0f} rows/s ({batch.rows:,} rows in {elapsed:.1f} s) "
        f"(target ≥ {IMPORT_TARGET:,.0f} rows/s) {judged(ok, vendor == 'postgresql')}  [read, checked, loaded, counted]"
    )
    return ok


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _received_today(ward: Agency) -> int:
    rows = FlowSummary.objects.filter(
        scope_id=ward.pk, part=Part.OWN, grain=Grain.DAY, period_start=timezone.localdate()
    ).aggregate(total=Sum("received_online"))
    return int(rows["total"] or 0)


def time_lag(vendor: str, province: Province) -> bool:
    world = province.world
    environment = {**os.environ, "TEST_DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    follower = subprocess.Popen(
        [sys.executable, "manage.py", "update_summaries", "--follow", "--interval", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lags = []
    try:
        time.sleep(4)  # start-up
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            for number in range(5):
                before = _received_today(world.ward)
                dossier = services.start_draft(
                    agency_procedure=world.offer, variant=world.variant, channel="online", receiving_unit=world.centre,
                    applicant=ApplicantDetails(name="Nguyễn Thị Lan", id_number="001099012345"),
                    applicant_user=world.citizen, created_by=world.citizen, delivery_method="counter",
                )  # fmt: skip
                for component_id in world.required_component_ids:
                    store_attachment(
                        dossier=dossier, handle=io.BytesIO(PDF), name=f"{number}.pdf", component_id=component_id
                    )
                services.submit(dossier_id=dossier.pk, user=world.citizen)
                services.receive(dossier_id=dossier.pk, user=world.receiving)
                committed = time.perf_counter()
                while _received_today(world.ward) == before and time.perf_counter() - committed < 30:
                    time.sleep(0.02)
                lags.append(time.perf_counter() - committed)
    finally:
        follower.send_signal(signal.SIGTERM)
        try:
            _out, errors = follower.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            follower.kill()
            errors = b""
    ok = max(lags) < LAG_TARGET_S and len(lags) == 5
    print(
        f"reports.lag {vendor} worst {max(lags):.2f} s mean {sum(lags) / len(lags):.2f} s "
        f"(target < {LAG_TARGET_S:.0f} s) "
        f"{judged(ok, vendor == 'postgresql')}  [manage.py update_summaries --follow, a pass a second]"
    )
    if not ok and errors:
        print(errors.decode(errors="replace")[-2000:])
    return ok


def main() -> int:
    with bench_database("reports") as vendor:
        strict = vendor == "postgresql"
        started = time.perf_counter()
        province = build_province()
        offers = sum(len(items) for _agency, items in province.catalogue)
        print(
            f"reports.setup {vendor} {time.perf_counter() - started:.1f} s INFO  [the province, its "
            f"{len(province.communes)} communes and {len(province.departments)} departments, {offers:,} offers]"
        )
        # An agency brings its past years when it starts with MotCua: the import runs on the new
        # installation (its rows, 2018–2020, precede the generated ones).
        imported = time_import(vendor, province)
        generated = generate(vendor, province)
        consistent = cross_check(vendor, province)
        results = [
            generated,
            time_reports(vendor, province),
            time_raw(vendor, province),
            imported,
            time_lag(vendor, province),
        ]
    return 0 if consistent and (all(results) or not strict) else 1


if __name__ == "__main__":
    sys.exit(main())
