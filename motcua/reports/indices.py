"""The Decision 766/QĐ-TTg real-time service index of an agency for a period (DOMAIN.md §8).

100 points in six groups; each indicator scores maximum × min(1, rate ÷ threshold), the maxima and
thresholds being data (``models.IndexRule``, valid on the period's last day). What MotCua records
is scored, each with its numerator, denominator and rule:

- progress: 20 × (resolved early or on time, without a second supplement request, + in progress
  within the deadline at the end) ÷ (resolved + in progress at the end); the supplement-waiting
  time is already out of the verdict (the limit restarts, Decree 118/2025/NĐ-CP Art. 19.5);
- online services: received online ÷ received, for procedures offered fully online (full marks
  from 50 %);
- digitisation, electronic results: results returned online ÷ results returned;
- satisfaction with dossiers: (resolved − rated unsatisfied − resolved late) ÷ resolved (full marks
  from 90 %); no complaints are recorded yet;
- online payment: procedures with fees offered for online payment ÷ procedures with fees (the
  catalogue today), procedures with an online payment in the period ÷ procedures offered for it,
  dossiers paid online ÷ dossiers received with fees.

Indicators whose data MotCua does not hold (publication dates, national synchronisation,
digitised components, certified copies, data reuse, the citizen's data store, the population
database, feedback and complaints) are shown as "no data" with their maximum, never estimated.
The total is out of 100; the band (excellent from 90, weak below 50: ``models.IndexBand``) is read
on the score scaled to the points that have data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import AgencyProcedure, ChannelOption
from motcua.reports.models import Band, IndexBand, IndexGroup, IndexRule
from motcua.reports.periods import Period
from motcua.reports.summary_queries import Scope, flow_sums, rating_sums

TWO_PLACES = Decimal("0.01")


class Measures:
    """Sums over a period for one agency: flows, ratings and the catalogue's offer."""

    def __init__(self) -> None:
        self.during: dict[str, int] = defaultdict(int)  # flows in the period
        self.end: dict[str, int] = defaultdict(int)  # flows up to its last day (for stocks)
        self.procedures_paid_online: set[int] = set()
        self.unsatisfied = 0
        self.procedures_with_fees: set[tuple[int, int]] = set()
        self.procedures_paying_online: set[tuple[int, int]] = set()

    @property
    def in_progress(self) -> int:
        ended = ("resolved_early", "resolved_on_time", "resolved_late", "refused", "stopped", "closed")
        return self.end["received"] - sum(self.end[name] for name in ended)

    @property
    def resolved(self) -> int:
        return self.during["resolved_early"] + self.during["resolved_on_time"] + self.during["resolved_late"]


Fraction = tuple[int, int]


def _progress(m: Measures) -> Fraction:
    within = m.in_progress - m.end["overdue_delta"]
    return m.resolved - m.during["resolved_late_766"] + within, m.resolved + m.in_progress


def _online(m: Measures) -> Fraction:
    return m.during["received_online_full_offer"], m.during["received_full_online_offer"]


def _electronic_results(m: Measures) -> Fraction:
    return m.during["returned_online"], m.during["returned"]


def _satisfied_dossiers(m: Measures) -> Fraction:
    return max(0, m.resolved - m.unsatisfied - m.during["resolved_late"]), m.resolved


def _payment_offered(m: Measures) -> Fraction:
    return len(m.procedures_paying_online), len(m.procedures_with_fees)


def _payment_used(m: Measures) -> Fraction:
    offering = {procedure for _agency, procedure in m.procedures_paying_online}
    return len(m.procedures_paid_online & offering), len(offering)


def _paid_online(m: Measures) -> Fraction:
    return m.during["paid_online"], m.during["received_with_fees"]


@dataclass(frozen=True, slots=True)
class Definition:
    label: Promise
    rule: Promise
    compute: Callable[[Measures], Fraction] | None = None  # None: MotCua holds no data for it


