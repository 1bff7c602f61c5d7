"""What each staff role may do, and over which agencies: the one table every access check reads.

A role is held inside one agency (``StaffRole`` hangs off a ``StaffMembership``). It grants
a set of capabilities over a scope:

- ``EXACT``: only the agency where the role is held. The one-stop desk receives dossiers and
  returns results for its own unit (Decree 118/2025/NĐ-CP Arts. 17 and 22); in processing,
  the head of a department assigns an official and the official appraises (Art. 19), each
  on the work routed to their own department, not on its sister departments'.
- ``SUBTREE``: that agency and every unit below it. The agency's leader approves for the
  agency and its subordinate units and may assign work across them (Art. 19); an agency
  administrator maintains staff, roles and internal processes for the same units; an
  inspector (in practice the reform office: Sở Nội vụ, the People's Committee office)
  reads over the agency named as the role's ``jurisdiction`` (its own agency when none is
  named) and everything below it, so a provincial inspector covers every commune of the
  province. No text fixes these scopes; they are the one-stop systems' usual practice.
- ``GLOBAL``: every agency of the installation: the system administrator.

| role              | capabilities              | scope                             |
| ----------------- | ------------------------- | --------------------------------- |
| receiving_officer | receive, read             | exact                             |
| specialist        | process, read             | exact                             |
| department_head   | process, assign, read     | exact                             |
| agency_leader     | approve, assign, read     | subtree                           |
| agency_admin      | administer, read          | subtree                           |
| inspector         | read                      | subtree of jurisdiction (or own)  |
| system_admin      | every capability          | global                            |

Nothing is granted upwards: a commune leader has no say in the province above it. Roles
on an inactive membership, and every role of an inactive account or of an account that is
not a staff account, grant nothing. Django's ``is_superuser`` is not consulted: it opens the
Django admin, not the one-stop shop's work.

The roles are read once per user object (one query) and kept on it, which for
``request.user`` means once per request; services that change roles clear it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import StaffRole, StaffRoleName, User, UserKind
from motcua.agencies.models import Agency, AgencyQuerySet

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.contrib.auth.models import AnonymousUser


class Capability(models.TextChoices):
    RECEIVE = "receive", _("Receive dossiers and return results at the one-stop desk")
    PROCESS = "process", _("Work on processing steps")
    ASSIGN = "assign", _("Assign and reassign work")
    APPROVE = "approve", _("Approve or refuse results")
    ADMINISTER = "administer", _("Manage the agency's staff, roles and processes")
    READ = "read", _("See dossiers and reports")


class Scope(enum.Enum):
    EXACT = "exact"
    SUBTREE = "subtree"
    GLOBAL = "global"


@dataclass(frozen=True)
class Grant:
    capabilities: frozenset[Capability]
    scope: Scope


ROLE_GRANTS: Mapping[StaffRoleName, Grant] = MappingProxyType(
    {
        StaffRoleName.RECEIVING_OFFICER: Grant(frozenset({Capability.RECEIVE, Capability.READ}), Scope.EXACT),
        StaffRoleName.SPECIALIST: Grant(frozenset({Capability.PROCESS, Capability.READ}), Scope.EXACT),
        StaffRoleName.DEPARTMENT_HEAD: Grant(
            frozenset({Capability.PROCESS, Capability.ASSIGN, Capability.READ}), Scope.EXACT
        ),
        StaffRoleName.AGENCY_LEADER: Grant(
            frozenset({Capability.APPROVE, Capability.ASSIGN, Capability.READ}), Scope.SUBTREE
        ),
        StaffRoleName.AGENCY_ADMIN: Grant(frozenset({Capability.ADMINISTER, Capability.READ}), Scope.SUBTREE),
        StaffRoleName.INSPECTOR: Grant(frozenset({Capability.READ}), Scope.SUBTREE),
        StaffRoleName.SYSTEM_ADMIN: Grant(frozenset(Capability), Scope.GLOBAL),
    }
)

# Where the roles read for one user are kept on the user object (see the module docstring).
_CACHE_ATTRIBUTE = "_motcua_active_roles"


def roles_of(user: User | AnonymousUser) -> tuple[StaffRole, ...]:
    """The roles that grant something to ``user``, each with its agency and jurisdiction loaded.

    One query the first time for a given user object, none afterwards.
    """
    if not isinstance(user, User) or not user.is_active or user.kind != UserKind.STAFF:
        return ()
    cached: tuple[StaffRole, ...] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = tuple(
            StaffRole.objects.filter(membership__user=user, membership__is_active=True)
            .select_related("membership__agency", "jurisdiction")
            .order_by("membership__agency__path", "membership__agency_id", "role")
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def clear_cache(user: User) -> None:
    """Forget the roles kept on ``user``; the next check reads them again."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _root_of(role: StaffRole) -> Agency:
    """The agency a role's scope starts from: an inspector's jurisdiction, otherwise where it is held."""
    return role.jurisdiction or role.membership.agency


def agencies_where(user: User | AnonymousUser, capability: Capability) -> AgencyQuerySet:
    """The agencies in which ``user`` has ``capability``: "the agencies in my jurisdiction".

    One query for the roles (none if already read for this user object); the result is a
    lazy queryset with a single WHERE clause, usable as a subquery
    (``Dossier.objects.filter(agency__in=agencies_where(user, Capability.READ))``).
    """
    exact: list[int] = []
    roots: list[Agency] = []
    for role in roles_of(user):
        grant = ROLE_GRANTS[StaffRoleName(role.role)]
        if capability not in grant.capabilities:
            continue
        if grant.scope is Scope.GLOBAL:
            return Agency.objects.all()
        if grant.scope is Scope.SUBTREE:
            roots.append(_root_of(role))
        else:
            exact.append(role.membership.agency_id)
    if not exact and not roots:
        return Agency.objects.none()
    if not roots:
        return Agency.objects.filter(pk__in=exact)
    subtree = Agency.objects.subtree_of(roots)
    if not exact:
        return subtree
    # OR-ing two querysets of one model ORs their WHERE clauses: still one flat query.
    return Agency.objects.filter(pk__in=exact) | subtree


def can(user: User | AnonymousUser, capability: Capability, agency: Agency) -> bool:
    """Whether ``user`` has ``capability`` in ``agency``; no query beyond reading the roles once."""
    for role in roles_of(user):
        grant = ROLE_GRANTS[StaffRoleName(role.role)]
        if capability not in grant.capabilities:
            continue
        if grant.scope is Scope.GLOBAL:
            return True
        if grant.scope is Scope.SUBTREE and agency.is_within(_root_of(role)):
            return True
        if grant.scope is Scope.EXACT and agency.pk == role.membership.agency_id:
            return True
    return False


def capabilities_in(user: User | AnonymousUser, agency: Agency) -> frozenset[Capability]:
    """Everything ``user`` may do in ``agency`` (for showing or hiding actions on a page)."""
    return frozenset(capability for capability in Capability if can(user, capability, agency))
