"""Reporting periods, and sums of daily flows up to a day in a few index ranges (DOMAIN.md §8).

A report covers whole Vietnamese calendar days, from ``start`` to ``end`` inclusive. Its stock
figures are sums of flows up to a day (``flows.py``): the flows up to the end of day D are the
years before D's year, the months of D's year before D's month and the days of D's month up to
D — or, when shorter, the whole year minus the months after, and the whole month minus the days
after. Each piece is one index range of one summary table (``prefix_weights``), so a sum up to
any day reads at most about 5 years + 6 months + 15 days of rows whatever the history's length.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.reports.models import Grain

#: The earliest day a report may start on, and the longest period one may cover (bad input).
EARLIEST_DAY = dt.date(2000, 1, 1)
LONGEST_PERIOD_DAYS = 366 * 10
#: Before every period start: the sums "up to the day before" a period starting on it are nothing.
BEFORE_ALL = dt.date(1, 1, 1)


class PeriodError(ValueError):
    """A period that makes no sense; the message says why, in the user's language, about ``field``."""

    def __init__(self, message: str, field: str = "end") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("The period ends before it starts."))

    @property
    def before(self) -> dt.date:
        """The last day before the period (what is carried over is open at its end)."""
        return self.start - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), month_end(dt.date(year, month, 1)))


def check_period(start: dt.date, end: dt.date, *, today: dt.date) -> Period:
    """The period from ``start`` to ``end``, or PeriodError saying what is wrong with it."""
    if end < start:
        raise PeriodError(_("The period ends before it starts: swap the two dates."))
    if start < EARLIEST_DAY:
        raise PeriodError(_("Reports start on 01/01/2000 at the earliest."), "start")
    if start > today:
        raise PeriodError(_("The period starts in the future."), "start")
    if (end - start).days >= LONGEST_PERIOD_DAYS:
        raise PeriodError(_("A report covers at most ten years."))
    return Period(start, min(end, today) if end > today else end)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Segment:
    """Rows of one grain whose period starts in [low, high), each counted ``weight`` times."""

    grain: str
    low: dt.date
    high: dt.date
    weight: int


def prefix_segments(day: dt.date) -> list[Segment]:
    """The rows whose signed sum is every flow up to the end of ``day``."""
    if day < EARLIEST_DAY - dt.timedelta(days=1):
        return []
    year = dt.date(day.year, 1, 1)
    following_year = dt.date(day.year + 1, 1, 1)
    month = day.replace(day=1)
    following_month = add_months(month, 1)
    segments = [Segment(Grain.YEAR, BEFORE_ALL, year, 1)]
    # Up to the end of the month: months since January, or the year minus the months after.
    if day.month <= 6:
        segments.append(Segment(Grain.MONTH, year, following_month, 1))
    else:
        segments.append(Segment(Grain.YEAR, year, following_year, 1))
        segments.append(Segment(Grain.MONTH, following_month, following_year, -1))
    # Back to the end of the day: the month minus the days after, or the days since the 1st.
    if day.day > 15:
        segments.append(Segment(Grain.DAY, day + dt.timedelta(days=1), following_month, -1))
    else:
        segments.append(Segment(Grain.MONTH, month, following_month, -1))
        segments.append(Segment(Grain.DAY, month, day + dt.timedelta(days=1), 1))
    return segments


@dataclass(frozen=True, slots=True)
class WeightedRange:
    """One index range and the weight of its rows in each of several sums."""

    grain: str
    low: dt.date
    high: dt.date
    weights: tuple[int, ...]


def prefix_weights(days: Sequence[dt.date]) -> list[WeightedRange]:
    """Non-overlapping ranges such that Σ rows × weights[k] is every flow up to the end of ``days[k]``."""
    by_grain: dict[str, list[tuple[Segment, int]]] = defaultdict(list)
    for index, day in enumerate(days):
        for segment in prefix_segments(day):
            by_grain[segment.grain].append((segment, index))
    ranges: list[WeightedRange] = []
    for grain, segments in by_grain.items():
        bounds = sorted({segment.low for segment, _ in segments} | {segment.high for segment, _ in segments})
        for low, high in itertools.pairwise(bounds):
            weights = [0] * len(days)
            for segment, index in segments:
                if segment.low <= low and high <= segment.high:
                    weights[index] += segment.weight
            if any(weights):
                ranges.append(WeightedRange(grain, low, high, tuple(weights)))
    return _merged(ranges)


def _merged(ranges: Iterable[WeightedRange]) -> list[WeightedRange]:
    merged: list[WeightedRange] = []
    for item in sorted(ranges, key=lambda r: (r.grain, r.low)):
        last = merged[-1] if merged else None
        if last and last.grain == item.grain and last.high == item.low and last.weights == item.weights:
            merged[-1] = WeightedRange(item.grain, last.low, item.high, item.weights)
        else:
            merged.append(item)
    return merged
