"""What each dossier event adds to the statistics (DOMAIN.md §8), as daily flows per agency.

The standard statistics report counts, for a period: dossiers carried over from before it,
newly received (online / at the counter / by post), resolved early / on time / late, in
progress within or past the deadline at its end, stopped or withdrawn, refused. Every one of
these is a sum of daily flows (``models.FLOW_COUNTERS``), booked on the Vietnamese calendar day
the thing happened, for the dossier's competent agency, procedure, sector and channel:

- ``received``: the complete dossier was received and its clock started (Decree 118/2025/NĐ-CP
  Art. 17); a dossier is counted once, however it came in (online acceptance, counter, after a
  supplement asked at reception).
- ``resolved_early`` / ``_on_time`` / ``_late``: the approval, with the verdict the lifecycle
  stamped against the legal due moment (Art. 19). ``resolved_late_766`` also counts as late a
  dossier resolved in time after more than one supplement request (Decision 766/QĐ-TTg, progress).
- ``refused``, ``stopped`` (Art. 21), ``closed`` (no supplement within 15 days, Art. 19.5): ends of
  received dossiers. ``withdrawn`` and ``refused_at_reception``: ends of dossiers never received
  (they are not in the stock).
- ``returned`` / ``returned_online``: the result handed over (Art. 22), online ones being
  electronic results; ``paid_online``: the applicant paid through their own account (Art. 24);
  ``received_with_fees`` and ``received_full_online_offer`` give the 766 index its denominators.
- ``overdue_delta``: +1 on the day a received dossier's due day has passed while it is open, −1
  on the day it ends or its clock stops (pause, supplement after appraisal) or its due day moves
  past that day. At the end of a day D a dossier is past its deadline if its legal due moment
  falls on D or earlier (before 24:00 of D, Civil Code 2015 Art. 148.6).

So the stock at the end of day D is the received up to D minus the ends up to D, and the
overdue stock the sum of ``overdue_delta`` up to D. Days are Vietnamese calendar days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from motcua.catalog.channels import Channel
from motcua.dossiers.models import DeliveryMethod, DossierState, Verdict
from motcua.reports.models import FLOW_COUNTERS, RATING_COUNTERS, ImportedStatus
from motcua.workdays.workcalendar import VIETNAM_TZ

#: Counters that take a received dossier out of the stock (its exit).
EXIT_COUNTERS = ("resolved_early", "resolved_on_time", "resolved_late", "refused", "stopped", "closed")
#: States in which the clock stands, so that a dossier is never past its deadline in them.
CLOCK_STANDS = frozenset({DossierState.PAUSED, DossierState.SUPPLEMENT_REQUESTED})
#: The verdict of a resolution → its counter.
VERDICT_COUNTERS: dict[str, str] = {
    Verdict.EARLY: "resolved_early",
    Verdict.ON_TIME: "resolved_on_time",
    Verdict.LATE: "resolved_late",
}
#: The reception counter of each channel (Decree 118/2025/NĐ-CP Art. 17).
RECEIVED_BY_CHANNEL: dict[str, str] = {
    Channel.ONLINE: "received_online",
    Channel.COUNTER: "received_counter",
    Channel.POST: "received_post",
}
#: More supplement requests than this during processing count as late for the 766 index.
SUPPLEMENTS_BEFORE_LATE = 1


def local_day(moment: dt.datetime) -> dt.date:
    """The Vietnamese calendar day of ``moment``."""
    return moment.astimezone(VIETNAM_TZ).date()


class FlowKey(NamedTuple):
    agency_id: int
    sector_id: int
    procedure_id: int
    day: dt.date


class FlowBook:
    """Flows booked per agency, procedure, sector, channel and day (all counters may be added to)."""

    def __init__(self) -> None:
        self.rows: dict[FlowKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FLOW_COUNTERS, 0))

    def add(self, key: FlowKey, counter: str, amount: int = 1) -> None:
        self.rows[key][counter] += amount

    def __bool__(self) -> bool:
        return bool(self.rows)

    def items(self) -> Iterator[tuple[FlowKey, dict[str, int]]]:
        return iter(self.rows.items())


class RatingKey(NamedTuple):
    agency_id: int
    day: dt.date


class RatingBook:
    """Rating counts booked per agency and day."""

    def __init__(self) -> None:
        self.rows: dict[RatingKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RATING_COUNTERS, 0))

    def add(self, key: RatingKey, counter: str, amount: int = 1) -> None:
        self.rows[key][counter] += amount

    def __bool__(self) -> bool:
        return bool(self.rows)

    def items(self) -> Iterator[tuple[RatingKey, dict[str, int]]]:
        return iter(self.rows.items())


@dataclass
class Track:
    """What is remembered of one dossier between its events (``models.TrackedDossier``)."""

    dossier_id: int
    agency_id: int
    sector_id: int
    procedure_id: int
    channel: str
    received_on: dt.date | None = None
    ended_on: dt.date | None = None
    overdue_from: dt.date | None = None
    processing_supplements: int = 0
    full_online_offer: bool = False
    paid_online: bool = False
    changed: bool = field(default=False, compare=False)

    def key(self, day: dt.date) -> FlowKey:
        return FlowKey(self.agency_id, self.sector_id, self.procedure_id, day)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """One dossier event, with the dossier facts the statistics need."""

    event_id: int
    dossier_id: int
    action: str
    at: dt.datetime
    from_state: str
    to_state: str
    actor_role: str
    clock_effect: Mapping[str, Any]
    changes: Mapping[str, Any]
    agency_id: int
    sector_id: int
    procedure_id: int
    channel: str
    has_fees: bool
    full_online_offer: bool


def new_track(event: EventFacts) -> Track:
    return Track(
        dossier_id=event.dossier_id,
        agency_id=event.agency_id,
        sector_id=event.sector_id,
        procedure_id=event.procedure_id,
        channel=event.channel,
    )


def book_event(track: Track, event: EventFacts, book: FlowBook) -> None:
    """Book what ``event`` adds, updating ``track`` (events of one dossier come in order)."""
    day = local_day(event.at)
    action, to_state = event.action, event.to_state
    received = track.received_on is not None
    if to_state == DossierState.RECEIVED and not received:
        track.received_on = day
        track.full_online_offer = event.full_online_offer
        book_reception(
            book, track.key(day), track.channel, has_fees=event.has_fees, full_online=event.full_online_offer
        )
        track.changed = True
        _set_due(track, day, _due_of(event), book)
        return
    if action == "approve" and received:
        verdict = str(event.clock_effect.get("verdict") or Verdict.ON_TIME)
        book.add(track.key(day), VERDICT_COUNTERS.get(verdict, "resolved_on_time"))
        if verdict == Verdict.LATE or track.processing_supplements > SUPPLEMENTS_BEFORE_LATE:
            book.add(track.key(day), "resolved_late_766")
        _end(track, day, book)
    elif action in ("refuse", "stop", "close"):
        if received:
            book.add(track.key(day), {"refuse": "refused", "stop": "stopped", "close": "closed"}[action])
            _end(track, day, book)
        else:
            book.add(track.key(day), "refused_at_reception" if action == "refuse" else "withdrawn")
            track.changed = True
    elif action == "withdraw":
        book.add(track.key(day), "withdrawn")
        track.changed = True
    elif action == "return_result":
        book.add(track.key(day), "returned")
        if event.changes.get("delivery") == DeliveryMethod.ONLINE:
            book.add(track.key(day), "returned_online")
    elif action == "record_payment" and event.actor_role == "applicant" and not track.paid_online:
        # Paid by the applicant through their own account: online (Art. 24; the portal's payment).
        track.paid_online = True
        track.changed = True
        book.add(track.key(day), "paid_online")
    elif received and track.ended_on is None:
        if action == "request_supplement":
            track.processing_supplements += 1
            track.changed = True
        if to_state in CLOCK_STANDS:
            _set_due(track, day, None, book)
        else:
            mentioned, due = _mentioned_due(event)
            if mentioned:
                _set_due(track, day, due, book)


def book_reception(book: FlowBook, key: FlowKey, channel: str, *, has_fees: bool, full_online: bool) -> None:
    """A dossier received by ``channel``: counted per channel, and for the 766 index's denominators."""
    book.add(key, RECEIVED_BY_CHANNEL.get(channel, "received_counter"))
    if has_fees:
        book.add(key, "received_with_fees")
    if full_online:
        book.add(key, "received_full_online_offer")
        if channel == Channel.ONLINE:
            book.add(key, "received_online_full_offer")


