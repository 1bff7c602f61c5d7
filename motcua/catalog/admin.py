"""Django admin for the catalogue: procedures as imported, agencies' configurations and processes.

National content comes from the importer and is read-only here, except what an administrator
adds to it: form files for components, the 15:00 cut-off flag, variants with their own limit
and fees. Agency configurations and internal processes are edited here; a process is checked
by ``services.check_process`` before it is saved (stages, roles, budgets within the legal
limit), and can be exported as JSON or imported from it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.agencies.models import Agency
from motcua.catalog import services, spreadsheets
from motcua.catalog.models import (
    AgencyProcedure,
    ChannelOption,
    Component,
    InternalProcess,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    ResultDocument,
    Sector,
    Variant,
)
from motcua.catalog.processes import StepSpec
from motcua.core.vietnamese import fold

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest, HttpResponseBase


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code")
    search_fields = ("name", "search_text", "code")


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [str(field) for field in self.fields or ()]


class ChannelInline(ReadOnlyInline):
    model = ChannelOption
    fields = ("channel", "time_limit_text", "time_limit_unit", "time_limit_amount", "fee_text", "fees")


class ResultInline(ReadOnlyInline):
    model = ResultDocument
    fields = ("name", "result_type_code")


class ComponentInline(admin.TabularInline):  # type: ignore[type-arg]
    """Components as imported; only the form file (the blank form applicants download) is editable."""

    model = Component
    extra = 0
    can_delete = False
    fields = ("group", "name", "variant", "originals", "copies", "is_required", "form_name", "form_file")
    readonly_fields = ("group", "name", "variant", "originals", "copies", "is_required", "form_name")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class VariantForm(forms.ModelForm):  # type: ignore[type-arg]
    time_limit_text = forms.CharField(
        label=_("own time limit"), required=False, help_text=_("As the catalogue writes it, e.g. 5 ngày làm việc.")
    )
    own_fee_text = forms.CharField(
        label=_("own fees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("As the catalogue writes them, e.g. Lệ phí : 8.000 Đồng. Empty: the version's fees."),
    )

    class Meta:
        model = Variant
        fields = ["code", "name", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = self.instance.own_time_limit if self.instance.pk else None
        self.fields["time_limit_text"].initial = str(limit) if limit is not None else ""
        self.fields["own_fee_text"].initial = self.instance.fee_text

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        fee_text = cleaned.get("own_fee_text") or ""
        try:
            services.set_variant_terms(
                self.instance, time_limit_text=cleaned.get("time_limit_text") or "", fee_text=fee_text or None
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error("time_limit_text" if field == "time_limit_amount" else "own_fee_text", errors)
        return cleaned


class VariantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Variant
    form = VariantForm
    extra = 0
    fields = ("code", "name", "position", "time_limit_text", "own_fee_text", "is_default")
    readonly_fields = ("is_default",)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "sector", "levels", "number", "valid_from", "valid_to", "has_problems")
    list_filter = ("sector", "source", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("search_text",)
    list_select_related = ("procedure", "sector")
    readonly_fields = (
        "procedure",
        "number",
        "valid_from",
        "valid_to",
        "name",
        "sector",
        "levels",
        "kind",
        "decision",
        "applicants",
        "competent_agency",
        "performing_agency",
        "delegated_agency",
        "coordinating_agency",
        "reception_address",
        "steps",
        "requirements",
        "legal_basis",
        "source",
        "source_url",
        "parse_issues",
        "parse_warnings",
    )
    fields = ("applies_afternoon_cutoff", *readonly_fields)
    inlines = (ChannelInline, VariantInline, ComponentInline, ResultInline)

    @admin.display(description=_("code"), ordering="procedure__code")
    def code(self, version: ProcedureVersion) -> str:
        return version.procedure.code

    @admin.display(description=_("import problems"), boolean=True)
    def has_problems(self, version: ProcedureVersion) -> bool:
        return bool(version.parse_issues)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion], search_term: str
    ) -> tuple[QuerySet[ProcedureVersion], bool]:
        # The folded search text: "dang ky khai sinh" finds "Đăng ký khai sinh".
        return super().get_search_results(request, queryset, fold(search_term))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("code",)
    readonly_fields = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class AgencyProcedureForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AgencyProcedure
        fields = [
            "agency",
            "procedure",
            "competent_agency",
            "online_level",
            "offers_postal_return",
            "offers_online_payment",
            "requires_payment_before_submission",
            "instructions",
            "is_active",
        ]


class CatalogueSheetForm(forms.Form):
    agency = forms.CharField(
        label=_("Agency"), help_text=_("Its electronic identifier code (e.g. 000.01.25.H25) or its exact name.")
    )
    file = forms.FileField(label=_("CSV or XLSX file"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], required=False)


@admin.register(AgencyProcedure)
class AgencyProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = AgencyProcedureForm
    change_list_template = "admin/catalog/agencyprocedure/change_list.html"
    list_display = ("procedure", "agency", "online_level", "offers_postal_return", "offers_online_payment", "is_active")
    list_filter = ("online_level", "is_active", "offers_online_payment")
    search_fields = ("procedure__code", "agency__search_text")
    autocomplete_fields = ("agency", "competent_agency", "procedure")
    list_select_related = ("procedure", "agency")

    def save_model(self, request: HttpRequest, obj: AgencyProcedure, form: AgencyProcedureForm, change: bool) -> None:
        data = form.cleaned_data
        saved = services.configure_procedure(
            agency=data["agency"],
            procedure=data["procedure"],
            competent_agency=data.get("competent_agency"),
            online_level=data["online_level"],
            offers_postal_return=data["offers_postal_return"],
            offers_online_payment=data["offers_online_payment"],
            requires_payment_before_submission=data["requires_payment_before_submission"],
            instructions=data.get("instructions") or "",
            is_active=data["is_active"],
        )
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def get_urls(self) -> list[Any]:
        return [
            path("bang-tinh/", self.admin_site.admin_view(self.sheet_view), name="catalog_agencyprocedure_sheet"),
            *super().get_urls(),
        ]

    def sheet_view(self, request: HttpRequest) -> HttpResponseBase:
        """Export an agency's catalogue as CSV/XLSX, or import one (docs/howto/agency-catalogue.md)."""
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = CatalogueSheetForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and (agency := _agency(form)) is not None:
            upload = form.cleaned_data.get("file")
            if upload is None:
                rows = spreadsheets.export_rows(agency)
                if form.cleaned_data.get("format") == "csv":
                    body, kind, ext = spreadsheets.write_csv(rows), "text/csv; charset=utf-8", "csv"
                else:
                    body, kind = spreadsheets.write_xlsx(rows), spreadsheets.XLSX_CONTENT_TYPE
                    ext = "xlsx"
                response = HttpResponse(body, content_type=kind)
                response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc-{agency.pk}.{ext}"'
                return response
            try:
                count = spreadsheets.import_catalogue(agency, spreadsheets.read_rows(upload, upload.name))
            except spreadsheets.SpreadsheetError as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d procedure configured.", "%(count)d procedures configured.", count)
                    % {"count": count},
                )
                return redirect(reverse("admin:catalog_agencyprocedure_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Agency catalogue as a spreadsheet"),
            "columns": spreadsheets.COLUMNS,
        }
        return render(request, "admin/catalog/agencyprocedure/sheet.html", context)


class StepFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """Checks the steps together: stages without gaps, budgets within the legal limit."""

    def step_specs(self) -> list[StepSpec]:
        return [
            StepSpec(
                stage=data["stage"],
                name=data["name"],
                unit_id=data["unit"].pk,
                role=data["role"],
                budget_amount=data["budget_amount"],
                budget_unit=data["budget_unit"],
                task=data.get("task") or "",
            )
            for form in self.forms
            if (data := form.cleaned_data) and not data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        steps = self.step_specs()
        process: InternalProcess = self.instance
        if getattr(process, "agency_procedure_id", None) is None:
            return  # the process's own form is in error; it says so
        try:
            services.check_process(
                agency_procedure=process.agency_procedure, variant_code=process.variant_code, steps=steps
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class StepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcessStep
    formset = StepFormSet
    extra = 1
    fields = ("stage", "name", "unit", "role", "budget_amount", "budget_unit", "task")
    autocomplete_fields = ("unit",)


class ProcessImportForm(forms.Form):
    file = forms.FileField(label=_("JSON file"))


@admin.register(InternalProcess)
class InternalProcessAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "agency_procedure", "variant_code", "updated_at")
    search_fields = ("name", "agency_procedure__procedure__code")
    autocomplete_fields = ("agency_procedure",)
    list_select_related = ("agency_procedure__procedure", "agency_procedure__agency")
    inlines = (StepInline,)
    actions = ("export_json",)
    change_list_template = "admin/catalog/internalprocess/change_list.html"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The steps are replaced as a whole by the service, which checks them once more.
        process: InternalProcess = form.instance
        formset = next(formset for formset in formsets if isinstance(formset, StepFormSet))
        steps = formset.step_specs()
        # The admin's change message reads what the formset saved; the service replaced all steps.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        services.save_process(
            agency_procedure=process.agency_procedure,
            variant_code=process.variant_code,
            name=process.name,
            note=process.note,
            steps=steps,
        )

    @admin.action(description=_("Export the selected processes as JSON"))
    def export_json(self, request: HttpRequest, queryset: QuerySet[InternalProcess]) -> HttpResponse:
        exported = [services.export_process(process) for process in queryset]
        body = json.dumps(exported[0] if len(exported) == 1 else exported, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="quy-trinh-noi-bo.json"'
        return response

    def get_urls(self) -> list[Any]:
        return [
            path("nhap/", self.admin_site.admin_view(self.import_view), name="catalog_internalprocess_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponseBase:
        """Upload a JSON file (one process or a list of them); all are stored or none."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ProcessImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                saved = services.import_processes(data)
            except (UnicodeDecodeError, json.JSONDecodeError):
                form.add_error("file", _("This file is not JSON text."))
            except ValidationError as error:
                for message in _messages(error):
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d process imported.", "%(count)d processes imported.", len(saved))
                    % {"count": len(saved)},
                )
                return redirect(reverse("admin:catalog_internalprocess_changelist"))
        context = {**self.admin_site.each_context(request), "form": form, "title": _("Import internal processes")}
        return render(request, "admin/catalog/internalprocess/import.html", context)


def _agency(form: CatalogueSheetForm) -> Agency | None:
    """The agency the form names by identifier code or exact name; a form error otherwise."""
    reference = form.cleaned_data["agency"].strip()
    found = Agency.objects.filter(codes__code=reference).first() or Agency.objects.filter(name=reference).first()
    if found is None:
        form.add_error("agency", _("No agency has this identifier code or name."))
    return found


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, texts in error.message_dict.items() for message in texts]
    return list(error.messages)
