"""The working-day calendar each dossier counts on, read once per process and kept for a while.

A dossier counts on its competent agency's calendar (its closures and office hours). Building
one takes two queries and a few milliseconds, so calendars are kept per agency for
``TTL_SECONDS``; the process that changes the calendar forgets them at once
(``forget_calendars``), other processes see the change within the TTL.
"""

from __future__ import annotations

import threading
import time

from motcua.workdays.queries import load_calendar
from motcua.workdays.workcalendar import WorkCalendar

TTL_SECONDS = 300.0

_lock = threading.Lock()
_cache: dict[int | None, tuple[float, WorkCalendar]] = {}


def calendar_for(agency_id: int | None) -> WorkCalendar:
    """The calendar of ``agency_id`` (None: the default) over the default years."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(agency_id)
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    calendar = load_calendar(agency_id)
    with _lock:
        _cache[agency_id] = (now, calendar)
    return calendar


def forget_calendars() -> None:
    with _lock:
        _cache.clear()
