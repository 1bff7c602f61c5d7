"""Proof that the summaries equal a recount from the raw events (``manage.py check_summaries``).

The recount replays, in one pass and in memory, every event the cursor has passed (the pending
ones excepted), every imported past dossier and every rating, by the same rules (``flows.py``),
spreads them over the agencies as the tree stands now (``ledger.expand_flows``), and compares
the result with the summary tables row by row. A difference means an event counted twice or not
at all, a summary row edited by hand, an import whose set-based path disagrees with the rules,
or a unit moved in the agency tree since (``rebuild_summaries`` then brings them in line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from motcua.catalog.models import AgencyProcedure, OnlineLevel
from motcua.reports import ledger
from motcua.reports.flows import FlowBook, RatingBook, Track, book_event, book_imported, book_rating, new_track
from motcua.reports.history_summaries import imported_facts
from motcua.reports.models import (
    FLOW_COUNTERS,
    RATING_COUNTERS,
    FlowSummary,
    ImportedDossier,
    PendingEvent,
    RatingSummary,
    SummaryCursor,
)
from motcua.reports.services.summaries import EVENTS, RATINGS, event_rows, rating_model, rating_rows
from motcua.workflow.models import DossierEvent

CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class Difference:
    table: str
    key: tuple[object, ...]
    counter: str
    expected: int
    found: int

    def __str__(self) -> str:
        return f"{self.table} {self.key} {self.counter}: recount {self.expected}, summary {self.found}"


def recount() -> tuple[FlowBook, RatingBook]:
    """Everything the summaries should hold, counted again from the raw rows."""
    cursors = dict(SummaryCursor.objects.values_list("stream", "last_id"))
    pending = {
        stream: set(PendingEvent.objects.filter(stream=stream).values_list("item_id", flat=True))
        for stream in (EVENTS, RATINGS)
    }
    book, ratings = FlowBook(), RatingBook()
    tracks: dict[int, Track] = {}
    last = 0
    while True:
        chunk = event_rows(
            DossierEvent.objects.filter(pk__gt=last, pk__lte=cursors.get(EVENTS, 0))
            .exclude(pk__in=pending[EVENTS])
            .order_by("pk")[:CHUNK]
        )
        for fact in chunk:
            track = tracks.get(fact.dossier_id)
            if track is None:
                track = tracks[fact.dossier_id] = new_track(fact)
            book_event(track, fact, book)
        if len(chunk) < CHUNK:
            break
        last = chunk[-1].event_id
    full = set(AgencyProcedure.objects.filter(online_level=OnlineLevel.FULL).values_list("agency_id", "procedure_id"))
    for row in ImportedDossier.objects.iterator(chunk_size=CHUNK):
        book_imported(imported_facts(row, full), book, ratings)
    counted = Q(pk__lte=cursors.get(RATINGS, 0)) & ~Q(pk__in=pending[RATINGS])
    for answers in rating_rows(rating_model()._default_manager.filter(counted)):
        book_rating(answers, answers["dossier__competent_agency_id"], ratings)
    return book, ratings


def check_summaries() -> list[Difference]:
    """Every difference between the summaries and a recount (empty: they agree)."""
    book, ratings = recount()
    agencies = {key.agency_id for key, _ in book.items()} | {key.agency_id for key, _ in ratings.items()}
    ancestors = ledger.ancestors_of(agencies)
    differences = _compare(
        "flows",
        ledger.expand_flows(book, ancestors),
        FlowSummary.objects.values_list(*ledger.FLOW_KEY, *FLOW_COUNTERS),
        len(ledger.FLOW_KEY),
        FLOW_COUNTERS,
    )
    differences += _compare(
        "ratings",
        ledger.expand_ratings(ratings, ancestors),
        RatingSummary.objects.values_list(*ledger.RATING_KEY, *RATING_COUNTERS),
        len(ledger.RATING_KEY),
        RATING_COUNTERS,
    )
    return differences


def _compare(
    table: str,
    expected: Mapping[Any, list[int]],
    stored_rows: object,
    width: int,
    counters: Sequence[str],
) -> list[Difference]:
    stored: dict[tuple[object, ...], list[int]] = {}
    for row in stored_rows:  # type: ignore[attr-defined]
        amounts = list(row[width:])
        if any(amounts):
            stored[tuple(row[:width])] = amounts
    differences = []
    for key in sorted(expected.keys() | stored.keys(), key=str):
        want, have = expected.get(key, [0] * len(counters)), stored.get(key, [0] * len(counters))
        for index, counter in enumerate(counters):
            if want[index] != have[index]:
                differences.append(Difference(table, key, counter, want[index], have[index]))
    return differences
