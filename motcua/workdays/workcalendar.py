"""The working-day calendar as one immutable value, built once and then only read.

Which days are working days, from lowest to highest precedence:

1. Monday to Friday (practice: the public service works a five-day week).
2. Public holidays of the Labour Code 2019 Art. 112 (New Year, five days of Tết, Hùng Kings,
   30/4, 1/5, 2/9 and one adjacent day, 24/11 from 2026) with their compensatory days off,
   and the Saturday swaps the government announces each year (a Saturday worked in exchange
   for a weekday off), all taken from the ``holidays`` package (country VN).
3. Overrides kept by administrators because later announcements reach the package late:
   an extra day off or a working day for everyone, then a closure of one agency.

Office hours are a list of intervals (default 08:00–12:00 and 13:00–17:00, 8 hours a day).
``build_calendar`` precomputes, for every day of the covered years, whether it is a working
day, how many working days there are up to it, and the opening and closing moment of every
working day, so that ``clock`` answers each question with a few index look-ups. Nothing here
touches the database: ``queries.load_calendar`` reads the overrides and office hours.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
US_PER_SECOND = 1_000_000
US_PER_HOUR = 3600 * US_PER_SECOND

Interval = tuple[dt.time, dt.time]

#: 08:00–12:00 and 13:00–17:00: the hours most agencies publish (DOMAIN.md §4).
DEFAULT_OFFICE_HOURS: tuple[Interval, ...] = (
    (dt.time(8, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(17, 0)),
)

_INTERVAL_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


class OverrideKind(enum.StrEnum):
    """What an administrator's override does to one day (models.py gives the labels)."""

    DAY_OFF = "day_off"  # an extra day off for everyone (e.g. a swap announced after the package)
    WORKING_DAY = "working_day"  # a working day for everyone (e.g. a swapped Saturday)
    AGENCY_CLOSURE = "agency_closure"  # one agency closed (move, disaster, local decision)


@dataclass(frozen=True, slots=True)
class Override:
    """One override as plain data, independent of the ORM row it came from."""

    day: dt.date
    kind: OverrideKind
    agency_id: int | None = None
    note: str = ""


class OfficeHoursError(ValueError):
    """Office hours that cannot be used; ``code`` and ``interval`` let the UI word its own message."""

    MESSAGES: Mapping[str, str] = types.MappingProxyType(
        {
            "empty": "Office hours need at least one interval.",
            "syntax": "“{interval}” is not an interval such as 08:00-12:00.",
            "time": "“{interval}” is not a time of day between 00:00 and 23:59.",
            "order": "The interval {interval} ends before it starts.",
            "overlap": "The interval {interval} overlaps or precedes the one before it.",
        }
    )

    def __init__(self, code: str, interval: str = "") -> None:
        self.code = code
        self.interval = interval
        super().__init__(self.MESSAGES[code].format(interval=interval))


def parse_office_hours(text: str) -> tuple[Interval, ...]:
    """Parse ``"08:00-12:00, 13:00-17:00"`` (the stored form) into checked intervals."""
    intervals: list[Interval] = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        match = _INTERVAL_RE.match(part)
        if match is None:
            raise OfficeHoursError("syntax", part.strip())
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise OfficeHoursError("time", part.strip())
        intervals.append((dt.time(h1, m1), dt.time(h2, m2)))
    return check_office_hours(intervals)


def format_office_hours(intervals: Iterable[Interval]) -> str:
    """The stored form of ``intervals``: ``"08:00-12:00, 13:00-17:00"``."""
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in intervals)


