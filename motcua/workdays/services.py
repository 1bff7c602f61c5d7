"""Use cases that change the working-day calendar: overrides and office hours.

An override must change something (an extra day off on a day already off is refused, so is a
working day on a day already worked) and must not contradict another override of the same
day and scope: a day cannot be both off and worked. Each override names its source, the
announcement it implements (the government's yearly holiday and swap announcement under the
Labour Code 2019 Art. 112, or the agency's own decision for a closure).

Adding or removing an override returns a ``CalendarChange``: the days whose status changed and
for which agencies. Recomputing the due dates of dossiers not yet due (and recording that as an
event) belongs to the dossier lifecycle, which consumes this value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.workdays.models import CalendarOverride, OfficeHours, OverrideKindChoices, office_hours_message
from motcua.workdays.workcalendar import (
    OfficeHoursError,
    Override,
    OverrideKind,
    build_calendar,
    format_office_hours,
    parse_office_hours,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: Years an override may name: the ``holidays`` package and the calendar cover these.
OVERRIDE_YEARS = range(2000, 2100)


@dataclass(frozen=True, slots=True)
class CalendarChange:
    """Days whose working status changed, for one agency (``agency_id``) or for all (None)."""

    days: frozenset[dt.date]
    agency_id: int | None
    override: CalendarOverride


def calendar_change(override: CalendarOverride) -> CalendarChange:
    """What adding or removing ``override`` changes: its own day, for its agency or for everyone."""
    return CalendarChange(days=frozenset({override.applies_on}), agency_id=override.agency_id, override=override)


def validate_override(*, applies_on: dt.date | None, kind: str, agency_id: int | None, source: str) -> None:
    """Raise ValidationError (by field, naming the day) unless this override may be added."""
    if applies_on is None:
        raise ValidationError({"applies_on": _("Enter the day.")})
    if kind not in OverrideKindChoices.values:
        raise ValidationError({"kind": _("“%(kind)s” is not a kind of override.") % {"kind": kind}})
    if applies_on.year not in OVERRIDE_YEARS:
        raise ValidationError({"applies_on": _("The day must fall in the years 2000 to 2099.")})
    if kind == OverrideKind.AGENCY_CLOSURE and agency_id is None:
        raise ValidationError({"agency": _("An agency closure needs the agency.")})
    if kind != OverrideKind.AGENCY_CLOSURE and agency_id is not None:
        raise ValidationError({"agency": _("Only an agency closure names an agency; this kind applies to everyone.")})
    if agency_id is not None and not _agency_exists(agency_id):
        raise ValidationError({"agency": _("Agency %(id)s does not exist.") % {"id": agency_id}})
    if not source.strip():
        raise ValidationError({"source": _("Enter the announcement or decision this override comes from.")})

    day = f"{applies_on:%d/%m/%Y}"
    same_day = list(CalendarOverride.objects.filter(applies_on=applies_on))
    for existing in same_day:
        if existing.agency_id == agency_id:
            raise ValidationError(
                {
                    "applies_on": _("%(day)s already has an override (%(kind)s, source: %(source)s); remove it first.")
                    % {"day": day, "kind": existing.get_kind_display(), "source": existing.source}
                }
            )

    # The day as everyone sees it now: the holidays package plus the overrides for everyone.
    national = [
        Override(day=row.applies_on, kind=OverrideKind(row.kind), note=row.note or row.source)
        for row in same_day
        if row.agency_id is None
    ]
    base = build_calendar(range(applies_on.year, applies_on.year + 1), overrides=national)
    is_working = bool(base.working[applies_on.toordinal() - base.first_ordinal])
    reason = base.notes.get(applies_on) or (_("weekend") if applies_on.weekday() >= 5 else _("an override"))
    if kind == OverrideKind.WORKING_DAY and is_working:
        raise ValidationError({"applies_on": _("%(day)s is already a working day.") % {"day": day}})
    if kind != OverrideKind.WORKING_DAY and not is_working:
        raise ValidationError(
            {"applies_on": _("%(day)s is already a day off (%(reason)s).") % {"day": day, "reason": reason}}
        )


@transaction.atomic
def add_override(
    *,
    applies_on: dt.date,
    kind: str,
    source: str,
    agency_id: int | None = None,
    note: str = "",
    created_by: AbstractBaseUser | None = None,
) -> CalendarChange:
    """Record an extra day off, a working day or an agency closure."""
    validate_override(applies_on=applies_on, kind=kind, agency_id=agency_id, source=source)
    override = CalendarOverride(
        applies_on=applies_on,
        kind=kind,
        agency_id=agency_id,
        source=source.strip(),
        note=note.strip(),
        created_by_id=created_by.pk if created_by is not None else None,
    )
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError as error:
        # Another request added an override for the same day and scope in the meantime.
        raise ValidationError(
            {"applies_on": _("%(day)s already has an override; reload and check.") % {"day": f"{applies_on:%d/%m/%Y}"}}
        ) from error
    return calendar_change(override)


@transaction.atomic
def remove_override(*, override_id: int) -> CalendarChange:
    """Delete an override; the day goes back to what the holidays package says."""
    override = CalendarOverride.objects.select_for_update().filter(pk=override_id).first()
    if override is None:
        raise ValidationError(_("Calendar override %(id)s does not exist.") % {"id": override_id})
    change = calendar_change(override)
    override.delete()
    return change


@transaction.atomic
def set_office_hours(*, agency_id: int | None, intervals: str) -> OfficeHours:
    """Set the office hours of an agency (None: the default), e.g. ``"07:30-11:30, 13:30-17:00"``."""
    try:
        canonical = format_office_hours(parse_office_hours(intervals))
    except OfficeHoursError as error:
        raise ValidationError({"intervals": office_hours_message(error)}) from error
    if agency_id is not None and not _agency_exists(agency_id):
        raise ValidationError({"agency": _("Agency %(id)s does not exist.") % {"id": agency_id}})
    hours = OfficeHours.objects.select_for_update().filter(_agency_scope(agency_id)).first()
    if hours is None:
        hours = OfficeHours(agency_id=agency_id)
    hours.intervals = canonical
    try:
        with transaction.atomic():
            hours.save()
    except IntegrityError as error:
        # Another request set these office hours in the meantime.
        raise ValidationError({"agency": _("Office hours for this agency were just set; reload.")}) from error
    return hours


@transaction.atomic
def remove_office_hours(*, agency_id: int | None) -> None:
    """Remove an agency's own hours (it falls back to the default) or the default (back to 08:00–17:00)."""
    deleted, _per_model = OfficeHours.objects.filter(_agency_scope(agency_id)).delete()
    if not deleted:
        raise ValidationError(_("These office hours do not exist."))


def _agency_scope(agency_id: int | None) -> Q:
    return Q(agency__isnull=True) if agency_id is None else Q(agency_id=agency_id)


def _agency_exists(agency_id: int) -> bool:
    # By name, so that workdays needs no import of the agencies app (same layer).
    return apps.get_model("agencies", "Agency")._default_manager.filter(pk=agency_id).exists()
