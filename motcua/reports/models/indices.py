"""The parameters of the Decision 766/QĐ-TTg real-time service index, kept as data.

Decision 766/QĐ-TTg (23/6/2022) scores an agency out of 100 points in groups (transparency,
progress, digitisation, online services, satisfaction; the national portal now shows online
payment separately), each made of indicators with a maximum and, for some, the rate that earns
full marks (DOMAIN.md §8). The portal has changed these over time and third parties reconstruct
them, so each indicator's maximum and threshold is a row with validity dates, editable in the
admin; ``indices.py`` holds only the formulas, keyed by ``code``. The bands (90–100 excellent,
below 50 weak) are rows too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndexGroup(models.TextChoices):
    TRANSPARENCY = "transparency", _("Transparency")
    PROGRESS = "progress", _("Progress")
    ONLINE_SERVICES = "online_services", _("Online services")
    DIGITISATION = "digitisation", _("Digitisation")
    SATISFACTION = "satisfaction", _("Satisfaction")
    ONLINE_PAYMENT = "online_payment", _("Online payment")


M = TypeVar("M", bound=models.Model)


class ValidityQuerySet(models.QuerySet[M]):
    def valid_on(self, on: dt.date) -> ValidityQuerySet[M]:
        """Rows whose validity period contains ``on`` (an open end is unbounded)."""
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class IndexRule(models.Model):
    code = models.SlugField(_("indicator"), max_length=60, help_text=_("The formula this row parameterises."))
    group = models.CharField(_("group"), max_length=20, choices=IndexGroup.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    maximum = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    threshold = models.DecimalField(
        _("rate for full marks"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(1),
        help_text=_("The score is maximum × min(1, rate ÷ this); 1 makes it proportional."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    objects = ValidityQuerySet["IndexRule"].as_manager()

    class Meta:
        verbose_name = _("index indicator")
        verbose_name_plural = _("index indicators")
        ordering = ["position", "code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="indexrule_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="indexrule_validity_ordered",
                violation_error_message=_("The end of the validity period must not be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(maximum__gte=0) & Q(threshold__gt=0) & Q(threshold__lte=1),
                name="indexrule_sane_numbers",
                violation_error_message=_(
                    "The maximum is not negative; the rate for full marks is above 0 and at most 1."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.maximum})"


class Band(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    MEDIUM = "medium", _("Between weak and excellent")
    WEAK = "weak", _("Weak")


class IndexBand(models.Model):
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    lower_bound = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet["IndexBand"].as_manager()

    class Meta:
        verbose_name = _("index band")
        verbose_name_plural = _("index bands")
        ordering = ["-lower_bound"]
        constraints = [
            models.UniqueConstraint(fields=["lower_bound", "valid_from"], name="indexband_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} ≥ {self.lower_bound}"
