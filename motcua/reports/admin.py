"""Admin for the statistics' data: the Decision 766/QĐ-TTg parameters and the historical imports.

Administrators keep each index indicator's maximum and full-marks threshold, and the score
bands, as rows with validity dates (a change of method is a new row from its date). Imports are
listed for the record; files are imported with ``manage.py import_history`` (a file loads
completely or not at all).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.reports.models import ImportBatch, IndexBand, IndexRule


@admin.register(IndexRule)
class IndexRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "group", "name", "maximum", "threshold", "valid_from", "valid_to"]
    list_filter = ["group"]
    search_fields = ["code", "name"]
    ordering = ["position", "code", "-valid_from"]


@admin.register(IndexBand)
class IndexBandAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["band", "lower_bound", "valid_from", "valid_to"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["file_name", "rows", "imported_at", "imported_by"]
    readonly_fields = ["file_name", "sha256", "rows", "imported_at", "imported_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportBatch | None = None) -> bool:
        return False
