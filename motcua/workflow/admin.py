"""The lifecycle in the admin: events are read-only, and calendar changes recompute due dates.

The calendar overrides' admin (``workdays``) is replaced by one that, after an override is added
or deleted, recomputes the due moments of the running dossiers it affects
(``services.recompute_due_dates``): workdays sits below the lifecycle and cannot call it itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from motcua.workdays.admin import CalendarOverrideAdmin, CalendarOverrideForm
from motcua.workdays.models import CalendarOverride
from motcua.workdays.services import calendar_change
from motcua.workflow import services
from motcua.workflow.models import DossierEvent

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest


@admin.register(DossierEvent)
class DossierEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("dossier", "seq", "action", "at", "actor_name", "from_state", "to_state")
    list_filter = ("action",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier",)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in DossierEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class RecomputingCalendarOverrideAdmin(CalendarOverrideAdmin):
    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: CalendarOverrideForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._recompute(request, obj)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        change = calendar_change(obj)
        super().delete_model(request, obj)
        self._report(request, services.recompute_due_dates(change))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        changes = [calendar_change(override) for override in queryset]
        super().delete_queryset(request, queryset)
        for change in changes:
            self._report(request, services.recompute_due_dates(change))

    def _recompute(self, request: HttpRequest, obj: CalendarOverride) -> None:
        self._report(request, services.recompute_due_dates(calendar_change(obj)))

    def _report(self, request: HttpRequest, moved: list[str]) -> None:
        if moved:
            messages.info(
                request,
                _("Due dates recomputed for %(count)d dossiers: %(codes)s")
                % {"count": len(moved), "codes": ", ".join(moved[:20])},
            )


admin.site.unregister(CalendarOverride)
admin.site.register(CalendarOverride, RecomputingCalendarOverrideAdmin)
