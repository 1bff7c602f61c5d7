"""Time limits (thời hạn giải quyết) as a typed value, read from the catalogue's texts.

The national catalogue writes a limit as a number and a unit: ``15 Ngày làm việc`` (working
days), ``30 Ngày`` (calendar days: Civil Code 2015 Art. 147 counts every day), ``01 Giờ``
(hours, counted in office time), ``3 Tháng`` (months, Art. 148.3), or says there is none
(``Không quy định``). Same-day procedures (``Trong ngày``, or an amount of 0) are due at the close
of the day of reception (Decree 118/2025/NĐ-CP Art. 17 lets them go without a receipt, but they
are recorded).

Where the catalogue's limit cell is incomplete (a bare "7", "Không có thông tin"), ``read_limit_cell``
completes it from the row's description and the steps ("trong thời hạn 07 ngày làm việc") and says
so, since prose may name the limit of one step only; a limit found nowhere is an error, not NONE.

``due_at`` turns a limit into the legal due moment on a working-day calendar; the rules of
the count itself (day after the event, roll-over of a last day off, receptions outside office
hours) live in ``motcua.workdays.clock``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from motcua.workdays import clock
from motcua.workdays.workcalendar import WorkCalendar


class TimeUnit(enum.StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    SAME_DAY = "same_day"
    NONE = "none"


#: Largest amount accepted per unit: anything beyond is a typing error in the source, not a limit.
MAXIMUM = {
    TimeUnit.WORKING_HOURS: 8 * 260,
    TimeUnit.WORKING_DAYS: 3 * 260,
    TimeUnit.CALENDAR_DAYS: 3 * 366,
    TimeUnit.MONTHS: 36,
    TimeUnit.SAME_DAY: 0,
    TimeUnit.NONE: 0,
}

#: Office hours in one working day (08:00–12:00 and 13:00–17:00), used to compare budgets with limits.
HOURS_PER_WORKING_DAY = 8
#: An upper bound of working days in a month, for comparing budgets with a limit in months.
WORKING_DAYS_PER_MONTH = 23


class TimeLimitError(ValueError):
    """A limit that cannot be used: negative, absurdly long, or not a limit at all."""


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """``amount`` of ``unit``; SAME_DAY and NONE carry 0."""

    amount: int
    unit: TimeUnit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise TimeLimitError(f"A time limit cannot be negative ({self.amount}).")
        if self.unit in (TimeUnit.SAME_DAY, TimeUnit.NONE):
            if self.amount != 0:
                raise TimeLimitError(f"A limit of kind {self.unit} has no amount ({self.amount}).")
        elif self.amount > MAXIMUM[self.unit]:
            raise TimeLimitError(
                f"{self.amount} {self.unit.replace('_', ' ')} is longer than any procedure allows "
                f"(at most {MAXIMUM[self.unit]})."
            )

    @property
    def is_none(self) -> bool:
        return self.unit is TimeUnit.NONE

    def working_hours_at_most(self) -> int | None:
        """An upper bound of the office hours this limit can contain; None when there is no limit.

        Exact for working hours and days; for calendar days and months it counts every day as a
        working day, so that a process whose budgets exceed even that bound is certainly too long.
        """
        match self.unit:
            case TimeUnit.NONE:
                return None
            case TimeUnit.WORKING_HOURS:
                return self.amount
            case TimeUnit.SAME_DAY:
                return HOURS_PER_WORKING_DAY
            case TimeUnit.MONTHS:
                return self.amount * WORKING_DAYS_PER_MONTH * HOURS_PER_WORKING_DAY
            case _:
                # n working days hold n office days; n calendar days hold at most n.
                return self.amount * HOURS_PER_WORKING_DAY

    def __str__(self) -> str:
        return format_time_limit(self)


NO_LIMIT = TimeLimit(0, TimeUnit.NONE)
SAME_DAY = TimeLimit(0, TimeUnit.SAME_DAY)

_UNIT_WORDS = (
    # Longest first: "ngày làm việc" before "ngày", "giờ làm việc" before "giờ".
    ("ngày làm việc", TimeUnit.WORKING_DAYS),
    ("ngay lam viec", TimeUnit.WORKING_DAYS),
    ("giờ làm việc", TimeUnit.WORKING_HOURS),
    ("gio lam viec", TimeUnit.WORKING_HOURS),
    ("ngày", TimeUnit.CALENDAR_DAYS),
    ("ngay", TimeUnit.CALENDAR_DAYS),
    ("giờ", TimeUnit.WORKING_HOURS),
    ("gio", TimeUnit.WORKING_HOURS),
    ("tháng", TimeUnit.MONTHS),
    ("thang", TimeUnit.MONTHS),
)
_AMOUNT_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(.*?)\s*\.?\s*$", re.IGNORECASE)
_NONE_TEXTS = frozenset(
    {
        "không quy định",
        "khong quy dinh",
        "không quy định cụ thể",
        "không quy định thời hạn",
        "không",
        "không có",
        "không có thông tin",
    }
)
_SAME_DAY_TEXTS = frozenset({"trong ngày", "trong ngay", "ngay trong ngày", "trong ngày làm việc"})
# A unit word as prose writes it after an amount: "05 ngày làm việc", "05 (năm) ngày làm việc".
_UNIT_PATTERN = "|".join(word for word, _unit in _UNIT_WORDS)
_PROSE_UNIT = rf"(?:\s*\([^()\d]{{1,20}}\))?\s*(?P<unit>{_UNIT_PATTERN})(?![a-zà-ỹđ])"
# "Trong thời hạn 02 ngày làm việc", "không quá 30 ngày", "trong vòng 24 giờ", "chậm nhất 05 ngày".
_LIMIT_PHRASE_RE = re.compile(
    r"(?:trong\s+thời\s+hạn|trong\s+vòng|thời\s+hạn(?:\s+giải\s+quyết)?(?:\s+là)?\s*:?|không\s+quá|"
    r"chậm\s+nhất(?:\s+là|\s+sau)?|tối\s+đa|trong)\s+(?P<amount>\d+(?:[.,]\d+)?)"
    + _PROSE_UNIT
    + r"|(?P<same_day>(?:ngay\s+)?trong\s+(?:cùng\s+)?ngày(?!\s*(?:\d|thứ|làm\s+việc\s+(?:thứ|kể)))"
    r"|ngay\s+sau\s+khi\s+(?:tiếp\s+)?nhận\s+(?:đủ|được)\s+hồ\s+sơ)",
    re.IGNORECASE,
)


def parse_time_limit(text: str) -> TimeLimit:
    """Read a limit as the catalogue writes it: ``"15 Ngày làm việc"``, ``"30 Ngày"``, ``"01 Giờ"``,
    ``"3 Tháng"``, ``"Trong ngày"``, ``"Không quy định"``. A fraction of a working day becomes hours
    (``"0,5 Ngày làm việc"`` is 4 working hours). Raises TimeLimitError naming the text otherwise.
    """
    cleaned = " ".join(text.split()).strip(" .;")
    lowered = cleaned.lower()
    if lowered in _NONE_TEXTS:
        return NO_LIMIT
    if lowered in _SAME_DAY_TEXTS:
        return SAME_DAY
    match = _AMOUNT_RE.match(cleaned)
    if match is None:
        raise TimeLimitError(f"“{text}” is not a time limit such as “15 Ngày làm việc”.")
    number, words = match.group(1).replace(",", "."), match.group(2).lower()
    unit = next((unit for word, unit in _UNIT_WORDS if words == word), None)
    if unit is None:
        raise TimeLimitError(f"“{text}” has no unit (Ngày làm việc, Ngày, Giờ or Tháng).")
    amount = float(number)
    if amount != int(amount):
        if unit is TimeUnit.WORKING_DAYS:
            return TimeLimit(round(amount * HOURS_PER_WORKING_DAY), TimeUnit.WORKING_HOURS)
        raise TimeLimitError(f"“{text}”: only working days may be given as a fraction.")
    if amount == 0:
        # "0 Ngày làm việc", "0 Giờ": settled on the day of reception.
        return SAME_DAY
    return TimeLimit(int(amount), unit)


@functools.lru_cache(maxsize=256)
def _amount_re(amount: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![\d.,/])0*{amount}" + _PROSE_UNIT, re.IGNORECASE)


def find_unit_of(amount_text: str, text: str) -> tuple[TimeLimit, str] | None:
    """The limit a bare amount (``"5"``, the unit missing) stands for, read from ``text``, which names
    the same amount with a unit ("05 ngày làm việc", "5 (năm) ngày"); the first such phrase wins.
    Returns the limit and the phrase, or None when ``text`` names the amount with no unit.
    """
    if not amount_text.strip().isdigit():
        return None
    match = _amount_re(int(amount_text)).search(text)
    if match is None:
        return None
    return parse_time_limit(f"{amount_text.strip()} {match.group('unit')}"), match.group(0).strip()


def find_limit_phrase(text: str) -> tuple[TimeLimit, str] | None:
    """The first limit ``text`` states in prose ("Trong thời hạn 02 ngày làm việc", "không quá 30 ngày",
    "trong ngày"), with the phrase; None when it states none. TimeLimitError when the amount is absurd.
    """
    match = _LIMIT_PHRASE_RE.search(text)
    if match is None:
        return None
    phrase = " ".join(match.group(0).split())
    if match.group("same_day"):
        return SAME_DAY, phrase
    return parse_time_limit(f"{match.group('amount')} {match.group('unit')}"), phrase


_LABELS = {
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.MONTHS: "tháng",
}


def format_time_limit(limit: TimeLimit) -> str:
    """The catalogue's own wording, e.g. ``"15 ngày làm việc"`` (read back by ``parse_time_limit``)."""
    if limit.unit is TimeUnit.NONE:
        return "Không quy định"
    if limit.unit is TimeUnit.SAME_DAY:
        return "Trong ngày"
    return f"{limit.amount} {_LABELS[limit.unit]}"


