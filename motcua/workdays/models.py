"""What administrators add to the public-holiday calendar: overrides and office hours.

The ``holidays`` package knows the Labour Code 2019 Art. 112 holidays and the Saturday swaps
announced up to its release; the government announces each year's swaps and Tết arrangement
later, and an agency may close for a day of its own. ``CalendarOverride`` records such a day
with the announcement it comes from. ``OfficeHours`` keeps an agency's published hours
(the row without an agency is the default for every agency that has none).

Agencies are referenced by the string "agencies.Agency": workdays sits on the same layer as
agencies and must not import it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.workdays.workcalendar import OfficeHoursError, OverrideKind, parse_office_hours


class OverrideKindChoices(models.TextChoices):
    DAY_OFF = OverrideKind.DAY_OFF.value, _("Extra day off for everyone")
    WORKING_DAY = OverrideKind.WORKING_DAY.value, _("Working day for everyone (e.g. a swapped Saturday)")
    AGENCY_CLOSURE = OverrideKind.AGENCY_CLOSURE.value, _("Closure of one agency")


class CalendarOverride(TimeStampedModel):
    applies_on = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKindChoices.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Only for an agency closure; the other kinds apply to every agency."),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_("The announcement or decision this comes from, e.g. its number and date."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["applies_on", "agency_id"]
        constraints = [
            # One override per day for everyone, and one per day per agency: a day cannot be both
            # an extra day off and a working day. services.add_override names the day in its error.
            models.UniqueConstraint(
                "applies_on",
                Coalesce("agency", Value(0)),
                name="workdays_override_one_per_day_and_scope",
                violation_error_message=_("This day already has an override for the same agency or for everyone."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OverrideKindChoices.AGENCY_CLOSURE, agency__isnull=False)
                | Q(kind__in=[OverrideKindChoices.DAY_OFF, OverrideKindChoices.WORKING_DAY], agency__isnull=True),
                name="workdays_override_agency_only_for_closure",
                violation_error_message=_("An agency closure names its agency; the other kinds name none."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applies_on:%d/%m/%Y} — {self.get_kind_display()}"


def office_hours_message(error: OfficeHoursError) -> str:
    """The translated wording of ``error``."""
    messages = {
        "empty": _("Office hours need at least one interval."),
        "syntax": _("“%(interval)s” is not an interval such as 08:00-12:00."),
        "time": _("“%(interval)s” is not a time of day between 00:00 and 23:59."),
        "order": _("The interval %(interval)s ends before it starts."),
        "overlap": _("The interval %(interval)s overlaps or precedes the one before it."),
    }
    return str(messages[error.code]) % {"interval": error.interval}


def validate_office_hours_text(value: str) -> None:
    try:
        parse_office_hours(value)
    except OfficeHoursError as error:
        raise ValidationError(office_hours_message(error), code="invalid_office_hours") from error


class OfficeHours(TimeStampedModel):
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty for the default hours of every agency without its own."),
    )
    intervals = models.CharField(
        _("office hours"),
        max_length=200,
        validators=[validate_office_hours_text],
        help_text=_("Intervals separated by commas, e.g. 08:00-12:00, 13:00-17:00."),
    )

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["agency_id"]
        constraints = [
            models.UniqueConstraint(
                Coalesce("agency", Value(0)),
                name="workdays_office_hours_one_per_agency",
                violation_error_message=_("Office hours are already set for this agency (or the default)."),
            ),
        ]

    def __str__(self) -> str:
        return self.intervals
