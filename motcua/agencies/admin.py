"""Django admin for agencies: the tree as an indented list, editing through the services.

The form checks what the services would refuse (a cycle in the tree, a division code
on a unit that is not a locality, an identifier code already taken) so that the page
shows a form error instead of failing on save; saving then calls create_agency,
update_agency, move_agency and assign_identifier_code, which keep ``path`` right.
Search ignores diacritics: it matches the folded ``search_text`` column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Collate, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.agencies import queries, services
from motcua.agencies.models import Agency, AgencyCode
from motcua.core.vietnamese import fold

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.db.models.expressions import Combinable, Expression
    from django.http import HttpRequest

    from motcua.agencies.models import AgencyQuerySet

# Errors of check_new_identifier_code are keyed by AgencyCode's fields; the form names them differently.
_CODE_FIELDS = {"code": "new_code", "valid_from": "new_code_valid_from"}


def _tree_order() -> Expression:
    """path + own id: sorting on it lists every agency right after its parent (a depth-first walk).

    "/" sorts before the digits in byte order, which keeps each subtree together;
    PostgreSQL's linguistic collations ignore punctuation, so the "C" collation is asked for.
    """
    key = Concat("path", Cast("pk", CharField()), Value("/"), output_field=CharField())
    return Collate(key, "C") if connection.vendor == "postgresql" else key


class WithinFilter(admin.SimpleListFilter):
    """Narrow the list to one agency's subtree; the choices are the roots, any agency id is accepted."""

    title = _("within")
    parameter_name = "within"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        roots = Agency.objects.filter(parent__isnull=True).order_by("sort_name").values_list("pk", "name")
        return [(str(pk), name) for pk, name in roots]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        root = Agency.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if root is None:
            return queryset.none()
        return cast("AgencyQuerySet", queryset).subtree_of([root])


class AgencyAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    new_code = forms.CharField(
        label=_("new identifier code"),
        max_length=35,
        required=False,
        help_text=_("Decision 20/2020/QĐ-TTg, e.g. 000.00.00.H25. The current code, if any, ends the day before."),
    )
    new_code_valid_from = forms.DateField(label=_("new code valid from"), required=False, widget=AdminDateWidget)
    # Government sites are served over HTTPS, so an address typed without a scheme gets it.
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["parent", *sorted(services.EDITABLE_FIELDS)]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        agency = self.instance if self.instance.pk is not None else None
        try:
            services.check_parent(self.instance, cleaned.get("parent"))
        except ValidationError as error:
            self.add_error(None, error)
        try:
            services.check_division_code(
                Agency(kind=cleaned.get("kind") or "", division_code=cleaned.get("division_code") or "")
            )
        except ValidationError as error:
            self.add_error(None, error)
        successor = cleaned.get("successor")
        if agency is not None and successor is not None and successor.pk == agency.pk:
            self.add_error("successor", _("An agency cannot be its own successor."))
        if cleaned.get("new_code"):
            try:
                cleaned["new_code"] = services.check_new_identifier_code(
                    agency=agency, code=cleaned["new_code"], valid_from=cleaned.get("new_code_valid_from")
                )
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(_CODE_FIELDS[field], errors)
        return cleaned


class AgencyCodeInline(admin.TabularInline):  # type: ignore[type-arg]
    """The codes an agency has held. Read-only: a new code is given through the form, which ends the old one."""

    model = AgencyCode
    fields = ("code", "valid_from", "valid_to")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.has_perm("agencies.view_agency") or request.user.has_perm("agencies.change_agency")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = AgencyAdminForm
    inlines = [AgencyCodeInline]
    list_display = ("tree_name", "short_name", "kind", "level", "division_code", "code_today", "units")
    list_filter = (WithinFilter, "kind", "level", "division_type")
    search_fields = ("search_text", "division_code", "codes__code")
    search_help_text = _("Name or short name (with or without diacritics), division code or identifier code.")
    autocomplete_fields = ("parent", "successor")
    readonly_fields = ("ancestry",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "level", "parent", "ancestry")}),
        (_("Locality"), {"fields": ("division_type", "division_code")}),
        (_("Contact"), {"fields": ("address", "phone", "email", "website")}),
        (_("Existence"), {"fields": ("effective_from", "effective_to", "successor")}),
        (_("Electronic identifier code"), {"fields": ("new_code", "new_code_valid_from")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        queryset = cast("AgencyQuerySet", super().get_queryset(request))
        return queryset.with_current_code(timezone.localdate())

    def get_ordering(self, request: HttpRequest) -> list[str | Combinable]:
        return [_tree_order().asc()]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Agency], search_term: str
    ) -> tuple[QuerySet[Agency], bool]:
        # search_text holds folded names, so the term is folded the same way.
        return super().get_search_results(request, queryset, fold(search_term))

    @admin.display(description=_("name"), ordering=_tree_order())
    def tree_name(self, agency: Agency) -> str:
        return format_html('<span style="padding-left: {}em">{}</span>', agency.depth * 1.5, agency.name)

    @admin.display(description=_("identifier code"))
    def code_today(self, agency: Agency) -> str:
        return getattr(agency, "current_code", None) or ""

    @admin.display(description=_("units"))
    def units(self, agency: Agency) -> str:
        url = reverse("admin:agencies_agency_changelist")
        return format_html('<a href="{}?within={}">{}</a>', url, agency.pk, _("subtree"))

    @admin.display(description=_("place in the tree"))
    def ancestry(self, agency: Agency) -> str:
        if agency._state.adding:
            return ""
        return " › ".join([*(ancestor.name for ancestor in queries.get_ancestors(agency)), agency.name])

    def save_model(self, request: HttpRequest, obj: Agency, form: AgencyAdminForm, change: bool) -> None:
        data = form.cleaned_data
        fields = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
        parent: Agency | None = data.get("parent")
        if change:
            saved = services.update_agency(agency=Agency.objects.get(pk=obj.pk), **fields)
            if saved.parent_id != (parent.pk if parent is not None else None):
                saved = services.move_agency(agency=saved, new_parent=parent)
        else:
            saved = services.create_agency(parent=parent, **fields)
        if data.get("new_code"):
            services.assign_identifier_code(agency=saved, code=data["new_code"], valid_from=data["new_code_valid_from"])
        # The admin goes on with ``obj`` (inlines, history, redirect): give it what the services saved.
        for field in Agency._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db
