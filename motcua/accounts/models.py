"""People: one user table for citizens, businesses and staff; staff roles scoped by agency.

A citizen is identified by the 12-digit personal identification number (Decree
118/2025/NĐ-CP Art. 17 has reception check the applicant's electronic identity
against it), a business by its tax code. Staff belong to one or more agencies
(``StaffMembership``) and hold roles inside an agency they belong to
(``StaffRole``): a role can only hang off a membership, so a role in an agency the
person does not belong to cannot be stored. What each role may do, and over which
agencies, is decided in ``permissions.py``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import validate_personal_id, validate_tax_code
from motcua.agencies.models import Agency
from motcua.core.models import TimeStampedModel


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business or organisation")
    STAFF = "staff", _("Staff")


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
    phone = models.CharField(_("phone"), max_length=15, blank=True)
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

    objects = UserManager()  # type: ignore[var-annotated]

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="business") | Q(tax_code__isnull=False),
                name="user_business_has_tax_code",
                violation_error_message=_("A business account needs a tax code."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

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
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
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
