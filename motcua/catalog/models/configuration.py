"""How an agency runs a national procedure (layer 2) and its internal process (layer 3).

``AgencyProcedure`` is an agency's application of a national procedure (written
``1.011442.000.00.00.H38`` in practice, DOMAIN.md §5): who performs it, who decides, how far it
is offered online (Decree 42/2022/NĐ-CP: full / partial online; legacy levels 2–4 of Decree
43/2011 kept for old reports), whether results go by post and fees can be paid online.

``InternalProcess`` is the agency's internal process (quy trình nội bộ) for one variant: ordered
steps, each held by a unit (a department of the agency, or another agency for inter-agency
work, Decree 118/2025/NĐ-CP Art. 20), with the role that acts and a time budget. Steps with the
same ``stage`` run in parallel (Art. 20.3: same-level electronic inter-agency work goes to every
agency at once); a stage lasts as long as its longest step. The stages' budgets must fit in the
legal time limit (``services`` refuses a process that does not).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import StaffRoleName
from motcua.agencies.models import Agency
from motcua.catalog.models.procedures import Procedure
from motcua.catalog.time_limits import HOURS_PER_WORKING_DAY
from motcua.core.models import TimeStampedModel


class OnlineLevel(models.TextChoices):
    """Decree 42/2022/NĐ-CP Art. 11: an online service is full (toàn trình) or partial (một phần)."""

    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


#: The legacy levels of Decree 43/2011/NĐ-CP still used in old reports: 4 full, 3 partial, 2 information only.
LEGACY_LEVELS = {OnlineLevel.FULL: 4, OnlineLevel.PARTIAL: 3, OnlineLevel.NONE: 2}


class AgencyProcedureQuerySet(models.QuerySet["AgencyProcedure"]):
    def active(self) -> AgencyProcedureQuerySet:
        return self.filter(is_active=True)

    def online(self) -> AgencyProcedureQuerySet:
        """Offered for online submission (fully or partly)."""
        return self.filter(online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL])


class AgencyProcedure(TimeStampedModel):
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("performing agency"),
        on_delete=models.PROTECT,
        related_name="procedures",
        help_text=_("The agency that receives and processes the procedure's dossiers."),
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="configurations"
    )
    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("competent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency that decides; empty when it is the performing agency."),
    )
    online_level = models.CharField(
        _("online service"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    offers_postal_return = models.BooleanField(_("results sent by post"), default=False)
    offers_online_payment = models.BooleanField(_("online payment"), default=False)
    requires_payment_before_submission = models.BooleanField(
        _("fees paid before submission"),
        default=False,
        help_text=_("Online applicants pay the fees before the dossier is submitted."),
    )
    instructions = models.TextField(_("instructions for applicants"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = AgencyProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency procedure")
        verbose_name_plural = _("agency procedures")
        ordering = ["agency", "procedure"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure"],
                name="agencyprocedure_unique",
                violation_error_message=_("This agency already offers this procedure."),
            ),
            models.CheckConstraint(
                condition=Q(requires_payment_before_submission=False) | Q(offers_online_payment=True),
                name="agencyprocedure_prepayment_needs_online_payment",
                violation_error_message=_("Fees can be required before submission only when they can be paid online."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} — {self.agency}"

    @property
    def legacy_level(self) -> int:
        return LEGACY_LEVELS[OnlineLevel(self.online_level)]

    @property
    def deciding_agency_id(self) -> int:
        return self.competent_agency_id or self.agency_id


class BudgetUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


class InternalProcess(TimeStampedModel):
    agency_procedure = models.ForeignKey(
        AgencyProcedure, verbose_name=_("agency procedure"), on_delete=models.CASCADE, related_name="processes"
    )
    variant_code = models.SlugField(
        _("variant"), max_length=50, blank=True, help_text=_("Empty: every variant without a process of its own.")
    )
    name = models.CharField(_("name"), max_length=255)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("internal process")
        verbose_name_plural = _("internal processes")
        ordering = ["agency_procedure", "variant_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_procedure", "variant_code"],
                name="process_one_per_variant",
                violation_error_message=_("This agency procedure already has a process for this variant."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    process = models.ForeignKey(
        InternalProcess, verbose_name=_("internal process"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), help_text=_("Steps run in stage order; steps of one stage run in parallel.")
    )
    name = models.CharField(_("name"), max_length=255)
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("performing unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A department of the agency, or another agency for inter-agency work."),
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRoleName.choices)
    budget_amount = models.PositiveIntegerField(_("time budget"))
    budget_unit = models.CharField(_("budget unit"), max_length=15, choices=BudgetUnit.choices)
    task = models.TextField(_("task"), blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "stage", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__gte=1),
                name="processstep_stage_positive",
                violation_error_message=_("Stages start at 1."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__gte=1),
                name="processstep_budget_positive",
                violation_error_message=_("A step needs a time budget of at least one hour or day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}. {self.name}"

    @property
    def budget_hours(self) -> int:
        return self.budget_amount * (HOURS_PER_WORKING_DAY if self.budget_unit == BudgetUnit.WORKING_DAYS else 1)
