"""Reads over the agency tree: ancestors, descendants, jurisdictions, one-stop units, codes.

Every function here costs a fixed number of queries whatever the size of the tree:
the materialised ``path`` (see models.py) turns "above X" into one ``pk IN`` query
and "below X" into one prefix match, so nothing walks the tree node by node.

Reception is boundary-free inside a province (Decree 118/2025/NĐ-CP Art. 14.2): any
provincial or commune service centre, reception point or counter in the province
accepts the province's and its communes' procedures, so ``list_one_stop_units``
returns the one-stop units of the whole province, not only those of one commune.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F

from motcua.agencies.models import ONE_STOP_KINDS, Agency, AgencyCode, AgencyKind, AgencyQuerySet

if TYPE_CHECKING:
    from collections.abc import Iterable


def get_ancestors(agency: Agency) -> AgencyQuerySet:
    """The agencies above ``agency``, root first (one query; none for a root)."""
    return Agency.objects.filter(pk__in=agency.ancestor_ids).order_by("depth")


def get_descendants(agency: Agency, *, include_self: bool = False) -> AgencyQuerySet:
    """Everything below ``agency`` at any depth, shallowest first (one query)."""
    if include_self:
        return Agency.objects.subtree_of([agency]).order_by("depth", "path", "pk")
    return Agency.objects.below(agency).order_by("depth", "path", "pk")


def list_children(agency: Agency | None) -> AgencyQuerySet:
    """The agencies directly below ``agency`` (the roots when None), by name in Vietnamese order."""
    return Agency.objects.filter(parent=agency).order_by("sort_name", "pk")


def get_subtree_ids(roots: Iterable[Agency], *, on: dt.date | None = None) -> list[int]:
    """Ids of ``roots`` and of everything below them: the "agencies in my jurisdiction" set.

    With ``on``, only the units in existence that day. One query.
    """
    queryset = Agency.objects.subtree_of(roots)
    if on is not None:
        queryset = queryset.effective(on)
    return list(queryset.order_by().values_list("pk", flat=True))


def list_one_stop_units(province: Agency, *, on: dt.date | None = None) -> AgencyQuerySet:
    """Service centres, reception units, reception points and counters of the province and its communes.

    With ``on``, only the units in existence that day. One query; each unit comes with its parent.
    """
    queryset = Agency.objects.subtree_of([province]).filter(kind__in=ONE_STOP_KINDS)
    if on is not None:
        queryset = queryset.effective(on)
    return queryset.select_related("parent").order_by("depth", "sort_name", "pk")


def get_province_of(agency: Agency) -> Agency | None:
    """The provincial People's Committee ``agency`` belongs to (itself for one); None outside provinces.

    At most one query.
    """
    if agency.kind == AgencyKind.PROVINCE:
        return agency
    ids = agency.ancestor_ids
    if not ids:
        return None
    # The nearest one: a province kept for history may sit above a merged one.
    return Agency.objects.filter(pk__in=ids, kind=AgencyKind.PROVINCE).order_by("-depth").first()


def current_code(agency: Agency, *, on: dt.date) -> str | None:
    """The electronic identifier code ``agency`` holds on ``on`` (one query)."""
    code: str | None = (
        AgencyCode.objects.filter(agency=agency)
        .valid_on(on)
        .order_by(F("valid_from").desc(nulls_last=True))
        .values_list("code", flat=True)
        .first()
    )
    return code


def get_current_codes(agencies: Iterable[Agency], *, on: dt.date) -> dict[int, str]:
    """Identifier codes held on ``on`` by each of ``agencies``, keyed by agency id (one query).

    Agencies without a code that day are absent from the result. For a queryset, prefer
    ``Agency.objects.with_current_code(on)``, which adds the code to the same query.
    """
    ids = [agency.pk for agency in agencies]
    rows = (
        AgencyCode.objects.filter(agency_id__in=ids)
        .valid_on(on)
        # Oldest first, so that when two codes overlap on ``on`` the newest one wins.
        .order_by(F("valid_from").asc(nulls_first=True))
        .values_list("agency_id", "code")
    )
    return dict(rows)
