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

#: Fields a caller may set through create_agency / update_agency.
EDITABLE_FIELDS = frozenset(
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
        "successor",
    }
)


def _field_error(field: str, message: str, error_code: str, /, **params: object) -> ValidationError:
    """A ValidationError on one field that keeps its code (a dict passed to ValidationError loses it)."""
    return ValidationError({field: ValidationError(message, code=error_code, params=params or None)})


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
        raise _field_error(
            "parent", _("An agency cannot be placed under itself or under one of its own units."), "cycle"
        )


def check_division_code(agency: Agency) -> None:
    """Refuse an administrative-division code on an agency that does not govern a locality."""
    if agency.division_code and agency.kind not in LOCALITY_KINDS:
        raise _field_error(
            "division_code",
            _("Only a province, district or commune has an administrative-division code."),
            "not_locality",
        )


@transaction.atomic
def create_agency(*, parent: Agency | None, **fields: Any) -> Agency:
    """Create an agency under ``parent`` (None for a root)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"create_agency() got unexpected fields: {sorted(unknown)}")
    agency = Agency(parent=parent, **fields)
    agency.path, agency.depth = path_below(parent)
    agency.derive_columns()
    check_division_code(agency)
    agency.full_clean(exclude=["path", "depth", "search_text", "sort_name"])
    agency.save()
    return agency


@transaction.atomic
def update_agency(*, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's own fields (not its place in the tree: see move_agency)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_agency() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(agency, name, value)
    if agency.successor_id is not None and agency.successor_id == agency.pk:
        raise _field_error("successor", _("An agency cannot be its own successor."), "self_successor")
    agency.derive_columns()
    check_division_code(agency)
    agency.full_clean(exclude=["path", "depth", "search_text", "sort_name"])
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
        raise _field_error("successor", _("An agency cannot be its own successor."), "self_successor")
    agency.effective_to = effective_to
    agency.successor = successor
    agency.full_clean(exclude=["path", "depth", "search_text", "sort_name"])
    agency.save(update_fields=["effective_to", "successor", "updated_at"])
    return agency


def check_new_identifier_code(*, agency: Agency | None, code: str, valid_from: dt.date | None) -> str:
    """Check that ``agency`` (None: one not yet saved) may take ``code`` from ``valid_from``; return it normalised.

    A code is unique for all time: a code once held by any agency is refused. When
    the agency already has a current code, the new one must say when it starts, after
    the current one started, so that the current one can be ended the day before.
    """
    code = code.strip().upper()
    try:
        validate_identifier_code(code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from None
    if AgencyCode.objects.filter(code=code).exists():
        raise _field_error("code", _("The identifier code %(code)s is already assigned."), "duplicate", code=code)
    if agency is None or agency.pk is None:
        return code
    current = AgencyCode.objects.filter(agency=agency, valid_to__isnull=True).first()
    if current is not None and (
        valid_from is None or (current.valid_from is not None and valid_from <= current.valid_from)
    ):
        raise _field_error(
            "valid_from",
            _("A new code must start after the current code %(code)s started."),
            "overlap",
            code=current.code,
        )
    return code


@transaction.atomic
def assign_identifier_code(*, agency: Agency, code: str, valid_from: dt.date | None = None) -> AgencyCode:
    """Give ``agency`` a new current identifier code, ending the previous one the day before it starts."""
    # Lock the current code first so that two concurrent assignments cannot both end it.
    current = AgencyCode.objects.select_for_update().filter(agency=agency, valid_to__isnull=True).first()
    code = check_new_identifier_code(agency=agency, code=code, valid_from=valid_from)
    if current is not None and valid_from is not None:
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to", "updated_at"])
    try:
        with transaction.atomic():
            return AgencyCode.objects.create(agency=agency, code=code, valid_from=valid_from)
    except IntegrityError:
        # Another transaction took the code between the check and the insert.
        raise _field_error(
            "code", _("The identifier code %(code)s is already assigned."), "duplicate", code=code
        ) from None
