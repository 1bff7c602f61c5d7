"""Overrides and office hours through the services, and the calendar loaded back from the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.workdays import clock, services
from motcua.workdays.models import CalendarOverride, OfficeHours, OverrideKindChoices
from motcua.workdays.queries import default_years, get_office_hours, load_calendar
from motcua.workdays.tests.moments import at, close

pytestmark = pytest.mark.django_db

YEARS = range(2025, 2028)
JAN_2 = dt.date(2026, 1, 2)  # Fri
JAN_10 = dt.date(2026, 1, 10)  # Sat


@pytest.fixture
def commune() -> Agency:
    agency: Agency = AgencyFactory.create(commune=True)
    return agency


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_a_swap_added_by_an_administrator_moves_due_dates() -> None:
    # A swap announced after the package (example): Fri 02/01/2026 off, Sat 10/01/2026 worked.
    change = services.add_override(
        applies_on=JAN_2, kind=OverrideKindChoices.DAY_OFF, source="Thông báo 01/TB-BNV", note="Nghỉ bù"
    )
    services.add_override(applies_on=JAN_10, kind=OverrideKindChoices.WORKING_DAY, source="Thông báo 01/TB-BNV")
    assert change.days == frozenset({JAN_2})
    assert change.agency_id is None

    cal = load_calendar(years=YEARS)
    # Wed 31/12/2025 + 1: Thu 01/01 New Year, Fri 02/01 now off, weekend → Mon 05/01.
    assert clock.add_working_days(cal, at(31, 12, 2025), 1) == close(5, 1, 2026)
    # Fri 09/01/2026 + 1 → Sat 10/01, now worked.
    assert clock.add_working_days(cal, at(9, 1, 2026), 1) == close(10, 1, 2026)
    assert cal.notes[JAN_2] == "Nghỉ bù"


def test_a_day_cannot_be_both_off_and_worked() -> None:
    services.add_override(applies_on=JAN_2, kind=OverrideKindChoices.DAY_OFF, source="TB 1")
    with pytest.raises(ValidationError) as raised:
        services.add_override(applies_on=JAN_2, kind=OverrideKindChoices.WORKING_DAY, source="TB 2")
    assert "02/01/2026 already has an override" in messages(raised.value, "applies_on")
    assert "TB 1" in messages(raised.value, "applies_on")
    assert CalendarOverride.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "kind", "expected"),
    [
        # Sun 11/01/2026 is already off.
        (dt.date(2026, 1, 11), OverrideKindChoices.DAY_OFF, "11/01/2026 is already a day off"),
        # Tue 17/02/2026 is Tết.
        (dt.date(2026, 2, 17), OverrideKindChoices.DAY_OFF, "17/02/2026 is already a day off (Tết Nguyên Đán)"),
        # Wed 07/01/2026 is already worked.
        (dt.date(2026, 1, 7), OverrideKindChoices.WORKING_DAY, "07/01/2026 is already a working day"),
        # Sat 22/08/2026 is already worked (the package's swap).
        (dt.date(2026, 8, 22), OverrideKindChoices.WORKING_DAY, "22/08/2026 is already a working day"),
    ],
)
def test_an_override_that_changes_nothing_is_refused(day: dt.date, kind: str, expected: str) -> None:
    with pytest.raises(ValidationError) as raised:
        services.add_override(applies_on=day, kind=kind, source="TB 1")
    assert expected in messages(raised.value, "applies_on")
    assert not CalendarOverride.objects.exists()


def test_a_holiday_can_be_worked_if_the_government_says_so() -> None:
    services.add_override(applies_on=dt.date(2026, 2, 20), kind=OverrideKindChoices.WORKING_DAY, source="TB 3")
    assert clock.is_working_day(load_calendar(years=YEARS), dt.date(2026, 2, 20))


def test_a_closure_applies_to_its_agency_only(commune: Agency) -> None:
    other: Agency = AgencyFactory.create(commune=True)
    wednesday = dt.date(2026, 3, 11)
    change = services.add_override(
        applies_on=wednesday, kind=OverrideKindChoices.AGENCY_CLOSURE, agency_id=commune.pk, source="QĐ 12/QĐ-UBND"
    )
    # Another agency may close the same day; the same agency may not twice.
    services.add_override(
        applies_on=wednesday, kind=OverrideKindChoices.AGENCY_CLOSURE, agency_id=other.pk, source="QĐ 13"
    )
    with pytest.raises(ValidationError) as raised:
        services.add_override(
            applies_on=wednesday, kind=OverrideKindChoices.AGENCY_CLOSURE, agency_id=commune.pk, source="QĐ 14"
        )
    assert "11/03/2026 already has an override" in messages(raised.value, "applies_on")
    assert change.agency_id == commune.pk

    own, default = load_calendar(commune.pk, years=YEARS), load_calendar(years=YEARS)
    # Tue 10/03/2026 + 1: Wed 11/03 closed for the commune → Thu 12/03; elsewhere Wed 11/03.
    assert clock.add_working_days(own, at(10, 3, 2026), 1) == close(12, 3, 2026)
    assert clock.add_working_days(default, at(10, 3, 2026), 1) == close(11, 3, 2026)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"kind": OverrideKindChoices.AGENCY_CLOSURE}, "agency", "needs the agency"),
        ({"agency_id": "commune"}, "agency", "Only an agency closure names an agency"),
        ({"kind": OverrideKindChoices.AGENCY_CLOSURE, "agency_id": 999_999}, "agency", "Agency 999999 does not exist"),
        ({"source": "  "}, "source", "Enter the announcement or decision"),
        ({"kind": "holiday"}, "kind", "“holiday” is not a kind of override"),
        ({"applies_on": dt.date(1990, 1, 2)}, "applies_on", "2000 to 2099"),
    ],
)
def test_bad_overrides_name_the_field(commune: Agency, changes: dict[str, object], field: str, expected: str) -> None:
    arguments: dict[str, object] = {"applies_on": JAN_2, "kind": OverrideKindChoices.DAY_OFF, "source": "TB 1"}
    arguments.update(changes)
    if arguments.get("agency_id") == "commune":
        arguments["agency_id"] = commune.pk
    with pytest.raises(ValidationError) as raised:
        services.add_override(**arguments)  # type: ignore[arg-type]
    assert expected in messages(raised.value, field)
    assert not CalendarOverride.objects.exists()


def test_removing_an_override_restores_the_package_day() -> None:
    added = services.add_override(applies_on=JAN_2, kind=OverrideKindChoices.DAY_OFF, source="TB 1")
    removed = services.remove_override(override_id=added.override.pk)
    assert removed.days == frozenset({JAN_2})
    assert clock.is_working_day(load_calendar(years=YEARS), JAN_2)
    with pytest.raises(ValidationError, match="does not exist"):
        services.remove_override(override_id=added.override.pk)


def test_the_database_refuses_conflicting_rows_written_around_the_services(commune: Agency) -> None:
    CalendarOverride.objects.create(applies_on=JAN_2, kind=OverrideKindChoices.DAY_OFF, source="TB 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(applies_on=JAN_2, kind=OverrideKindChoices.WORKING_DAY, source="TB 2")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(applies_on=JAN_10, kind=OverrideKindChoices.AGENCY_CLOSURE, source="QĐ 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(
            applies_on=JAN_10, kind=OverrideKindChoices.DAY_OFF, agency=commune, source="QĐ 1"
        )
    OfficeHours.objects.create(intervals="08:00-17:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHours.objects.create(intervals="07:00-11:00")  # a second default


def test_office_hours_of_an_agency_fall_back_to_the_default(commune: Agency) -> None:
    assert get_office_hours(commune.pk) == ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
    services.set_office_hours(agency_id=None, intervals="7:30-11:30,13:30-17:00")
    assert get_office_hours(commune.pk) == ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17)))
    hours = services.set_office_hours(agency_id=commune.pk, intervals="07:00 - 11:00; 13:00 - 16:00")
    assert hours.intervals == "07:00-11:00, 13:00-16:00"
    assert get_office_hours(commune.pk) == ((dt.time(7), dt.time(11)), (dt.time(13), dt.time(16)))

    cal = load_calendar(commune.pk, years=YEARS)
    # Closing at 16:00 there: Mon 09/03/2026 + 1 working day is due Tue 10/03 at 16:00.
    assert clock.add_working_days(cal, at(9, 3, 2026), 1) == at(10, 3, 2026, 16)

    # Setting again updates the same row; removing falls back to the default.
    services.set_office_hours(agency_id=commune.pk, intervals="07:00-11:00, 13:00-16:30")
    assert OfficeHours.objects.filter(agency=commune).count() == 1
    services.remove_office_hours(agency_id=commune.pk)
    assert get_office_hours(commune.pk)[0] == (dt.time(7, 30), dt.time(11, 30))
    with pytest.raises(ValidationError, match="do not exist"):
        services.remove_office_hours(agency_id=commune.pk)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8h-12h", "“8h-12h” is not an interval such as 08:00-12:00."),
        ("13:00-12:00", "The interval 13:00-12:00 ends before it starts."),
        ("08:00-12:00, 11:00-17:00", "The interval 11:00-17:00 overlaps or precedes the one before it."),
        ("", "Office hours need at least one interval."),
    ],
)
def test_bad_office_hours_name_the_interval(text: str, expected: str) -> None:
    with pytest.raises(ValidationError) as raised:
        services.set_office_hours(agency_id=None, intervals=text)
    assert messages(raised.value, "intervals") == expected
    assert not OfficeHours.objects.exists()


def test_loading_a_calendar_takes_two_queries(commune: Agency, django_assert_num_queries: object) -> None:
    services.add_override(applies_on=JAN_2, kind=OverrideKindChoices.DAY_OFF, source="TB 1")
    services.add_override(
        applies_on=dt.date(2026, 3, 11), kind=OverrideKindChoices.AGENCY_CLOSURE, agency_id=commune.pk, source="QĐ"
    )
    services.set_office_hours(agency_id=commune.pk, intervals="07:30-11:30, 13:30-17:00")
    with django_assert_num_queries(2):  # type: ignore[operator]
        cal = load_calendar(commune.pk, years=range(2016, 2027))
    assert cal.first_day == dt.date(2016, 1, 1)
    assert cal.last_day == dt.date(2026, 12, 31)
    assert not clock.is_working_day(cal, JAN_2)
    assert not clock.is_working_day(cal, dt.date(2026, 3, 11))


def test_default_years_span_five_years_each_way() -> None:
    assert default_years(dt.date(2026, 6, 1)) == range(2021, 2032)


def test_a_closure_on_a_day_already_off_for_everyone_says_why(commune: Agency) -> None:
    services.add_override(applies_on=JAN_2, kind=OverrideKindChoices.DAY_OFF, source="TB 01/2026")
    with pytest.raises(ValidationError) as raised:
        services.add_override(
            applies_on=JAN_2, kind=OverrideKindChoices.AGENCY_CLOSURE, agency_id=commune.pk, source="QĐ 5"
        )
    assert messages(raised.value, "applies_on") == "02/01/2026 is already a day off (TB 01/2026)."
    # A Saturday worked by everyone may still be a closure for one agency.
    services.add_override(applies_on=JAN_10, kind=OverrideKindChoices.WORKING_DAY, source="TB 01/2026")
    services.add_override(
        applies_on=JAN_10, kind=OverrideKindChoices.AGENCY_CLOSURE, agency_id=commune.pk, source="QĐ 5"
    )
    assert not clock.is_working_day(load_calendar(commune.pk, years=YEARS), JAN_10)
    assert clock.is_working_day(load_calendar(years=YEARS), JAN_10)
