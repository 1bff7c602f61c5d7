"""A province with five years of dossiers for the statistics benchmark (bench/reports.py).

The lifecycle benchmark's world (bench/support/world.py: Phú Thọ with the ward of Việt Trì, its
officers and a birth registration) grown into the whole province: the division loader adds all
148 communes and their service centres, 18 provincial departments are created, and a catalogue
of 24 commune-level procedures (offered by every commune) and 4 province-level procedures per
department. Then the dossiers, written set-based (PostgreSQL: one ``INSERT … SELECT`` over
``generate_series``, the table's indexes and constraints dropped before and built again after;
SQLite: ``bulk_create``), spread evenly over 2021–2025 and derived from the row number by
hashes, so the same rows come out every run:

- any of the 166 deciding agencies, their procedures used unevenly (the first ones most);
- online from 30 % of dossiers in 2021 to 70 % in 2025, 3 % by post, the rest at the counter;
- 85 % resolved early, 10 % on the due day, 3 % late, 1 % refused, 1 % stopped; whatever would
  end after 01/01/2026 is still in progress; resolved ones returned a day later.

The summaries are then counted from the dossiers' own columns, set-based, with the rules of
``reports.flows`` (``history_summaries.summarise_facts``); the lifecycle would have written them
from the events, which generated rows do not have.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, connections

from bench.support.world import World, birth_registration, build_world
from motcua.agencies import services as agency_services
from motcua.agencies.divisions import load_divisions
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.catalog.fees import FeeItem
from motcua.catalog.importer import import_procedure
from motcua.catalog.models import AgencyProcedure, OnlineLevel, ProcedureVersion
from motcua.catalog.national_records import ParsedChannel
from motcua.catalog.time_limits import TimeLimit, TimeUnit
from motcua.dossiers.models import DeliveryMethod, Dossier, DossierState
from motcua.reports import ledger
from motcua.reports.flows import FlowBook, ImportedFacts, RatingBook, book_imported
from motcua.reports.history_summaries import TIME_ZONE, summarise_facts
from motcua.reports.models import ImportedStatus
from motcua.workdays.workcalendar import VIETNAM_TZ

FIRST = dt.datetime(2021, 1, 1, tzinfo=VIETNAM_TZ)
NOW = dt.datetime(2026, 1, 1, tzinfo=VIETNAM_TZ)
DEPARTMENTS = (
    "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Xây dựng",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Công an tỉnh", "Thuế tỉnh",
    "Bảo hiểm xã hội tỉnh", "Ban Quản lý các khu công nghiệp", "Sở Ngoại vụ",
)  # fmt: skip
COMMUNE_SECTORS = ("Hộ tịch", "Chứng thực", "Đất đai", "Hoạt động xây dựng", "Giảm nghèo", "Hộ kinh doanh")
COMMUNE_PROCEDURES = 24
DEPARTMENT_PROCEDURES = 4
LIMITS = (1, 3, 5, 7, 10, 15, 20)
#: The lookup code of every generated dossier (the public tracking page is not benchmarked).
LOOKUP = "BENCH234"


Catalogue = list[tuple[Agency, list[tuple[AgencyProcedure, ProcedureVersion, int, int]]]]


@dataclasses.dataclass
class Province:
    world: World
    province: Agency
    communes: list[Agency]
    departments: list[Agency]
    catalogue: Catalogue = dataclasses.field(default_factory=list)


def build_province() -> Province:
    world = build_world()
    load_divisions(province_codes=[world.province.division_code])
    province = Agency.objects.get(pk=world.province.pk)
    departments = [
        agency_services.create_agency(
            parent=province,
            name=f"{name} tỉnh Phú Thọ",
            short_name=name,
            kind=AgencyKind.DEPARTMENT,
            level=AgencyLevel.PROVINCE,
        )
        for name in DEPARTMENTS
    ]
    communes = list(Agency.objects.filter(parent=province, kind=AgencyKind.COMMUNE).order_by("division_code"))
    built = Province(world, province, communes, departments)
    built.catalogue = build_catalogue(built)
    return built


def _procedure(code: str, name: str, sector: str, level: str, limit: int, fee: int) -> ProcedureVersion:
    base = birth_registration()
    fees = (FeeItem(fee, kind="Lệ phí"),) if fee else ()

    def channel(which: ParsedChannel) -> ParsedChannel:
        return dataclasses.replace(which, time_limit=TimeLimit(limit, TimeUnit.WORKING_DAYS), fees=fees)

    parsed = dataclasses.replace(
        base, code=code, name=name, sector=sector, levels=(level,), channels=tuple(channel(c) for c in base.channels)
    )
    import_procedure(parsed, today=dt.date(2020, 12, 1))
    return ProcedureVersion.objects.get(procedure__code=code, valid_to__isnull=True)


def build_catalogue(
    province: Province,
) -> list[tuple[Agency, list[tuple[AgencyProcedure, ProcedureVersion, int, int]]]]:
    """Every deciding agency with its offers (offer, version, time limit in days, fee), most used first."""
    commune_versions = [
        (
            _procedure(
                f"1.90{index:04d}", f"Thủ tục cấp xã số {index}", COMMUNE_SECTORS[index % 6], "commune",
                LIMITS[index % 7], 0 if index % 3 else 20_000,
            ),
            LIMITS[index % 7],
            0 if index % 3 else 20_000,
        )
        for index in range(COMMUNE_PROCEDURES)
    ]  # fmt: skip
    offers: list[AgencyProcedure] = []
    plan: list[tuple[Agency, list[tuple[ProcedureVersion, int, int]]]] = []
    for commune in province.communes:
        plan.append((commune, commune_versions))
    for number, department in enumerate(province.departments):
        versions = [
            (
                _procedure(
                    f"1.91{number:02d}{index:02d}", f"Thủ tục của {department.short_name} số {index}",
                    f"Lĩnh vực của {department.short_name}", "province", LIMITS[(number + index) % 7],
                    50_000 * (index % 2),
                ),
                LIMITS[(number + index) % 7],
                50_000 * (index % 2),
            )
            for index in range(DEPARTMENT_PROCEDURES)
        ]  # fmt: skip
        plan.append((department, versions))
    existing = set(AgencyProcedure.objects.values_list("agency_id", "procedure_id"))
    for agency, versions in plan:
        for rank, (version, _limit, fee) in enumerate(versions):
            if (agency.pk, version.procedure_id) not in existing:
                offers.append(
                    AgencyProcedure(
                        agency=agency,
                        procedure_id=version.procedure_id,
                        online_level=OnlineLevel.FULL if rank % 3 != 2 else OnlineLevel.PARTIAL,
                        offers_online_payment=bool(fee),
                        offers_postal_return=True,
                    )
                )
    AgencyProcedure.objects.bulk_create(offers)
    by_key = {(o.agency_id, o.procedure_id): o for o in AgencyProcedure.objects.all()}
    return [
        (agency, [(by_key[(agency.pk, v.procedure_id)], v, limit, fee) for v, limit, fee in versions])
        for agency, versions in plan
    ]


def _centre_of(agency: Agency, province: Province) -> int:
    centre = Agency.objects.filter(parent=agency, kind=AgencyKind.SERVICE_CENTRE).values_list("pk", flat=True).first()
    if centre is None:
        centre = Agency.objects.filter(parent=province.province, kind=AgencyKind.SERVICE_CENTRE).values_list(
            "pk", flat=True
        )[0]
    return centre


def _tables(
    province: Province, catalogue: list[tuple[Agency, list[tuple[AgencyProcedure, ProcedureVersion, int, int]]]]
) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    variants = dict(ProcedureVersion.objects.filter(variants__is_default=True).values_list("pk", "variants__pk"))
    agencies: list[tuple[int, ...]] = []
    offers: list[tuple[int, ...]] = []
    for index, (agency, items) in enumerate(catalogue):
        agencies.append((index, agency.pk, _centre_of(agency, province), len(offers), len(items)))
        for offer, version, limit, fee in items:
            offers.append((len(offers), offer.pk, version.pk, variants[version.pk], limit, fee))
    return agencies, offers


# --- PostgreSQL: set-based ------------------------------------------------------------------------

_INSERT = """
WITH s AS (
    SELECT g, (g * 2654435761) %% 4294967291 AS h1, (g * 40503 + 17) %% 1000003 AS h2,
        (g * 69069 + 1) %% 1000033 AS h3
    FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS g
), t AS (
    SELECT s.*, a.agency_id, a.centre_id, o.agency_procedure_id, o.procedure_version_id, o.variant_id,
        o.limit_days, o.fee,
        %(first)s::timestamptz + make_interval(secs => (g - 1) * %(span)s / %(count)s) AS received
    FROM s
    JOIN bench_agency a ON a.ai = s.h1 %% %(agencies)s
    JOIN bench_offer o ON o.n = a.first_offer + floor(a.offers * power(s.h2 / 1000003.0, 2))::int
), u AS (
    SELECT t.*, received + make_interval(days => limit_days) AS due,
        CASE WHEN h2 %% 1000 < 300 + 400 * g / %(count)s THEN 'online'
             WHEN h2 %% 1000 < 330 + 400 * g / %(count)s THEN 'post' ELSE 'counter' END AS channel,
        h3 %% 1000 AS outcome
    FROM t
), v AS (
    SELECT u.*,
        CASE WHEN outcome < 850
             THEN received + make_interval(secs => (h3 %% 97) / 97.0 * greatest(limit_days - 1, 0) * 86400)
             WHEN outcome < 950 THEN due - interval '2 hours'
             WHEN outcome < 980 THEN due + make_interval(days => (1 + h3 %% 10)::int)
             ELSE received + interval '1 day' END AS ends,
        CASE WHEN outcome < 980 THEN 'resolved' WHEN outcome < 990 THEN 'refused' ELSE 'stopped' END AS ending
    FROM u
), w AS (
    SELECT v.*, (ends < %(now)s::timestamptz) AS ended,
        CASE WHEN ends > due THEN 'late'
             WHEN (ends AT TIME ZONE %(tz)s)::date < (due AT TIME ZONE %(tz)s)::date THEN 'early'
             ELSE 'on_time' END AS verdict
    FROM v
)
INSERT INTO dossiers_dossier (
    created_at, updated_at, code, lookup_secret, state, lock_version, procedure_version_id, variant_id,
    agency_procedure_id, channel, receiving_unit_id, competent_agency_id, returning_unit_id, applicant_id,
    applicant_kind, applicant_name, applicant_id_number, applicant_address, applicant_phone, applicant_email,
    representative_name, representative_id_number, representative_relation, form_answers, fee_items, fees_due,
    fees_paid, fees_paid_at, delivery_method, delivery_address, postal_tracking_number, time_limit_unit,
    time_limit_amount, applies_afternoon_cutoff, submitted_at, received_at, clock_started_at, legal_due_at,
    appointment_at, paused_at, resolved_at, returned_at, ended_at, verdict, supplement_phase,
    supplement_requested_at, reception_supplements, processing_supplements, extensions, current_stage,
    reminder_level, reminded_for_due, event_count, last_event_hash, idempotency_key, search_text
)
SELECT received, received, 'B' || g, %(lookup)s,
    CASE WHEN NOT ended THEN 'in_progress' WHEN ending = 'resolved' AND ends + interval '1 day' < %(now)s::timestamptz
         THEN 'returned' WHEN ending = 'resolved' THEN 'result_ready' ELSE ending END,
    0, procedure_version_id, variant_id, agency_procedure_id, channel, centre_id, agency_id, centre_id, NULL,
    'citizen', 'Công dân ' || g, '001099012345', '', '', '', '', '', '', '{}'::jsonb, '[]'::jsonb, fee,
    0, NULL, CASE WHEN channel = 'online' THEN 'online' ELSE 'counter' END, '', '', 'working_days',
    limit_days, FALSE, received, received, received, due,
    due, NULL, CASE WHEN ended AND ending IN ('resolved', 'refused') THEN ends END,
    CASE WHEN ended AND ending = 'resolved' AND ends + interval '1 day' < %(now)s::timestamptz
         THEN ends + interval '1 day' END,
    CASE WHEN NOT ended THEN NULL WHEN ending = 'resolved' AND ends + interval '1 day' < %(now)s::timestamptz
         THEN ends + interval '1 day' WHEN ending = 'resolved' THEN NULL ELSE ends END,
    CASE WHEN ended AND ending IN ('resolved', 'refused') THEN verdict ELSE '' END, '',
    NULL, 0, 0, 0, 3, 0, NULL, 0, '', NULL, ''