DEFINITIONS: Mapping[str, Definition] = {
    "transparency_published_on_time": Definition(
        _("Procedures published on time"), _("Needs the dates procedures were published: not recorded.")
    ),
    "transparency_public_database": Definition(
        _("Procedures public on the national database on time"), _("Needs the national database: not connected.")
    ),
    "transparency_complete_components": Definition(
        _("Procedures published with all their components"), _("Needs the publication records: not recorded.")
    ),
    "transparency_realtime_sync": Definition(
        _("Dossiers synchronised in real time"), _("Needs the national portal's synchronisation: not connected.")
    ),
    "progress_on_time": Definition(
        _("Dossiers ended early or on time"),
        _(
            "(Resolved early or on time without a second supplement request + in progress within the deadline at "
            "the end) ÷ (resolved + in progress at the end)."
        ),
        _progress,
    ),
    "online_full_share": Definition(
        _("Full-online dossiers"),
        _("Received online ÷ received, for procedures offered fully online; full marks from the threshold."),
        _online,
    ),
    "digitisation_electronic_results": Definition(
        _("Dossiers with an electronic result"), _("Results returned online ÷ results returned."), _electronic_results
    ),
    "digitisation_digitised_components": Definition(
        _("Dossiers with digitised components"), _("Needs the scanning records of the desk: not recorded yet.")
    ),
    "digitisation_certified_copies": Definition(
        _("Communes offering electronically certified copies"), _("Needs the certification service: not connected.")
    ),
    "digitisation_data_reuse": Definition(
        _("Reuse of digitised data"), _("Needs the records of data reused: not recorded yet.")
    ),
    "digitisation_citizen_data_store": Definition(
        _("Results linked to the citizen's data store"), _("Needs the citizen's data store: not connected.")
    ),
    "digitisation_population_data": Definition(
        _("Dossiers using population-database data"), _("Needs the population database: not connected.")
    ),
    "digitisation_population_connected": Definition(
        _("Procedures connected to the population database"), _("Needs the population database: not connected.")
    ),
    "satisfaction_feedback_on_time": Definition(
        _("Feedback handled on time"), _("Needs the feedback and complaints records: not recorded yet.")
    ),
    "satisfaction_feedback_handling": Definition(
        _("Satisfaction with the handling of feedback"),
        _("Needs the feedback and complaints records: not recorded yet."),
    ),
    "satisfaction_dossiers": Definition(
        _("Dossiers without dissatisfaction or delay"),
        _("(Resolved − rated not satisfied − resolved late) ÷ resolved; full marks from the threshold."),
        _satisfied_dossiers,
    ),
    "payment_procedures_offering": Definition(
        _("Procedures with fees offered for online payment"),
        _("Procedures with fees that can be paid online ÷ procedures with fees (the catalogue today)."),
        _payment_offered,
    ),
    "payment_procedures_used": Definition(
        _("Procedures with an online payment"),
        _("Procedures with at least one online payment in the period ÷ procedures offered for online payment."),
        _payment_used,
    ),
    "payment_dossiers_paid_online": Definition(
        _("Dossiers paid online"),
        _("Dossiers paid by the applicant online ÷ dossiers received with fees to pay."),
        _paid_online,
    ),
}


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    code: str
    group: str
    label: str
    rule: str
    maximum: Decimal
    threshold: Decimal
    numerator: int | None = None
    denominator: int | None = None
    score: Decimal | None = None

    @property
    def has_data(self) -> bool:
        """Whether MotCua holds the data for this indicator."""
        return self.numerator is not None

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator or self.numerator is None:
            return None
        return (Decimal(self.numerator) * 100 / self.denominator).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class GroupScore:
    group: str
    label: str
    indicators: tuple[IndicatorScore, ...]

    @property
    def maximum(self) -> Decimal:
        return sum((item.maximum for item in self.indicators), Decimal(0))

    @property
    def score(self) -> Decimal:
        return sum((item.score or Decimal(0) for item in self.indicators), Decimal(0))

    @property
    def scored_maximum(self) -> Decimal:
        return sum((item.maximum for item in self.indicators if item.score is not None), Decimal(0))


