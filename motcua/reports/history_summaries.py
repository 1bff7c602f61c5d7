"""Counting imported past dossiers into the summaries, by the rules of ``flows.py`` (DOMAIN.md §8).

An imported dossier is booked as its events would have been: received on its reception day,
ended (resolved with its verdict, refused, stopped or closed) on the day it was resolved,
returned on its return day, past its deadline from its due day to its end, rated on the day
of its last step. On SQLite every row is booked in Python (``flows.book_imported``); on
PostgreSQL one set-based statement does the same for a whole file (``summarise_facts``), and
``manage.py check_summaries`` proves the two agree, since it recounts in Python.

``summarise_facts`` takes any SELECT with the columns of ``FACT_COLUMNS``: the import uses it on
its rows, the benchmark on generated dossiers.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from motcua.catalog.models import AgencyProcedure, OnlineLevel
from motcua.reports import ledger
from motcua.reports.flows import FlowBook, ImportedFacts, RatingBook, book_imported
from motcua.reports.models import FLOW_COUNTERS, RATING_COUNTERS, FlowSummary, ImportedDossier, RatingSummary

TIME_ZONE = "Asia/Ho_Chi_Minh"

#: What a facts SELECT gives per dossier (dates are Vietnamese calendar days).
FACT_COLUMNS = (
    "agency_id",  # competent agency
    "sector_id",
    "procedure_id",
    "channel",
    "received_on",
    "due_on",  # NULL: no due moment
    "exit_on",  # NULL: still open
    "exit_counter",  # resolved_early / resolved_on_time / resolved_late / refused / stopped / closed
    "late_766",  # 1: late for the 766 index
    "returned_on",
    "returned_online",  # 1: returned online
    "full_online_offer",  # 1: the procedure was offered fully online
    "with_fees",  # 1: fees to pay
    "paid_online_on",  # NULL: not paid online
    "rating",  # NULL, or the overall level 1–3
    "rated_on",
)


def summarise_imported(*, batch_id: int | None) -> None:
    """Add the imported dossiers of ``batch_id`` (None: all of them) to the summaries."""
    if connection.vendor == "postgresql":
        where = "WHERE i.batch_id = %s" if batch_id is not None else ""
        summarise_facts(
            _imported_facts_sql(f"reports_importeddossier i {where}"), [batch_id] if batch_id is not None else []
        )
        return
    queryset = ImportedDossier.objects.all() if batch_id is None else ImportedDossier.objects.filter(batch_id=batch_id)
    full = set(AgencyProcedure.objects.filter(online_level=OnlineLevel.FULL).values_list("agency_id", "procedure_id"))
    book, ratings = FlowBook(), RatingBook()
    for row in queryset.iterator(chunk_size=5_000):
        book_imported(imported_facts(row, full), book, ratings)
    ledger.write_flows(book)
    ledger.write_ratings(ratings)


def imported_facts(row: ImportedDossier, full_online: set[tuple[int, int]]) -> ImportedFacts:
    return ImportedFacts(
        agency_id=row.agency_id,
        sector_id=row.sector_id,
        procedure_id=row.procedure_id,
        channel=row.channel,
        received_at=row.received_at,
        due_at=row.due_at,
        resolved_at=row.resolved_at,
        returned_at=row.returned_at,
        status=row.status,
        verdict=row.verdict,
        delivery=row.delivery,
        rating=row.rating,
        full_online_offer=(row.agency_id, row.procedure_id) in full_online,
    )


def summarise_staged(staging: str) -> None:
    """Add the rows of an import's staging table (moments in Vietnamese wall-clock time) to the
    summaries (PostgreSQL; ``services.history``): the rows just loaded, without reading them back."""
    summarise_facts(_imported_facts_sql(f"{staging} i", wall_clock=True), [])


def _imported_facts_sql(source: str, *, wall_clock: bool = False) -> str:
    def day(column: str) -> str:
        return f"({column})::date" if wall_clock else f"(({column}) AT TIME ZONE '{TIME_ZONE}')::date"

    return f"""
        SELECT i.agency_id, i.sector_id, i.procedure_id, i.channel,
               {day("i.received_at")} AS received_on,
               {day("i.due_at")} AS due_on,
               CASE WHEN i.status <> 'in_progress' THEN {day("i.resolved_at")} END AS exit_on,
               CASE WHEN i.status IN ('resolved', 'returned') THEN 'resolved_' || i.verdict
                    WHEN i.status = 'in_progress' THEN NULL ELSE i.status END AS exit_counter,
               CASE WHEN i.status IN ('resolved', 'returned') AND i.verdict = 'late' THEN 1 ELSE 0 END AS late_766,
               {day("i.returned_at")} AS returned_on,
               CASE WHEN i.delivery = 'online' THEN 1 ELSE 0 END AS returned_online,
               CASE WHEN ap.online_level = 'full' THEN 1 ELSE 0 END AS full_online_offer,
               0 AS with_fees,
               NULL::date AS paid_online_on,
               i.rating,
               {day("COALESCE(i.returned_at, i.resolved_at, i.received_at)")} AS rated_on
        FROM {source}
        LEFT JOIN catalog_agencyprocedure ap ON ap.agency_id = i.agency_id AND ap.procedure_id = i.procedure_id
    """  # noqa: S608 - only our own table and column names are formatted in


def summarise_facts(facts_sql: str, params: Sequence[Any], *, fresh: bool = False) -> None:
    """Add the dossiers of ``facts_sql`` (columns ``FACT_COLUMNS``) to the summaries, set-based (PostgreSQL).

    The facts are read once into a narrow work table; each kind of booking (receptions, ends,
    returns, payments, deadlines passed, ratings) is then counted per agency, procedure and day
    by its own aggregate, the counts summed into one row per day, then per month and per year;
    the summary rows of each period length, for the agency and for its ancestors, are sums of
    those, added to what the summaries already hold, in the order of the summaries' key (rows a
    report reads together lie together on disk). The work tables are ordinary unlogged tables
    (temporary ones cannot be read by parallel workers), dropped at the end of the transaction.
    ``fresh``: the summary tables are empty (a rebuild, the benchmark), so rows are only inserted.
    """
    work = f"summary_work_{secrets.token_hex(4)}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '512MB'")
        cursor.execute(f"CREATE UNLOGGED TABLE {work}_facts AS {facts_sql}", list(params))
        cursor.execute(_daily_sql(work))
        cursor.execute(_rollup_sql(work, "month", "day"))
        cursor.execute(_rollup_sql(work, "year", "month"))
        for grain in ("day", "month", "year"):
            for units in (False, True):
                cursor.execute(_rows_sql(work, grain, units=units, fresh=fresh))
                cursor.execute(_ratings_sql(work, grain, units=units, fresh=fresh))
        cursor.execute(f"DROP TABLE {work}_facts, {work}_day, {work}_month, {work}_year")


RATED = ("rated_1", "rated_2", "rated_3")
_DAILY = (*FLOW_COUNTERS, *RATED)
_OVERDUE_FROM = "GREATEST(received_on, due_on)"
#: Each kind of booking: the day it falls on, which facts have it, and the counters it adds to.
_BOOKINGS: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "received_on",
        "TRUE",
        {
            "received_online": "count(*) FILTER (WHERE channel = 'online')",
            "received_counter": "count(*) FILTER (WHERE channel NOT IN ('online', 'post'))",
            "received_post": "count(*) FILTER (WHERE channel = 'post')",
            "received_with_fees": "sum(with_fees)",
            "received_full_online_offer": "sum(full_online_offer)",
            "received_online_full_offer": "count(*) FILTER (WHERE full_online_offer = 1 AND channel = 'online')",
        },
    ),
    (
        "exit_on",
        "exit_on IS NOT NULL",
        {
            **{
                name: f"count(*) FILTER (WHERE exit_counter = '{name}')"
                for name in ("resolved_early", "resolved_on_time")
            },
            "resolved_late": "count(*) FILTER (WHERE exit_counter = 'resolved_late')",
            "resolved_late_766": "sum(late_766)",
            **{name: f"count(*) FILTER (WHERE exit_counter = '{name}')" for name in ("refused", "stopped", "closed")},
        },
    ),
    ("returned_on", "returned_on IS NOT NULL", {"returned": "count(*)", "returned_online": "sum(returned_online)"}),
    ("paid_online_on", "paid_online_on IS NOT NULL", {"paid_online": "count(*)"}),
    # Past the deadline from the due day (or the reception) until the end, if it came later.
    (
        _OVERDUE_FROM,
        f"due_on IS NOT NULL AND (exit_on IS NULL OR {_OVERDUE_FROM} < exit_on)",
        {"overdue_delta": "count(*)"},
    ),
    ("exit_on", f"due_on IS NOT NULL AND {_OVERDUE_FROM} < exit_on", {"overdue_delta": "-count(*)"}),
    (
        "rated_on",
        "rating IS NOT NULL",
        {f"rated_{level}": f"count(*) FILTER (WHERE rating = {level})" for level in (1, 2, 3)},
    ),
)
#: Each agency's ancestors (from its materialised path): their "units below" rows get its dossiers.
_ANCESTORS = """
    SELECT a.id AS agency_id, ancestor::bigint AS scope_id
    FROM agencies_agency a, unnest(string_to_array(trim(both '/' from a.path), '/')) AS ancestor