FROM w
"""

#: The summaries' facts, read from the dossiers' own columns (``history_summaries.FACT_COLUMNS``).
FACTS = f"""
    SELECT d.competent_agency_id AS agency_id, v.sector_id, v.procedure_id, d.channel,
        (d.received_at AT TIME ZONE '{TIME_ZONE}')::date AS received_on,
        (d.legal_due_at AT TIME ZONE '{TIME_ZONE}')::date AS due_on,
        CASE WHEN d.state IN ('result_ready', 'returned', 'refused', 'stopped', 'closed')
             THEN (COALESCE(d.resolved_at, d.ended_at) AT TIME ZONE '{TIME_ZONE}')::date END AS exit_on,
        CASE WHEN d.state IN ('result_ready', 'returned') THEN 'resolved_' || d.verdict
             WHEN d.state IN ('refused', 'stopped', 'closed') THEN d.state END AS exit_counter,
        CASE WHEN d.state IN ('result_ready', 'returned') AND d.verdict = 'late' THEN 1 ELSE 0 END AS late_766,
        (d.returned_at AT TIME ZONE '{TIME_ZONE}')::date AS returned_on,
        CASE WHEN d.delivery_method = 'online' THEN 1 ELSE 0 END AS returned_online,
        CASE WHEN ap.online_level = 'full' THEN 1 ELSE 0 END AS full_online_offer,
        CASE WHEN d.fees_due > 0 THEN 1 ELSE 0 END AS with_fees,
        NULL::date AS paid_online_on, NULL::integer AS rating, NULL::date AS rated_on
    FROM dossiers_dossier d
    JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
    JOIN catalog_agencyprocedure ap ON ap.id = d.agency_procedure_id
    WHERE d.received_at IS NOT NULL
