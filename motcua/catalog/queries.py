"""Reads over the catalogue: the public search and detail pages, and what the lifecycle needs.

Search folds the query the way ``search_text`` was folded (``core.vietnamese.fold``), so "dang ky
khai sinh" and "Đăng ký khai sinh" find the same procedures on SQLite and PostgreSQL alike;
every word must appear (in the code, the name or the sector). Results sort by the Vietnamese
alphabet through the stored collation key.

A dossier's time limit is its variant's own, else the one the catalogue publishes for its
channel (Decree 63/2010/NĐ-CP Art. 8.2: each channel has its own limit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery

from motcua.agencies.models import Agency
from motcua.catalog.models import (
    AgencyProcedure,
    ChannelOption,
    InternalProcess,
    OnlineLevel,
    ProcedureVersion,
    Sector,
    Variant,
)
from motcua.catalog.processes import budget_hours
from motcua.catalog.time_limits import NO_LIMIT, TimeLimit

PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class CatalogueFilters:
    """What a visitor asked the public catalogue for; empty values mean "any"."""

    text: str = ""
    sector_id: int | None = None
    level: str = ""
    agency_id: int | None = None
    online_level: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


def filter_catalogue(filters: CatalogueFilters) -> QuerySet[ProcedureVersion]:
    """Current procedure versions matching ``filters`` (unordered, lazy)."""
    queryset = ProcedureVersion.objects.current()
    if filters.text:
        queryset = queryset.search(filters.text)
    if filters.sector_id:
        queryset = queryset.filter(sector_id=filters.sector_id)
    if filters.level:
        queryset = queryset.at_level(filters.level)
    configurations = AgencyProcedure.objects.active()
    if filters.agency_id:
        configurations = configurations.filter(agency_id=filters.agency_id)
    if filters.online_level:
        configurations = configurations.filter(online_level=filters.online_level)
    if filters.agency_id or filters.online_level:
        queryset = queryset.filter(procedure__in=configurations.values("procedure_id"))
    return queryset


def search_catalogue(filters: CatalogueFilters) -> tuple[list[ProcedureVersion], bool]:
    """One page of matching procedures in Vietnamese alphabetical order, and whether another page follows.

    One query whatever the page size: it reads one row more than asked to know whether there is a
    next page, instead of counting.
    """
    start = (filters.page - 1) * filters.page_size
    rows = list(
        filter_catalogue(filters)
        .select_related("sector", "procedure")
        .order_by("sort_name", "procedure_id")[start : start + filters.page_size + 1]
    )
    return rows[: filters.page_size], len(rows) > filters.page_size


def count_catalogue(filters: CatalogueFilters) -> int:
    """How many procedures match (for the heading: the catalogue is a few thousand rows, not millions)."""
    return filter_catalogue(filters).count()


def list_sectors() -> list[Sector]:
    """Sectors that have procedures in force, in Vietnamese alphabetical order, with their counts."""
    return list(
        Sector.objects.annotate(
            procedure_count=Count("versions", filter=Q(versions__valid_to__isnull=True), distinct=True)
        )
        .filter(procedure_count__gt=0)
        .order_by("sort_name")
    )


def list_offering_agencies() -> list[Agency]:
    """Agencies that offer at least one procedure (the agency filter of the public catalogue)."""
    ids = AgencyProcedure.objects.active().values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("sort_name"))


def get_procedure_page(code: str) -> ProcedureVersion | None:
    """The current version of procedure ``code`` with everything its public page shows (five queries)."""
    return (
        ProcedureVersion.objects.current()
        .filter(procedure__code=code)
        .select_related("sector", "procedure")
        .prefetch_related(
            "channels",
            "components",
            "results",
            "variants",
            Prefetch(
                "procedure__configurations",
                queryset=AgencyProcedure.objects.active().select_related("agency").order_by("agency__name"),
                to_attr="offered_by",
            ),
        )
        .first()
    )


def get_time_limit(variant: Variant, channel: str, channels: list[ChannelOption] | None = None) -> TimeLimit:
    """The time limit of a dossier of ``variant`` submitted by ``channel``.

    The variant's own limit if it has one; else the first row the catalogue publishes for the
    channel; else the first row of any channel; else no limit. Pass ``channels`` when already read.
    """
    own = variant.own_time_limit
    if own is not None:
        return own
    rows = channels if channels is not None else list(variant.version.channels.all())
    for row in rows:
        if row.channel == channel:
            return row.time_limit
    return rows[0].time_limit if rows else NO_LIMIT


def get_process(agency_procedure: AgencyProcedure, variant_code: str) -> InternalProcess | None:
    """The internal process for the variant, else the agency's general one, with steps and units (one query)."""
    candidates = {
        process.variant_code: process
        for process in InternalProcess.objects.filter(
            agency_procedure=agency_procedure, variant_code__in=[variant_code, ""]
        ).prefetch_related("steps__unit")
    }
    return candidates.get(variant_code) or candidates.get("")


@dataclass(frozen=True, slots=True)
class ProcessStepRow:
    """One step of an internal process, as a dossier copies it at reception."""

    stage: int
    name: str
    unit_id: int
    role: str
    budget_hours: int


def get_process_steps(agency_procedure_id: int, variant_id: int) -> list[ProcessStepRow]:
    """The steps of the agency's process for the variant, in order, in one query (what a dossier copies).

    The variant's own process if the agency has one, else its general one (as ``get_process``);
    empty when there is neither, or when the process chosen has no steps.
    """
    variant_code = Variant.objects.filter(pk=variant_id).values("code")[:1]
    rows = (
        InternalProcess.objects.filter(agency_procedure_id=agency_procedure_id)
        .filter(Q(variant_code="") | Q(variant_code=Subquery(variant_code)))
        .order_by("variant_code", "steps__stage", "steps__pk")
        .values_list(
            "variant_code", "steps__stage", "steps__name", "steps__unit_id", "steps__role",
            "steps__budget_amount", "steps__budget_unit",
        )
    )  # fmt: skip
    by_process: dict[str, list[ProcessStepRow]] = {}
    for code, stage, name, unit_id, role, amount, unit in rows:
        steps = by_process.setdefault(code, [])
        if stage is not None:  # a process without steps comes as one row of nulls
            steps.append(ProcessStepRow(stage, name, unit_id, role, budget_hours(amount, unit)))
    specific = [steps for code, steps in by_process.items() if code]
    return specific[0] if specific else by_process.get("", [])


def online_levels() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in OnlineLevel.choices]
