"""Use cases that change agencies: create, move in the tree, merge, assign codes.

Every change to ``parent`` goes through here so that the materialised ``path`` of
the agency and of all its descendants stays right, and so that a move that would
put an agency under itself (a cycle) is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from motcua.agencies.identifiers import validate_identifier_code
from motcua.agencies.models import LOCALITY_KINDS, Agency, AgencyCode

# Fields a caller may set through create_agency / update_agency.
_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "kind",
        "level",
        "division_type",
        "division_code",
        "address",
        "phone",
        "email",
        "website",
        "effective_from",
        "effective_to",
    }
)


def path_below(parent: Agency | None) -> tuple[str, int]:
    """The ``path`` and ``depth`` a child of ``parent`` gets."""
    if parent is None:
        return "/", 0
    return parent.subtree_prefix, parent.depth + 1


def check_parent(agency: Agency, parent: Agency | None) -> None:
    """Refuse a parent that is the agency itself or one of its descendants."""
    if parent is None or agency.pk is None:
        return
    if parent.pk == agency.pk or parent.path.startswith(agency.subtree_prefix):
        raise ValidationError(
            {"parent": _("An agency cannot be placed under itself or under one of its own units.")},
            code="cycle",
        )


def _check_division_code(agency: Agency) -> None:
    if agency.division_code and agency.kind not in LOCALITY_KINDS:
        raise ValidationError(
            {"division_code": _("Only a province, district or commune has an administrative-division code.")},
            code="not_locality",
        )


@transaction.atomic
def create_agency(*, parent: Agency | None, **fields: Any) -> Agency:
    """Create an agency under ``parent`` (None for a root)."""
    unknown = set(fields) - _EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"create_agency() got unexpected fields: {sorted(unknown)}")
    agency = Agency(parent=parent, **fields)
    agency.path, agency.depth = path_below(parent)
    _check_division_code(agency)
    agency.full_clean(exclude=["path", "depth"])
    agency.save()
    return agency


@transaction.atomic
def update_agency(*, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's own fields (not its place in the tree: see move_agency)."""
    unknown = set(fields) - _EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_agency() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(agency, name, value)
    _check_division_code(agency)
    agency.full_clean(exclude=["path", "depth"])
    agency.save()
    return agency


@transaction.atomic
def move_agency(*, agency: Agency, new_parent: Agency | None) -> Agency:
    """Put ``agency`` (with everything below it) under ``new_parent``.

    One UPDATE rewrites the path prefix of the whole subtree, whatever its size.
    """
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if new_parent is not None:
        new_parent = Agency.objects.get(pk=new_parent.pk)
    check_parent(agency, new_parent)
    old_prefix = agency.subtree_prefix
    old_depth = agency.depth
    agency.parent = new_parent
    agency.path, agency.depth = path_below(new_parent)
    agency.save(update_fields=["parent", "path", "depth", "updated_at"])
    new_prefix = agency.subtree_prefix
    if new_prefix != old_prefix:
        Agency.objects.filter(path__startswith=old_prefix).update(
            path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
            depth=F("depth") + (agency.depth - old_depth),
        )
    return agency


@transaction.atomic
def close_agency(*, agency: Agency, effective_to: dt.date, successor: Agency | None = None) -> Agency:
    """End an agency's existence on ``effective_to``, naming who takes over its work."""
    if successor is not None and successor.pk == agency.pk:
        raise ValidationError({"successor": _("An agency cannot be its own successor.")}, code="self_successor")
    agency.effective_to = effective_to
    agency.successor = successor
    agency.full_clean(exclude=["path", "depth"])
    agency.save(update_fields=["effective_to", "successor", "updated_at"])
    return agency


@transaction.atomic
def assign_identifier_code(
    *, agency: Agency, code: str, valid_from: dt.date | None = None
) -> AgencyCode:
    """Give ``agency`` a new current identifier code, ending the previous one the day before.

    A code is unique for all time: a code once held by any agency is refused.
    """
    code = code.strip().upper()
    validate_identifier_code(code)
    if AgencyCode.objects.filter(code=code).exists():
        raise ValidationError({"code": _("The identifier code %(code)s is already assigned.") % {"code": code}}, code="duplicate")
    current = AgencyCode.objects.select_for_update().filter(agency=agency, valid_to__isnull=True).first()
    if current is not None:
        if valid_from is None or (current.valid_from is not None and valid_from <= current.valid_from):
            raise ValidationError(
                {"valid_from": _("A new code must start after the current code %(code)s started.") % {"code": current.code}},
                code="overlap",
            )
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to", "updated_at"])
    try:
        with transaction.atomic():
            return AgencyCode.objects.create(agency=agency, code=code, valid_from=valid_from)
    except IntegrityError:
        raise ValidationError({"code": _("The identifier code %(code)s is already assigned.") % {"code": code}}, code="duplicate") from None

