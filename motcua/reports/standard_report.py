"""The standard statistics report (DOMAIN.md §8), for any period and any agency subtree.

What every agency reports per period, by sector and by procedure: dossiers carried over from
before the period (received earlier, still open at its start); newly received online, at the
counter and by post (Decree 118/2025/NĐ-CP Art. 17); resolved early, on time and late against
the legal due moment (Art. 19); in progress at the end of the period, within the deadline or
past it; stopped at the applicant's request or closed without the supplement (Arts. 21, 19.5);
refused. On-time rate = (early + on time) ÷ resolved. The figures balance: carried over +
received = resolved + refused + stopped + in progress.

Read from the summaries: the sums of flows up to the day before the period and up to its last
day (``summary_queries.flow_sums``), two weighted sums in one statement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, Sector
from motcua.reports.periods import Period
from motcua.reports.summary_queries import Scope, flow_sums

FIGURE_FIELDS = (
    "carried_over",
    "received_online",
    "received_counter",
    "received_post",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_within",
    "in_progress_overdue",
    "stopped",
    "refused",
)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with two decimals (None when there is nothing to divide)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Figures:
    carried_over: int = 0
    received_online: int = 0
    received_counter: int = 0
    received_post: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    in_progress_within: int = 0
    in_progress_overdue: int = 0
    stopped: int = 0  # stopped at the applicant's request, or closed without the supplement
    refused: int = 0

    @property
    def received(self) -> int:
        return self.received_online + self.received_counter + self.received_post

    @property
    def total(self) -> int:
        """Carried over and received: everything the agency answered for in the period."""
        return self.carried_over + self.received

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_within + self.in_progress_overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.resolved_early + self.resolved_on_time, self.resolved)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, name) + getattr(other, name) for name in FIGURE_FIELDS))

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in FIGURE_FIELDS)

    def as_dict(self) -> dict[str, int | Decimal | None]:
        values: dict[str, int | Decimal | None] = dataclasses.asdict(self)
        values.update(received=self.received, resolved=self.resolved, in_progress=self.in_progress)
        values["on_time_rate"] = self.on_time_rate
        return values


def figures_from(before: Mapping[str, int], end: Mapping[str, int]) -> Figures:
    """The figures from the flows summed up to the day before the period and up to its last day."""

    def during(name: str) -> int:
        return end[name] - before[name]

    def stock(sums: Mapping[str, int]) -> int:
        exits = sum(sums[name] for name in ("resolved_early", "resolved_on_time", "resolved_late", "refused"))
        return sums["received"] - exits - sums["stopped"] - sums["closed"]

    return Figures(
        carried_over=stock(before),
        received_online=during("received_online"),
        received_counter=during("received_counter"),
        received_post=during("received_post"),
        resolved_early=during("resolved_early"),
        resolved_on_time=during("resolved_on_time"),
        resolved_late=during("resolved_late"),
        in_progress_within=stock(end) - end["overdue_delta"],
        in_progress_overdue=end["overdue_delta"],
        stopped=during("stopped") + during("closed"),
        refused=during("refused"),
    )


@dataclass(frozen=True, slots=True)
class ProcedureLine:
    procedure_id: int
    code: str
    name: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class SectorBlock:
    sector_id: int
    name: str
    figures: Figures
    procedures: tuple[ProcedureLine, ...]


@dataclass(frozen=True, slots=True)
class StandardReport:
    agency: Agency
    with_units: bool
    period: Period
    sectors: tuple[SectorBlock, ...]
    total: Figures


def get_standard_report(agency: Agency, period: Period, *, with_units: bool = True) -> StandardReport:
    """The standard report of ``agency`` (and, ``with_units``, every unit below it) for ``period``.

    Three queries: the sums, the sectors' names, the procedures' names.
    """
    scope = Scope((agency.pk,), with_units)
    per_procedure: dict[tuple[int, int], Figures] = {}
    for (sector_id, procedure_id), (before, end) in flow_sums(scope, [period.before, period.end]):
        per_procedure[(int(str(sector_id)), int(str(procedure_id)))] = figures_from(before, end)
    return build_report(agency, with_units, period, per_procedure)


def build_report(
    agency: Agency, with_units: bool, period: Period, per_procedure: Mapping[tuple[int, int], Figures]
) -> StandardReport:
    """Sectors and procedures with their names and totals, zero lines left out, in Vietnamese order."""
    kept = {key: figures for key, figures in per_procedure.items() if figures}
    sectors = {sector.pk: sector for sector in Sector.objects.filter(pk__in={key[0] for key in kept})}
    procedures = procedure_names(procedure_id for _, procedure_id in kept)
    blocks = []
    for sector_id in sorted({key[0] for key in kept}, key=lambda pk: _sector_sort(sectors.get(pk))):
        lines = sorted(
            (
                ProcedureLine(procedure_id, *procedures.get(procedure_id, ("", "")), figures)
                for (sector, procedure_id), figures in kept.items()
                if sector == sector_id
            ),
            key=lambda line: (line.code, line.procedure_id),
        )
        total = sum((line.figures for line in lines), Figures())
        name = sectors[sector_id].name if sector_id in sectors else ""
        blocks.append(SectorBlock(sector_id, name, total, tuple(lines)))
    total = sum((block.figures for block in blocks), Figures())
    return StandardReport(agency, with_units, period, tuple(blocks), total)


def procedure_names(procedure_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Each procedure's code and the name of its latest version (one query)."""
    names: dict[int, tuple[str, str]] = {}
    rows = (
        ProcedureVersion.objects.filter(procedure_id__in=set(procedure_ids))
        .order_by("procedure_id", "-number")
        .values_list("procedure_id", "procedure__code", "name")
    )
    for procedure_id, code, name in rows:
        names.setdefault(procedure_id, (code, name))
    return names


def _sector_sort(sector: Sector | None) -> tuple[str, int]:
    return (sector.sort_name, sector.pk) if sector is not None else ("", 0)
