"""Writing booked flows into the summary tables (DOMAIN.md §8; layout in ``models.summaries``).

A flow booked for an agency on a day is added to nine rows: the agency's own row for the day,
the month and the year, and the "units below" row of each of its ancestors for the same three
periods (the agency tree's materialised path names them, so no walk). The rows are added to,
never replaced (``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``, on PostgreSQL and on
SQLite alike), so two bookings of different events commute and a batch writes each row once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from motcua.agencies.models import Agency
from motcua.reports.flows import FlowBook, RatingBook
from motcua.reports.models import FLOW_COUNTERS, RATING_COUNTERS, FlowSummary, Grain, Part, RatingSummary

FLOW_KEY = ("scope_id", "part", "grain", "period_start", "sector_id", "procedure_id")
RATING_KEY = ("scope_id", "part", "grain", "period_start")
FlowRowKey = tuple[int, str, str, dt.date, int, int]
RatingRowKey = tuple[int, str, str, dt.date]


def periods_of(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The day, month and year that contain ``day``, each named by its first day."""
    return ((Grain.DAY, day), (Grain.MONTH, day.replace(day=1)), (Grain.YEAR, day.replace(month=1, day=1)))


def ancestors_of(agency_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Each agency's ancestors' ids (one query)."""
    rows = Agency.objects.filter(pk__in=set(agency_ids)).values_list("pk", "path")
    return {pk: tuple(Agency(path=path).ancestor_ids) for pk, path in rows}


def expand_flows(book: FlowBook, ancestors: dict[int, tuple[int, ...]]) -> dict[FlowRowKey, list[int]]:
    """The summary rows ``book`` adds to, with the amounts (rows that add nothing left out)."""
    rows: dict[FlowRowKey, list[int]] = defaultdict(lambda: [0] * len(FLOW_COUNTERS))
    for key, counters in book.items():
        amounts = [counters[name] for name in FLOW_COUNTERS]
        if not any(amounts):
            continue
        scopes = [(key.agency_id, Part.OWN.value)] + [(pk, Part.UNITS.value) for pk in ancestors.get(key.agency_id, ())]
        for scope, part in scopes:
            for grain, start in periods_of(key.day):
                row = rows[(scope, part, str(grain), start, key.sector_id, key.procedure_id)]
                for index, amount in enumerate(amounts):
                    row[index] += amount
    return {key: amounts for key, amounts in rows.items() if any(amounts)}


def expand_ratings(book: RatingBook, ancestors: dict[int, tuple[int, ...]]) -> dict[RatingRowKey, list[int]]:
    rows: dict[RatingRowKey, list[int]] = defaultdict(lambda: [0] * len(RATING_COUNTERS))
    for key, counters in book.items():
        amounts = [counters[name] for name in RATING_COUNTERS]
        scopes = [(key.agency_id, Part.OWN.value)] + [(pk, Part.UNITS.value) for pk in ancestors.get(key.agency_id, ())]
        for scope, part in scopes:
            for grain, start in periods_of(key.day):
                row = rows[(scope, part, str(grain), start)]
                for index, amount in enumerate(amounts):
                    row[index] += amount
    return {key: amounts for key, amounts in rows.items() if any(amounts)}


def write_flows(book: FlowBook) -> int:
    """Add ``book`` to the flow summaries; returns the number of rows written."""
    if not book:
        return 0
    ancestors = ancestors_of(key.agency_id for key, _counters in book.items())
    rows = expand_flows(book, ancestors)
    _add(FlowSummary, FLOW_KEY, FLOW_COUNTERS, [(*key, *amounts) for key, amounts in rows.items()])
    return len(rows)


def write_ratings(book: RatingBook) -> int:
    if not book:
        return 0
    ancestors = ancestors_of(key.agency_id for key, _counters in book.items())
    rows = expand_ratings(book, ancestors)
    _add(RatingSummary, RATING_KEY, RATING_COUNTERS, [(*key, *amounts) for key, amounts in rows.items()])
    return len(rows)


def _add(model: type[Model], keys: Sequence[str], counters: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*keys, *counters]
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - our own names
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in keys)}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counters)
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
