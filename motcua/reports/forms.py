"""Forms of the statistics pages: which agency, whose dossiers, which period (DOMAIN.md §8).

Every mistake is reported on its field in the user's language, never as a server error: a period
that ends before it starts, starts before 2000 or in the future, or covers more than ten years
(``periods.check_period``); an agency that does not exist or is outside what the user may read
(it is simply not among the choices).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.reports.periods import Period, PeriodError, check_period
from motcua.reports.queries import MEASURES

WITH_UNITS, OWN = "units", "own"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int)
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, data: Any, *, agencies: list[Agency], today: dt.date, anchor_depth: int = 0) -> None:
        super().__init__(data)
        self.today = today
        self.agencies = {agency.pk: agency for agency in agencies}
        self.fields["agency"].choices = [  # type: ignore[attr-defined]
            (agency.pk, "— " * max(0, agency.depth - anchor_depth) + agency.name) for agency in agencies
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None:
            try:
                cleaned["period"] = check_period(start, end, today=self.today)
            except PeriodError as error:
                self.add_error(error.field, str(error))
        if "agency" in cleaned:
            cleaned["agency_object"] = self.agencies[cleaned["agency"]]
        return cleaned

    @property
    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period

    @property
    def selected_agency(self) -> Agency:
        agency: Agency = self.cleaned_data["agency_object"]
        return agency


class ReportForm(PeriodForm):
    scope = forms.ChoiceField(
        label=_("Dossiers"),
        choices=[(WITH_UNITS, _("The agency and every unit below it")), (OWN, _("The agency's own dossiers"))],
        required=False,
    )

    @property
    def with_units(self) -> bool:
        return self.cleaned_data.get("scope") != OWN


class DrillDownForm(ReportForm):
    measure = forms.ChoiceField(label=_("Figure"), choices=[(name, name) for name in MEASURES])
    sector = forms.IntegerField(required=False, min_value=1)
    procedure = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


def default_period(today: dt.date) -> dict[str, str]:
    """This month so far, as form data."""
    return {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}


def default_year(today: dt.date) -> dict[str, str]:
    """This year so far, as form data."""
    return {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