"""  # noqa: S608 - constants of ours


def _run_parallel(jobs: list[Callable[[], None]]) -> None:
    """Run ``jobs`` two at a time (the machines have two cores), each thread with its own connection."""
    queue = list(jobs)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            while True:
                with lock:
                    if not queue or errors:
                        return
                    job = queue.pop(0)
                job()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _execute(sql: str, log: Callable[[str], None] = lambda message: None) -> Callable[[], None]:
    def job() -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            # Two builds side by side already use both cores.
            cursor.execute("SET max_parallel_maintenance_workers = 0")
            for statement in sql.split("; "):
                cursor.execute(statement)
        log(f"    {time.perf_counter() - started:5.1f} s {sql[:90]}")

    return job


def _detach(cursor: Any, table: str, *, primary: bool = False) -> tuple[list[str], list[str]]:
    """Drop ``table``'s secondary indexes and its unique and foreign-key constraints (and, with
    ``primary``, its primary key): a bulk load builds them faster afterwards. Returns the
    statements that build the indexes again, and those that attach the keys, add the foreign keys
    (NOT VALID) and validate them once the rows and indexes are there."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f', %s)",
        [table, "p" if primary else "u"],
    )
    constraints = cursor.fetchall()
    for name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # Keys are built as plain unique indexes (a SHARE lock, which other index builds and reads
    # share) and attached as constraints afterwards (ALTER TABLE locks the table against them).
    keys = [(n, d, k) for n, d, k in constraints if k in ("u", "p")]
    rebuild = [f'CREATE UNIQUE INDEX "{n}" ON {table} ({d.split("(", 1)[1]}' for n, d, _k in keys]
    rebuild += [definition for _name, definition in indexes]
    attach = [
        f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {"PRIMARY KEY" if k == "p" else "UNIQUE"} USING INDEX "{n}"'
        for n, _d, k in keys
    ]
    attach += [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d} NOT VALID' for n, d, k in constraints if k == "f"]
    attach += [f'ALTER TABLE {table} VALIDATE CONSTRAINT "{n}"' for n, _d, k in constraints if k == "f"]
    return rebuild, attach


