"""The calendar value: what the holidays package gives for Vietnam, overrides, office hours."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workdays import clock
from motcua.workdays.tests.moments import CAL, at, close
from motcua.workdays.workcalendar import (
    OfficeHoursError,
    Override,
    OverrideKind,
    build_calendar,
    format_office_hours,
    parse_office_hours,
)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        # Tết 2025 as announced for the public service: Sat 25/01 to Sun 02/02/2025.
        pytest.param(dt.date(2025, 1, 25), dt.date(2025, 2, 2), id="tet-2025"),
        # Tết 2026: Sat 14/02 to Sun 22/02/2026.
        pytest.param(dt.date(2026, 2, 14), dt.date(2026, 2, 22), id="tet-2026"),
        # 30/4–1/5/2025 with the swap: Wed 30/04 to Sun 04/05 (Fri 02/05 given for Sat 26/04).
        pytest.param(dt.date(2025, 4, 30), dt.date(2025, 5, 4), id="30-4-2025"),
        # National Day 2025: Sat 30/08 to Tue 02/09.
        pytest.param(dt.date(2025, 8, 30), dt.date(2025, 9, 2), id="2-9-2025"),
        # National Day 2026: Sat 29/08 to Wed 02/09 (Mon 31/08 given for Sat 22/08).
        pytest.param(dt.date(2026, 8, 29), dt.date(2026, 9, 2), id="2-9-2026"),
        # Vietnam Cultural Day, Tue 24/11/2026 (from 2026).
        pytest.param(dt.date(2026, 11, 24), dt.date(2026, 11, 24), id="24-11-2026"),
    ],
)
def test_holiday_breaks_are_days_off_and_the_days_around_them_are_worked(first: dt.date, last: dt.date) -> None:
    assert not any(clock.is_working_day(CAL, day) for day in days(first, last))
    assert clock.is_working_day(CAL, first - dt.timedelta(days=1))
    assert clock.is_working_day(CAL, last + dt.timedelta(days=1))


def test_announced_saturday_swaps_are_working_days() -> None:
    assert clock.is_working_day(CAL, dt.date(2025, 4, 26))  # Sat, worked for Fri 02/05/2025
    assert not clock.is_working_day(CAL, dt.date(2025, 5, 2))
    assert clock.is_working_day(CAL, dt.date(2026, 8, 22))  # Sat, worked for Mon 31/08/2026
    assert not clock.is_working_day(CAL, dt.date(2026, 8, 31))
    assert not clock.is_working_day(CAL, dt.date(2026, 8, 29))  # an ordinary Saturday


def test_holiday_names_are_kept_in_vietnamese() -> None:
    assert CAL.notes[dt.date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert CAL.notes[dt.date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_overrides_for_everyone_and_for_the_calendar_agency_apply() -> None:
    cal = build_calendar(
        range(2026, 2027),
        agency_id=7,
        overrides=[
            # A swap announced after the package: Fri 02/01/2026 off, Sat 10/01/2026 worked (example).
            Override(dt.date(2026, 1, 2), OverrideKind.DAY_OFF, note="Nghỉ bù Tết Dương lịch"),
            Override(dt.date(2026, 1, 10), OverrideKind.WORKING_DAY),
            Override(dt.date(2026, 3, 11), OverrideKind.AGENCY_CLOSURE, agency_id=7, note="Chuyển trụ sở"),
            Override(dt.date(2026, 3, 12), OverrideKind.AGENCY_CLOSURE, agency_id=8),  # another agency
        ],
    )
    assert not clock.is_working_day(cal, dt.date(2026, 1, 2))
    assert clock.is_working_day(cal, dt.date(2026, 1, 10))
    assert not clock.is_working_day(cal, dt.date(2026, 3, 11))
    assert clock.is_working_day(cal, dt.date(2026, 3, 12))
    assert cal.notes[dt.date(2026, 3, 11)] == "Chuyển trụ sở"
    # Fri 09/01 + 1 → Sat 10/01 (worked); Tue 10/03 + 1 → Thu 12/03 (Wed 11/03 closed).
    assert clock.add_working_days(cal, at(9, 1, 2026), 1) == close(10, 1, 2026)
    assert clock.add_working_days(cal, at(10, 3, 2026), 1) == close(12, 3, 2026)


def test_conflicting_overrides_name_the_day() -> None:
    with pytest.raises(ValueError, match="02/01/2026 is both a day off and a working day"):
        build_calendar(
            range(2026, 2027),
            overrides=[
                Override(dt.date(2026, 1, 2), OverrideKind.DAY_OFF),
                Override(dt.date(2026, 1, 2), OverrideKind.WORKING_DAY),
            ],
        )


def test_bad_year_ranges_are_refused() -> None:
    with pytest.raises(ValueError, match="non-empty range"):
        build_calendar(range(2026, 2026))
    with pytest.raises(ValueError, match="1900 to 2199"):
        build_calendar(range(1800, 1801))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00-12:00, 13:00-17:00", "08:00-12:00, 13:00-17:00"),
        ("7:30 - 11:30; 13:30–17:00", "07:30-11:30, 13:30-17:00"),
        ("08:00-17:00", "08:00-17:00"),
    ],
)
def test_office_hours_parse_to_a_canonical_form(text: str, expected: str) -> None:
    assert format_office_hours(parse_office_hours(text)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("8h-12h", "syntax"),
        ("08:00-25:00", "time"),
        ("12:00-08:00", "order"),
        ("08:00-12:00, 11:00-17:00", "overlap"),
        ("13:00-17:00, 08:00-12:00", "overlap"),
    ],
)
def test_bad_office_hours_are_refused(text: str, code: str) -> None:
    with pytest.raises(OfficeHoursError) as raised:
        parse_office_hours(text)
    assert raised.value.code == code
