"""The applicant's rating of how a dossier was served (Decree 118/2025/NĐ-CP Art. 33).

Art. 33 has applicants rate, per dossier: the time taken against the legal limit, how many
agencies and how many contacts it took, whether the published procedure was accurate, the
staff's attitude, whether the result and its costs were lawful (and any extra cost asked),
how complaints were handled, the online service, and anything else. Each graded item is one of
three levels, as the national portal asks them; an item that does not apply (no complaint, a
counter dossier's online service) stays empty. One rating per dossier, given after the result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class Level(models.IntegerChoices):
    UNSATISFIED = 1, _("Not satisfied")
    SATISFIED = 2, _("Satisfied")
    VERY_SATISFIED = 3, _("Very satisfied")


#: The graded items of Art. 33, in the order the form asks them.
GRADED_ITEMS = (
    "timeliness",
    "procedure_accuracy",
    "staff_attitude",
    "result_lawfulness",
    "complaint_handling",
    "online_service",
)


class Rating(models.Model):
    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="rating")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"))
    timeliness = models.PositiveSmallIntegerField(
        _("time to the result against the legal limit"), choices=Level.choices
    )
    agencies_contacted = models.PositiveSmallIntegerField(_("agencies contacted"), default=1)
    contacts_needed = models.PositiveSmallIntegerField(_("times you had to contact them"), default=1)
    procedure_accuracy = models.PositiveSmallIntegerField(
        _("the published procedure matched what was asked"), choices=Level.choices
    )
    staff_attitude = models.PositiveSmallIntegerField(_("attitude of the staff"), choices=Level.choices)
    result_lawfulness = models.PositiveSmallIntegerField(
        _("the result and its costs were lawful"), choices=Level.choices
    )
    extra_costs_asked = models.BooleanField(_("costs beyond the published fees were asked"), default=False)
    complaint_handling = models.PositiveSmallIntegerField(
        _("handling of your complaint"), choices=Level.choices, null=True, blank=True
    )
    online_service = models.PositiveSmallIntegerField(
        _("quality of the online service"), choices=Level.choices, null=True, blank=True
    )
    comment = models.TextField(_("other comments"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agencies_contacted__gte=1) & Q(contacts_needed__gte=1),
                name="rating_counts_at_least_one",
                violation_error_message=_("At least one agency and one contact."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.rated_at:%d/%m/%Y}"

    @property
    def is_unsatisfied(self) -> bool:
        """Any graded item not satisfied, or costs asked beyond the fees: counts against the 766 index."""
        levels = [getattr(self, item) for item in GRADED_ITEMS]
        return self.extra_costs_asked or any(level == Level.UNSATISFIED for level in levels if level is not None)