def generate_postgresql(province: Province, count: int, *, log: Callable[[str], None] = lambda message: None) -> None:
    """Write ``count`` dossiers and their summaries; the tables' indexes are built after the rows."""
    started = time.perf_counter()

    def phase(name: str) -> None:
        log(f"  {name}: {time.perf_counter() - started:.1f} s")

    agencies, offers = _tables(province, province.catalogue)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_agency (ai int PRIMARY KEY, agency_id bigint, centre_id bigint, "
            "first_offer int, offers int)"
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_offer (n int PRIMARY KEY, agency_procedure_id bigint, "
            "procedure_version_id bigint, variant_id bigint, limit_days int, fee int)"
        )
        cursor.executemany("INSERT INTO bench_agency VALUES (%s, %s, %s, %s, %s)", agencies)
        cursor.executemany("INSERT INTO bench_offer VALUES (%s, %s, %s, %s, %s, %s)", offers)
        dossier_indexes, dossier_constraints = _detach(cursor, "dossiers_dossier")
        flow_indexes, flow_constraints = _detach(cursor, "reports_flowsummary", primary=True)
        rating_indexes, rating_constraints = _detach(cursor, "reports_ratingsummary", primary=True)
        summary_indexes = [*flow_indexes, *rating_indexes]
        phase("catalogue")
    span = int((NOW - FIRST).total_seconds())
    values: dict[str, Any] = {
        "count": count, "first": FIRST, "span": span, "agencies": len(agencies), "now": NOW, "tz": TIME_ZONE,
        "lookup": LOOKUP,
    }  # fmt: skip

    def write(low: int, high: int) -> Callable[[], None]:
        def job() -> None:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
                cursor.execute(_INSERT, {**values, "low": low, "high": high})

        return job

    # INSERT … SELECT runs on one core: two halves side by side.
    _run_parallel([write(1, count // 2), write(count // 2 + 1, count)])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_agency, bench_offer")
    phase("dossiers written")

    def summaries() -> None:
        with connection.cursor() as cursor:
            # The index builds keep the other core busy: parallel workers would only add overhead.
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        summarise_facts(FACTS, [], fresh=True)
        phase("summaries counted")
        for sql in summary_indexes:
            _execute(sql, log)()

    # The summaries first (the longest job), the dossiers' indexes alongside, two at a time.
    _run_parallel([summaries, *(_execute(sql, log) for sql in dossier_indexes)])
    phase("indexes built")
    with connection.cursor() as cursor:
        for sql in (*flow_constraints, *rating_constraints, *dossier_constraints):
            cursor.execute(sql)
        phase("keys attached, foreign keys validated")
        cursor.execute("VACUUM (ANALYZE) dossiers_dossier")
        cursor.execute("VACUUM (ANALYZE) reports_flowsummary")
        phase("vacuumed")


# --- SQLite: the same distribution, through the ORM -------------------------------------------------


def generate_sqlite(province: Province, count: int) -> None:
    agencies, offers = _tables(province, province.catalogue)
    span = (NOW - FIRST).total_seconds()
    rows, book, ratings = [], FlowBook(), RatingBook()
    full = {o.pk for _a, items in province.catalogue for o, *_ in items if o.online_level == OnlineLevel.FULL}
    versions = {v.pk: (v.sector_id, v.procedure_id) for v in ProcedureVersion.objects.all()}
    for g in range(1, count + 1):
        h1, h2, h3 = (g * 2654435761) % 4294967291, (g * 40503 + 17) % 1000003, (g * 69069 + 1) % 1000033
        _ai, agency_id, centre_id, first_offer, n_offers = agencies[h1 % len(agencies)]
        _n, offer_id, version_id, variant_id, limit, fee = offers[first_offer + int(n_offers * (h2 / 1000003.0) ** 2)]
        received = FIRST + dt.timedelta(seconds=(g - 1) * span / count)
        due = received + dt.timedelta(days=limit)
        share = h2 % 1000
        channel = (
            "online" if share < 300 + 400 * g // count else "post" if share < 330 + 400 * g // count else "counter"
        )
        outcome = h3 % 1000
        if outcome < 850:
            ends = received + dt.timedelta(seconds=(h3 % 97) / 97.0 * max(limit - 1, 0) * 86400)
        elif outcome < 950:
            ends = due - dt.timedelta(hours=2)
        elif outcome < 980:
            ends = due + dt.timedelta(days=1 + h3 % 10)
        else:
            ends = received + dt.timedelta(days=1)
        ending = "resolved" if outcome < 980 else "refused" if outcome < 990 else "stopped"
        verdict = "late" if ends > due else "early" if ends.date() < due.date() else "on_time"
        ended = ends < NOW
        returned = ended and ending == "resolved" and ends + dt.timedelta(days=1) < NOW
        state: str = DossierState.IN_PROGRESS
        if ended:
            state = DossierState.RETURNED if returned else DossierState.RESULT_READY if ending == "resolved" else ending
        rows.append(
            Dossier(
                code=f"B{g}", lookup_secret=LOOKUP, state=state, procedure_version_id=version_id,
                variant_id=variant_id, agency_procedure_id=offer_id, channel=channel, receiving_unit_id=centre_id,
                competent_agency_id=agency_id,
                returning_unit_id=centre_id, applicant_name=f"Công dân {g}", applicant_id_number="001099012345",
                fees_due=fee, delivery_method=DeliveryMethod.ONLINE if channel == "online" else DeliveryMethod.COUNTER,
                time_limit_unit="working_days", time_limit_amount=limit, submitted_at=received, received_at=received,
                clock_started_at=received, legal_due_at=due, appointment_at=due,
                resolved_at=ends if ended and ending != "stopped" else None,
                returned_at=ends + dt.timedelta(days=1) if returned else None,
                ended_at=(ends + dt.timedelta(days=1) if returned else None)
                if ending == "resolved"
                else (ends if ended else None),
                verdict=verdict if ended and ending != "stopped" else "", current_stage=3,
            )
        )  # fmt: skip
        status = {"resolved": ImportedStatus.RETURNED if returned else ImportedStatus.RESOLVED}.get(ending, ending)
        sector, procedure = versions[version_id]
        facts = ImportedFacts(
            agency_id, sector, procedure, channel, received, due, ends if ended else None,
            ends + dt.timedelta(days=1) if returned else None, status if ended else ImportedStatus.IN_PROGRESS,
            verdict if ended and ending == "resolved" else "", "online" if channel == "online" else "counter", None,
            offer_id in full,
        )  # fmt: skip
        book_imported(facts, book, ratings)
    Dossier.objects.bulk_create(rows, batch_size=2_000)
    ledger.write_flows(book)
