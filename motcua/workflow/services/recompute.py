"""Recomputing due moments after the working-day calendar changes (an override added or removed).

Only dossiers whose clock runs and that are not yet due are recomputed: a dossier already past
its due moment stays late (the change cannot undo a missed deadline), and one waiting for a
supplement restarts its clock anyway when the supplement comes (Decree 118/2025/NĐ-CP Art. 19.5).
The new legal due moment is counted again from the moment the clock started, on the new
calendar, and moved by the office time of the pauses that ended since; the appointment follows it
unless an extension set it. Each recomputed dossier records the change as an event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from motcua.catalog.time_limits import TimeLimit, TimeUnit
from motcua.dossiers.models import Dossier, DossierState
from motcua.workdays import clock
from motcua.workdays.services import CalendarChange
from motcua.workflow import deadlines
from motcua.workflow.calendars import calendar_for, forget_calendars
from motcua.workflow.models import PauseInterval, PauseReason
from motcua.workflow.services.core import iso, record_event

RUNNING = (DossierState.RECEIVED, DossierState.IN_PROGRESS, DossierState.WITH_OTHER_AGENCIES, DossierState.PAUSED)


def recompute_due_dates(change: CalendarChange, *, now: dt.datetime | None = None) -> list[str]:
    """Recompute the dossiers the change can affect; returns the codes whose due moment moved."""
    now = now or timezone.now()
    forget_calendars()
    if not change.days:
        return []
    first, last = min(change.days), max(change.days)
    candidates = Dossier.objects.filter(
        state__in=RUNNING,
        legal_due_at__gt=now,
        clock_started_at__date__lte=last,
        legal_due_at__date__gte=first - dt.timedelta(days=1),
    )
    if change.agency_id is not None:
        candidates = candidates.filter(competent_agency_id=change.agency_id)
    moved = []
    for dossier in candidates:
        if new_due(dossier) == dossier.legal_due_at:
            continue
        record_event(dossier_id=dossier.pk, action="recompute_due", user=None, change=_recompute, now=now)
        moved.append(dossier.code or "")
    return moved


def new_due(dossier: Dossier) -> dt.datetime | None:
    """The legal due moment counted again on the current calendar, pauses included."""
    if dossier.clock_started_at is None:  # only running dossiers are recomputed
        return dossier.legal_due_at
    cal = calendar_for(dossier.competent_agency_id)
    limit = TimeLimit(dossier.time_limit_amount, TimeUnit(dossier.time_limit_unit))
    due = deadlines.legal_due(cal, dossier.clock_started_at, limit)
    # The pauses since the clock (re)started are those that ended after it: one may have begun
    # before it (received after hours, or on paper after the 15:00 cut-off of Art. 18), and counts
    # whole, as resuming counted it. Earlier pauses went with a limit that restarted (Art. 19.5).
    paused = PauseInterval.objects.filter(
        dossier=dossier, reason=PauseReason.PAUSE, ended_at__gt=dossier.clock_started_at
    ).aggregate(total=Sum("working_seconds"))["total"]
    if due is not None and paused:
        due = clock.add_working_time(cal, due, dt.timedelta(seconds=paused))
    return due


def _recompute(dossier: Dossier, at: dt.datetime) -> dict[str, Any]:
    due = new_due(dossier)
    old_due, old_appointment = dossier.legal_due_at, dossier.appointment_at
    dossier.legal_due_at = due
    if not dossier.extensions:
        dossier.appointment_at = due
    return {
        "legal_due_at": [iso(old_due), iso(due)],
        "appointment_at": [iso(old_appointment), iso(dossier.appointment_at)],
    }
