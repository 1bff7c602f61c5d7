"""Working-time arithmetic: when a period that starts at a given moment ends.

Rules (DOMAIN.md §4):

- The clock starts at the time on the receipt (Decree 118/2025/NĐ-CP Art. 17); a reception outside
  office hours (evening, lunch break, weekend, holiday, e.g. online) counts from the next working
  moment (practice, DOMAIN.md §4). A reception at exactly the closing instant (17:00:00) still
  belongs to that day: the day's working time ends at that instant, so a period starting at a
  due moment chains on exactly (adding n then m working days equals adding n + m).
- Optional cut-off (Decree 118/2025/NĐ-CP Art. 18): a paper dossier received after 15:00 is
  transferred, and its period counted, from the start of the next working day.
- A period in days, weeks or months does not count the day of the event; it starts the day
  after (Civil Code 2015 Art. 147.2). A period in hours starts at the moment itself (Art. 147.1).
- A period in days ends at the end of its last day (Art. 148.1); in months, on the same-numbered
  day of the last month, or that month's last day if it has none (Art. 148.3). If the last day is
  a weekend or a holiday, the period ends at the end of the next working day (Art. 148.5).
- Sector law may differ (Art. 145.1): procedures in working days count working days only.

Convention for "the end of a day": the Civil Code ends a day at 24:00 (Art. 148.6), but a result
is handed over during office hours, so every due moment returned here is the **closing moment of
office hours** (17:00 by default) of a working day, or for working hours the exact instant the
last hour is used up. In both cases the instant just before the due moment is working time.

All moments must be timezone-aware; results are in the calendar's zone (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from bisect import bisect_left

from motcua.workdays.workcalendar import US_PER_HOUR, WorkCalendar, time_to_us, us_to_time

#: The paper-transfer cut-off of Decree 118/2025/NĐ-CP Art. 18.
PAPER_TRANSFER_CUTOFF = dt.time(15, 0)


class NaiveDatetimeError(ValueError):
    """A moment without a time zone: the clock cannot tell which day or hour it is in Vietnam."""

    def __init__(self, moment: dt.datetime) -> None:
        super().__init__(
            f"{moment.isoformat()} has no time zone; pass an aware datetime "
            "(e.g. django.utils.timezone.now() or one with tzinfo=ZoneInfo('Asia/Ho_Chi_Minh'))."
        )


class OutsideCalendarError(ValueError):
    """A moment or a result outside the years the calendar was built for."""


def is_working_day(cal: WorkCalendar, day: dt.date) -> bool:
    return bool(cal.working[_index(cal, day.toordinal())])


def is_working_time(cal: WorkCalendar, moment: dt.datetime) -> bool:
    """True during office hours of a working day; intervals include their start, not their end."""
    local = _local(cal, moment)
    if not cal.working[_index(cal, local.toordinal())]:
        return False
    us = time_to_us(local.time())
    return any(start <= us < end for start, end in cal.intervals_us)


def next_working_moment(cal: WorkCalendar, moment: dt.datetime) -> dt.datetime:
    """``moment`` itself if it is working time, else the next opening of an office-hours interval."""
    local = _local(cal, moment)
    i = _index(cal, local.toordinal())
    if cal.working[i]:
        us = time_to_us(local.time())
        for start, end in cal.intervals_us:
            if us < start:
                return dt.datetime.combine(local.date(), us_to_time(start), tzinfo=cal.tz)
            if us < end:
                return local
    return _opening(cal, cal.upto[i])


def reception_day(cal: WorkCalendar, moment: dt.datetime, *, cutoff: dt.time | None = None) -> dt.date:
    """The working day a reception at ``moment`` counts on (the day of the "event" in Art. 147).

    The day itself if it is a working day and ``moment`` is no later than the close (or the
    ``cutoff``); otherwise the next working day.
    """
    return cal.working_days[_reception_index(cal, moment, cutoff)]


def reception_moment(cal: WorkCalendar, moment: dt.datetime, *, cutoff: dt.time | None = None) -> dt.datetime:
    """When the clock starts for a reception at ``moment``: the next working moment, or with a
    ``cutoff`` (Decree 118/2025/NĐ-CP Art. 18) the next day's opening if received after it."""
    local = _local(cal, moment)
    if cutoff is not None and time_to_us(local.time()) > time_to_us(cutoff):
        i = _index(cal, local.toordinal())
        if cal.working[i]:
            return _opening(cal, cal.upto[i])
    return next_working_moment(cal, local)