def check_office_hours(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Return ``intervals`` as a tuple if they are non-empty, ordered, disjoint and without a
    time zone (they are local times), else raise OfficeHoursError."""
    checked = tuple(intervals)
    if not checked:
        raise OfficeHoursError("empty")
    previous_end: dt.time | None = None
    for start, end in checked:
        label = f"{start:%H:%M}-{end:%H:%M}"
        if start.tzinfo is not None or end.tzinfo is not None:
            raise OfficeHoursError("time", label)
        if start >= end:
            raise OfficeHoursError("order", label)
        if previous_end is not None and start < previous_end:
            raise OfficeHoursError("overlap", label)
        previous_end = end
    return checked


def time_to_us(value: dt.time) -> int:
    """Microseconds since midnight."""
    return ((value.hour * 60 + value.minute) * 60 + value.second) * US_PER_SECOND + value.microsecond


def us_to_time(us: int) -> dt.time:
    seconds, micro = divmod(us, US_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute, second, micro)


@functools.lru_cache(maxsize=64)
def public_holidays(first_year: int, last_year: int) -> tuple[Mapping[dt.date, str], frozenset[dt.date]]:
    """Vietnamese public holidays (name by date) and official working Saturdays for the years given.

    Cached: the ``holidays`` package answers the same for the same years, and its first call
    is slow (it loads the lunar calendar).
    """
    years = range(first_year, last_year + 1)
    public = holidays.country_holidays("VN", years=years, language="vi")
    names = {day: str(name) for day, name in public.items() if first_year <= day.year <= last_year}
    # weekend_workdays also holds swaps of neighbouring years (a swap is filed under the year
    # of its day off), so keep only the covered ones.
    worked = frozenset(day for day in public.weekend_workdays if first_year <= day.year <= last_year)
    return types.MappingProxyType(names), worked


@dataclass(frozen=True, slots=True, eq=False)
class WorkCalendar:
    """Working days and office hours of one agency (or the default) over a range of years.

    Built by ``build_calendar``; the per-day tables are indexed by ``day.toordinal() - first_ordinal``.
    """

    first_day: dt.date
    last_day: dt.date
    office_hours: tuple[Interval, ...]
    agency_id: int | None
    tz: ZoneInfo
    notes: Mapping[dt.date, str] = field(repr=False)
    first_ordinal: int = field(repr=False)
    #: 1 if the day at that index is a working day, else 0.
    working: bytes = field(repr=False)
    #: number of working days from ``first_day`` up to and including the day at that index.
    upto: tuple[int, ...] = field(repr=False)
    #: the working days in order: the k-th working day of the calendar is ``working_days[k]``.
    working_days: tuple[dt.date, ...] = field(repr=False)
    #: the moment office hours begin and end on each working day (same indexing as ``working_days``).
    opens: tuple[dt.datetime, ...] = field(repr=False)
    closes: tuple[dt.datetime, ...] = field(repr=False)
    #: the same closing moments in UTC and as POSIX timestamps. Comparing two datetimes that share
    #: one tzinfo object needs no UTC conversion, so ``clock`` bisects the list in the caller's zone.
    closes_utc: tuple[dt.datetime, ...] = field(repr=False)
    close_timestamps: tuple[float, ...] = field(repr=False)
    #: midnight at the start of ``first_day``: earlier moments are outside the calendar.
    start_moment: dt.datetime = field(repr=False)
    #: office hours in microseconds since midnight, and their total length in one day.
    intervals_us: tuple[tuple[int, int], ...] = field(repr=False)
    day_us: int = field(repr=False)
    close_us: int = field(repr=False)

    @property
    def hours_per_day(self) -> float:
        return self.day_us / US_PER_HOUR


def build_calendar(
    years: range,
    *,
    office_hours: Iterable[Interval] = DEFAULT_OFFICE_HOURS,
    overrides: Iterable[Override] = (),
    agency_id: int | None = None,
    tz: ZoneInfo = VIETNAM_TZ,
) -> WorkCalendar:
    """Build the calendar of ``agency_id`` (None: the default) for ``years``.

    Closures of other agencies are ignored. Two overrides for everyone on one day that
    disagree (a day both off and working) raise ValueError naming the day.
    """
    if len(years) == 0 or years.step != 1:
        raise ValueError("The calendar needs a non-empty range of consecutive years.")
    if years.start < 1900 or years.stop > 2200:
        raise ValueError(f"The calendar covers years 1900 to 2199, not {years.start} to {years.stop - 1}.")
    hours = check_office_hours(office_hours)
    first_day, last_day = dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31)
    holiday_names, worked_weekends = public_holidays(years.start, years.stop - 1)

    national: dict[dt.date, Override] = {}
    closures: dict[dt.date, Override] = {}
    for override in overrides:
        if override.kind == OverrideKind.AGENCY_CLOSURE:
            if override.agency_id is None:
                raise ValueError(f"The closure on {override.day:%d/%m/%Y} names no agency.")
            if override.agency_id == agency_id:
                closures[override.day] = override
            continue
        earlier = national.get(override.day)
        if earlier is not None and earlier.kind != override.kind:
            raise ValueError(f"{override.day:%d/%m/%Y} is both a day off and a working day in the overrides.")
        national[override.day] = override

    notes: dict[dt.date, str] = dict(holiday_names)
    working = bytearray()
    upto: list[int] = []
    working_days: list[dt.date] = []
    count = 0
    for ordinal in range(first_day.toordinal(), last_day.toordinal() + 1):
        day = dt.date.fromordinal(ordinal)
        is_working = _is_working(day, national, closures, holiday_names, worked_weekends)
        for source in (national, closures):
            if day in source and source[day].note:
                notes[day] = source[day].note
        working.append(is_working)
        if is_working:
            count += 1
            working_days.append(day)
        upto.append(count)

    intervals_us = tuple((time_to_us(start), time_to_us(end)) for start, end in hours)
    closes = tuple(dt.datetime.combine(day, hours[-1][1], tzinfo=tz) for day in working_days)
    return WorkCalendar(
        first_day=first_day,
        last_day=last_day,
        office_hours=hours,
        agency_id=agency_id,
        tz=tz,
        notes=types.MappingProxyType(notes),
        first_ordinal=first_day.toordinal(),
        working=bytes(working),
        upto=tuple(upto),
        working_days=tuple(working_days),
        opens=tuple(dt.datetime.combine(day, hours[0][0], tzinfo=tz) for day in working_days),
        closes=closes,
        closes_utc=tuple(moment.astimezone(dt.UTC) for moment in closes),
        close_timestamps=tuple(moment.timestamp() for moment in closes),
        start_moment=dt.datetime.combine(first_day, dt.time(0), tzinfo=tz),
        intervals_us=intervals_us,
        day_us=sum(end - start for start, end in intervals_us),
        close_us=intervals_us[-1][1],
    )


def _is_working(
    day: dt.date,
    national: Mapping[dt.date, Override],
    closures: Mapping[dt.date, Override],
    holiday_names: Mapping[dt.date, str],
    worked_weekends: frozenset[dt.date],
) -> bool:
    if day in closures:
        return False
    if day in national:
        return national[day].kind == OverrideKind.WORKING_DAY
    if day in worked_weekends:
        return True
    return day not in holiday_names and day.weekday() < 5
