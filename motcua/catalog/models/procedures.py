"""The national procedure (layer 1): what the published catalogue says, versioned with validity dates.

A procedure (thủ tục hành chính) is identified by its national code ``d.dddddd`` (DOMAIN.md §5).
What Decree 63/2010/NĐ-CP Art. 8.2 has published for it (name, steps, channels with their time
limits and fees, dossier components, applicants, agencies, results with their result-type
codes, requirements, legal basis, publishing decision) lives in a ``ProcedureVersion`` with
validity dates: a new publication creates a new version and ends the previous one, and a
dossier keeps pointing at the version in force when it was received (DOMAIN.md §7).

Variants ("trường hợp": first issue or re-issue, same commune or not …) belong to a version;
each may have its own time limit, fees and components, and each agency runs it through its
own internal process. Every version has a default variant, "the general case".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.time_limits import TimeLimit, TimeUnit
from motcua.core.models import TimeStampedModel
from motcua.core.vietnamese import COLLATION_KEY_LENGTH, fold

if TYPE_CHECKING:
    from collections.abc import Iterable

PROCEDURE_CODE_RE = r"^\d\.\d{6}$"
validate_procedure_code = RegexValidator(
    PROCEDURE_CODE_RE, _("A national procedure code has the form 1.000178."), code="procedure_code"
)


class TimeUnitChoices(models.TextChoices):
    WORKING_HOURS = TimeUnit.WORKING_HOURS.value, _("working hours")
    WORKING_DAYS = TimeUnit.WORKING_DAYS.value, _("working days")
    CALENDAR_DAYS = TimeUnit.CALENDAR_DAYS.value, _("days")
    MONTHS = TimeUnit.MONTHS.value, _("months")
    SAME_DAY = TimeUnit.SAME_DAY.value, _("same day")
    NONE = TimeUnit.NONE.value, _("no time limit")


class Level(models.TextChoices):
    CENTRAL = "central", _("Ministry level")
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level (historical)")
    COMMUNE = "commune", _("Commune level")
    OTHER = "other", _("Other agencies")


class ProcedureStatus(models.TextChoices):
    PUBLISHED = "published", _("In force")
    AMENDED = "amended", _("Amended")
    ABOLISHED = "abolished", _("Abolished")


class Sector(TimeStampedModel):
    """A sector (lĩnh vực) such as "Hộ tịch"; the national catalogue names them, codes are optional."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    code = models.CharField(_("code"), max_length=30, blank=True)
    search_text = models.CharField(_("search text"), max_length=255, editable=False, default="")
    sort_name = models.CharField(_("sort key"), max_length=COLLATION_KEY_LENGTH, editable=False, default="")

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="sector_unique_code",
                violation_error_message=_("Another sector has this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Procedure(TimeStampedModel):
    """One national procedure code; its content is in its versions."""

    code = models.CharField(_("procedure code"), max_length=8, unique=True, validators=[validate_procedure_code])
    status = models.CharField(
        _("status"), max_length=10, choices=ProcedureStatus.choices, default=ProcedureStatus.PUBLISHED
    )

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def current(self) -> ProcedureVersionQuerySet:
        """The versions in force now: each procedure's latest, not ended, not abolished."""
        return self.filter(valid_to__isnull=True).exclude(procedure__status=ProcedureStatus.ABOLISHED)

    def valid_on(self, on: dt.date) -> ProcedureVersionQuerySet:
        """Versions whose validity period contains ``on``."""
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))

    def search(self, text: str) -> ProcedureVersionQuerySet:
        """Versions whose code, name or sector contain every word of ``text``, with or without diacritics."""
        words = fold(text).split()
        queryset = self
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def at_level(self, level: str) -> ProcedureVersionQuerySet:
        return self.filter(levels__contains=f",{level},")


