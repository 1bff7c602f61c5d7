"""The legal clock of a dossier: pure functions over a working-day calendar (no database).

- The clock starts when the complete, valid dossier is received: the time on the receipt
  (Decree 118/2025/NĐ-CP Art. 17). The due moment is the procedure's time limit counted from
  there on the competent agency's calendar (``catalog.time_limits.due_at``: day after the event,
  roll-over of a last day off, Civil Code 2015 Arts. 147–148); a paper dossier received after
  15:00 counts from the next working day where the procedure applies the cut-off (Art. 18).
  Received outside office hours, the clock starts at the next working moment; received at the
  closing instant (17:00:00), at that instant, which belongs to its day (``workdays.clock``):
  counting from the start gives the same due moment as counting from the receipt.
- Each step of the internal process is due its budget of working hours after it starts.
- A pause (where the law allows) stops the clock: on resumption, or when the dossier ends while
  paused, the due moment moves by the office time that passed (DOMAIN.md §4: pauses are
  recorded as intervals).
- A supplement asked after appraisal (Art. 19.5) must be asked within 3 working days of the
  reception; the time limit then restarts from zero when the complete dossier comes back
  (counted as a reception at that moment), and the dossier closes if nothing comes within 15 days.
- An extension (Art. 19.6) is asked at least one day before the due date, only once, and sets a
  new appointment later than the current one. It changes the appointment given to the applicant,
  not the legal due moment: a dossier resolved after its legal due moment is late (DOMAIN.md §8:
  the on-time rate counts early and on-time resolutions only).
- The verdict is stamped once, at resolution: early if resolved on a day before the due day, on
  time if on the due day up to the due moment, late after it. Without a time limit a dossier is
  never late.
"""

from __future__ import annotations

import datetime as dt

from motcua.catalog.time_limits import TimeLimit, TimeUnit, due_at
from motcua.workdays import clock
from motcua.workdays.workcalendar import WorkCalendar

#: Decree 118/2025/NĐ-CP Art. 19.5.
SUPPLEMENT_NOTICE_WORKING_DAYS = 3
SUPPLEMENT_WAIT = dt.timedelta(days=15)
#: Decree 118/2025/NĐ-CP Art. 17: online dossiers are checked within 8 working hours.
ONLINE_CHECK_WORKING_HOURS = 8
#: Reminders go out when a step or a dossier has less than this much office time left.
DUE_SOON_WORKING_HOURS = 8


def legal_due(
    cal: WorkCalendar, started_at: dt.datetime, limit: TimeLimit, *, afternoon_cutoff: bool = False
) -> dt.datetime | None:
    """The legal due moment of a clock started at ``started_at`` (None: no time limit)."""
    cutoff = clock.PAPER_TRANSFER_CUTOFF if afternoon_cutoff else None
    return due_at(cal, started_at, limit, cutoff=cutoff)


def clock_starts_at(cal: WorkCalendar, received_at: dt.datetime, *, afternoon_cutoff: bool = False) -> dt.datetime:
    """When the clock of a dossier received (or completed by a supplement) at ``received_at`` starts.

    The next working moment, or after the cut-off the next working day's opening (Art. 18); but a
    reception at the closing instant (17:00:00) counts on its own day (``workdays.clock``), so the
    clock starts at that instant: counted from the start, the limit ends where ``legal_due``
    counted from the receipt ends (a recount on a changed calendar starts from it).
    """
    cutoff = clock.PAPER_TRANSFER_CUTOFF if afternoon_cutoff else None
    started = clock.reception_moment(cal, received_at, cutoff=cutoff)
    if started.astimezone(cal.tz).date() != clock.reception_day(cal, received_at, cutoff=cutoff):
        return received_at.astimezone(cal.tz)
    return started


def step_due(cal: WorkCalendar, started_at: dt.datetime, budget_hours: int) -> dt.datetime:
    """When a step that starts at ``started_at`` with ``budget_hours`` of office time is due."""
    return clock.add_working_hours(cal, started_at, budget_hours)


def online_check_due(cal: WorkCalendar, submitted_at: dt.datetime) -> dt.datetime:
    """When the desk must have accepted or answered an online submission (Art. 17: 8 working hours)."""
    return clock.add_working_hours(cal, submitted_at, ONLINE_CHECK_WORKING_HOURS)


def paused_office_time(cal: WorkCalendar, paused_at: dt.datetime, resumed_at: dt.datetime) -> dt.timedelta:
    """Office time that passed during a pause (never negative)."""
    return max(dt.timedelta(0), clock.working_time_between(cal, paused_at, resumed_at))


def shift_after_pause(
    cal: WorkCalendar, due: dt.datetime | None, paused_at: dt.datetime, resumed_at: dt.datetime, unit: TimeUnit
) -> dt.datetime | None:
    """The due moment after a pause from ``paused_at`` to ``resumed_at``.

    Limits in office time (working hours or days, same day) move by the office time paused;
    limits in calendar days or months by the whole days paused (rolled over a day off, Art. 148.5).
    A pause never brings a due moment earlier.
    """
    if due is None:
        return None
    if unit in (TimeUnit.CALENDAR_DAYS, TimeUnit.MONTHS):
        days = (resumed_at.astimezone(cal.tz).date() - paused_at.astimezone(cal.tz).date()).days
        if days <= 0:
            return due
        return clock.end_of_period(cal, due.astimezone(cal.tz).date() + dt.timedelta(days=days))
    paused = paused_office_time(cal, paused_at, resumed_at)
    if not paused:
        return due
    # The due moment is the close of a day or the end of an hour: counting from it keeps it exact.
    return clock.add_working_time(cal, due, paused)


def supplement_notice_deadline(cal: WorkCalendar, clock_started_at: dt.datetime) -> dt.datetime:
    """The last moment a supplement may be asked after appraisal (Art. 19.5: 3 working days)."""
    return clock.add_working_days(cal, clock_started_at, SUPPLEMENT_NOTICE_WORKING_DAYS)


def supplement_closes_at(requested_at: dt.datetime) -> dt.datetime:
    """When a dossier waiting for a supplement closes if nothing comes (Art. 19.5: 15 days)."""
    return requested_at + SUPPLEMENT_WAIT


def may_extend(cal: WorkCalendar, now: dt.datetime, due: dt.datetime | None) -> bool:
    """Art. 19.6: the apology and extension go out at least one day before the due date."""
    if due is None:
        return False
    return now.astimezone(cal.tz).date() < due.astimezone(cal.tz).date()


def verdict(cal: WorkCalendar, resolved_at: dt.datetime, due: dt.datetime | None) -> str:
    """ "early", "on_time" or "late" for a dossier resolved at ``resolved_at`` against ``due``."""
    if due is None:
        return "on_time"
    if resolved_at > due:
        return "late"
    if resolved_at.astimezone(cal.tz).date() < due.astimezone(cal.tz).date():
        return "early"
    return "on_time"


def office_time_left(cal: WorkCalendar, now: dt.datetime, due: dt.datetime) -> dt.timedelta:
    """Office time from ``now`` to ``due`` (negative when overdue)."""
    return clock.working_time_between(cal, now, due)