def _end(track: Track, day: dt.date, book: FlowBook) -> None:
    if track.overdue_from is not None:
        book.add(track.key(max(track.overdue_from, day)), "overdue_delta", -1)
    track.overdue_from = None
    track.ended_on = day
    track.changed = True


def _set_due(track: Track, day: dt.date, due: dt.datetime | None, book: FlowBook) -> None:
    """From ``day`` on, the dossier's due moment is ``due`` (None: no due moment, or the clock stands)."""
    current = track.overdue_from
    due_day = local_day(due) if due is not None else None
    if current is not None and current < day:
        # Already past its deadline at the end of yesterday: that stays in the history.
        if due_day is not None and due_day <= day:
            return
        book.add(track.key(day), "overdue_delta", -1)
    elif current is not None:
        book.add(track.key(current), "overdue_delta", -1)  # not yet counted: take the plan back
    track.overdue_from = None
    if due_day is not None:
        track.overdue_from = max(day, due_day)
        book.add(track.key(track.overdue_from), "overdue_delta")
    track.changed = True


def _mentioned_due(event: EventFacts) -> tuple[bool, dt.datetime | None]:
    """Whether the event sets the legal due moment, and to what ("legal_due_at": new, or [old, new])."""
    for source in (event.clock_effect, event.changes):
        if "legal_due_at" not in source:
            continue
        value = source["legal_due_at"]
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        return True, _moment(value)
    return False, None


