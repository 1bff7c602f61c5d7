"""Ending the clock's standstill (Decree 118/2025/NĐ-CP Art. 19): after a pause or a supplement.

One function for every transition that sets the clock going again (resume, answer of the other
agencies, the applicant's supplement during processing), so the pause interval is closed and
counted the same way whichever ends it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.catalog.time_limits import TimeUnit
from motcua.dossiers.models import Dossier, DossierState, SupplementPhase
from motcua.workflow import deadlines, steps
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import PauseInterval
from motcua.workflow.services.core import iso


def end_pause(dossier: Dossier, at: dt.datetime) -> dict[str, Any]:
    """End the clock's standstill at ``at``, if it stands; returns the effect on the clock, for the event.

    The open interval records the office time it took. After a pause the law allows, the due
    moments (the dossier's, its appointment, its steps in hand) move by that time; waiting for a
    supplement moves nothing, the time limit restarting from zero when it comes (Art. 19.5).
    """
    if dossier.paused_at is None:
        return {}
    cal = calendar_for(dossier.competent_agency_id)
    paused_at, old_due = dossier.paused_at, dossier.legal_due_at
    paused = deadlines.paused_office_time(cal, paused_at, at)
    PauseInterval.objects.filter(dossier=dossier, ended_at__isnull=True).update(
        ended_at=at, working_seconds=int(paused.total_seconds())
    )
    dossier.paused_at = None
    clock_effect: dict[str, Any] = {"paused_office_seconds": int(paused.total_seconds())}
    if dossier.state == DossierState.PAUSED:
        unit = TimeUnit(dossier.time_limit_unit)
        dossier.legal_due_at = deadlines.shift_after_pause(cal, old_due, paused_at, at, unit)
        dossier.appointment_at = deadlines.shift_after_pause(cal, dossier.appointment_at, paused_at, at, unit)
        steps.shift_active_steps(dossier, cal, paused_at, at)
        clock_effect["legal_due_at"] = [iso(old_due), iso(dossier.legal_due_at)]
    else:
        dossier.supplement_phase = SupplementPhase.NONE
    return clock_effect
