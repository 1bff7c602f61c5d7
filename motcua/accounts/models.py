"""People: one user table for citizens, businesses and staff; staff roles scoped by agency.

A citizen is identified by the 12-digit personal identification number (Decree
118/2025/NĐ-CP Art. 17 has reception check the applicant's electronic identity
against it), a business by its tax code. Staff belong to one or more agencies
(``StaffMembership``) and hold roles inside an agency they belong to
(``StaffRole``): a role can only hang off a membership, so a role in an agency the
person does not belong to cannot be stored. What each role may do, and over which
agencies, is decided in ``permissions.py``.

Email, phone and personal identification number are sign-in identifiers
(``backends.py``), so each is unique among the accounts that have one. Emails are
stored in lower case (``UserManager.normalize_email``) and phones in national form
(``identity.normalise_phone``), so that uniqueness is not fooled by how they were typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import (
    validate_personal_id,
    validate_personal_id_matches_birth,
    validate_phone,
    validate_tax_code,
)
from motcua.agencies.models import Agency
from motcua.core.models import TimeStampedModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business or organisation")
    STAFF = "staff", _("Staff")


class UserManager(DjangoUserManager["User"]):
    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The whole address in lower case: mailboxes are case-insensitive in practice, and sign-in compares it."""
        return (email or "").strip().lower()

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> User:
        # `manage.py createsuperuser` makes the installation's first administrator: staff, not a citizen.
        extra_fields.setdefault("kind", UserKind.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Anyone who signs in. ``username`` is the login name; citizens may also sign in by email or phone."""

    # Django's first_name/last_name do not fit Vietnamese names (family name first,
    # no reliable split): one full name field replaces them.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    kind = models.CharField(_("kind of account"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN)
    personal_id = models.CharField(
        _("personal identification number"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_personal_id],
        error_messages={"unique": _("An account with this personal identification number already exists.")},
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True, validators=[validate_phone])
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_tax_code],
        error_messages={"unique": _("An account with this tax code already exists.")},
    )
    organisation_name = models.CharField(_("organisation name"), max_length=255, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="business") | Q(tax_code__isnull=False),
                name="user_business_has_tax_code",
                violation_error_message=_("A business account needs a tax code."),
            ),
            # The code "unique" with one field makes Django report these on the field itself.
            models.UniqueConstraint(
                fields=["email"],
                condition=~Q(email=""),
                name="user_unique_email",
                violation_error_code="unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="user_unique_phone",
                violation_error_code="unique",
                violation_error_message=_("An account with this phone number already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        """What an account of each kind must have; the forms and the services both come through here."""
        super().clean()
        errors: dict[str, list[ValidationError]] = {}

        def require(field: str, message: StrOrPromise, code: str = "required") -> None:
            if not getattr(self, field):
                errors.setdefault(field, []).append(ValidationError(message, code=code))

        if self.kind == UserKind.CITIZEN:
            require("personal_id", _("Enter the personal identification number."))
            require("full_name", _("Enter the full name as it is on the citizen identity card."))
            require("date_of_birth", _("Enter the date of birth."))
        elif self.kind == UserKind.BUSINESS:
            require("tax_code", _("A business account needs a tax code."), "tax_code_required")
            require("organisation_name", _("Enter the name of the business or organisation as registered."))
        else:
            require("full_name", _("Enter the staff member's full name."))
            require("email", _("A staff account needs an email address."))
        if self.kind != UserKind.STAFF and not self.email and not self.phone:
            errors.setdefault("email", []).append(
                ValidationError(_("Give an email address or a phone number to sign in with."), code="contact_required")
            )
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors.setdefault("date_of_birth", []).append(
                ValidationError(_("The date of birth is in the future."), code="future_birth")
            )
        # Only a well-formed number is compared with the birth date; a malformed one is already reported.
        personal_id = self.personal_id or ""
        if len(personal_id) == 12 and personal_id.isascii() and personal_id.isdigit() and self.date_of_birth:
            try:
                validate_personal_id_matches_birth(personal_id, self.date_of_birth)
            except ValidationError as error:
                errors.setdefault("personal_id", []).append(error)
        if errors:
            raise ValidationError(errors)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF


class StaffRoleName(models.TextChoices):
    RECEIVING_OFFICER = "receiving_officer", _("Receiving officer (one-stop desk)")
    SPECIALIST = "specialist", _("Specialist")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    INSPECTOR = "inspector", _("Inspector (read-only over a jurisdiction)")


class StaffMembership(TimeStampedModel):
    """A staff member belongs to an agency (works there, or is posted there by a vertical agency)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("position"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"],
                name="membership_unique_user_agency",
                violation_error_message=_("This person already belongs to this agency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"


class StaffRole(TimeStampedModel):
    """A role held inside one of the person's agencies; inspectors also name their jurisdiction."""

    membership = models.ForeignKey(
        StaffMembership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRoleName.choices)
    jurisdiction = models.ForeignKey(
        Agency,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For inspectors: the agency whose whole subtree they may read. Defaults to their own agency."),
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role"],
                name="staffrole_unique_per_membership",
                violation_error_message=_("This person already holds this role in this agency."),
            ),
            models.CheckConstraint(
                condition=Q(jurisdiction__isnull=True) | Q(role="inspector"),
                name="staffrole_jurisdiction_only_for_inspectors",
                violation_error_message=_("Only an inspector's role names a jurisdiction."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.membership.agency}"

    def clean(self) -> None:
        # Reported on the field, before the check constraint would report it for the whole form.
        if self.jurisdiction_id is not None and self.role != StaffRoleName.INSPECTOR:
            raise ValidationError(
                {
                    "jurisdiction": ValidationError(
                        _("Only an inspector's role names a jurisdiction."), code="jurisdiction_not_inspector"
                    )
                }
            )
