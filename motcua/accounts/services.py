"""Use cases on people: registering citizens and businesses, creating staff, memberships and roles.

Identifiers are normalised before they are checked (spaces, dots and hyphens people type
inside a personal identification number, separators and +84 in a phone number, upper case
in an email), so that one person cannot hold two accounts by typing a number twice
differently. A citizen's personal identification number must agree with the date of birth
(Circular 07/2016/TT-BCA Art. 7, see ``identity.py``).

A role is granted only inside an agency the person belongs to, through an active
membership, to an active staff account; only an inspector's role names a jurisdiction.
Every refusal is a ``ValidationError`` keyed by the argument at fault, raised before
anything is written; every use case runs in one transaction.

Login names: a citizen's is the personal identification number, a business's is
``mst-`` and the tax code (mã số thuế; a household business's twelve-digit tax code is its
owner's personal number, which may already name the owner's citizen account). Both sign in
with those identifiers directly (``backends.py``); the login name only has to be unique.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.identity import normalise_personal_id, normalise_phone, normalise_tax_code
from motcua.accounts.models import StaffMembership, StaffRole, StaffRoleName, User, UserKind
from motcua.accounts.permissions import clear_cache
from motcua.agencies.models import Agency


def _field_error(field: str, message: str, error_code: str, /, **params: object) -> ValidationError:
    """A ValidationError on one field that keeps its code (a plain dict of strings would lose it)."""
    return ValidationError({field: ValidationError(message, code=error_code, params=params or None)})


def _tidy_name(name: str) -> str:
    return " ".join(name.split())


def _merge(errors: dict[str, list[ValidationError]], error: ValidationError) -> None:
    for field, messages in error.update_error_dict({}).items():
        errors.setdefault(field, []).extend(messages)


def _create_account(
    user: User, password: str, errors: dict[str, list[ValidationError]], *, derived_username: bool = False
) -> User:
    """Validate ``user`` and ``password`` together, then save; every problem is reported at once.

    With ``derived_username`` the login name is made from an identifier whose own checks
    report a clash, so the login name's are not repeated.
    """
    exclude = {"password", "username"} if derived_username else {"password"}
    try:
        user.full_clean(exclude=exclude)
    except ValidationError as error:
        _merge(errors, error)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors.setdefault("password", []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Someone registered the same identifier between the check and the save.
        raise ValidationError(
            _("An account with these details was created at the same moment. Sign in instead, or try again."),
            code="concurrent_registration",
        ) from None
    return user


@transaction.atomic
def register_citizen(
    *,
    personal_id: str,
    full_name: str,
    date_of_birth: dt.date,
    phone: str = "",
    email: str = "",
    password: str,
) -> User:
    """Open a citizen's account; they sign in with their personal identification number, email or phone."""
    personal_id = normalise_personal_id(personal_id)
    user = User(
        username=personal_id,
        kind=UserKind.CITIZEN,
        personal_id=personal_id or None,
        full_name=_tidy_name(full_name),
        date_of_birth=date_of_birth,
        phone=normalise_phone(phone),
        email=User.objects.normalize_email(email),
    )
    errors: dict[str, list[ValidationError]] = {}
    # The login name is the number itself; a staff login name that happens to equal it
    # is reported as the number being taken (the field the citizen can act on).
    if User.objects.filter(username=personal_id).exclude(personal_id=personal_id).exists():
        errors.setdefault("personal_id", []).append(
            ValidationError(_("An account with this personal identification number already exists."), code="unique")
        )
    return _create_account(user, password, errors, derived_username=True)


@transaction.atomic
def register_business(
    *,
    tax_code: str,
    organisation_name: str,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    password: str,
) -> User:
    """Open an account for a business or organisation; ``full_name`` is the person who acts for it."""
    tax_code = normalise_tax_code(tax_code)
    user = User(
        username=f"mst-{tax_code}",
        kind=UserKind.BUSINESS,
        tax_code=tax_code or None,
        organisation_name=_tidy_name(organisation_name),
        full_name=_tidy_name(full_name),
        phone=normalise_phone(phone),
        email=User.objects.normalize_email(email),
    )
    errors: dict[str, list[ValidationError]] = {}
    if User.objects.filter(username=user.username).exclude(tax_code=tax_code).exists():
        errors.setdefault("tax_code", []).append(
            ValidationError(_("An account with this tax code already exists."), code="unique")
        )
    return _create_account(user, password, errors, derived_username=True)


@transaction.atomic
def create_staff(*, username: str, full_name: str, email: str, password: str, phone: str = "") -> User:
    """Open a staff account. It can do nothing until it belongs to an agency and holds a role there."""
    user = User(
        username=username.strip(),
        kind=UserKind.STAFF,
        full_name=_tidy_name(full_name),
        email=User.objects.normalize_email(email),
        phone=normalise_phone(phone),
    )
    return _create_account(user, password, {})


