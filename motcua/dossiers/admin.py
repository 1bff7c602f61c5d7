"""Dossiers in the Django admin: read-only, for operators who need to look one up.

Nothing about a dossier is edited here: its state and clock change only through the lifecycle
(``motcua.workflow.services``), and its files only through the access-checked upload pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from motcua.core.vietnamese import fold
from motcua.dossiers.models import Attachment, Dossier

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest


class AttachmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("original_name", "purpose", "component", "content_type", "size", "sha256", "uploaded_at", "is_withdrawn")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "applicant_name", "procedure_version", "state", "received_at", "legal_due_at", "verdict")
    list_filter = ("state", "channel", "verdict")
    search_fields = ("search_text",)
    list_select_related = ("procedure_version",)
    date_hierarchy = "received_at"
    inlines = (AttachmentInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in Dossier._meta.fields]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Dossier], search_term: str
    ) -> tuple[QuerySet[Dossier], bool]:
        return super().get_search_results(request, queryset, fold(search_term))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
