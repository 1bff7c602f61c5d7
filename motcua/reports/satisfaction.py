"""The applicants' ratings of an agency for a period, item by item (Decree 118/2025/NĐ-CP Art. 33).

For each graded item of the rating form (time to the result against the legal limit, accuracy
of the published procedure, staff attitude, lawfulness of the result and its costs, handling of
complaints, the online service) and for the rating as a whole: how many answered not satisfied,
satisfied, very satisfied, and the share satisfied or very satisfied. A rating as a whole is not
satisfied if any item is or extra costs were asked (the 766 index's rule), very satisfied if every
item answered is. Imported past dossiers carry only the whole rating. Also: how many ratings
report extra costs, and on average how many agencies and contacts a dossier took.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.reports.models import RATING_COUNTERS
from motcua.reports.models.summaries import RATING_ITEMS
from motcua.reports.periods import Period
from motcua.reports.standard_report import rate
from motcua.reports.summary_queries import Scope, rating_sums

ITEM_LABELS: dict[str, Promise] = {
    "overall": _("The service as a whole"),
    "timeliness": _("Time to the result against the legal limit"),
    "procedure_accuracy": _("The published procedure matched what was asked"),
    "staff_attitude": _("Attitude of the staff"),
    "result_lawfulness": _("The result and its costs were lawful"),
    "complaint_handling": _("Handling of complaints"),
    "online_service": _("Quality of the online service"),
}


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: str
    label: str
    not_satisfied: int
    satisfied: int
    very_satisfied: int

    @property
    def answered(self) -> int:
        return self.not_satisfied + self.satisfied + self.very_satisfied

    @property
    def satisfied_rate(self) -> Decimal | None:
        return rate(self.satisfied + self.very_satisfied, self.answered)


@dataclass(frozen=True, slots=True)
class SatisfactionReport:
    agency: Agency
    with_units: bool
    period: Period
    items: tuple[ItemResult, ...]
    detailed: int
    extra_costs_asked: int
    agencies_contacted: int
    contacts_needed: int

    @property
    def overall(self) -> ItemResult:
        return self.items[0]

    @property
    def average_agencies(self) -> Decimal | None:
        return _average(self.agencies_contacted, self.detailed)

    @property
    def average_contacts(self) -> Decimal | None:
        return _average(self.contacts_needed, self.detailed)


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def get_satisfaction(agency: Agency, period: Period, *, with_units: bool = True) -> SatisfactionReport:
    """The ratings given in ``period`` for ``agency``'s dossiers (and its units'); one query."""
    rows = rating_sums(Scope((agency.pk,), with_units), [period.before, period.end])
    during = dict.fromkeys(RATING_COUNTERS, 0)
    for _key, (before, end) in rows:
        for name in RATING_COUNTERS:
            during[name] += end[name] - before[name]
    items = tuple(
        ItemResult(item, str(ITEM_LABELS[item]), during[f"{item}_1"], during[f"{item}_2"], during[f"{item}_3"])
        for item in RATING_ITEMS
    )
    return SatisfactionReport(
        agency=agency,
        with_units=with_units,
        period=period,
        items=items,
        detailed=during["detailed"],
        extra_costs_asked=during["extra_costs_asked"],
        agencies_contacted=during["agencies_contacted"],
        contacts_needed=during["contacts_needed"],
    )


def satisfied_rates(agencies: list[Agency], period: Period) -> dict[int, Decimal | None]:
    """Each agency's share of ratings satisfied or very satisfied, its units included (one query)."""
    counters = ("overall_1", "overall_2", "overall_3")
    rows = rating_sums(
        Scope(tuple(a.pk for a in agencies)), [period.before, period.end], group_by=("scope_id",), counters=counters
    )
    result: dict[int, Decimal | None] = dict.fromkeys((agency.pk for agency in agencies), None)
    for (scope_id,), (before, end) in rows:
        levels = [end[name] - before[name] for name in counters]
        result[int(str(scope_id))] = rate(levels[1] + levels[2], sum(levels))
    return result
