"""The dossier (hồ sơ): who applies for what, where, and where it stands; its files; its code.

A dossier is one application for one procedure version and variant (the version in force when
it was received: DOMAIN.md §7). Reception is boundary-free inside a province (Decree
118/2025/NĐ-CP Art. 14.2), so the receiving unit, the competent (deciding) agency and the
returning unit are separate fields; agencies asked to take part (liên thông, Art. 20) are
recorded by the lifecycle as inter-agency tasks.

The state, the clock fields and the counters are written only by ``motcua.workflow.services``
(the transitions table is the one place that decides them); this module only defines them.
``lock_version`` grows by one at every transition, so a page that shows version 7 can ask the
lifecycle to act only if the dossier is still at version 7 ("this dossier has changed, reload").

Files are kept through Django's storage API under names the server chooses; their SHA-256 is
recorded at upload and checked when they are read (``attachments.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.channels import Channel
from motcua.catalog.models import AgencyProcedure, Component, ProcedureVersion, TimeUnitChoices, Variant
from motcua.core.models import TimeStampedModel


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for reception")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for the applicant to supplement")
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being processed")
    WITH_OTHER_AGENCIES = "with_other_agencies", _("With other agencies")
    PAUSED = "paused", _("Paused")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Stopped at the applicant's request")
    WITHDRAWN = "withdrawn", _("Withdrawn before reception")
    CLOSED = "closed", _("Closed: supplement not provided in time")


#: States in which a dossier's clock runs or is paused: open work an agency answers for.
OPEN_STATES = frozenset(
    {
        DossierState.RECEIVED,
        DossierState.IN_PROGRESS,
        DossierState.WITH_OTHER_AGENCIES,
        DossierState.PAUSED,
        DossierState.SUPPLEMENT_REQUESTED,
    }
)
#: States of work not finished: submitted, open, or with its result waiting to be handed over
#: (a list, in a fixed order, for the partial indexes' conditions).
WORKING = [
    DossierState.SUBMITTED,
    DossierState.SUPPLEMENT_REQUESTED,
    DossierState.RECEIVED,
    DossierState.IN_PROGRESS,
    DossierState.WITH_OTHER_AGENCIES,
    DossierState.PAUSED,
    DossierState.RESULT_READY,
]
#: States that end a dossier: nothing follows them.
FINAL_STATES = frozenset(
    {DossierState.RETURNED, DossierState.REFUSED, DossierState.STOPPED, DossierState.WITHDRAWN, DossierState.CLOSED}
)


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business or organisation")
    FOREIGNER = "foreigner", _("Foreign national")


class DeliveryMethod(models.TextChoices):
    """Where the result goes (Decree 118/2025/NĐ-CP Art. 22)."""

    COUNTER = "counter", _("Collect at the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online (download)")


class SupplementPhase(models.TextChoices):
    """When the supplement was asked: at reception (Art. 17, clock not started) or after appraisal (Art. 19.5)."""

    NONE = "", _("None")
    RECEPTION = "reception", _("At reception")
    PROCESSING = "processing", _("During processing")


class Verdict(models.TextChoices):
    """Resolution against the legal due moment, stamped once (DOMAIN.md §8 statistics)."""

    NONE = "", _("Not resolved")
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class DossierQuerySet(models.QuerySet["Dossier"]):
    def open(self) -> DossierQuerySet:
        """Dossiers an agency is answering for: received and not yet resolved or ended."""
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, *, at: object) -> DossierQuerySet:
        """Open dossiers whose legal due moment has passed at ``at`` (paused ones excepted: their clock stands)."""
        return (
            self.open()
            .exclude(state__in=[DossierState.PAUSED, DossierState.SUPPLEMENT_REQUESTED])
            .filter(legal_due_at__lt=at)
        )


class Dossier(TimeStampedModel):
    # NULL, not "": drafts have no code, and the codes given are unique (Meta.constraints).
    code = models.CharField(_("dossier code"), max_length=60, null=True, blank=True, editable=False)  # noqa: DJ001
    lookup_secret = models.CharField(_("lookup code"), max_length=12, editable=False)
    state = models.CharField(
        _("state"), max_length=25, choices=DossierState.choices, default=DossierState.DRAFT, editable=False
    )
    lock_version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    # What is applied for.
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.PROTECT, related_name="+"
    )
    variant = models.ForeignKey(Variant, verbose_name=_("variant"), on_delete=models.PROTECT, related_name="+")
    agency_procedure = models.ForeignKey(
        AgencyProcedure, verbose_name=_("agency procedure"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    # Where (Decree 118/2025/NĐ-CP Art. 14.2: reception is boundary-free inside a province).
    receiving_unit = models.ForeignKey(
        Agency, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+"
    )
    competent_agency = models.ForeignKey(
        Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT, related_name="+"
    )
    returning_unit = models.ForeignKey(
        Agency, verbose_name=_("returning unit"), on_delete=models.PROTECT, related_name="+"
    )

    # Who applies (a snapshot: the account may change later; the dossier keeps what was declared).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        db_index=False,  # dossier_applicant_recent leads with it
    )
    applicant_kind = models.CharField(
        _("kind of applicant"), max_length=10, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=255)
    applicant_id_number = models.CharField(
        _("identification number"), max_length=20, help_text=_("Personal ID number, tax code or passport number.")
    )
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    representative_name = models.CharField(_("representative's name"), max_length=255, blank=True)
    representative_id_number = models.CharField(_("representative's identification number"), max_length=20, blank=True)
    representative_relation = models.CharField(_("acting as"), max_length=100, blank=True)

    form_answers = models.JSONField(_("form answers"), default=dict, blank=True)

    # Fees (Decree 118/2025/NĐ-CP Art. 24): what the variant and channel charged at submission.
    fee_items = models.JSONField(_("fee items"), default=list, blank=True)
    fees_due = models.PositiveBigIntegerField(_("fees due (đồng)"), default=0)
    fees_paid = models.PositiveBigIntegerField(_("fees paid (đồng)"), default=0)
    fees_paid_at = models.DateTimeField(_("fees paid at"), null=True, blank=True)

    delivery_method = models.CharField(
        _("result delivery"), max_length=10, choices=DeliveryMethod.choices, default=DeliveryMethod.COUNTER
    )
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    postal_tracking_number = models.CharField(_("postal tracking number"), max_length=50, blank=True)

    # The clock (motcua.workflow.deadlines decides these; the time limit is a snapshot).
    time_limit_unit = models.CharField(_("time limit unit"), max_length=15, choices=TimeUnitChoices.choices)
    time_limit_amount = models.PositiveIntegerField(_("time limit"), default=0)
    applies_afternoon_cutoff = models.BooleanField(_("15:00 cut-off applies"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    clock_started_at = models.DateTimeField(
        _("clock started at"), null=True, blank=True, help_text=_("Reception, or completion of a supplement.")
    )
    legal_due_at = models.DateTimeField(_("legal due moment"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True, default="")

    supplement_phase = models.CharField(
        _("supplement asked"), max_length=12, choices=SupplementPhase.choices, blank=True, default=""
    )
    supplement_requested_at = models.DateTimeField(_("supplement requested at"), null=True, blank=True)
    reception_supplements = models.PositiveSmallIntegerField(_("supplements asked at reception"), default=0)
    processing_supplements = models.PositiveSmallIntegerField(_("supplements asked during processing"), default=0)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    current_stage = models.PositiveSmallIntegerField(_("current stage"), default=0)

    # The last reminder sent (1 due soon, 2 overdue) and the due moment it was about: a sweep that
    # runs again, or often, sends nothing twice; a due moment that moves earns a new reminder.
    reminder_level = models.PositiveSmallIntegerField(_("reminder sent"), default=0, editable=False)
    reminded_for_due = models.DateTimeField(_("reminded for due moment"), null=True, blank=True, editable=False)

    # The head of the dossier's event chain (kept here so that appending needs no extra read).
    event_count = models.PositiveIntegerField(_("events"), default=0, editable=False)
    last_event_hash = models.CharField(_("last event fingerprint"), max_length=64, blank=True, editable=False)

    idempotency_key = models.CharField(_("submission key"), max_length=64, null=True, blank=True)  # noqa: DJ001
    search_text = models.CharField(_("search text"), max_length=500, editable=False, default="")

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=DossierState.DRAFT) | Q(state=DossierState.WITHDRAWN) | Q(code__isnull=False),
                name="dossier_code_after_draft",
                violation_error_message=_("A dossier beyond a draft has a code."),
            ),
            models.CheckConstraint(
                condition=Q(fees_paid__lte=models.F("fees_due")) | Q(fees_due=0),
                name="dossier_not_overpaid",
                violation_error_message=_("More was paid than is due."),
            ),
            # Constraints rather than ``unique=True``: PostgreSQL then builds one index for each,
            # without the second one for LIKE that Django adds to a unique text column (the
            # codes are looked up whole), and the key's index holds only the dossiers that have one.
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                name="dossier_idempotency_key_unique",
                condition=Q(idempotency_key__isnull=False),
            ),
        ]
        # Every index is paid for by every write of a dossier, and most dossiers are closed: the
        # indexes of open work hold open dossiers only (a few per cent of the table).
        indexes = [
            # The officers' queues of open work (paused, with other agencies) and the dashboards'
            # "overdue now", per state and per competent agency.
            models.Index(fields=["state", "legal_due_at"], name="dossier_state_due", condition=Q(state__in=WORKING)),
            models.Index(
                fields=["competent_agency", "state", "legal_due_at"],
                name="dossier_agency_state_due",
                condition=Q(state__in=WORKING),
            ),
            # A citizen's own dossiers (dossiers received at the counter have no account).
            models.Index(
                fields=["applicant", "-created_at"],
                name="dossier_applicant_recent",
                condition=Q(applicant__isnull=False),
            ),
            # Online submissions to check, oldest first (few rows: they leave the state within a day).
            models.Index(
                fields=["submitted_at", "id"], name="dossier_to_check", condition=Q(state=DossierState.SUBMITTED)
            ),
            # "Due soon", "overdue" and the deadline sweep read the dossiers whose clock runs in due
            # order: a page is the first rows of this index that the officer may see, not a sort.
            models.Index(
                fields=["legal_due_at", "id"],
                name="dossier_running_due",
                condition=Q(
                    state__in=[DossierState.RECEIVED, DossierState.IN_PROGRESS, DossierState.WITH_OTHER_AGENCIES]
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.code or str(_("Draft %(id)s") % {"id": self.pk})

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def fees_outstanding(self) -> int:
        return max(0, self.fees_due - self.fees_paid)


class DossierCodeCounter(models.Model):
    """The last sequence number used for one agency code and day (Decree 118/2025/NĐ-CP Art. 28)."""

    prefix = models.CharField(_("agency code"), max_length=35)
    day = models.DateField(_("day"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("dossier code counter")
        verbose_name_plural = _("dossier code counters")
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="dossiercode_one_counter_per_day")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day:%y%m%d} {self.last}"


class AttachmentPurpose(models.TextChoices):
    APPLICATION = "application", _("Submitted with the application")
    SUPPLEMENT = "supplement", _("Supplement")
    SCAN = "scan", _("Scan of a paper document")
    RESULT = "result", _("Result")
    PAYMENT = "payment", _("Proof of payment")


def attachment_path(instance: Attachment, filename: str) -> str:
    # ``filename`` is already the server's own random name (attachments.store_attachment).
    return f"dossiers/{instance.dossier_id}/{filename}"


class Attachment(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="attachments"
    )
    component = models.ForeignKey(
        Component,
        verbose_name=_("for component"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=AttachmentPurpose.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_withdrawn = models.BooleanField(_("replaced"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["dossier", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
