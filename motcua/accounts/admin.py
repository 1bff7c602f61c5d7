"""Django admin for people: accounts of every kind, staff memberships and the roles held through them.

Identifiers typed in the forms are normalised as the services normalise them
(``identity.py``), and every rule the services enforce is asked before saving, so that a
refusal (a personal number that contradicts the date of birth, a role in a deactivated
membership, a jurisdiction on a role that is not an inspector's) is a form error, never a
failed save. The model's ``clean`` and constraints, which the forms run, hold the
account rules; ``services.check_staff_account`` and ``services.check_role_grant`` the
membership and role rules. Once the forms are valid, the rows are saved as Django's admin
saves them: the checks are the same as the services', and the admin edits rows (a role
changed in place, a membership switched off and on) that the use cases do not name one by
one. A role hangs off a membership, so a role in an agency the person does not belong to
cannot even be entered: roles are edited inside their membership.

Only superusers change superuser status, groups and Django permissions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.accounts import services
from motcua.accounts.identity import normalise_personal_id, normalise_phone, normalise_tax_code
from motcua.accounts.models import StaffMembership, StaffRole, User, UserKind

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach ``error`` to the form's fields, or to the whole form for names it does not show."""
    for field, messages in error.update_error_dict({}).items():
        form.add_error(field if field in form.fields else None, messages)


class IdentifierFieldsMixin(forms.BaseForm):
    """Normalise identifiers the way the services do before the model checks them."""

    #: Typed with separators these are longer than stored; the model checks the stored length.
    TYPED_LENGTH = 30

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("personal_id", "phone", "tax_code"):
            field = self.fields.get(name)
            if isinstance(field, forms.CharField):
                field.max_length = self.TYPED_LENGTH
                field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                field.widget.attrs["maxlength"] = str(self.TYPED_LENGTH)

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data.get("email"))

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone") or "")

    def clean_personal_id(self) -> str | None:
        return normalise_personal_id(self.cleaned_data.get("personal_id") or "") or None

    def clean_tax_code(self) -> str | None:
        return normalise_tax_code(self.cleaned_data.get("tax_code") or "") or None


class UserAddForm(IdentifierFieldsMixin, AdminUserCreationForm):  # type: ignore[type-arg]
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = (
            "username",
            "kind",
            "full_name",
            "email",
            "phone",
            "personal_id",
            "date_of_birth",
            "tax_code",
            "organisation_name",
        )


class UserEditForm(IdentifierFieldsMixin, UserChangeForm):  # type: ignore[type-arg]
    class Meta(UserChangeForm.Meta):
        model = User


class StaffMembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """The person's memberships on their page, read-only: each links to its page, where roles are edited."""

    model = StaffMembership
    fk_name = "user"
    fields = ("agency", "position", "is_active", "role_list")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("memberships of agencies (open one to change its roles)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaffMembership]:
        return super().get_queryset(request).select_related("agency").prefetch_related("roles")

    @admin.display(description=_("roles"))
    def role_list(self, membership: StaffMembership) -> str:
        return ", ".join(str(role.get_role_display()) for role in membership.roles.all()) or "—"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserEditForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Account"), {"fields": ("kind", "full_name", "email", "phone", "is_active", "is_staff")}),
        (_("Citizen"), {"fields": ("personal_id", "date_of_birth")}),
        (_("Business or organisation"), {"fields": ("tax_code", "organisation_name")}),
        (_("Agencies"), {"fields": ("add_membership_link",)}),
        (
            _("Django permissions"),
            {"classes": ("collapse",), "fields": ("is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "kind",
                    "full_name",
                    "email",
                    "phone",
                    "personal_id",
                    "date_of_birth",
                    "tax_code",
                    "organisation_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("add_membership_link", "last_login", "date_joined")
    list_display = ("username", "full_name", "kind", "email", "phone", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone", "personal_id", "tax_code", "organisation_name")
    ordering = ("username",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Whoever may edit accounts must not be able to make themselves superuser.
            fields += ("is_superuser", "groups", "user_permissions")
        return fields

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[admin.options.InlineModelAdmin]]:  # type: ignore[type-arg]
        if obj is not None and obj.kind == UserKind.STAFF:
            return [StaffMembershipInline]
        return []

    @admin.display(description=_("add to an agency"))
    def add_membership_link(self, user: User) -> str:
        if user.pk is None or user.kind != UserKind.STAFF:
            return "—"
        url = reverse("admin:accounts_staffmembership_add") + f"?user={user.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Add a membership of an agency"))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        if request.GET.get("model_name") == "staffmembership" and request.GET.get("field_name") == "user":
            # The membership form's person picker offers staff accounts only.
            queryset = queryset.filter(kind=UserKind.STAFF)
        compact = normalise_personal_id(search_term)
        if len(compact) >= 4 and compact.isascii() and compact.isdigit():
            # Numbers are typed with spaces and dots; search their stored, compact form.
            phone = normalise_phone(search_term)
            condition = (
                Q(personal_id__contains=compact)
                | Q(tax_code__contains=compact)
                | Q(phone__contains=phone)
                | Q(username__contains=compact)
            )
            return queryset.filter(condition), False
        return super().get_search_results(request, queryset, search_term)


class StaffRoleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StaffRole
        fields = ("role", "jurisdiction")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The inline's membership: the parent form's object, unsaved on the add page.
        membership: StaffMembership | None = cleaned.get("membership")
        role = cleaned.get("role")
        unchanged = self.instance.pk is not None and not self.has_changed()
        if membership is None or membership.user_id is None or membership.agency_id is None:
            return cleaned  # the membership's own form reports what is missing
        if not role or unchanged or cleaned.get("DELETE"):
            return cleaned
        try:
            services.check_role_grant(membership=membership, role=role, jurisdiction=cleaned.get("jurisdiction"))
        except ValidationError as error:
            _add_errors(self, error)
        return cleaned


class StaffRoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StaffRole
    form = StaffRoleForm
    extra = 1
    autocomplete_fields = ("jurisdiction",)


class StaffMembershipForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StaffMembership
        fields = ("user", "agency", "position", "is_active")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        user = cleaned.get("user")
        if user is not None and (self.instance.pk is None or "user" in self.changed_data):
            try:
                services.check_staff_account(user)
            except ValidationError as error:
                _add_errors(self, error)
        return cleaned


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = StaffMembershipForm
    inlines = (StaffRoleInline,)
    list_display = ("user", "agency", "position", "is_active", "role_list")
    list_select_related = ("user", "agency")
    list_filter = ("is_active", "roles__role")
    search_fields = ("user__username", "user__full_name", "user__email", "agency__name", "position")
    autocomplete_fields = ("user", "agency")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StaffMembership]:
        return super().get_queryset(request).prefetch_related("roles")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Moving a membership to another person or agency would move its roles with it: add a new one instead.
        return ("user", "agency") if obj is not None else ()

    @admin.display(description=_("roles"))
    def role_list(self, membership: StaffMembership) -> str:
        return format_html_join(", ", "{}", ((role.get_role_display(),) for role in membership.roles.all())) or "—"
