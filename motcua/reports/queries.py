"""Who may read which statistics, and the dossier lists behind a report's figures (DOMAIN.md §8).

Statistics are read with the READ capability (``accounts.permissions``): the figures of an agency
*with every unit below it* need READ over that whole subtree (an inspector's jurisdiction, a
leader's agency, the system administrator); staff who read only their own agency (the desk, a
specialist, a department head) see their agency's own dossiers. Anonymous visitors see only the
public dashboard. A figure of the standard report opens the list of its dossiers, read from the
dossiers and the imported history with the same rules as ``raw_report``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.permissions import ROLE_GRANTS, Capability, Scope, can, roles_of
from motcua.agencies.models import ONE_STOP_KINDS, Agency
from motcua.dossiers.models import Dossier, DossierState
from motcua.reports.models import FlowSummary, Grain, ImportedDossier, ImportedStatus
from motcua.reports.periods import Period
from motcua.reports.raw_report import midnight
from motcua.reports.standard_report import procedure_names

#: What a figure of the standard report counts, as a drill-down names it.
MEASURES = (
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_post",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
    "stopped",
    "refused",
)
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ReportScope:
    agency: Agency
    with_units: bool


def reading_roots(user: User | AnonymousUser) -> tuple[bool, list[Agency], list[Agency]]:
    """(reads everything, agencies read with their units, agencies read alone) for ``user``."""
    subtree: list[Agency] = []
    exact: list[Agency] = []
    for role in roles_of(user):
        grant = ROLE_GRANTS[StaffRoleName(role.role)]
        if Capability.READ not in grant.capabilities:
            continue
        if grant.scope is Scope.GLOBAL:
            return True, [], []
        if grant.scope is Scope.SUBTREE:
            subtree.append(role.jurisdiction or role.membership.agency)
        else:
            exact.append(role.membership.agency)
    return False, subtree, exact


def may_read_units(user: User | AnonymousUser, agency: Agency) -> bool:
    """Whether ``user`` reads ``agency`` and every unit below it (no query once the roles are read)."""
    everything, subtree, _exact = reading_roots(user)
    return everything or any(agency.is_within(root) for root in subtree)


def access_report_scope(user: User | AnonymousUser, agency: Agency, *, with_units: bool) -> ReportScope | None:
    """The scope ``user`` may read for ``agency``: with its units, its own dossiers only, or None."""
    if with_units and may_read_units(user, agency):
        return ReportScope(agency, True)
    if can(user, Capability.READ, agency):
        return ReportScope(agency, False)
    return None


def list_report_agencies(user: User | AnonymousUser, *, selected: Agency | None = None) -> list[Agency]:
    """The agencies offered in the report forms, in tree order (one query): the roots ``user`` reads,
    the units below them (not the desks), and ``selected`` with the units below it if ``user`` reads it."""
    everything, subtree, exact = reading_roots(user)
    if not (everything or subtree or exact):
        return []
    condition = Q(pk__in=[agency.pk for agency in subtree + exact]) | Q(parent__in=[agency.pk for agency in subtree])
    if everything:
        condition = Q(parent__isnull=True)
    if selected is not None:
        if everything or any(selected.is_within(root) for root in subtree):
            condition |= Q(pk=selected.pk) | Q(parent=selected)
        elif can(user, Capability.READ, selected):
            condition |= Q(pk=selected.pk)
    return list(Agency.objects.filter(condition).exclude(kind__in=ONE_STOP_KINDS).order_by("path", "name", "pk"))


def list_units(agency: Agency) -> list[Agency]:
    """The units directly below ``agency`` that handle dossiers (not the one-stop desks), by name."""
    return list(Agency.objects.filter(parent=agency).exclude(kind__in=ONE_STOP_KINDS).order_by("name", "pk"))


def get_public_roots() -> list[Agency]:
    """The agencies the public dashboard offers: the installation's top agencies, the busiest first (two queries)."""
    roots = list(Agency.objects.filter(parent__isnull=True).order_by("name", "pk"))
    received = dict(
        FlowSummary.objects.filter(scope_id__in=[root.pk for root in roots], grain=Grain.YEAR)
        .values("scope_id")
        .annotate(received=Sum(F("received_online") + F("received_counter") + F("received_post")))
        .values_list("scope_id", "received")
    )
    return sorted(roots, key=lambda root: -(received.get(root.pk) or 0))


# --- The dossiers behind a figure -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DossierLine:
    code: str
    procedure_code: str
    procedure_name: str
    agency_name: str
    channel: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    ended_at: dt.datetime | None
    status: str
    is_imported: bool


@dataclass(frozen=True, slots=True)
class DossierPage:
    lines: tuple[DossierLine, ...]
    total: int
    page: int
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1


