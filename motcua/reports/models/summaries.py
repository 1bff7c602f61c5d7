"""Summary tables kept from the dossier event log (DOMAIN.md §8: statistics and indices).

Every figure of the standard statistics report and of the Decision 766/QĐ-TTg index is a sum of
*flows*: counts of things that happened on a day (received online / at the counter / by post,
resolved early / on time / late, refused, stopped, returned …). ``FlowSummary`` keeps them per
agency × procedure × sector × day (``part = own``, ``grain = day``: the finest grain), with the
receptions counted per channel, and the same sums per month and per year, and for every agency
also the sums over the units below it (``part = units``), so that a report for any period and
any agency subtree reads a few index ranges of a single scope. The channel is a column of the
receptions, not a key of the rows: receptions are the only figures reported per channel
(DOMAIN.md §8), and a key would double the rows (a row per event-day at scale) for nothing.

Stocks (carried over from before a period, in progress within or past the deadline at its end)
are sums of flows up to a day: the dossiers received up to day D minus those that ended up to
D are open at the end of D; the overdue ones are counted by ``overdue_delta``, +1 on the day a
dossier's due day passes while it is open and −1 on the day it ends (or its clock stops, or its
due day moves). ``RatingSummary`` does the same for the applicants' ratings (Decree
118/2025/NĐ-CP Art. 33). ``TrackedDossier`` is what the summariser remembers of each dossier
between two of its events; ``SummaryCursor`` and ``PendingEvent`` say which events and ratings
are already counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.channels import Channel
from motcua.dossiers.models import Dossier

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Grain(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Part(models.TextChoices):
    """Whose dossiers a summary row counts: the agency's own, or those of every unit below it."""

    OWN = "own", _("The agency's own dossiers")
    UNITS = "units", _("Dossiers of the units below it")


#: The flow counters of ``FlowSummary``, in the order the code writes them.
FLOW_COUNTERS: tuple[str, ...] = (
    "received_online",
    "received_counter",
    "received_post",
    "received_with_fees",
    "received_full_online_offer",
    "received_online_full_offer",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_766",
    "refused",
    "stopped",
    "closed",
    "withdrawn",
    "refused_at_reception",
    "returned",
    "returned_online",
    "paid_online",
    "overdue_delta",
)

#: The rating items summarised: "overall" (see ``flows.overall_level``) and the graded items of Art. 33.
RATING_ITEMS: tuple[str, ...] = (
    "overall",
    "timeliness",
    "procedure_accuracy",
    "staff_attitude",
    "result_lawfulness",
    "complaint_handling",
    "online_service",
)
#: The counters of ``RatingSummary``: per item, how many answered each of the three levels.
RATING_COUNTERS: tuple[str, ...] = (
    *(f"{item}_{level}" for item in RATING_ITEMS for level in (1, 2, 3)),
    "detailed",
    "extra_costs_asked",
    "agencies_contacted",
    "contacts_needed",
)


def _count(label: StrOrPromise) -> models.IntegerField[int, int]:
    return models.IntegerField(label, default=0)


class SummaryKey(models.Model):
    """Which agency (``scope_id``), whose dossiers (``part``), which period (``grain`` from ``period_start``)."""

    scope_id = models.BigIntegerField(_("agency"))
    part = models.CharField(_("whose dossiers"), max_length=5, choices=Part.choices)
    grain = models.CharField(_("period length"), max_length=5, choices=Grain.choices)
    period_start = models.DateField(_("period start"))

    class Meta:
        abstract = True


class FlowSummary(SummaryKey):
    # The key is the primary key: no surrogate id, no sequence, one index for lookups and upserts.
    pk = models.CompositePrimaryKey("scope_id", "grain", "period_start", "sector_id", "procedure_id", "part")
    sector_id = models.BigIntegerField(_("sector"))
    procedure_id = models.BigIntegerField(_("procedure"))

    received_online = _count(_("received online"))
    received_counter = _count(_("received at the counter"))
    received_post = _count(_("received by post"))
    received_with_fees = _count(_("received with fees to pay"))
    received_full_online_offer = _count(_("received for a procedure offered fully online"))
    received_online_full_offer = _count(_("received online for a procedure offered fully online"))
    resolved_early = _count(_("resolved early"))
    resolved_on_time = _count(_("resolved on time"))
    resolved_late = _count(_("resolved late"))
    resolved_late_766 = _count(_("resolved late by the Decision 766 rule"))
    refused = _count(_("refused after reception"))
    stopped = _count(_("stopped at the applicant's request"))
    closed = _count(_("closed without the supplement"))
    withdrawn = _count(_("ended before reception"))
    refused_at_reception = _count(_("refused at reception"))
    returned = _count(_("results returned"))
    returned_online = _count(_("results returned online"))
    paid_online = _count(_("paid online"))
    overdue_delta = _count(_("change in overdue dossiers"))

    class Meta:
        verbose_name = _("flow summary")
        verbose_name_plural = _("flow summaries")

    def __str__(self) -> str:
        return f"{self.scope_id} {self.part} {self.grain} {self.period_start} {self.procedure_id}"