"""


def _parts_sql(work: str) -> str:
    """Each kind of booking counted per agency, procedure and day (a row per kind, agency, procedure, day)."""
    branches = []
    for day, where, counters in _BOOKINGS:
        values = ", ".join(
            f"({counters[name]})::int AS {name}" if name in counters else f"0 AS {name}" for name in _DAILY
        )
        branches.append(
            f"SELECT agency_id, sector_id, procedure_id, {day} AS day, {values} "  # noqa: S608 - our names
            f"FROM {work}_facts WHERE {where} GROUP BY 1, 2, 3, 4"
        )
    return " UNION ALL ".join(branches)


def _daily_sql(work: str) -> str:
    sums = ", ".join(f"SUM({name})::int AS {name}" for name in _DAILY)
    return f"""
        CREATE UNLOGGED TABLE {work}_day AS
        SELECT agency_id, sector_id, procedure_id, day, {sums} FROM ({_parts_sql(work)}) AS parts GROUP BY 1, 2, 3, 4
    """  # noqa: S608 - only our own table and column names are formatted in


def _rollup_sql(work: str, grain: str, source: str) -> str:
    sums = ", ".join(f"SUM({name})::int AS {name}" for name in _DAILY)
    return f"""
        CREATE UNLOGGED TABLE {work}_{grain} AS
        SELECT agency_id, sector_id, procedure_id, date_trunc('{grain}', day::timestamp)::date AS day, {sums}
        FROM {work}_{source} GROUP BY 1, 2, 3, 4
    """  # noqa: S608 - only our own table and column names are formatted in


def _upsert(table: str, keys: Sequence[str], counters: Sequence[str], fresh: bool) -> str:
    if fresh:
        return ""
    return f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET " + ", ".join(
        f"{name} = {table}.{name} + excluded.{name}" for name in counters
    )


def _rows_sql(work: str, grain: str, *, units: bool, fresh: bool) -> str:
    table = FlowSummary._meta.db_table
    if units:
        sums = ", ".join(f"SUM(d.{name})" for name in FLOW_COUNTERS)
        nonzero = " OR ".join(f"SUM(d.{name}) <> 0" for name in FLOW_COUNTERS)
        source = (
            f"SELECT s.scope_id, 'units', '{grain}', d.day, d.sector_id, d.procedure_id, {sums} "  # noqa: S608
            f"FROM {work}_{grain} d JOIN ({_ANCESTORS}) AS s ON s.agency_id = d.agency_id "
            f"GROUP BY 1, 4, 5, 6 HAVING {nonzero} ORDER BY 1, 4, 5, 6"
        )
    else:
        values = ", ".join(f"d.{name}" for name in FLOW_COUNTERS)
        nonzero = " OR ".join(f"d.{name} <> 0" for name in FLOW_COUNTERS)
        source = (
            f"SELECT d.agency_id, 'own', '{grain}', d.day, d.sector_id, d.procedure_id, {values} "  # noqa: S608
            f"FROM {work}_{grain} d WHERE {nonzero} ORDER BY 1, 4, 5, 6"
        )
    return f"""
        INSERT INTO {table} ({", ".join(ledger.FLOW_KEY)}, {", ".join(FLOW_COUNTERS)})
        {source}
        {_upsert(table, ledger.FLOW_KEY, FLOW_COUNTERS, fresh)}
    """


def _ratings_sql(work: str, grain: str, *, units: bool, fresh: bool) -> str:
    table = RatingSummary._meta.db_table
    levels = {f"overall_{level}": f"SUM(d.rated_{level})" for level in (1, 2, 3)}
    values = ", ".join(levels.get(name, "0") for name in RATING_COUNTERS)
    rated = " OR ".join(f"SUM(d.{name}) <> 0" for name in RATED)
    scope, part, join = (
        ("s.scope_id", "units", f"JOIN ({_ANCESTORS}) AS s ON s.agency_id = d.agency_id")
        if units
        else ("d.agency_id", "own", "")
    )
    return f"""
        INSERT INTO {table} ({", ".join(ledger.RATING_KEY)}, {", ".join(RATING_COUNTERS)})
        SELECT {scope}, '{part}', '{grain}', d.day, {values}
        FROM {work}_{grain} d {join}
        GROUP BY 1, 4
        HAVING {rated}
        {_upsert(table, ledger.RATING_KEY, RATING_COUNTERS, fresh)}
    """  # noqa: S608 - only our own table and column names are formatted in