def due_at(
    cal: WorkCalendar, received_at: dt.datetime, limit: TimeLimit, *, cutoff: dt.time | None = None
) -> dt.datetime | None:
    """The legal due moment of a dossier received at ``received_at`` (None when there is no limit).

    ``cutoff`` is the 15:00 rule where a procedure applies it (Decree 118/2025/NĐ-CP Art. 18):
    received after it, the count starts from the next working day.
    """
    match limit.unit:
        case TimeUnit.NONE:
            return None
        case TimeUnit.SAME_DAY:
            return clock.add_working_days(cal, received_at, 0, cutoff=cutoff)
        case TimeUnit.WORKING_DAYS:
            return clock.add_working_days(cal, received_at, limit.amount, cutoff=cutoff)
        case TimeUnit.WORKING_HOURS:
            return clock.add_working_hours(cal, received_at, limit.amount, cutoff=cutoff)
        case TimeUnit.CALENDAR_DAYS:
            return clock.add_calendar_days(cal, received_at, limit.amount, cutoff=cutoff)
        case TimeUnit.MONTHS:
            return clock.add_months(cal, received_at, limit.amount, cutoff=cutoff)
    raise AssertionError(limit.unit)  # pragma: no cover - every unit is matched above


_NO_RESULT_RE = re.compile(r"không phải trả kết quả", re.IGNORECASE)
_RANGE_RE = re.compile(r"\d+\s*[-–]\s*(?P<upper>\d+)(?P<unit>\s*\D*)")