class ProcedureVersion(TimeStampedModel):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    name = models.TextField(_("name"))
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="versions")
    # ",province,commune," so that one level is one indexed-free LIKE on both databases.
    levels = models.CharField(_("levels"), max_length=60, default=",")
    kind = models.CharField(_("kind of procedure"), max_length=255, blank=True)
    decision = models.CharField(_("publishing decision"), max_length=255, blank=True)
    applicants = models.JSONField(_("applicants"), default=list, blank=True)
    competent_agency = models.TextField(_("competent agency"), blank=True)
    performing_agency = models.TextField(_("performing agency"), blank=True)
    delegated_agency = models.TextField(_("delegated agency"), blank=True)
    coordinating_agency = models.TextField(_("coordinating agencies"), blank=True)
    reception_address = models.TextField(_("where dossiers are received"), blank=True)
    related_procedures = models.TextField(_("related procedures"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    requirements = models.TextField(_("requirements and conditions"), blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    applies_afternoon_cutoff = models.BooleanField(
        _("15:00 cut-off"),
        default=False,
        help_text=_("Dossiers received after 15:00 count from the next working day (Decree 118/2025/NĐ-CP Art. 18)."),
    )

    source = models.CharField(_("source"), max_length=50, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    content_hash = models.CharField(_("content fingerprint"), max_length=64, editable=False, blank=True)
    parse_issues = models.JSONField(_("import problems"), default=list, blank=True, editable=False)
    parse_warnings = models.JSONField(_("import assumptions"), default=list, blank=True, editable=False)
    search_text = models.TextField(_("search text"), editable=False, default="")
    sort_name = models.CharField(_("sort key"), max_length=COLLATION_KEY_LENGTH, editable=False, default="")

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["sort_name", "procedure_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"],
                name="procversion_unique_number",
                violation_error_message=_("This procedure already has a version with this number."),
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(valid_to__isnull=True),
                name="procversion_one_current",
                violation_error_message=_("This procedure already has a current version; end it first."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="procversion_validity_ordered",
                violation_error_message=_("The end of the validity period must not be before its start."),
            ),
        ]
        indexes = [models.Index(fields=["sector", "valid_to"], name="procversion_sector_current")]

    def __str__(self) -> str:
        return self.name

    @property
    def level_list(self) -> list[str]:
        return [level for level in self.levels.split(",") if level]

    @property
    def level_labels(self) -> list[str]:
        return [str(Level(level).label) for level in self.level_list if level in Level.values]

    @staticmethod
    def encode_levels(levels: Iterable[str]) -> str:
        ordered = [level for level in Level.values if level in set(levels)]
        return "," + ",".join(ordered) + ("," if ordered else "")

    def is_valid_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class TimeLimitFields(models.Model):
    """A time limit stored as its unit and amount, beside the text it was read from."""

    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=15, choices=TimeUnitChoices.choices, default=TimeUnitChoices.NONE
    )
    time_limit_amount = models.PositiveIntegerField(_("time limit"), default=0)

    class Meta:
        abstract = True

    @property
    def time_limit(self) -> TimeLimit:
        return TimeLimit(self.time_limit_amount, TimeUnit(self.time_limit_unit))

    def set_time_limit(self, limit: TimeLimit) -> None:
        self.time_limit_unit = limit.unit.value
        self.time_limit_amount = limit.amount


def fee_items(stored: list[dict[str, object]] | None) -> tuple[FeeItem, ...]:
    """Fee items from their stored JSON form."""
    return tuple(
        FeeItem(
            amount=int(str(item["amount"])),
            currency=str(item.get("currency", "VND")),
            kind=str(item.get("kind", "")),
            note=str(item.get("note", "")),
        )
        for item in stored or []
    )


def stored_fees(items: Iterable[FeeItem]) -> list[dict[str, object]]:
    """The JSON form of fee items."""
    return [{"amount": i.amount, "currency": i.currency, "kind": i.kind, "note": i.note} for i in items]


class ChannelOption(TimeLimitFields):
    """One row of "Cách thức thực hiện": a channel with its own time limit and fees."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="channels"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    time_limit_text = models.CharField(_("time limit as published"), max_length=255, blank=True)
    fee_text = models.TextField(_("fees as published"), blank=True)
    fees = models.JSONField(_("fee items"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.time_limit}"

    @property
    def fee_items(self) -> tuple[FeeItem, ...]:
        return fee_items(self.fees)


class Variant(TimeStampedModel):
    """A case of the procedure with its own limit, fees and components (empty fields: as the version)."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="variants"
    )
    code = models.SlugField(_("code"), max_length=50, help_text=_("Stable name used by internal processes."))
    name = models.CharField(_("name"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_default = models.BooleanField(_("general case"), default=False)
    time_limit_unit = models.CharField(
        _("own time limit unit"), max_length=15, choices=TimeUnitChoices.choices, blank=True
    )
    time_limit_amount = models.PositiveIntegerField(_("own time limit"), null=True, blank=True)
    fee_text = models.TextField(_("own fees as published"), blank=True)
    fees = models.JSONField(_("own fee items"), null=True, blank=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="variant_unique_code",
                violation_error_message=_("This version already has a variant with this code."),
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(is_default=True),
                name="variant_one_default",
                violation_error_message=_("A version has one general case."),
            ),
            models.CheckConstraint(
                condition=Q(time_limit_unit="", time_limit_amount__isnull=True)
                | (~Q(time_limit_unit="") & Q(time_limit_amount__isnull=False)),
                name="variant_time_limit_complete",
                violation_error_message=_("Give both the unit and the amount of the variant's own time limit."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def own_time_limit(self) -> TimeLimit | None:
        if not self.time_limit_unit or self.time_limit_amount is None:
            return None
        return TimeLimit(self.time_limit_amount, TimeUnit(self.time_limit_unit))

    @property
    def own_fee_items(self) -> tuple[FeeItem, ...] | None:
        return None if self.fees is None else fee_items(self.fees)


def component_form_path(instance: Component, filename: str) -> str:
    # The storage picks a free name; the procedure code keeps the folder readable.
    return f"catalog/forms/{instance.version.procedure.code}/{filename}"


class Component(models.Model):
    """A document of the dossier (thành phần hồ sơ); ``variant`` empty: every variant needs it."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="components"
    )
    variant = models.ForeignKey(
        Variant,
        verbose_name=_("only for variant"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="components",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    group = models.CharField(_("heading"), max_length=500, blank=True)
    name = models.TextField(_("name"))
    form_name = models.CharField(_("form"), max_length=255, blank=True)
    form_file = models.FileField(_("form file"), upload_to=component_form_path, max_length=255, blank=True)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    is_required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.name[:120]


class ResultDocument(models.Model):
    """A result the procedure issues, with its national result-type code (Decree 118/2025/NĐ-CP Art. 22)."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.CASCADE, related_name="results"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.TextField(_("name"))
    result_type_code = models.CharField(_("result-type code"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("result document")
        verbose_name_plural = _("result documents")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.name[:120]
