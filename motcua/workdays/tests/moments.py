"""Fixed moments and one shared calendar for the clock tests (2024–2028, default office hours)."""

from __future__ import annotations

import datetime as dt

from motcua.workdays.workcalendar import VIETNAM_TZ, build_calendar

CAL = build_calendar(range(2024, 2029))


def at(day: int, month: int, year: int, hour: int = 10, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment in Vietnam: ``at(13, 2, 2026, 9, 30)`` is Friday 13/02/2026 09:30 (+07:00)."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM_TZ)


def close(day: int, month: int, year: int) -> dt.datetime:
    """The end of that working day under the default office hours: 17:00."""
    return at(day, month, year, 17)