def _native_measure(measure: str, start: dt.datetime, end: dt.datetime) -> Q:
    ended_in = Q(exit_at__gte=start, exit_at__lt=end)
    open_at_end = Q(exit_at__isnull=True) | Q(exit_at__gte=end)
    resolved = Q(state__in=(DossierState.RESULT_READY, DossierState.RETURNED))
    stands = Q(exit_at__isnull=True, state__in=(DossierState.PAUSED, DossierState.SUPPLEMENT_REQUESTED))
    overdue = open_at_end & Q(legal_due_at__lt=end) & ~stands
    received = Q(received_at__gte=start, received_at__lt=end)
    alive = Q(received_at__lt=end) & (Q(exit_at__isnull=True) | Q(exit_at__gte=start))
    return {
        "carried_over": Q(received_at__lt=start) & (Q(exit_at__isnull=True) | Q(exit_at__gte=start)),
        "received": received,
        "received_online": received & Q(channel="online"),
        "received_counter": received & Q(channel="counter"),
        "received_post": received & Q(channel="post"),
        "resolved": ended_in & resolved,
        "resolved_early": ended_in & resolved & Q(verdict="early"),
        "resolved_on_time": ended_in & resolved & Q(verdict="on_time"),
        "resolved_late": ended_in & resolved & Q(verdict="late"),
        "in_progress": alive & open_at_end,
        "in_progress_within": alive & open_at_end & ~overdue,
        "in_progress_overdue": alive & overdue,
        "stopped": ended_in & Q(state__in=(DossierState.STOPPED, DossierState.CLOSED)),
        "refused": ended_in & Q(state=DossierState.REFUSED),
    }[measure]


def _imported_measure(measure: str, start: dt.datetime, end: dt.datetime) -> Q:
    ended_in = Q(resolved_at__gte=start, resolved_at__lt=end)
    open_at_end = Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)
    resolved = Q(status__in=(ImportedStatus.RESOLVED, ImportedStatus.RETURNED))
    received = Q(received_at__gte=start, received_at__lt=end)
    alive = Q(received_at__lt=end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))
    overdue = open_at_end & Q(due_at__lt=end)
    return {
        "carried_over": Q(received_at__lt=start) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=start)),
        "received": received,
        "received_online": received & Q(channel="online"),
        "received_counter": received & Q(channel="counter"),
        "received_post": received & Q(channel="post"),
        "resolved": ended_in & resolved,
        "resolved_early": ended_in & resolved & Q(verdict="early"),
        "resolved_on_time": ended_in & resolved & Q(verdict="on_time"),
        "resolved_late": ended_in & resolved & Q(verdict="late"),
        "in_progress": alive & open_at_end,
        "in_progress_within": alive & open_at_end & ~overdue,
        "in_progress_overdue": alive & overdue,
        "stopped": ended_in & Q(status__in=(ImportedStatus.STOPPED, ImportedStatus.CLOSED)),
        "refused": ended_in & Q(status=ImportedStatus.REFUSED),
    }[measure]


def list_report_dossiers(
    scope: ReportScope,
    period: Period,
    measure: str,
    *,
    sector_id: int | None = None,
    procedure_id: int | None = None,
    page: int = 1,
) -> DossierPage:
    """The dossiers counted by one figure of the standard report, oldest reception first (four queries)."""
    if measure not in MEASURES:
        raise ValueError(measure)
    start, end = midnight(period.start), midnight(period.end + dt.timedelta(days=1))
    agencies = (
        Agency.objects.subtree_of([scope.agency]) if scope.with_units else Agency.objects.filter(pk=scope.agency.pk)
    )
    native = Dossier.objects.filter(competent_agency__in=agencies.values("pk"), received_at__isnull=False)
    native = native.alias(exit_at=Coalesce("resolved_at", "ended_at")).filter(_native_measure(measure, start, end))
    imported = ImportedDossier.objects.filter(agency__in=agencies.values("pk")).filter(
        _imported_measure(measure, start, end)
    )
    if sector_id is not None:
        native = native.filter(procedure_version__sector_id=sector_id)
        imported = imported.filter(sector_id=sector_id)
    if procedure_id is not None:
        native = native.filter(procedure_version__procedure_id=procedure_id)
        imported = imported.filter(procedure_id=procedure_id)
    native_total, imported_total = native.count(), imported.count()
    offset = (page - 1) * PAGE_SIZE
    lines: list[DossierLine] = []
    if offset < native_total:
        lines += _native_lines(native.order_by("received_at", "pk")[offset : offset + PAGE_SIZE])
    if len(lines) < PAGE_SIZE and offset + len(lines) < native_total + imported_total:
        skip = max(0, offset - native_total)
        lines += _imported_lines(imported.order_by("received_at", "pk")[skip : skip + PAGE_SIZE - len(lines)])
    return DossierPage(tuple(lines), native_total + imported_total, page, PAGE_SIZE)


def _native_lines(queryset: QuerySet[Dossier]) -> list[DossierLine]:
    rows = queryset.values(
        "code", "procedure_version__procedure__code", "procedure_version__name", "competent_agency__name", "channel",
        "received_at", "legal_due_at", "resolved_at", "ended_at", "state",
    )  # fmt: skip
    return [
        DossierLine(
            code=row["code"] or "",
            procedure_code=row["procedure_version__procedure__code"],
            procedure_name=row["procedure_version__name"],
            agency_name=row["competent_agency__name"],
            channel=row["channel"],
            received_at=row["received_at"],
            due_at=row["legal_due_at"],
            ended_at=row["resolved_at"] or row["ended_at"],
            status=str(DossierState(row["state"]).label),
            is_imported=False,
        )
        for row in rows
    ]


def _imported_lines(queryset: QuerySet[ImportedDossier]) -> list[DossierLine]:
    items = list(queryset.select_related("agency", "procedure"))
    versions = procedure_names(row.procedure_id for row in items)
    return [
        DossierLine(
            code=row.code,
            procedure_code=row.procedure.code,
            procedure_name=versions.get(row.procedure_id, ("", ""))[1],
            agency_name=row.agency.name,
            channel=row.channel,
            received_at=row.received_at,
            due_at=row.due_at,
            ended_at=row.resolved_at,
            status=str(ImportedStatus(row.status).label),
            is_imported=True,
        )
        for row in items
    ]