@dataclass(frozen=True, slots=True)
class IndexResult:
    agency_id: int
    period: Period
    groups: tuple[GroupScore, ...]
    band: str

    @property
    def score(self) -> Decimal:
        return sum((group.score for group in self.groups), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        return sum((group.maximum for group in self.groups), Decimal(0))

    @property
    def scored_maximum(self) -> Decimal:
        return sum((group.scored_maximum for group in self.groups), Decimal(0))

    @property
    def scaled(self) -> Decimal | None:
        """The score on 100 over the indicators that could be scored."""
        if not self.scored_maximum:
            return None
        return (self.score * 100 / self.scored_maximum).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    @property
    def band_label(self) -> str:
        return str(Band(self.band).label) if self.band in Band.values else ""


def score_of(rule: IndexRule, fraction: Fraction) -> Decimal | None:
    numerator, denominator = fraction
    if not denominator:
        return None
    rate = Decimal(numerator) / Decimal(denominator)
    return (rule.maximum * min(Decimal(1), rate / rule.threshold)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rules_on(day: dt.date) -> list[IndexRule]:
    """The indicators' parameters valid on ``day``: for each indicator the latest row (one query)."""
    chosen: dict[str, IndexRule] = {}
    for rule in IndexRule.objects.valid_on(day).order_by("code", "-valid_from"):
        chosen.setdefault(rule.code, rule)
    return sorted(chosen.values(), key=lambda rule: (rule.position, rule.code))


def get_indices(agencies: Sequence[Agency], period: Period, *, with_units: bool = True) -> dict[int, IndexResult]:
    """The index of each of ``agencies`` for ``period`` (a fixed number of queries for any number of them)."""
    if not agencies:
        return {}
    measures = _measures(agencies, period, with_units)
    rules = rules_on(period.end)
    bands = list(IndexBand.objects.valid_on(period.end).order_by("-lower_bound"))
    results = {}
    for agency in agencies:
        m = measures[agency.pk]
        groups = []
        for group in IndexGroup:
            items = tuple(_indicator(rule, m) for rule in rules if rule.group == group)
            if items:
                groups.append(GroupScore(group.value, str(group.label), items))
        result = IndexResult(agency.pk, period, tuple(groups), "")
        scaled = result.scaled
        band = next((b.band for b in bands if scaled is not None and scaled >= b.lower_bound), "")
        results[agency.pk] = IndexResult(agency.pk, period, tuple(groups), band)
    return results


def _indicator(rule: IndexRule, measures: Measures) -> IndicatorScore:
    definition = DEFINITIONS.get(rule.code)
    label = str(definition.label) if definition else rule.name
    if definition is None or definition.compute is None:
        rule_text = str(definition.rule) if definition else ""
        return IndicatorScore(rule.code, rule.group, label, rule_text, rule.maximum, rule.threshold)
    fraction = definition.compute(measures)
    return IndicatorScore(
        rule.code,
        rule.group,
        label,
        str(definition.rule),
        rule.maximum,
        rule.threshold,
        *fraction,
        score_of(rule, fraction),
    )


def _measures(agencies: Sequence[Agency], period: Period, with_units: bool) -> dict[int, Measures]:
    scope = Scope(tuple(agency.pk for agency in agencies), with_units)
    measures: dict[int, Measures] = defaultdict(Measures)
    rows = flow_sums(scope, [period.before, period.end], group_by=("scope_id", "procedure_id"))
    for (scope_id, procedure_id), (before, end) in rows:
        m = measures[int(str(scope_id))]
        for name, value in end.items():
            m.during[name] += value - before[name]
            m.end[name] += value
        if end["paid_online"] - before["paid_online"] > 0:
            m.procedures_paid_online.add(int(str(procedure_id)))
    for (scope_id,), (before, end) in rating_sums(
        scope, [period.before, period.end], group_by=("scope_id",), counters=("overall_1",)
    ):
        measures[int(str(scope_id))].unsatisfied += end["overall_1"] - before["overall_1"]
    _offers(agencies, measures, with_units)
    return measures


def _offers(agencies: Sequence[Agency], measures: dict[int, Measures], with_units: bool) -> None:
    """The catalogue's offer today: procedures with fees, and those payable online, per agency (one query)."""
    with_fees = (
        ChannelOption.objects.filter(version__valid_to__isnull=True).exclude(fees=[]).values("version__procedure_id")
    )
    condition = Q(pk__in=[agency.pk for agency in agencies])
    if with_units:
        condition = Q(pk__in=Agency.objects.subtree_of(agencies).values("pk"))
    offers = AgencyProcedure.objects.filter(
        is_active=True, procedure_id__in=with_fees, agency__in=Agency.objects.filter(condition)
    )
    for agency_id, path, procedure_id, online in offers.values_list(
        "agency_id", "agency__path", "procedure_id", "offers_online_payment"
    ):
        owners = {agency_id, *Agency(path=path).ancestor_ids} if with_units else {agency_id}
        for agency in agencies:
            if agency.pk in owners:
                measures[agency.pk].procedures_with_fees.add((agency_id, procedure_id))
                if online:
                    measures[agency.pk].procedures_paying_online.add((agency_id, procedure_id))
