"""Properties every due date must have, checked on random moments over 2024–2028.

Convention (clock.py): a due moment is the close of office hours of a working day for periods in
days and months, or the instant the last working hour is used up; either way the instant just
before it is working time.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.workdays import clock
from motcua.workdays.tests.moments import CAL
from motcua.workdays.workcalendar import VIETNAM_TZ, Override, OverrideKind, build_calendar

EPSILON = dt.timedelta(microseconds=1)
CLOSE = dt.time(17)

moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31, 23, 59, 59), timezones=st.just(VIETNAM_TZ)
) | st.datetimes(  # what the database hands back
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31, 16, 59, 59), timezones=st.just(dt.UTC)
)
counts = st.integers(min_value=0, max_value=120)
hours = st.integers(min_value=0, max_value=400).map(lambda quarters: quarters / 4)

SETTINGS = settings(max_examples=300, deadline=None)


@SETTINGS
@given(moments, counts)
def test_a_due_moment_is_the_close_of_a_working_day(start: dt.datetime, n: int) -> None:
    due = clock.add_working_days(CAL, start, n)
    assert clock.is_working_day(CAL, due.date())
    assert due.time() == CLOSE
    assert clock.is_working_time(CAL, due - EPSILON)
    assert due >= start


@SETTINGS
@given(moments, counts, counts)
def test_adding_n_then_m_working_days_equals_adding_n_plus_m(start: dt.datetime, n: int, m: int) -> None:
    assert clock.add_working_days(CAL, clock.add_working_days(CAL, start, n), m) == clock.add_working_days(
        CAL, start, n + m
    )


@SETTINGS
@given(moments, counts)
def test_counting_from_the_reception_day_to_the_due_day_gives_n(start: dt.datetime, n: int) -> None:
    due = clock.add_working_days(CAL, start, n)
    assert clock.working_days_between(CAL, clock.reception_day(CAL, start), due.date()) == n


@SETTINGS
@given(moments, counts)
def test_due_moments_grow_with_n(start: dt.datetime, n: int) -> None:
    assert clock.add_working_days(CAL, start, n) < clock.add_working_days(CAL, start, n + 1)


@SETTINGS
@given(moments, moments, counts)
def test_a_later_reception_is_never_due_earlier(a: dt.datetime, b: dt.datetime, n: int) -> None:
    first, second = sorted((a, b))
    assert clock.add_working_days(CAL, first, n) <= clock.add_working_days(CAL, second, n)


@SETTINGS
@given(moments, counts)
def test_the_fast_path_agrees_with_the_day_by_day_rule(start: dt.datetime, n: int) -> None:
    # A cut-off at the end of the day changes nothing, but takes the per-day code path.
    assert clock.add_working_days(CAL, start, n) == clock.add_working_days(CAL, start, n, cutoff=dt.time.max)
    assert clock.add_working_days(CAL, start, 0).date() == clock.reception_day(CAL, start)


@SETTINGS
@given(moments, counts)
def test_a_cutoff_never_makes_a_dossier_due_earlier(start: dt.datetime, n: int) -> None:
    with_cutoff = clock.add_working_days(CAL, start, n, cutoff=clock.PAPER_TRANSFER_CUTOFF)
    assert clock.add_working_days(CAL, start, n) <= with_cutoff <= clock.add_working_days(CAL, start, n + 1)


@SETTINGS
@given(moments, hours)
def test_working_hours_end_in_working_time_and_measure_back(start: dt.datetime, h: float) -> None:
    due = clock.add_working_hours(CAL, start, h)
    assert clock.working_time_between(CAL, start, due) == dt.timedelta(hours=h)
    if h > 0:
        assert clock.is_working_time(CAL, due - EPSILON)
        assert due > start
    else:
        assert due == clock.next_working_moment(CAL, start)


@SETTINGS
@given(moments, hours, hours.filter(lambda h: h > 0))
def test_adding_a_then_b_working_hours_equals_adding_a_plus_b(start: dt.datetime, a: float, b: float) -> None:
    # b > 0: adding nothing to a due moment such as 12:00 gives when the clock starts again, 13:00.
    assert clock.add_working_hours(CAL, clock.add_working_hours(CAL, start, a), b) == clock.add_working_hours(
        CAL, start, a + b
    )
    assert clock.add_working_hours(CAL, start, a) <= clock.add_working_hours(CAL, start, a + b)


@SETTINGS
@given(moments, st.integers(min_value=0, max_value=60))
def test_calendar_days_roll_only_over_days_off(start: dt.datetime, n: int) -> None:
    due = clock.add_calendar_days(CAL, start, n)
    last = clock.reception_day(CAL, start) + dt.timedelta(days=n)  # Art. 147.2, 148.1
    assert clock.is_working_day(CAL, due.date())
    assert due.time() == CLOSE
    assert due.date() >= last
    # Art. 148.5: every day skipped between the last day and the due day is a day off.
    skipped = (due.date() - last).days
    assert not any(clock.is_working_day(CAL, last + dt.timedelta(days=i)) for i in range(skipped))


@SETTINGS
@given(moments.filter(lambda moment: moment.year <= 2026), st.integers(min_value=0, max_value=24))
def test_months_end_on_the_same_numbered_day_or_the_month_end(start: dt.datetime, n: int) -> None:
    due = clock.add_months(CAL, start, n)
    day = clock.reception_day(CAL, start)
    months_later = (due.year * 12 + due.month) - (day.year * 12 + day.month)
    assert clock.is_working_day(CAL, due.date())
    # The due day is the target day itself or, after a roll over days off, a few days later.
    assert months_later in (n, n + 1)
    assert due.date() >= day


overrides = st.builds(
    Override,
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
    kind=st.sampled_from([OverrideKind.DAY_OFF, OverrideKind.WORKING_DAY]),
)


@settings(max_examples=100, deadline=None)
@given(overrides, moments, counts)
def test_an_override_changes_only_the_day_it_names(override: Override, start: dt.datetime, n: int) -> None:
    changed = build_calendar(range(2024, 2029), overrides=[override])
    assert clock.changed_days(CAL, changed) <= {override.day}
    flips = clock.is_working_day(CAL, override.day) != (override.kind == OverrideKind.WORKING_DAY)
    assert clock.changed_days(CAL, changed) == ({override.day} if flips else set())
    # A due date whose window, from the reception moment's date to the due day, misses the day is unchanged.
    # (The window starts at that date itself: a working-day override can move the reception day onto it.)
    before = clock.add_working_days(CAL, start, n)
    window_start = start.date()
    assume(not (window_start <= override.day <= before.date()))
    assert clock.add_working_days(changed, start, n) == before
