"""Keeping the summaries current from the event log and the ratings (DOMAIN.md §8).

The lifecycle knows nothing of reports: it appends one ``DossierEvent`` per change, and the
applicants' ratings are rows of their own. ``apply_new_events`` follows both streams: it reads,
in id order and in batches, what is newer than its cursor, books it (``flows.py``) and adds it
to the summaries (``ledger.py``), and moves the cursor in the same transaction, so every event
is counted exactly once whatever stops it. ``manage.py update_summaries --follow`` runs it every
second.

PostgreSQL hands out ids before the transaction that took them commits, so an id below the
cursor may still appear a moment later: each id skipped is kept as a ``PendingEvent`` and looked
for again until it appears or ``GAP_PATIENCE`` has passed (a rolled-back transaction leaves its
id unused for ever). Events of one dossier are written one after another under the dossier's row
lock, so a late one is never preceded by a later event of its own dossier.

``rebuild_summaries`` empties everything and counts the whole log and the imported history again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from motcua.catalog.models import OnlineLevel
from motcua.reports import ledger
from motcua.reports.flows import EventFacts, FlowBook, RatingBook, Track, book_event, book_rating, new_track
from motcua.reports.history_summaries import summarise_imported
from motcua.reports.models import (
    FlowSummary,
    ImportedDossier,
    PendingEvent,
    RatingSummary,
    SummaryCursor,
    TrackedDossier,
)
from motcua.workflow.models import DossierEvent

logger = logging.getLogger(__name__)

EVENTS, RATINGS = "events", "ratings"
BATCH_SIZE = 2_000
#: How long an id skipped by the cursor is looked for before it is taken as never committed.
GAP_PATIENCE = dt.timedelta(minutes=10)
#: At most this many skipped ids are remembered per batch (a larger hole is a sequence jump).
MAX_GAPS = 1_000

_EVENT_VALUES = (
    "id",
    "dossier_id",
    "action",
    "at",
    "from_state",
    "to_state",
    "actor_role",
    "clock_effect",
    "changes",
    "dossier__competent_agency_id",
    "dossier__procedure_version__sector_id",
    "dossier__procedure_version__procedure_id",
    "dossier__channel",
    "dossier__fees_due",
    "dossier__agency_procedure__online_level",
)
_RATING_VALUES = (
    "id",
    "rated_at",
    "timeliness",
    "procedure_accuracy",
    "staff_attitude",
    "result_lawfulness",
    "complaint_handling",
    "online_service",
    "extra_costs_asked",
    "agencies_contacted",
    "contacts_needed",
    "dossier__competent_agency_id",
)


@dataclass
class ApplyReport:
    events: int = 0
    ratings: int = 0
    rows_written: int = 0

    def __bool__(self) -> bool:
        return bool(self.events or self.ratings)


def rating_model() -> type[Model]:
    """The applicants' ratings (``feedback.Rating``), named by string: feedback sits on reports' layer."""
    return apps.get_model("feedback", "Rating")


def event_facts(row: dict[str, Any]) -> EventFacts:
    return EventFacts(
        event_id=row["id"],
        dossier_id=row["dossier_id"],
        action=row["action"],
        at=row["at"],
        from_state=row["from_state"],
        to_state=row["to_state"],
        actor_role=row["actor_role"],
        clock_effect=row["clock_effect"] or {},
        changes=row["changes"] or {},
        agency_id=row["dossier__competent_agency_id"],
        sector_id=row["dossier__procedure_version__sector_id"],
        procedure_id=row["dossier__procedure_version__procedure_id"],
        channel=row["dossier__channel"],
        has_fees=bool(row["dossier__fees_due"]),
        full_online_offer=row["dossier__agency_procedure__online_level"] == OnlineLevel.FULL,
    )


def event_rows(queryset: QuerySet[DossierEvent]) -> list[EventFacts]:
    return [event_facts(row) for row in queryset.values(*_EVENT_VALUES)]


def rating_rows(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    return list(queryset.values(*_RATING_VALUES))


def apply_new_events(*, batch_size: int = BATCH_SIZE, now: dt.datetime | None = None) -> ApplyReport:
    """Count every event and rating not counted yet, one transaction per batch; returns how many."""
    report = ApplyReport()
    while True:
        with transaction.atomic():
            events, ratings, written = _apply_batch(batch_size, now or timezone.now())
        report.events += events
        report.ratings += ratings
        report.rows_written += written
        if events < batch_size and ratings < batch_size:
            return report


def _apply_batch(batch_size: int, now: dt.datetime) -> tuple[int, int, int]:
    cursors = lock_cursors()
    events = _next(EVENTS, cursors[EVENTS], DossierEvent.objects.all(), batch_size, now)
    facts = event_rows(DossierEvent.objects.filter(pk__in=events).order_by("pk"))
    tracks = _tracks({fact.dossier_id for fact in facts})
    book = FlowBook()
    for fact in facts:
        track = tracks.get(fact.dossier_id)
        if track is None:
            track = tracks[fact.dossier_id] = new_track(fact)
            track.changed = False
        book_event(track, fact, book)
    _save_tracks(tracks)
    written = ledger.write_flows(book)

    ratings = _next(RATINGS, cursors[RATINGS], rating_model()._default_manager.all(), batch_size, now)
    rating_book = RatingBook()
    for row in rating_rows(rating_model()._default_manager.filter(pk__in=ratings)):
        book_rating(row, row["dossier__competent_agency_id"], rating_book)
    written += ledger.write_ratings(rating_book)
    return len(events), len(ratings), written


def lock_cursors() -> dict[str, SummaryCursor]:
    for stream in (EVENTS, RATINGS):
        SummaryCursor.objects.get_or_create(stream=stream)
    return {cursor.stream: cursor for cursor in SummaryCursor.objects.select_for_update().order_by("stream")}


def _next(stream: str, cursor: SummaryCursor, source: QuerySet[Any], batch_size: int, now: dt.datetime) -> list[int]:
    """The ids to count now: the pending ones that have appeared, then the next batch after the cursor."""
    pending = dict(PendingEvent.objects.filter(stream=stream).values_list("item_id", "noticed_at"))
    found = set(source.filter(pk__in=pending).values_list("pk", flat=True)) if pending else set()
    fresh = list(source.filter(pk__gt=cursor.last_id).order_by("pk").values_list("pk", flat=True)[:batch_size])
    expired = {pk for pk, noticed in pending.items() if pk not in found and now - noticed > GAP_PATIENCE}
    if found or expired:
        PendingEvent.objects.filter(stream=stream, item_id__in=found | expired).delete()
    if fresh:
        # Before the first pass there is nothing to wait for: ids below the first one seen were
        # never committed (or the sequence started higher).
        start = cursor.last_id + 1 if cursor.last_id else fresh[0]
        gaps = sorted(set(range(start, fresh[-1] + 1)) - set(fresh))
        if len(gaps) > MAX_GAPS:
            logger.warning(
                "%s: %d ids skipped at once after %d; remembering the last %d",
                stream,
                len(gaps),
                cursor.last_id,
                MAX_GAPS,
            )
            gaps = gaps[-MAX_GAPS:]
        PendingEvent.objects.bulk_create(
            [PendingEvent(stream=stream, item_id=pk, noticed_at=now) for pk in gaps], ignore_conflicts=True
        )
        cursor.last_id = fresh[-1]
        cursor.save(update_fields=["last_id", "updated_at"])
    return sorted(found | set(fresh))


def _tracks(dossier_ids: Iterable[int]) -> dict[int, Track]:
    tracks = {}
    for row in TrackedDossier.objects.filter(dossier_id__in=set(dossier_ids)).values():
        tracks[row["dossier_id"]] = Track(**row)
    return tracks


def _save_tracks(tracks: dict[int, Track]) -> None:
    changed = [track for track in tracks.values() if track.changed]
    if not changed:
        return
    existing = set(
        TrackedDossier.objects.filter(dossier_id__in=[t.dossier_id for t in changed]).values_list(
            "dossier_id", flat=True
        )
    )
    fields = [f.attname for f in TrackedDossier._meta.concrete_fields if f.attname != "dossier_id"]
    rows = [TrackedDossier(**{name: getattr(track, name) for name in ("dossier_id", *fields)}) for track in changed]
    TrackedDossier.objects.bulk_create([row for row in rows if row.dossier_id not in existing])
    updates = [row for row in rows if row.dossier_id in existing]
    if updates:
        TrackedDossier.objects.bulk_update(updates, fields)


@transaction.atomic
def rebuild_summaries(*, now: dt.datetime | None = None, progress: Callable[[str], None] | None = None) -> ApplyReport:
    """Empty the summaries and count the imported history, every event and every rating again."""
    lock_cursors()
    for model in (FlowSummary, RatingSummary, TrackedDossier, PendingEvent):
        model.objects.all().delete()
    SummaryCursor.objects.update(last_id=0)
    if ImportedDossier.objects.exists():
        summarise_imported(batch_id=None)
        if progress:
            progress("imported history counted")
    report = apply_new_events(now=now)
    if progress:
        progress(f"{report.events} events and {report.ratings} ratings counted")
    return report


def summary_lag() -> dict[str, int]:
    """How many events and ratings are not counted yet (for the check command and the dashboards)."""
    cursors = dict(SummaryCursor.objects.values_list("stream", "last_id"))
    pending = PendingEvent.objects.count()
    return {
        EVENTS: DossierEvent.objects.filter(pk__gt=cursors.get(EVENTS, 0)).count() + pending,
        RATINGS: rating_model()._default_manager.filter(pk__gt=cursors.get(RATINGS, 0)).count(),
    }
