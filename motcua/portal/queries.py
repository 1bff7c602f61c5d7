"""Reads for the public pages: what the installation covers and where a signed-in officer works."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from motcua.accounts.models import User
from motcua.accounts.permissions import roles_of
from motcua.agencies.models import Agency, AgencyKind


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
