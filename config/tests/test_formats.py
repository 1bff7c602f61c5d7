"""Dates typed in a Vietnamese form are read day first."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation


class _DateForm(forms.Form):
    day = forms.DateField()


def test_vietnamese_forms_read_dates_day_first() -> None:
    with translation.override("vi"):
        form = _DateForm(data={"day": "02/01/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == dt.date(2026, 1, 2)


def test_iso_dates_are_still_accepted() -> None:
    with translation.override("vi"):
        form = _DateForm(data={"day": "2026-01-02"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == dt.date(2026, 1, 2)
