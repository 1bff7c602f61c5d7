"""The standard statistics report read straight from the dossiers and the imported history.

The same figures as ``standard_report`` (DOMAIN.md §8), computed from the dossiers' own columns
instead of the summaries: received in the period, and carried over into it (received before, not
ended at its start), each with how it stood at the period's end. It serves as a cross-check of
the summaries and as the benchmark of the raw table. A dossier ends when it is resolved (its
``resolved_at``, approval or refusal after processing) or stopped or closed (``ended_at``).

It knows only a dossier's current due moment and state, so it can differ from the summaries
(which follow each event) for a dossier whose due moment moved, or whose clock stood, after the
period: a due moment moved by a later pause, a dossier paused now. Dossiers carried over from far
back are found through the partial index of long-running ones (dossiers migration 0002): read
``LONG_RUNNING_DAYS`` of receptions before the period, and the few older ones still open then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import DossierState
from motcua.reports.models import ImportedDossier, ImportedStatus
from motcua.reports.models.history import LONG_RUNNING_DAYS
from motcua.reports.periods import Period
from motcua.reports.standard_report import Figures, StandardReport, build_report
from motcua.workdays.workcalendar import VIETNAM_TZ

LONG_RUNNING = dt.timedelta(days=LONG_RUNNING_DAYS)


def midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Vietnam."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=VIETNAM_TZ)


def get_raw_report(agency: Agency, period: Period, *, with_units: bool = True) -> StandardReport:
    """The standard report of ``agency`` for ``period``, from the raw rows (six aggregate queries).

    Each query counts dossiers per procedure and a code for their channel and how they stood
    (``_code``): a few thousand groups, turned into the figures here.
    """
    start, end = midnight(period.start), midnight(period.end + dt.timedelta(days=1))
    agencies = Agency.objects.subtree_of([agency]) if with_units else Agency.objects.filter(pk=agency.pk)
    # A list, not a subquery: PostgreSQL then sees how many dossiers it reads, and compiles the
    # expressions of so large a scan (JIT) instead of interpreting them row by row.
    ids = list(agencies.values_list("pk", flat=True))
    per_procedure: dict[tuple[int, int], Figures] = defaultdict(Figures)
    native_rows = _native_groups(ids, start, end)
    versions = _versions({version for _carried, version, _code, _n in native_rows})
    for carried, version, bucket, n in native_rows:
        per_procedure[versions[version]] += _figures(bucket, n, bool(carried))
    imported = ImportedDossier.objects.filter(agency_id__in=ids).alias(exit_at=F("resolved_at"))
    imported_sets = (
        imported.filter(received_at__gte=start, received_at__lt=end),
        imported.filter(received_at__gte=start - LONG_RUNNING, received_at__lt=start),
        imported.filter(is_long_running=True, received_at__lt=start - LONG_RUNNING),
    )
    code = _code("status", IMPORTED_RESOLVED, "due_at", Q(pk__in=[]), start, end)
    for carried, queryset in enumerate(imported_sets):
        for row in _groups(queryset, ("sector_id", "procedure_id"), code):
            per_procedure[(row["sector_id"], row["procedure_id"])] += _figures(row["bucket"], row["n"], bool(carried))
    return build_report(agency, with_units, period, per_procedure)


_NATIVE_COLUMNS = "procedure_version_id, channel, state, verdict, resolved_at, ended_at, legal_due_at"
#: ``_code`` in SQL, for the dossiers (%(start)s and %(end)s are the period's bounds).
_NATIVE_CODE = """
    (CASE channel WHEN 'online' THEN 0 WHEN 'post' THEN 16 ELSE 32 END) + CASE
    WHEN resolved_at IS NULL AND ended_at IS NULL THEN
        (CASE WHEN legal_due_at < %(end)s AND state NOT IN ('paused', 'supplement_requested') THEN 1 ELSE 0 END)
    WHEN COALESCE(resolved_at, ended_at) < %(start)s THEN 2
    WHEN COALESCE(resolved_at, ended_at) < %(end)s THEN (CASE
        WHEN state IN ('result_ready', 'returned') THEN (CASE verdict WHEN 'early' THEN 3 WHEN 'late' THEN 5 ELSE 4 END)
        WHEN state = 'refused' THEN 6 WHEN state IN ('stopped', 'closed') THEN 7 ELSE 8 END)
    ELSE (CASE WHEN legal_due_at < %(end)s THEN 10 ELSE 9 END) END
