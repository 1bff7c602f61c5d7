"""Reading the calendar from the database: overrides and office hours into one ``WorkCalendar``.

Two queries whatever the range: the overrides of the covered years that apply to everyone or
to the agency, and the agency's office hours with the default as fallback. The result is an
immutable value; callers keep it (per process or per request) and pass it to ``clock``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from motcua.workdays.models import CalendarOverride, OfficeHours
from motcua.workdays.workcalendar import (
    DEFAULT_OFFICE_HOURS,
    Interval,
    Override,
    OverrideKind,
    WorkCalendar,
    build_calendar,
    parse_office_hours,
)

#: Years loaded when the caller names none: five back (dossiers still running or reported on)
#: and five ahead (the longest time limits in the catalogue are months, not years).
YEARS_BACK, YEARS_AHEAD = 5, 5


def default_years(today: dt.date | None = None) -> range:
    year = (today or timezone.localdate()).year
    return range(year - YEARS_BACK, year + YEARS_AHEAD + 1)


def load_calendar(agency_id: int | None = None, years: range | None = None) -> WorkCalendar:
    """The calendar of ``agency_id`` (None: the default for every agency) for ``years``."""
    years = years if years is not None else default_years()
    scope = Q(agency__isnull=True) if agency_id is None else Q(agency__isnull=True) | Q(agency_id=agency_id)
    rows = CalendarOverride.objects.filter(
        scope, applies_on__gte=dt.date(years.start, 1, 1), applies_on__lte=dt.date(years.stop - 1, 12, 31)
    ).values_list("applies_on", "kind", "agency_id", "note")
    overrides = [
        Override(day=day, kind=OverrideKind(kind), agency_id=override_agency, note=note)
        for day, kind, override_agency, note in rows
    ]
    return build_calendar(years, office_hours=get_office_hours(agency_id), overrides=overrides, agency_id=agency_id)


def get_office_hours(agency_id: int | None = None) -> tuple[Interval, ...]:
    """The agency's own office hours, else the default row, else 08:00–12:00 and 13:00–17:00."""
    scope = Q(agency__isnull=True) if agency_id is None else Q(agency__isnull=True) | Q(agency_id=agency_id)
    found: dict[int | None, str] = dict(OfficeHours.objects.filter(scope).values_list("agency_id", "intervals"))
    text = found.get(agency_id, found.get(None))
    return parse_office_hours(text) if text else DEFAULT_OFFICE_HOURS