def add_working_days(cal: WorkCalendar, start: dt.datetime, n: int, *, cutoff: dt.time | None = None) -> dt.datetime:
    """The end of the ``n``-th working day after the reception day of ``start``.

    ``n == 0`` (a same-day procedure) is the end of the reception day itself. Example: received
    Friday 13/02/2026 + 5 working days is due at the close of Friday 27/02/2026 (Tết 16–20/02 skipped).

    This is the hot path (hundreds of thousands of calls a second): the reception day is the
    first working day whose close is not before ``start``, found by bisecting the closing moments
    in the zone ``start`` is in, so the usual zones (Vietnam, UTC from the database) need no conversion.
    """
    if n < 0:
        raise ValueError(f"A number of working days cannot be negative ({n}).")
    if cutoff is None:
        tz = start.tzinfo
        if tz is cal.tz:
            k = bisect_left(cal.closes, start)
        elif tz is dt.UTC:
            k = bisect_left(cal.closes_utc, start)
        else:
            k = _first_close_index(cal, start)
        if k == 0 and start < cal.start_moment:
            raise _outside(cal, _local(cal, start).date())
        k += n
    else:
        k = _reception_index(cal, start, cutoff) + n
    if k >= len(cal.closes):
        raise _outside(cal, cal.last_day + dt.timedelta(days=1))
    return cal.closes[k]


def add_working_time(
    cal: WorkCalendar, start: dt.datetime, duration: dt.timedelta, *, cutoff: dt.time | None = None
) -> dt.datetime:
    """The moment ``duration`` of office time after the clock starts (Art. 147.1: from the moment itself).

    The result is the instant the last microsecond is used up: 4 hours from 08:00 end at 12:00,
    not at 13:00 after lunch. A zero duration gives the moment the clock starts.
    """
    amount = duration // dt.timedelta(microseconds=1)
    if amount < 0:
        raise ValueError(f"A working time cannot be negative ({duration}).")
    begin = reception_moment(cal, start, cutoff=cutoff)
    if amount == 0:
        return begin
    day, offset = divmod(_elapsed_us(cal, begin) + amount - 1, cal.day_us)
    offset += 1  # in (0, day_us]: the end of a day stays on that day
    if day >= len(cal.working_days):
        raise _outside(cal, cal.last_day + dt.timedelta(days=1))
    for interval_start, interval_end in cal.intervals_us:
        length = interval_end - interval_start
        if offset <= length:
            return dt.datetime.combine(cal.working_days[day], us_to_time(interval_start + offset), tzinfo=cal.tz)
        offset -= length
    raise AssertionError("offset exceeds the office day")  # pragma: no cover - day_us is the sum of the intervals


def add_working_hours(
    cal: WorkCalendar, start: dt.datetime, hours: float, *, cutoff: dt.time | None = None
) -> dt.datetime:
    """``add_working_time`` with a number of hours (8 working hours is one office day by default)."""
    if hours < 0:
        raise ValueError(f"A number of working hours cannot be negative ({hours}).")
    return add_working_time(cal, start, dt.timedelta(microseconds=round(hours * US_PER_HOUR)), cutoff=cutoff)


def add_calendar_days(cal: WorkCalendar, start: dt.datetime, n: int, *, cutoff: dt.time | None = None) -> dt.datetime:
    """A period of ``n`` days (weekends and holidays included), Civil Code 2015 Arts. 147.2, 148.1, 148.5.

    Counted from the day after the reception day; if the last day is not a working day the
    period ends at the close of the next working day.
    """
    if n < 0:
        raise ValueError(f"A number of days cannot be negative ({n}).")
    return end_of_period(cal, reception_day(cal, start, cutoff=cutoff) + dt.timedelta(days=n))


def add_months(cal: WorkCalendar, start: dt.datetime, n: int, *, cutoff: dt.time | None = None) -> dt.datetime:
    """A period of ``n`` months, Civil Code 2015 Art. 148.3 and 148.5.

    Ends on the same-numbered day of the last month (31/01 + 1 month → 28 or 29/02), rolled to
    the next working day if that one is not.
    """
    if n < 0:
        raise ValueError(f"A number of months cannot be negative ({n}).")
    day = reception_day(cal, start, cutoff=cutoff)
    year, month0 = divmod(day.year * 12 + day.month - 1 + n, 12)
    last = stdlib_calendar.monthrange(year, month0 + 1)[1]
    return end_of_period(cal, dt.date(year, month0 + 1, min(day.day, last)))


