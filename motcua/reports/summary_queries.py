"""Sums of the summary tables up to given days, for one or several agencies (DOMAIN.md §8).

``flow_sums`` answers "every flow up to the end of each of these days, per sector and procedure
(or per agency)" with one SQL statement: a UNION ALL of the index ranges that
``periods.prefix_weights`` names, each row weighted for each day, summed once. A report needs the
sums up to the day before its period and up to its last day; a trend needs one per month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from motcua.reports.models import FLOW_COUNTERS, RATING_COUNTERS, FlowSummary, Part, RatingSummary
from motcua.reports.periods import prefix_weights

#: The receptions per channel; their total is added to the sums as ``received``.
RECEIVED = ("received_online", "received_counter", "received_post")
#: What a flow sum can be grouped by.
FLOW_GROUPS = frozenset({"scope_id", "sector_id", "procedure_id"})


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose dossiers: ``agency_ids``' own, and with ``with_units`` those of every unit below them."""

    agency_ids: tuple[int, ...]
    with_units: bool = True

    @property
    def parts(self) -> tuple[str, ...]:
        return (Part.OWN.value, Part.UNITS.value) if self.with_units else (Part.OWN.value,)


SumRow = dict[str, object]


def flow_sums(
    scope: Scope,
    days: Sequence[dt.date],
    *,
    group_by: Sequence[str] = ("sector_id", "procedure_id"),
    counters: Sequence[str] = FLOW_COUNTERS,
) -> list[tuple[tuple[object, ...], list[dict[str, int]]]]:
    """Per group: for each day of ``days``, the sum of every counter up to its end (plus ``received``)."""
    if not set(group_by) <= FLOW_GROUPS or not set(counters) <= set(FLOW_COUNTERS):
        raise ValueError("unknown group or counter")
    rows = _sums(FlowSummary._meta.db_table, scope, days, tuple(group_by), tuple(counters))
    if set(RECEIVED) <= set(counters):
        for _key, per_day in rows:
            for sums in per_day:
                sums["received"] = sum(sums[name] for name in RECEIVED)
    return rows


def rating_sums(
    scope: Scope, days: Sequence[dt.date], *, group_by: Sequence[str] = (), counters: Sequence[str] = RATING_COUNTERS
) -> list[tuple[tuple[object, ...], list[dict[str, int]]]]:
    if not set(group_by) <= {"scope_id"} or not set(counters) <= set(RATING_COUNTERS):
        raise ValueError("unknown group or counter")
    return _sums(RatingSummary._meta.db_table, scope, days, tuple(group_by), tuple(counters))


def _sums(
    table: str, scope: Scope, days: Sequence[dt.date], group_by: tuple[str, ...], counters: tuple[str, ...]
) -> list[tuple[tuple[object, ...], list[dict[str, int]]]]:
    if not scope.agency_ids or not days:
        return []
    ranges = prefix_weights(days)
    if not ranges:
        return []
    k = len(days)
    weight_names = [f"w{index}" for index in range(k)]
    selected = [*group_by, *counters]
    branches: list[str] = []
    params: list[Any] = []
    scope_marks = ", ".join(["%s"] * len(scope.agency_ids))
    part_marks = ", ".join(["%s"] * len(scope.parts))
    for item in ranges:
        weights = ", ".join(f"%s AS {name}" for name in weight_names)
        branches.append(
            f"SELECT {', '.join(selected)}, {weights} FROM {table} "  # noqa: S608 - our names
            f"WHERE scope_id IN ({scope_marks}) AND grain = %s AND period_start >= %s AND period_start < %s "
            f"AND part IN ({part_marks})"
        )
        params += [*item.weights, *scope.agency_ids, item.grain, item.low, item.high, *scope.parts]
    sums = ", ".join(f"SUM({counter} * {weight})" for counter in counters for weight in weight_names)
    grouping = f" GROUP BY {', '.join(group_by)}" if group_by else ""
    sql = f"SELECT {', '.join([*group_by, sums])} FROM ({' UNION ALL '.join(branches)}) AS weighted{grouping}"  # noqa: S608
    results = []
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic() if postgresql else nullcontext(), connection.cursor() as cursor:
        if postgresql:
            # A few thousand rows read through an index: launching parallel workers would cost
            # three times the query itself.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            key, values = tuple(row[: len(group_by)]), row[len(group_by) :]
            if not group_by and all(value is None for value in values):
                continue
            per_day = [
                {counter: int(values[position * k + index] or 0) for position, counter in enumerate(counters)}
                for index in range(k)
            ]
            results.append((key, per_day))
    return results