def _due_of(event: EventFacts) -> dt.datetime | None:
    return _mentioned_due(event)[1]


def _moment(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        return dt.datetime.fromisoformat(value)
    return None


@dataclass(frozen=True, slots=True)
class ImportedFacts:
    """An imported past dossier (``models.ImportedDossier``), as the statistics see it."""

    agency_id: int
    sector_id: int
    procedure_id: int
    channel: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    status: str
    verdict: str
    delivery: str
    rating: int | None
    full_online_offer: bool


#: The imported status → the counter of its end (None: still open).
IMPORTED_ENDS: Mapping[str, str | None] = {
    ImportedStatus.IN_PROGRESS: None,
    ImportedStatus.RESOLVED: "resolved",
    ImportedStatus.RETURNED: "resolved",
    ImportedStatus.REFUSED: "refused",
    ImportedStatus.STOPPED: "stopped",
    ImportedStatus.CLOSED: "closed",
}


def book_imported(facts: ImportedFacts, book: FlowBook, ratings: RatingBook) -> None:
    """Book an imported dossier exactly as its events would have been: received, ended, returned."""

    def key(day: dt.date) -> FlowKey:
        return FlowKey(facts.agency_id, facts.sector_id, facts.procedure_id, day)

    received = local_day(facts.received_at)
    book_reception(book, key(received), facts.channel, has_fees=False, full_online=facts.full_online_offer)
    end = IMPORTED_ENDS[facts.status]
    ended = local_day(facts.resolved_at) if end is not None and facts.resolved_at is not None else None
    if end == "resolved" and ended is not None:
        book.add(key(ended), VERDICT_COUNTERS[Verdict(facts.verdict)])
        if facts.verdict == Verdict.LATE:
            book.add(key(ended), "resolved_late_766")
    elif end is not None and ended is not None:
        book.add(key(ended), end)
    if facts.due_at is not None:
        overdue_from = max(received, local_day(facts.due_at))
        if ended is None or overdue_from < ended:
            book.add(key(overdue_from), "overdue_delta")
            if ended is not None:
                book.add(key(ended), "overdue_delta", -1)
    if facts.returned_at is not None:
        book.add(key(local_day(facts.returned_at)), "returned")
        if facts.delivery == DeliveryMethod.ONLINE:
            book.add(key(local_day(facts.returned_at)), "returned_online")
    if facts.rating is not None:
        rated = facts.returned_at or facts.resolved_at or facts.received_at
        ratings.add(RatingKey(facts.agency_id, local_day(rated)), f"overall_{facts.rating}")


#: The graded items of a rating (Decree 118/2025/NĐ-CP Art. 33), as ``feedback.models.GRADED_ITEMS``.
GRADED_ITEMS = (
    "timeliness",
    "procedure_accuracy",
    "staff_attitude",
    "result_lawfulness",
    "complaint_handling",
    "online_service",
)
NOT_SATISFIED, SATISFIED, VERY_SATISFIED = 1, 2, 3


def overall_level(answers: Mapping[str, Any]) -> int:
    """One level for a whole rating: not satisfied if any item is (or extra costs were asked: the
    rule of ``feedback.models.Rating.is_unsatisfied``), very satisfied if every answered item is."""
    levels = [answers[item] for item in GRADED_ITEMS if answers.get(item) is not None]
    if answers.get("extra_costs_asked") or NOT_SATISFIED in levels:
        return NOT_SATISFIED
    return VERY_SATISFIED if levels and all(level == VERY_SATISFIED for level in levels) else SATISFIED


def book_rating(answers: Mapping[str, Any], agency_id: int, book: RatingBook) -> None:
    """Book a rating given in MotCua (the fields of ``feedback.models.Rating``) on the day it was given."""
    key = RatingKey(agency_id, local_day(answers["rated_at"]))
    book.add(key, f"overall_{overall_level(answers)}")
    for item in GRADED_ITEMS:
        if answers.get(item) is not None:
            book.add(key, f"{item}_{answers[item]}")
    book.add(key, "detailed")
    book.add(key, "extra_costs_asked", int(bool(answers.get("extra_costs_asked"))))
    book.add(key, "agencies_contacted", int(answers.get("agencies_contacted") or 1))
    book.add(key, "contacts_needed", int(answers.get("contacts_needed") or 1))
