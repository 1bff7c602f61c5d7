"""The leader's dashboard for a jurisdiction and the public dashboard (DOMAIN.md §8).

The leader sees, for their agency and its units: what was received and resolved in the period
and the on-time rate, the dossiers past their legal due moment right now (the live dossiers,
their clock standing excepted, and imported ones still open), the last twelve months' receptions
and resolutions, the procedures most often late, and the units below ranked by on-time rate.
The public sees, per agency under a top agency: the on-time rate, the share of satisfied ratings
and the Decision 766/QĐ-TTg score, all from the summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.reports.indices import IndexResult, get_indices
from motcua.reports.models import ImportedDossier, ImportedStatus
from motcua.reports.periods import Period, add_months, month_end
from motcua.reports.queries import ReportScope, list_units
from motcua.reports.satisfaction import satisfied_rates
from motcua.reports.standard_report import Figures, ProcedureLine, StandardReport, figures_from, get_standard_report
from motcua.reports.summary_queries import Scope, flow_sums

TREND_MONTHS = 12
TOP_LATE = 10


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: dt.date
    received: int
    resolved: int
    resolved_late: int


@dataclass(frozen=True, slots=True)
class UnitFigures:
    agency: Agency
    figures: Figures


@dataclass(frozen=True, slots=True)
class LeaderDashboard:
    scope: ReportScope
    report: StandardReport
    overdue_now: int
    trend: tuple[MonthFigures, ...]
    most_late: tuple[ProcedureLine, ...]
    units: tuple[UnitFigures, ...]


def get_leader_dashboard(scope: ReportScope, period: Period, *, now: dt.datetime) -> LeaderDashboard:
    report = get_standard_report(scope.agency, period, with_units=scope.with_units)
    lines = [line for block in report.sectors for line in block.procedures if line.figures.resolved_late]
    most_late = sorted(lines, key=lambda line: (-line.figures.resolved_late, line.code))[:TOP_LATE]
    units = rank_units(list_units(scope.agency), period) if scope.with_units else ()
    return LeaderDashboard(
        scope=scope,
        report=report,
        overdue_now=count_overdue_now(scope, now=now),
        trend=monthly_trend(scope, period.end),
        most_late=tuple(most_late),
        units=units,
    )


def count_overdue_now(scope: ReportScope, *, now: dt.datetime) -> int:
    """Dossiers open right now past their legal due moment (two queries)."""
    agencies = (
        Agency.objects.subtree_of([scope.agency]) if scope.with_units else Agency.objects.filter(pk=scope.agency.pk)
    )
    ids = agencies.values("pk")
    live = Dossier.objects.overdue(at=now).filter(competent_agency__in=ids).count()
    imported = ImportedDossier.objects.filter(agency__in=ids, status=ImportedStatus.IN_PROGRESS, due_at__lt=now).count()
    return live + imported


def monthly_trend(scope: ReportScope, last_day: dt.date, months: int = TREND_MONTHS) -> tuple[MonthFigures, ...]:
    """Receptions, resolutions and late resolutions in each of the ``months`` months up to ``last_day``."""
    first = add_months(last_day.replace(day=1), -(months - 1))
    starts = [add_months(first, index) for index in range(months)]
    days = [first - dt.timedelta(days=1)] + [min(month_end(start), last_day) for start in starts]
    resolutions = ("resolved_early", "resolved_on_time", "resolved_late")
    counters = ("received_online", "received_counter", "received_post", *resolutions)
    rows = flow_sums(Scope((scope.agency.pk,), scope.with_units), days, group_by=(), counters=counters)
    sums = rows[0][1] if rows else [dict.fromkeys((*counters, "received"), 0) for _ in days]
    trend = []
    for index, start in enumerate(starts):
        before, end = sums[index], sums[index + 1]
        resolved = sum(end[name] - before[name] for name in resolutions)
        trend.append(
            MonthFigures(
                start, end["received"] - before["received"], resolved, end["resolved_late"] - before["resolved_late"]
            )
        )
    return tuple(trend)


def rank_units(units: Sequence[Agency], period: Period) -> tuple[UnitFigures, ...]:
    """The units with dossiers in or across the period, best on-time rate first (one query)."""
    figures: dict[int, Figures] = {}
    if units:
        rows = flow_sums(Scope(tuple(u.pk for u in units)), [period.before, period.end], group_by=("scope_id",))
        for (scope_id,), (before, end) in rows:
            figures[int(str(scope_id))] = figures_from(before, end)
    ranked = [UnitFigures(unit, figures[unit.pk]) for unit in units if figures.get(unit.pk)]
    return tuple(
        sorted(
            ranked,
            key=lambda item: (
                item.figures.on_time_rate is None,
                -(item.figures.on_time_rate or Decimal(0)),
                -item.figures.resolved,
                item.agency.name,
            ),
        )
    )


@dataclass(frozen=True, slots=True)
class PublicRow:
    agency: Agency
    figures: Figures
    satisfied_rate: Decimal | None
    index: IndexResult


@dataclass(frozen=True, slots=True)
class PublicDashboard:
    root: Agency
    period: Period
    total: PublicRow
    rows: tuple[PublicRow, ...]


def get_public_dashboard(root: Agency, period: Period) -> PublicDashboard:
    """The top agency's figures and those of each unit below it with dossiers (a fixed number of queries)."""
    units = list_units(root)
    agencies = [root, *units]
    figures: dict[int, Figures] = {}
    rows = flow_sums(Scope(tuple(a.pk for a in agencies)), [period.before, period.end], group_by=("scope_id",))
    for (scope_id,), (before, end) in rows:
        figures[int(str(scope_id))] = figures_from(before, end)
    active = [unit for unit in units if figures.get(unit.pk)]
    satisfied = satisfied_rates([root, *active], period)
    indices = get_indices([root, *active], period)

    def row(agency: Agency) -> PublicRow:
        return PublicRow(agency, figures.get(agency.pk, Figures()), satisfied.get(agency.pk), indices[agency.pk])

    ordered = sorted(active, key=lambda unit: (-(indices[unit.pk].score), unit.name))
    return PublicDashboard(root, period, row(root), tuple(row(unit) for unit in ordered))