class RatingSummary(SummaryKey):
    pk = models.CompositePrimaryKey("scope_id", "grain", "period_start", "part")
    overall_1 = _count(_("overall: not satisfied"))
    overall_2 = _count(_("overall: satisfied"))
    overall_3 = _count(_("overall: very satisfied"))
    timeliness_1 = _count(_("time to the result: not satisfied"))
    timeliness_2 = _count(_("time to the result: satisfied"))
    timeliness_3 = _count(_("time to the result: very satisfied"))
    procedure_accuracy_1 = _count(_("accuracy of the procedure: not satisfied"))
    procedure_accuracy_2 = _count(_("accuracy of the procedure: satisfied"))
    procedure_accuracy_3 = _count(_("accuracy of the procedure: very satisfied"))
    staff_attitude_1 = _count(_("staff attitude: not satisfied"))
    staff_attitude_2 = _count(_("staff attitude: satisfied"))
    staff_attitude_3 = _count(_("staff attitude: very satisfied"))
    result_lawfulness_1 = _count(_("lawfulness of the result: not satisfied"))
    result_lawfulness_2 = _count(_("lawfulness of the result: satisfied"))
    result_lawfulness_3 = _count(_("lawfulness of the result: very satisfied"))
    complaint_handling_1 = _count(_("complaint handling: not satisfied"))
    complaint_handling_2 = _count(_("complaint handling: satisfied"))
    complaint_handling_3 = _count(_("complaint handling: very satisfied"))
    online_service_1 = _count(_("online service: not satisfied"))
    online_service_2 = _count(_("online service: satisfied"))
    online_service_3 = _count(_("online service: very satisfied"))
    detailed = _count(_("ratings with every item"))
    extra_costs_asked = _count(_("extra costs asked"))
    agencies_contacted = _count(_("agencies contacted (total)"))
    contacts_needed = _count(_("contacts needed (total)"))

    class Meta:
        verbose_name = _("rating summary")
        verbose_name_plural = _("rating summaries")

    def __str__(self) -> str:
        return f"{self.scope_id} {self.part} {self.grain} {self.period_start}"


class TrackedDossier(models.Model):
    """What the summariser remembers of a dossier between its events (never shown to anyone)."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    agency_id = models.BigIntegerField(_("competent agency"))
    sector_id = models.BigIntegerField(_("sector"))
    procedure_id = models.BigIntegerField(_("procedure"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    overdue_from = models.DateField(
        _("counted overdue from"), null=True, blank=True, help_text=_("The day its current overdue count starts.")
    )
    processing_supplements = models.PositiveSmallIntegerField(_("supplements asked during processing"), default=0)
    full_online_offer = models.BooleanField(_("offered fully online at reception"), default=False)
    paid_online = models.BooleanField(_("paid online"), default=False)

    class Meta:
        verbose_name = _("tracked dossier")
        verbose_name_plural = _("tracked dossiers")

    def __str__(self) -> str:
        return str(self.dossier_id)


class SummaryCursor(models.Model):
    """The last event (or rating) id the summaries count, per stream."""

    stream = models.CharField(_("stream"), max_length=20, primary_key=True)
    last_id = models.BigIntegerField(_("last id applied"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("summary cursor")
        verbose_name_plural = _("summary cursors")

    def __str__(self) -> str:
        return f"{self.stream}: {self.last_id}"


class PendingEvent(models.Model):
    """An id below the cursor not seen yet: its transaction may still commit (PostgreSQL hands out ids
    before commit), so it is looked for again until it appears or ``noticed_at`` is long past."""

    stream = models.CharField(_("stream"), max_length=20)
    item_id = models.BigIntegerField(_("id"))
    noticed_at = models.DateTimeField(_("noticed at"))

    class Meta:
        verbose_name = _("pending event")
        verbose_name_plural = _("pending events")
        constraints = [models.UniqueConstraint(fields=["stream", "item_id"], name="pendingevent_unique")]

    def __str__(self) -> str:
        return f"{self.stream} {self.item_id}"