"""


def _native_groups(ids: list[int], start: dt.datetime, end: dt.datetime) -> list[tuple[int, int, int, int]]:
    """(carried over?, procedure version, code, count) for the dossiers received in the period and
    those carried over into it, in one statement.

    On PostgreSQL the receptions of the period are read in two halves of the agencies, which a
    parallel append hands to two processes, and the expressions are compiled (JIT) without the
    costly optimisation passes: a year of a province (two million dossiers) in well under half a
    second on two cores. All of it from the covering indexes of dossiers migration 0002."""
    if not ids:
        return []
    postgresql = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    values: dict[str, Any] = {
        "start": adapt(start),
        "end": adapt(end),
        "recent": adapt(start - LONG_RUNNING),
    }
    halves = [ids[: len(ids) // 2], ids[len(ids) // 2 :]] if postgresql and len(ids) > 1 else [ids]
    long_running = (
        f"COALESCE(resolved_at, ended_at) - received_at > interval '{LONG_RUNNING_DAYS} days'"
        if postgresql
        else f"julianday(COALESCE(resolved_at, ended_at)) - julianday(received_at) > {LONG_RUNNING_DAYS}"
    )
    parts = []
    for index, (carried, agencies, where) in enumerate(
        [
            *((0, half, "received_at >= %(start)s AND received_at < %(end)s") for half in halves),
            (1, ids, "received_at >= %(recent)s AND received_at < %(start)s"),
            (
                1,
                ids,
                f"received_at < %(recent)s AND (COALESCE(resolved_at, ended_at) IS NULL OR {long_running})",
            ),
        ]
    ):
        marks = []
        for position, agency_id in enumerate(agencies):
            values[f"a{index}_{position}"] = agency_id
            marks.append(f"%(a{index}_{position})s")
        parts.append(
            f"SELECT {carried} AS carried, {_NATIVE_COLUMNS} FROM dossiers_dossier "  # noqa: S608 - our names
            f"WHERE competent_agency_id IN ({', '.join(marks)}) AND received_at IS NOT NULL AND {where}"
        )
    union = " UNION ALL ".join(f"SELECT * FROM ({part}) AS p{index}" for index, part in enumerate(parts))  # noqa: S608
    sql = f"SELECT carried, procedure_version_id, {_NATIVE_CODE} AS code, COUNT(*) FROM ({union}) AS d GROUP BY 1, 2, 3"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            # The connections run without JIT (config/env.py); this scan is the one that gains.
            cursor.execute("SET LOCAL jit = on")
            cursor.execute("SET LOCAL jit_inline_above_cost = -1")
            cursor.execute("SET LOCAL jit_optimize_above_cost = -1")
        cursor.execute(sql, values)
        return [(int(c), int(v), int(code), int(n)) for c, v, code, n in cursor.fetchall()]


def _versions(ids: set[int]) -> dict[int, tuple[int, int]]:
    """The sector and procedure of each procedure version (one query)."""
    rows = ProcedureVersion.objects.filter(pk__in=ids).values_list("pk", "sector_id", "procedure_id")
    return {pk: (sector, procedure) for pk, sector, procedure in rows}


#: What a group of dossiers counts as (``_code``): received by which channel …
CHANNEL_CODES = {"online": 0, "post": 16}
COUNTER_CODE = 32
RECEIVED_COUNTERS = {0: "received_online", 16: "received_post", 32: "received_counter"}
#: … and how it stood: open at the end within or past the deadline, ended before the period,
#: ended in it (and how), or ended after it (so open at its end), within or past the deadline.
OPEN_WITHIN, OPEN_OVERDUE, ENDED_BEFORE = 0, 1, 2
OUTCOMES = {
    OPEN_WITHIN: "in_progress_within",
    OPEN_OVERDUE: "in_progress_overdue",
    3: "resolved_early",
    4: "resolved_on_time",
    5: "resolved_late",
    6: "refused",
    7: "stopped",
    9: "in_progress_within",
    10: "in_progress_overdue",
}
RESOLVED_STATES = (DossierState.RESULT_READY, DossierState.RETURNED)
IMPORTED_RESOLVED = (ImportedStatus.RESOLVED, ImportedStatus.RETURNED)
STOPPED = ("stopped", "closed")  # the same words for imported dossiers
CLOCK_STANDS = (DossierState.PAUSED, DossierState.SUPPLEMENT_REQUESTED)


def _code(state: str, resolved: tuple[str, ...], due: str, stands: Q, start: dt.datetime, end: dt.datetime) -> Any:
    """One small number per dossier: channel × outcome (one CASE, so PostgreSQL groups on integers)."""
    done = Q(**{f"{state}__in": resolved})

    def number(value: int) -> Value:
        return Value(value, output_field=IntegerField())

    overdue = Q(**{f"{due}__lt": end})
    outcome = Case(
        When(exit_at__isnull=True, then=Case(When(overdue & ~stands, then=number(1)), default=number(0))),
        When(exit_at__lt=start, then=number(ENDED_BEFORE)),
        When(
            exit_at__lt=end,
            then=Case(
                When(done & Q(verdict="early"), then=number(3)),
                When(done & Q(verdict="late"), then=number(5)),
                When(done, then=number(4)),
                When(**{state: "refused"}, then=number(6)),
                When(**{f"{state}__in": STOPPED}, then=number(7)),
                default=number(8),
            ),
        ),
        default=Case(When(overdue, then=number(10)), default=number(9)),
        output_field=IntegerField(),
    )
    channel = Case(
        *(When(channel=name, then=number(code)) for name, code in CHANNEL_CODES.items()),
        default=number(COUNTER_CODE),
        output_field=IntegerField(),
    )
    return channel + outcome


def _groups(queryset: QuerySet[Any], keys: tuple[str, ...], code: Any) -> list[dict[str, Any]]:
    """Counts per procedure and code, over ``received_at`` (never empty here), a column of the
    covering indexes, so that PostgreSQL answers from the index alone."""
    return list(queryset.annotate(bucket=code).values(*keys, "bucket").annotate(n=Count("received_at")).order_by())


def _figures(code: int, n: int, carried: bool) -> Figures:
    """What ``n`` dossiers of ``code`` count as: received in the period or carried over into it, then how they stood."""
    channel, outcome = code // 16 * 16, code % 16
    if carried and outcome == ENDED_BEFORE:
        return Figures()  # ended before the period: not carried over
    figures = {"carried_over": n} if carried else {RECEIVED_COUNTERS[channel]: n}
    if outcome in OUTCOMES:
        figures[OUTCOMES[outcome]] = figures.get(OUTCOMES[outcome], 0) + n
    return Figures(**figures)
