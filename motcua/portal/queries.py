"""Reads for the public pages: coverage, workplaces, and the citizen's applications and dossiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from motcua.accounts.models import User
from motcua.accounts.permissions import roles_of
from motcua.agencies.models import ONE_STOP_KINDS, Agency, AgencyKind
from motcua.agencies.queries import get_province_of, list_one_stop_units
from motcua.catalog.models import AgencyProcedure, ProcedureVersion, Variant
from motcua.dossiers.models import Attachment, AttachmentPurpose, DeliveryMethod, Dossier, DossierState


@dataclass(frozen=True)
class Coverage:
    provinces: int
    communes: int
    service_centres: int


@dataclass(frozen=True)
class Workplace:
    agency_name: str
    role_labels: list[str]


def get_coverage() -> Coverage:
    """Counts of the localities and one-stop centres loaded, in one query."""
    counts = dict(
        Agency.objects.filter(
            kind__in=[AgencyKind.PROVINCE, AgencyKind.COMMUNE, AgencyKind.SERVICE_CENTRE], effective_to__isnull=True
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return Coverage(
        provinces=counts.get(AgencyKind.PROVINCE, 0),
        communes=counts.get(AgencyKind.COMMUNE, 0),
        service_centres=counts.get(AgencyKind.SERVICE_CENTRE, 0),
    )


def list_workplaces(user: User) -> list[Workplace]:
    """The agencies where ``user`` holds active roles, with the roles' names."""
    by_agency: dict[int, tuple[str, list[str]]] = {}
    for role in roles_of(user):
        agency = role.membership.agency
        by_agency.setdefault(agency.pk, (agency.name, []))[1].append(str(role.get_role_display()))
    return [Workplace(agency_name=name, role_labels=labels) for name, labels in by_agency.values()]


def get_online_offer(code: str, agency_procedure_id: int) -> AgencyProcedure | None:
    """The agency's offer of procedure ``code`` if it takes dossiers online now (one query)."""
    return (
        AgencyProcedure.objects.active()
        .online()
        .select_related("agency", "procedure")
        .filter(pk=agency_procedure_id, procedure__code=code)
        .first()
    )


def list_receiving_units(offer: AgencyProcedure, *, on: dt.date) -> list[Agency]:
    """Where a dossier for ``offer`` may be lodged: any one-stop unit of its province (Decree 118/2025 Art. 14.2)."""
    province = get_province_of(offer.agency)
    if province is None:
        return list(Agency.objects.below(offer.agency).filter(kind__in=ONE_STOP_KINDS).order_by("depth", "sort_name"))
    return list(list_one_stop_units(province, on=on))


def default_receiving_unit(offer: AgencyProcedure, units: list[Agency]) -> Agency | None:
    """The offering agency's own service centre, else its nearest one-stop unit, else the first."""
    own = [unit for unit in units if unit.is_within(offer.agency)]
    centres = [unit for unit in own if unit.kind == AgencyKind.SERVICE_CENTRE]
    candidates = centres or own or units
    return candidates[0] if candidates else None


def list_variants(version: ProcedureVersion) -> list[Variant]:
    return list(version.variants.order_by("-is_default", "position", "pk"))


def list_results(dossier: Dossier) -> list[Attachment]:
    """The result files the applicant may download: only once returned online (Decree 118/2025 Art. 22)."""
    if dossier.state != DossierState.RETURNED or dossier.delivery_method != DeliveryMethod.ONLINE:
        return []
    return list(
        Attachment.objects.filter(dossier=dossier, purpose=AttachmentPurpose.RESULT, is_withdrawn=False).order_by("pk")
    )


MY_DOSSIERS_PAGE_SIZE = 20


def list_my_dossiers(
    user: User, *, page: int = 1, page_size: int = MY_DOSSIERS_PAGE_SIZE
) -> tuple[list[Dossier], bool]:
    """The citizen's own dossiers, newest first, one page, and whether another follows (one query)."""
    start = (page - 1) * page_size
    rows = list(
        Dossier.objects.filter(applicant=user)
        .select_related("procedure_version", "procedure_version__procedure", "receiving_unit")
        .order_by("-created_at", "-pk")[start : start + page_size + 1]
    )
    return rows[:page_size], len(rows) > page_size


def get_current_version(offer: AgencyProcedure) -> ProcedureVersion | None:
    return ProcedureVersion.objects.filter(procedure_id=offer.procedure_id, valid_to__isnull=True).first()


def list_variants_of(offer: AgencyProcedure) -> list[Variant]:
    """The cases of the procedure in force, the general case first."""
    return list(
        Variant.objects.filter(version__procedure_id=offer.procedure_id, version__valid_to__isnull=True)
        .select_related("version")
        .order_by("-is_default", "position", "pk")
    )