def read_limit_cell(text: str, context: tuple[tuple[str, str], ...] = ()) -> tuple[TimeLimit, str]:
    """Read a channel's time-limit cell, completing it from ``context`` (("description", prose),
    ("steps", prose) …, first match wins) where the catalogue left it incomplete:

    - a bare number ("1", the unit missing) takes the unit the context gives that number, else it
      is read as working days, the catalogue's most common unit;
    - an unknown limit ("Không có thông tin", empty) takes the first limit the context states;
    - prose ("Trong thời hạn 05 ngày làm việc kể từ …") is read for the limit it states;
    - a range ("10-25") keeps its upper bound, the longest the law allows;
    - "Không phải trả kết quả …" (a declaration that gets no result, so no limit runs) is NONE.

    Returns the limit and a note of what was assumed ("" when the cell said it all). Raises
    TimeLimitError, saying why, when neither the cell nor the context gives a usable limit.
    """
    cleaned = " ".join(text.split())
    if _NO_RESULT_RE.match(cleaned):
        # Declarations (tax returns) get no result, so no limit runs: the cell says so in words.
        return NO_LIMIT, f"the cell says no result is returned (“{cleaned}”); read as no limit"
    if (limit_range := _RANGE_RE.fullmatch(cleaned)) is not None:
        # "10-25" (ngày): the law allows up to the upper bound, so that is the limit to keep.
        limit, note = read_limit_cell(limit_range.group("upper") + limit_range.group("unit"), context)
        return limit, f"the cell gives a range (“{cleaned}”); read its upper bound" + (f"; {note}" if note else "")
    if cleaned.lower() in ("", "không có thông tin"):
        for label, prose in context:
            found = _safe_find(find_limit_phrase, prose)
            if found is not None:
                limit, phrase = found
                return limit, f"the cell gives no limit (“{cleaned}”); read “{limit}” from the {label}: “{phrase}”"
        if not cleaned:
            sources = " nor the ".join(label for label, _prose in context) or "context"
            raise TimeLimitError(f"the cell is empty and neither the {sources} state a limit.")
        # The national catalogue publishes no limit for this channel ("Không có thông tin"), and
        # nothing in the record states one: the system can compute no due date, exactly as for
        # "Không quy định". Kept as an assumption to review, never as an invented number.
        return NO_LIMIT, "no time limit published (“Không có thông tin”) nor stated in the text; read as no limit"
    if cleaned.isdigit():
        for label, prose in context:
            found = _safe_find(lambda part: find_unit_of(cleaned, part), prose)
            if found is not None:
                return found[0], f"unit missing in “{cleaned}”; read “{found[0]}” from the {label}: “{found[1]}”"
        limit = parse_time_limit(f"{cleaned} ngày làm việc")
        return limit, f"unit missing in “{cleaned}”; assumed working days (“{limit}”)"
    try:
        return parse_time_limit(cleaned), ""
    except TimeLimitError:
        found = _safe_find(find_limit_phrase, cleaned)
        if found is None:
            raise
        return found[0], f"read “{found[0]}” from the cell's prose: “{found[1]}”"


def _safe_find(finder: Callable[[str], tuple[TimeLimit, str] | None], prose: str) -> tuple[TimeLimit, str] | None:
    # An absurd amount in prose ("9999 ngày") is no reason to give up on the rest of the context.
    try:
        return finder(prose)
    except TimeLimitError:
        return None
