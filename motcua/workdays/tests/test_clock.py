"""Hand-worked due dates. Each row says the weekday of the reception and why the due day is what it is.

Holidays as the ``holidays`` package has them (see test_workcalendar.py): Tết 2025 Mon 27–Fri 31/01
(official break Sat 25/01–Sun 02/02); Tết 2026 Mon 16–Fri 20/02 (break Sat 14–Sun 22/02);
2025: Sat 26/04 worked, Wed 30/04, Thu 01/05 and Fri 02/05 off; Mon 01 + Tue 02/09/2025 off;
2026: Hùng Kings Sun 26/04 observed Mon 27/04, Thu 30/04 + Fri 01/05, Sat 22/08 worked,
Mon 31/08–Wed 02/09 off, Tue 24/11 (Vietnam Cultural Day, new from 2026).
Due moments are the close of office hours, 17:00.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workdays import clock
from motcua.workdays.tests.moments import CAL, at, close
from motcua.workdays.workcalendar import build_calendar

WORKING_DAYS = [
    # The DOMAIN.md example: Fri 13/02/2026 + 5; Mon 16–Fri 20 Tết, Sat 21/Sun 22 weekend;
    # Mon 23 (1) Tue 24 (2) Wed 25 (3) Thu 26 (4) Fri 27 (5).
    pytest.param(at(13, 2, 2026, 9, 30), 5, close(27, 2, 2026), id="fri-13-02-2026-plus-5-over-tet"),
    # Same Friday but 17:30: counts from Mon 23/02; Tue 24 (1) … Fri 27 (4), Mon 02/03 (5).
    pytest.param(at(13, 2, 2026, 17, 30), 5, close(2, 3, 2026), id="fri-13-02-2026-after-hours"),
    # Thu 12/02/2026 + 1: Fri 13/02, the last day before Tết.
    pytest.param(at(12, 2, 2026, 14), 1, close(13, 2, 2026), id="thu-12-02-2026-plus-1"),
    # Thu 12/02/2026 + 2: Fri 13 (1), then Tết and two weekends, Mon 23/02 (2).
    pytest.param(at(12, 2, 2026, 14), 2, close(23, 2, 2026), id="thu-12-02-2026-plus-2-over-tet"),
    # Fri 24/01/2025 + 1: Sat 25/Sun 26 weekend, Mon 27–Fri 31 Tết, Sat 01/Sun 02 weekend → Mon 03/02.
    pytest.param(at(24, 1, 2025), 1, close(3, 2, 2025), id="fri-24-01-2025-plus-1-over-tet"),
    # Fri 24/01/2025 + 3: Mon 03 (1) Tue 04 (2) Wed 05/02 (3).
    pytest.param(at(24, 1, 2025), 3, close(5, 2, 2025), id="fri-24-01-2025-plus-3"),
    # Thu 23/01/2025 + 2: Fri 24/01 (1), Mon 03/02 (2).
    pytest.param(at(23, 1, 2025, 9), 2, close(3, 2, 2025), id="thu-23-01-2025-plus-2"),
    # Wed 29/01/2025, Tết (online): counts from Mon 03/02; + 1 → Tue 04/02.
    pytest.param(at(29, 1, 2025), 1, close(4, 2, 2025), id="wed-29-01-2025-during-tet"),
    # Fri 25/04/2025 + 1: Sat 26/04/2025 is the worked Saturday.
    pytest.param(at(25, 4, 2025), 1, close(26, 4, 2025), id="fri-25-04-2025-to-worked-saturday"),
    # Fri 25/04/2025 + 3: Sat 26 (1), Mon 28 (2), Tue 29/04 (3).
    pytest.param(at(25, 4, 2025), 3, close(29, 4, 2025), id="fri-25-04-2025-plus-3"),
    # Sat 26/04/2025 received on the worked Saturday itself: + 1 → Mon 28/04.
    pytest.param(at(26, 4, 2025, 9), 1, close(28, 4, 2025), id="sat-26-04-2025-received-on-worked-saturday"),
    # Sun 27/04/2025: counts from Mon 28; + 1 → Tue 29/04.
    pytest.param(at(27, 4, 2025), 1, close(29, 4, 2025), id="sun-27-04-2025"),
    # Tue 29/04/2025 + 1: Wed 30/04, Thu 01/05, Fri 02/05 (swapped) off, Sat 03/Sun 04 → Mon 05/05.
    pytest.param(at(29, 4, 2025), 1, close(5, 5, 2025), id="tue-29-04-2025-over-30-4-1-5-and-swap"),
    # Fri 29/08/2025 + 1: Sat/Sun, Mon 01/09 + Tue 02/09 off → Wed 03/09.
    pytest.param(at(29, 8, 2025), 1, close(3, 9, 2025), id="fri-29-08-2025-over-2-9"),
    # Fri 21/08/2026 + 1: Sat 22/08/2026 is worked (swapped for Mon 31/08).
    pytest.param(at(21, 8, 2026), 1, close(22, 8, 2026), id="fri-21-08-2026-to-worked-saturday"),
    # Fri 28/08/2026 + 1: Sat/Sun, Mon 31/08 (swap), Tue 01/09, Wed 02/09 off → Thu 03/09.
    pytest.param(at(28, 8, 2026), 1, close(3, 9, 2026), id="fri-28-08-2026-over-2-9"),
    # Mon 23/11/2026 + 1: Tue 24/11/2026 is Vietnam Cultural Day → Wed 25/11.
    pytest.param(at(23, 11, 2026), 1, close(25, 11, 2026), id="mon-23-11-2026-over-24-11"),
    # Fri 24/04/2026 + 1: Sat/Sun, Mon 27/04 (Hùng Kings observed) → Tue 28/04.
    pytest.param(at(24, 4, 2026), 1, close(28, 4, 2026), id="fri-24-04-2026-over-hung-kings-observed"),
    # Wed 29/04/2026 + 1: Thu 30/04, Fri 01/05, Sat/Sun → Mon 04/05.
    pytest.param(at(29, 4, 2026), 1, close(4, 5, 2026), id="wed-29-04-2026-over-30-4-1-5"),
    # Tue 31/12/2024 + 1: Wed 01/01/2025 New Year → Thu 02/01/2025.
    pytest.param(at(31, 12, 2024), 1, close(2, 1, 2025), id="tue-31-12-2024-year-end"),
    # Wed 31/12/2025 + 1: Thu 01/01/2026 New Year → Fri 02/01/2026.
    pytest.param(at(31, 12, 2025), 1, close(2, 1, 2026), id="wed-31-12-2025-year-end"),
    # Fri 31/12/2027 + 1: Sat 01/01/2028 New Year, observed Mon 03/01 → Tue 04/01/2028.
    pytest.param(at(31, 12, 2027), 1, close(4, 1, 2028), id="fri-31-12-2027-year-end-observed"),
    # Receipt times on Mon 09/03/2026 (an ordinary week), + 1 working day:
    # 11:59, in the morning session → Tue 10/03.
    pytest.param(at(9, 3, 2026, 11, 59), 1, close(10, 3, 2026), id="mon-11-59"),
    # 12:30, the lunch break: the next working moment is 13:00 the same day → Tue 10/03.
    pytest.param(at(9, 3, 2026, 12, 30), 1, close(10, 3, 2026), id="mon-lunch-break"),
    # 07:00, before opening: counts from 08:00 the same day → Tue 10/03.
    pytest.param(at(9, 3, 2026, 7), 1, close(10, 3, 2026), id="mon-before-opening"),
    # 16:59:59 → Tue 10/03; exactly 17:00:00 still belongs to Monday (the day ends at the close).
    pytest.param(at(9, 3, 2026, 16, 59, 59), 1, close(10, 3, 2026), id="mon-16-59-59"),
    pytest.param(at(9, 3, 2026, 17), 1, close(10, 3, 2026), id="mon-17-00-exactly"),
    # 17:00:01 and 17:30, after hours: counts from Tue 10/03 → Wed 11/03.
    pytest.param(at(9, 3, 2026, 17, 0, 1), 1, close(11, 3, 2026), id="mon-17-00-01"),
    pytest.param(at(9, 3, 2026, 17, 30), 1, close(11, 3, 2026), id="mon-17-30"),
    # Sun 08/03/2026: counts from Mon 09/03 → Tue 10/03.
    pytest.param(at(8, 3, 2026), 1, close(10, 3, 2026), id="sunday"),
    # Same-day procedure (0 working days): received Mon 09:00 → Mon 17:00; Sunday → Mon 09/03 17:00.
    pytest.param(at(9, 3, 2026, 9), 0, close(9, 3, 2026), id="same-day"),
    pytest.param(at(8, 3, 2026), 0, close(9, 3, 2026), id="same-day-received-sunday"),
    # Moments from the database come in UTC: 09:30Z is 16:30 in Vietnam (Mon) → Tue 10/03.
    pytest.param(dt.datetime(2026, 3, 9, 9, 30, tzinfo=dt.UTC), 1, close(10, 3, 2026), id="utc-16-30-local"),
    # 10:30Z is 17:30 in Vietnam → after hours → Wed 11/03.
    pytest.param(dt.datetime(2026, 3, 9, 10, 30, tzinfo=dt.UTC), 1, close(11, 3, 2026), id="utc-17-30-local"),
    # A fixed offset other than UTC: 11:00+09:00 is 09:00 in Vietnam (Mon) → Tue 10/03.
    pytest.param(
        dt.datetime(2026, 3, 9, 11, tzinfo=dt.timezone(dt.timedelta(hours=9))), 1, close(10, 3, 2026), id="plus-9"
    ),
]


@pytest.mark.parametrize(("received", "n", "due"), WORKING_DAYS)
def test_add_working_days(received: dt.datetime, n: int, due: dt.datetime) -> None:
    assert clock.add_working_days(CAL, received, n) == due


CUTOFF = [
    # Mon 09/03/2026 15:30, paper dossier: after 15:00 it counts from Tue 10/03 → + 1 = Wed 11/03.
    pytest.param(at(9, 3, 2026, 15, 30), 1, close(11, 3, 2026), id="mon-15-30-after-cutoff"),
    # 14:59 is before the cut-off → Tue 10/03.
    pytest.param(at(9, 3, 2026, 14, 59), 1, close(10, 3, 2026), id="mon-14-59-before-cutoff"),
    # 15:00:00 exactly is not "after 15:00" → Tue 10/03.
    pytest.param(at(9, 3, 2026, 15), 1, close(10, 3, 2026), id="mon-15-00-exactly"),
    # Fri 13/02/2026 16:00, before Tết: counts from Mon 23/02 → + 1 = Tue 24/02.
    pytest.param(at(13, 2, 2026, 16), 1, close(24, 2, 2026), id="fri-13-02-2026-16-00-before-tet"),
]


@pytest.mark.parametrize(("received", "n", "due"), CUTOFF)
def test_add_working_days_with_paper_cutoff(received: dt.datetime, n: int, due: dt.datetime) -> None:
    assert clock.add_working_days(CAL, received, n, cutoff=clock.PAPER_TRANSFER_CUTOFF) == due


def test_cutoff_moves_the_transfer_to_the_next_working_morning() -> None:
    # Decree 118/2025 Art. 18: a paper dossier received Fri 13/02/2026 at 15:30 is transferred
    # at the start of the next working day, Mon 23/02/2026 08:00 (after Tết).
    assert clock.reception_moment(CAL, at(13, 2, 2026, 15, 30), cutoff=clock.PAPER_TRANSFER_CUTOFF) == at(
        23, 2, 2026, 8
    )
    assert clock.reception_moment(CAL, at(13, 2, 2026, 14, 30), cutoff=clock.PAPER_TRANSFER_CUTOFF) == at(
        13, 2, 2026, 14, 30
    )


WORKING_HOURS = [
    # Mon 09/03/2026 10:00 + 8 h: Mon 10–12 (2) and 13–17 (4), Tue 08–10 (2) → Tue 10:00.
    pytest.param(at(9, 3, 2026, 10), 8, at(10, 3, 2026, 10), id="mon-10-00-plus-8h"),
    # Mon 11:00 + 2 h across lunch: 11–12 (1), 13–14 (1) → Mon 14:00.
    pytest.param(at(9, 3, 2026, 11), 2, at(9, 3, 2026, 14), id="across-lunch"),
    # Mon 11:00 + 1 h ends at 12:00, when the hour is used up, not at 13:00.
    pytest.param(at(9, 3, 2026, 11), 1, at(9, 3, 2026, 12), id="up-to-lunch"),
    # Mon 08:00 + 8 h → Mon 17:00, the whole office day.
    pytest.param(at(9, 3, 2026, 8), 8, close(9, 3, 2026), id="one-office-day"),
    # Mon 12:30 (lunch) + 0.5 h: starts 13:00 → 13:30.
    pytest.param(at(9, 3, 2026, 12, 30), 0.5, at(9, 3, 2026, 13, 30), id="from-lunch"),
    # Fri 13/03/2026 16:00 + 2 h across a weekend: Fri 16–17 (1), Mon 16/03 08–09 (1) → Mon 09:00.
    pytest.param(at(13, 3, 2026, 16), 2, at(16, 3, 2026, 9), id="across-weekend"),
    # Fri 13/03/2026 16:00 + 8 h: Fri 1 h, Mon 08–12 (4), 13–16 (3) → Mon 16:00.
    pytest.param(at(13, 3, 2026, 16), 8, at(16, 3, 2026, 16), id="across-weekend-8h"),
    # Sat 14/03/2026 + 4 h: starts Mon 08:00 → Mon 12:00.
    pytest.param(at(14, 3, 2026), 4, at(16, 3, 2026, 12), id="received-saturday"),
    # Fri 13/02/2026 14:00 + 8 h across Tết: Fri 14–17 (3), Mon 23/02 08–12 (4), 13–14 (1) → 14:00.
    pytest.param(at(13, 2, 2026, 14), 8, at(23, 2, 2026, 14), id="across-tet-2026"),
    # Mon 09/03/2026 17:30 + 2 h: starts Tue 08:00 → Tue 10:00.
    pytest.param(at(9, 3, 2026, 17, 30), 2, at(10, 3, 2026, 10), id="after-hours"),
    # Zero hours: the clock starts at the next working moment (Sun → Mon 08:00).
    pytest.param(at(8, 3, 2026), 0, at(9, 3, 2026, 8), id="zero-hours"),
]


@pytest.mark.parametrize(("received", "hours", "due"), WORKING_HOURS)
def test_add_working_hours(received: dt.datetime, hours: float, due: dt.datetime) -> None:
    assert clock.add_working_hours(CAL, received, hours) == due


CALENDAR_DAYS = [
    # Mon 09/03/2026 + 15 days: from Tue 10/03 (Art. 147.2) to Tue 24/03, a working day.
    pytest.param(at(9, 3, 2026), 15, close(24, 3, 2026), id="mon-plus-15"),
    # Fri 13/03/2026 + 1 day: Sat 14/03 → Art. 148.5 rolls it to the end of Mon 16/03.
    pytest.param(at(13, 3, 2026), 1, close(16, 3, 2026), id="ends-saturday-rolls-to-monday"),
    # Fri 13/02/2026 + 3 days: Mon 16/02, Tết → rolls to Mon 23/02.
    pytest.param(at(13, 2, 2026), 3, close(23, 2, 2026), id="ends-in-tet-2026"),
    # Fri 24/04/2026 + 3 days: Mon 27/04, Hùng Kings observed → Tue 28/04.
    pytest.param(at(24, 4, 2026), 3, close(28, 4, 2026), id="ends-on-observed-holiday"),
    # Fri 17/04/2026 + 15 days (the supplement wait): Sat 02/05 → Sun 03 → Mon 04/05/2026.
    pytest.param(at(17, 4, 2026), 15, close(4, 5, 2026), id="fifteen-days-to-a-weekend"),
    # Thu 25/12/2025 + 7 days: Thu 01/01/2026, New Year → Fri 02/01/2026.
    pytest.param(at(25, 12, 2025), 7, close(2, 1, 2026), id="year-end"),
    # Fri 21/08/2026 + 1 day: Sat 22/08/2026 is worked, so no roll.
    pytest.param(at(21, 8, 2026), 1, close(22, 8, 2026), id="ends-on-worked-saturday"),
    # Sun 08/03/2026 + 1 day: the reception counts on Mon 09/03; the period ends Tue 10/03.
    pytest.param(at(8, 3, 2026), 1, close(10, 3, 2026), id="received-sunday"),
]


@pytest.mark.parametrize(("received", "n", "due"), CALENDAR_DAYS)
def test_add_calendar_days(received: dt.datetime, n: int, due: dt.datetime) -> None:
    assert clock.add_calendar_days(CAL, received, n) == due


MONTHS = [
    # Thu 15/01/2026 + 1 month: Sun 15/02/2026, then Tết Mon 16–Fri 20, weekend → Mon 23/02.
    pytest.param(at(15, 1, 2026), 1, close(23, 2, 2026), id="into-tet"),
    # Fri 30/01/2026 + 1 month: no 30/02 → Sat 28/02 (Art. 148.3) → Mon 02/03 (Art. 148.5).
    pytest.param(at(30, 1, 2026), 1, close(2, 3, 2026), id="no-such-day-in-february"),
    # Mon 31/03/2025 + 1 month: Wed 30/04 holiday, Thu 01/05, Fri 02/05 (swap), weekend → Mon 05/05.
    pytest.param(at(31, 3, 2025), 1, close(5, 5, 2025), id="into-30-4-2025"),
    # Wed 31/12/2025 + 2 months: 28/02/2026 (no 31/02, not a leap year), a Saturday → Mon 02/03.
    pytest.param(at(31, 12, 2025), 2, close(2, 3, 2026), id="across-year-end"),
    # Thu 29/02/2024 + 12 months: no 29/02/2025 → Fri 28/02/2025, a working day.
    pytest.param(at(29, 2, 2024), 12, close(28, 2, 2025), id="leap-day"),
]


@pytest.mark.parametrize(("received", "n", "due"), MONTHS)
def test_add_months(received: dt.datetime, n: int, due: dt.datetime) -> None:
    assert clock.add_months(CAL, received, n) == due


NEXT_WORKING_MOMENT = [
    # Mon 09/03/2026 10:00 is working time: itself.
    pytest.param(at(9, 3, 2026, 10), at(9, 3, 2026, 10), id="working-time"),
    # Mon 12:15, lunch → Mon 13:00.
    pytest.param(at(9, 3, 2026, 12, 15), at(9, 3, 2026, 13), id="lunch"),
    # Mon 12:00 exactly: the morning interval excludes its end → 13:00.
    pytest.param(at(9, 3, 2026, 12), at(9, 3, 2026, 13), id="noon"),
    # Fri 13/02/2026 17:00, Tết follows → Mon 23/02/2026 08:00.
    pytest.param(at(13, 2, 2026, 17), at(23, 2, 2026, 8), id="before-tet"),
    # Fri 25/04/2025 18:00 → Sat 26/04/2025 08:00, the worked Saturday.
    pytest.param(at(25, 4, 2025, 18), at(26, 4, 2025, 8), id="to-worked-saturday"),
]


@pytest.mark.parametrize(("moment", "expected"), NEXT_WORKING_MOMENT)
def test_next_working_moment(moment: dt.datetime, expected: dt.datetime) -> None:
    assert clock.next_working_moment(CAL, moment) == expected


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        # Fri 13/03/2026 16:00 → Mon 16/03 09:00: Fri 1 h + Mon 1 h.
        pytest.param(at(13, 3, 2026, 16), at(16, 3, 2026, 9), 2, id="weekend"),
        # Mon 11:00 → Mon 14:00 across lunch: 2 h.
        pytest.param(at(9, 3, 2026, 11), at(9, 3, 2026, 14), 2, id="lunch"),
        # Fri 13/02/2026 14:00 → Mon 23/02 14:00 across Tết: 3 h + 5 h.
        pytest.param(at(13, 2, 2026, 14), at(23, 2, 2026, 14), 8, id="tet"),
        # Sat → Sun: none.
        pytest.param(at(14, 3, 2026, 9), at(15, 3, 2026, 16), 0, id="weekend-only"),
        # Backwards is negative.
        pytest.param(at(9, 3, 2026, 14), at(9, 3, 2026, 11), -2, id="backwards"),
    ],
)
def test_working_time_between(a: dt.datetime, b: dt.datetime, hours: float) -> None:
    assert clock.working_time_between(CAL, a, b) == dt.timedelta(hours=hours)


def test_is_working_time() -> None:
    assert clock.is_working_time(CAL, at(9, 3, 2026, 8))  # Mon opening
    assert not clock.is_working_time(CAL, at(9, 3, 2026, 12, 30))  # lunch
    assert not clock.is_working_time(CAL, at(9, 3, 2026, 17))  # the close itself is not working time
    assert clock.is_working_time(CAL, at(26, 4, 2025, 9))  # the worked Saturday
    assert not clock.is_working_time(CAL, at(17, 2, 2026, 9))  # Tết 2026
    assert clock.is_working_time(CAL, dt.datetime(2026, 3, 9, 2, tzinfo=dt.UTC))  # 09:00 in Vietnam


def test_agency_office_hours_move_the_due_moment() -> None:
    # An agency open 07:30–11:30 and 13:30–17:00 (7.5 hours a day).
    own = build_calendar(
        range(2026, 2027), office_hours=[(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17))]
    )
    assert own.hours_per_day == 7.5
    # Mon 07:30 + 7.5 h → Mon 17:00; Mon 11:00 + 1 h → 11:30 then 13:30–14:00 → Mon 14:00.
    assert clock.add_working_hours(own, at(9, 3, 2026, 7, 30), 7.5) == close(9, 3, 2026)
    assert clock.add_working_hours(own, at(9, 3, 2026, 11), 1) == at(9, 3, 2026, 14)
    # 07:40 is working time there and not under the default hours.
    assert clock.is_working_time(own, at(9, 3, 2026, 7, 40))
    assert not clock.is_working_time(CAL, at(9, 3, 2026, 7, 40))


def test_naive_datetimes_are_refused_with_a_clear_error() -> None:
    naive = dt.datetime(2026, 3, 9, 10)
    for call in (
        lambda: clock.add_working_days(CAL, naive, 1),
        lambda: clock.add_working_hours(CAL, naive, 1),
        lambda: clock.add_calendar_days(CAL, naive, 1),
        lambda: clock.add_months(CAL, naive, 1),
        lambda: clock.is_working_time(CAL, naive),
        lambda: clock.next_working_moment(CAL, naive),
        lambda: clock.working_time_between(CAL, naive, at(9, 3, 2026)),
    ):
        with pytest.raises(clock.NaiveDatetimeError, match="has no time zone"):
            call()


def test_moments_outside_the_calendar_are_refused() -> None:
    with pytest.raises(
        clock.OutsideCalendarError, match=r"outside the working-day calendar \(01/01/2024 to 31/12/2028\)"
    ):
        clock.add_working_days(CAL, at(31, 12, 2023), 1)
    with pytest.raises(clock.OutsideCalendarError, match="load it for more years"):
        clock.add_working_days(CAL, at(20, 12, 2028), 30)
    with pytest.raises(clock.OutsideCalendarError):
        clock.add_months(CAL, at(20, 12, 2028), 1)
    with pytest.raises(clock.OutsideCalendarError):
        clock.add_working_hours(CAL, at(29, 12, 2028), 100)


def test_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        clock.add_working_days(CAL, at(9, 3, 2026), -1)
    with pytest.raises(ValueError, match="cannot be negative"):
        clock.add_working_hours(CAL, at(9, 3, 2026), -0.5)
    with pytest.raises(ValueError, match="cannot be negative"):
        clock.add_calendar_days(CAL, at(9, 3, 2026), -3)
    with pytest.raises(ValueError, match="cannot be negative"):
        clock.add_months(CAL, at(9, 3, 2026), -1)
