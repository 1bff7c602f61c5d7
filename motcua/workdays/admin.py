"""Django admin for the calendar overrides and office hours, editing through the services.

An override is a record of an announcement: it is added or deleted, never edited (to correct
one, delete it and add the right one, so that the change of days is explicit). The forms
run the services' checks so that a conflicting or pointless override shows as a form error
naming the day; saving and deleting call ``services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.workdays import services
from motcua.workdays.models import CalendarOverride, OfficeHours

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest


class CalendarOverrideForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CalendarOverride
        fields = ["applies_on", "kind", "agency", "source", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        agency = cleaned.get("agency")
        try:
            services.validate_override(
                applies_on=cleaned.get("applies_on"),
                kind=cleaned.get("kind") or "",
                agency_id=agency.pk if agency is not None else None,
                source=cleaned.get("source") or "",
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def validate_unique(self) -> None:
        # clean() has already checked the day against the other overrides, with a message that
        # names the day; the model's generic constraint message would only repeat it.
        return


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = CalendarOverrideForm
    list_display = ("applies_on", "weekday", "kind", "agency", "source", "note", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "applies_on"
    search_fields = ("source", "note")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency", "created_by")

    @admin.display(description=_("weekday"))
    def weekday(self, override: CalendarOverride) -> str:
        return date_format(override.applies_on, "l")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: CalendarOverrideForm, change: bool) -> None:
        data = form.cleaned_data
        created_by = request.user if request.user.is_authenticated else None
        saved = services.add_override(
            applies_on=data["applies_on"],
            kind=data["kind"],
            agency_id=data["agency"].pk if data.get("agency") is not None else None,
            source=data["source"],
            note=data.get("note") or "",
            created_by=created_by,
        ).override
        # The admin goes on with ``obj`` (history, redirect): give it what the service saved.
        for field in CalendarOverride._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        services.remove_override(override_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override_id in queryset.values_list("pk", flat=True):
            services.remove_override(override_id=override_id)


class OfficeHoursForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OfficeHours
        fields = ["agency", "intervals"]

    def validate_unique(self) -> None:
        # An agency (or the default) has one row; set_office_hours updates it in place, so a
        # second row for the same agency is refused here with a message naming it.
        if self.instance.pk is not None:
            return  # editing: the agency is read-only, the row stays its own
        agency = self.cleaned_data.get("agency")
        if OfficeHours.objects.filter(agency=agency).exists():
            self.add_error(
                "agency",
                _("Office hours are already set for %(agency)s; change that row instead.")
                % {"agency": agency if agency is not None else _("the default")},
            )


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = OfficeHoursForm
    list_display = ("agency_or_default", "intervals", "updated_at")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency",)

    @admin.display(description=_("agency"))
    def agency_or_default(self, hours: OfficeHours) -> str:
        return str(hours.agency) if hours.agency is not None else str(_("Default for every agency"))

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        # The row belongs to its agency: moving it would silently change two agencies' hours.
        return ("agency",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: OfficeHours, form: OfficeHoursForm, change: bool) -> None:
        saved = services.set_office_hours(agency_id=obj.agency_id, intervals=form.cleaned_data["intervals"])
        for field in OfficeHours._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def delete_model(self, request: HttpRequest, obj: OfficeHours) -> None:
        services.remove_office_hours(agency_id=obj.agency_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OfficeHours]) -> None:
        for agency_id in queryset.values_list("agency_id", flat=True):
            services.remove_office_hours(agency_id=agency_id)
