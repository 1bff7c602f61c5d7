"""Dossiers of the years before MotCua, imported from a CSV file (docs/howto/historical-import.md).

An agency bringing its past years keeps them as statistics, not as live work: an imported row
is one past dossier with what the standard report needs (DOMAIN.md §8) — its code, competent
agency, procedure, channel, when it was received, due, resolved and returned, how it ended and
the applicant's rating. Imported rows are written into the same summary tables, by the same
rules, as the dossiers processed in MotCua, so every report counts them alike; they never enter
an officer's queue, the deadline sweep or a dossier's event chain (nothing happened to them in
MotCua). Each file is one ``ImportBatch``: it loads completely or not at all.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.channels import Channel
from motcua.catalog.models import Procedure, Sector
from motcua.dossiers.models import DeliveryMethod, Verdict


class ImportedStatus(models.TextChoices):
    """How an imported dossier stands (the ``status`` column of the file)."""

    IN_PROGRESS = "in_progress", _("Being processed")
    RESOLVED = "resolved", _("Resolved, result not yet returned")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Stopped at the applicant's request")
    CLOSED = "closed", _("Closed: supplement not provided in time")


#: A dossier open longer than this is "long-running": the raw report finds the ones carried over
#: from far back through a small partial index instead of reading every older reception.
LONG_RUNNING_DAYS = 62


class ImportBatch(models.Model):
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("historical import")
        verbose_name_plural = _("historical imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"


class ImportedDossier(models.Model):
    # The references are checked by the import itself (unknown codes are refused with their row
    # numbers); no database constraint, so that a million rows load in one set-based statement.
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_constraint=False,
        db_index=False,  # read by batch only when the summaries are rebuilt: a scan then
    )
    code = models.CharField(_("dossier code"), max_length=60)  # unique: Meta.constraints (no LIKE index)
    agency = models.ForeignKey(
        Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    resolved_at = models.DateTimeField(
        _("resolved or ended at"), null=True, blank=True, help_text=_("Decision, refusal, stop or closing.")
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ImportedStatus.choices)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    delivery = models.CharField(_("result delivery"), max_length=10, choices=DeliveryMethod.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    is_long_running = models.BooleanField(
        _("long-running"), default=False, help_text=_("Open, or ended more than 62 days after reception.")
    )

    class Meta:
        verbose_name = _("imported dossier")
        verbose_name_plural = _("imported dossiers")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="imported_unique_code"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=models.F("received_at")),
                name="imported_resolved_after_received",
            ),
        ]
        # The standard report straight from the rows reads them through covering indexes
        # (migration 0003: INCLUDE on PostgreSQL, which SQLite does not have).

    def __str__(self) -> str:
        return self.code