def end_of_period(cal: WorkCalendar, last_day: dt.date) -> dt.datetime:
    """The close of ``last_day``, or of the next working day if it is not one (Art. 148.5)."""
    i = _index(cal, last_day.toordinal())
    k = cal.upto[i] - 1 if cal.working[i] else cal.upto[i]
    if k >= len(cal.closes):
        raise _outside(cal, cal.last_day + dt.timedelta(days=1))
    return cal.closes[k]


def working_time_between(cal: WorkCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Office time from ``a`` to ``b`` (negative if ``b`` is earlier)."""
    return dt.timedelta(microseconds=_elapsed_us(cal, b) - _elapsed_us(cal, a))


def working_days_between(cal: WorkCalendar, a: dt.date, b: dt.date) -> int:
    """The number of working days after ``a`` up to and including ``b`` (negative if ``b`` is earlier)."""
    return cal.upto[_index(cal, b.toordinal())] - cal.upto[_index(cal, a.toordinal())]


def changed_days(before: WorkCalendar, after: WorkCalendar) -> frozenset[dt.date]:
    """Days (in the years both cover) that are working days in one calendar and not in the other.

    After an override is added or removed, only dossiers whose counting window contains one of
    these days need a new due date; recomputing them belongs to the dossier lifecycle.
    """
    first = max(before.first_day, after.first_day)
    last = min(before.last_day, after.last_day)
    if first > last:
        return frozenset()
    b0, a0 = first.toordinal() - before.first_ordinal, first.toordinal() - after.first_ordinal
    span = last.toordinal() - first.toordinal() + 1
    return frozenset(
        first + dt.timedelta(days=offset)
        for offset in range(span)
        if before.working[b0 + offset] != after.working[a0 + offset]
    )


def _local(cal: WorkCalendar, moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is cal.tz:
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(moment)
    return moment.astimezone(cal.tz)


def _index(cal: WorkCalendar, ordinal: int) -> int:
    i = ordinal - cal.first_ordinal
    if i < 0 or i >= len(cal.working):
        raise _outside(cal, dt.date.fromordinal(max(ordinal, 1)))
    return i


def _outside(cal: WorkCalendar, day: dt.date) -> OutsideCalendarError:
    return OutsideCalendarError(
        f"{day:%d/%m/%Y} is outside the working-day calendar "
        f"({cal.first_day:%d/%m/%Y} to {cal.last_day:%d/%m/%Y}); load it for more years."
    )


def _opening(cal: WorkCalendar, k: int) -> dt.datetime:
    """The opening moment of the ``k``-th working day of the calendar."""
    if k >= len(cal.opens):
        raise _outside(cal, cal.last_day + dt.timedelta(days=1))
    return cal.opens[k]


def _first_close_index(cal: WorkCalendar, moment: dt.datetime) -> int:
    """Index of the first working day whose close is at or after ``moment`` (any zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(moment)
    return bisect_left(cal.close_timestamps, moment.timestamp())


def _reception_index(cal: WorkCalendar, moment: dt.datetime, cutoff: dt.time | None) -> int:
    """The index in ``working_days`` of the day a reception at ``moment`` counts on."""
    local = _local(cal, moment)
    i = _index(cal, local.toordinal())
    k = cal.upto[i]
    if cal.working[i]:
        us = time_to_us(local.time())
        if us <= cal.close_us and (cutoff is None or us <= time_to_us(cutoff)):
            k -= 1  # received within the day (at the latest at the close or the cut-off)
    if k >= len(cal.working_days):
        raise _outside(cal, cal.last_day + dt.timedelta(days=1))
    return k


def _elapsed_us(cal: WorkCalendar, moment: dt.datetime) -> int:
    """Office time, in microseconds, from the start of the calendar to ``moment``."""
    local = _local(cal, moment)
    i = _index(cal, local.toordinal())
    is_working = cal.working[i]
    elapsed = (cal.upto[i] - is_working) * cal.day_us
    if is_working:
        us = time_to_us(local.time())
        for start, end in cal.intervals_us:
            if us >= end:
                elapsed += end - start
            elif us > start:
                elapsed += us - start
    return elapsed