def check_staff_account(user: User, *, field: str = "user") -> None:
    """Refuse a citizen or business account, or a deactivated one, where a staff member is needed."""
    if user.kind != UserKind.STAFF:
        raise _field_error(
            field,
            _("%(user)s is not a staff account; only staff belong to agencies and hold roles."),
            "not_staff",
            user=str(user),
        )
    if not user.is_active:
        raise _field_error(field, _("The account of %(user)s is deactivated."), "inactive_user", user=str(user))


def _get_membership(user: User, agency: Agency, *, lock: bool = False) -> StaffMembership:
    memberships = StaffMembership.objects.filter(user=user, agency=agency)
    membership = (memberships.select_for_update() if lock else memberships).first()
    if membership is None:
        raise _field_error(
            "agency",
            _("%(user)s does not belong to %(agency)s; add them to the agency first."),
            "not_member",
            user=str(user),
            agency=str(agency),
        )
    # The same objects the caller holds, so that messages and checks need no further query.
    membership.user, membership.agency = user, agency
    return membership


@transaction.atomic
def add_membership(*, user: User, agency: Agency, position: str = "") -> StaffMembership:
    """Make a staff member belong to ``agency`` (where they work, or where they are posted)."""
    check_staff_account(user)
    existing = StaffMembership.objects.filter(user=user, agency=agency).first()
    if existing is not None:
        if existing.is_active:
            message = _("%(user)s already belongs to %(agency)s.")
        else:
            message = _("%(user)s's membership of %(agency)s is inactive; reactivate it instead.")
        raise _field_error("agency", message, "already_member", user=str(user), agency=str(agency))
    membership = StaffMembership(user=user, agency=agency, position=_tidy_name(position))
    membership.full_clean()
    membership.save()
    clear_cache(user)
    return membership


@transaction.atomic
def deactivate_membership(*, user: User, agency: Agency) -> StaffMembership:
    """Stop a membership (the person left or went on secondment); its roles stay on record but grant nothing."""
    membership = _get_membership(user, agency, lock=True)
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
    clear_cache(user)
    return membership


@transaction.atomic
def reactivate_membership(*, user: User, agency: Agency) -> StaffMembership:
    """Resume a stopped membership; the roles it had grant again."""
    check_staff_account(user)
    membership = _get_membership(user, agency, lock=True)
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    clear_cache(user)
    return membership


def _role_name(role: StaffRoleName | str) -> StaffRoleName:
    try:
        return StaffRoleName(role)
    except ValueError:
        raise _field_error("role", _("%(role)s is not a staff role."), "unknown_role", role=str(role)) from None


def check_role_grant(*, membership: StaffMembership, role: StaffRoleName | str, jurisdiction: Agency | None) -> None:
    """What ``grant_role`` refuses about the role itself (the admin's forms ask before saving)."""
    role = _role_name(role)
    check_staff_account(membership.user)
    if not membership.is_active:
        raise _field_error(
            "agency",
            _("%(user)s's membership of %(agency)s is inactive; reactivate it before granting a role there."),
            "membership_inactive",
            user=str(membership.user),
            agency=str(membership.agency),
        )
    if jurisdiction is not None and role != StaffRoleName.INSPECTOR:
        raise _field_error(
            "jurisdiction",
            _("Only an inspector's role names a jurisdiction; %(role)s acts in the agency where it is held."),
            "jurisdiction_not_inspector",
            role=str(role.label),
        )


@transaction.atomic
def grant_role(
    *, user: User, agency: Agency, role: StaffRoleName | str, jurisdiction: Agency | None = None
) -> StaffRole:
    """Give ``user`` a role in ``agency``, which they must belong to; an inspector may name a jurisdiction."""
    role = _role_name(role)
    check_staff_account(user)
    membership = _get_membership(user, agency, lock=True)
    check_role_grant(membership=membership, role=role, jurisdiction=jurisdiction)
    if membership.roles.filter(role=role).exists():
        raise _field_error(
            "role",
            _("%(user)s already holds the role %(role)s in %(agency)s."),
            "already_held",
            user=str(user),
            role=str(role.label),
            agency=str(agency),
        )
    staff_role = StaffRole(membership=membership, role=role, jurisdiction=jurisdiction)
    staff_role.full_clean()
    staff_role.save()
    clear_cache(user)
    return staff_role


@transaction.atomic
def revoke_role(*, user: User, agency: Agency, role: StaffRoleName | str) -> None:
    """Take a role away; refused when it is not held there, so that a typo does not pass for success."""
    role = _role_name(role)
    membership = _get_membership(user, agency, lock=True)
    deleted, _rows = membership.roles.filter(role=role).delete()
    if not deleted:
        raise _field_error(
            "role",
            _("%(user)s does not hold the role %(role)s in %(agency)s."),
            "not_held",
            user=str(user),
            role=str(role.label),
            agency=str(agency),
        )
    clear_cache(user)
