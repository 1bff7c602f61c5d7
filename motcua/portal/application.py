"""Applying online, one question per page, for a signed-in citizen.

The draft is a real dossier from the first page on (``start_draft``), so it can be continued
later from "my dossiers". Reception is boundary-free inside the province (Decree 118/2025/NĐ-CP
Art. 14.2): any one-stop unit of it may be chosen. Files are checked as soon as they are sent
(``dossiers.attachments``: type by content, size), and the refusal is said in plain words.

Both the first page and the last carry a one-time key: a double click or a retry on the first
creates one draft, and on the last submits it once and shows the same dossier code
(``start_draft`` and ``submit`` are idempotent on it).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.catalog.channels import Channel
from motcua.catalog.models import fee_items
from motcua.dossiers.attachments import AttachmentRefused, store_attachment, withdraw_attachment
from motcua.dossiers.checklist import get_checklist
from motcua.dossiers.models import Attachment, AttachmentPurpose, DeliveryMethod, Dossier, DossierState
from motcua.portal import queries
from motcua.portal.forms import ApplicantForm, DeliveryForm, ReceivingUnitForm, SubmitForm, UploadForm, VariantForm
from motcua.workflow import services
from motcua.workflow.queries import DossierNotFound, access_dossier
from motcua.workflow.services import ApplicantDetails, WorkflowError


def own_dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    """The signed-in citizen's own dossier; "not found" for anyone else's (staff included)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    try:
        dossier = access_dossier(user, dossier_id=dossier_id)
    except DossierNotFound as error:
        raise Http404 from error
    if dossier.applicant_id != user.pk:
        raise Http404
    return dossier


def _draft(request: HttpRequest, dossier_id: int) -> Dossier:
    dossier = own_dossier(request, dossier_id)
    if dossier.state != DossierState.DRAFT:
        raise _Submitted(dossier)
    return dossier


class _Submitted(Exception):
    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier


def _step(name: str, dossier: Dossier) -> HttpResponseRedirect:
    return redirect(f"portal:apply_{name}", dossier_id=dossier.pk)


def draft_page(view: Callable[[HttpRequest, Dossier], HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the draft: signed in, the citizen's own draft; once submitted, its confirmation."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, dossier_id: int) -> HttpResponse:
        try:
            dossier = _draft(request, dossier_id)
        except _Submitted as submitted:
            return _step("done", submitted.dossier)
        return view(request, dossier)

    return wrapper


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str, agency_procedure_id: int) -> HttpResponse:
    """First page: where to lodge the dossier; creates the draft."""
    offer = queries.get_online_offer(code, agency_procedure_id)
    if offer is None:
        raise Http404
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    units = queries.list_receiving_units(offer, on=timezone.localdate())
    default = queries.default_receiving_unit(offer, units)
    choices = [(unit.pk, unit.name) for unit in units]
    if request.method == "GET":
        form = ReceivingUnitForm(
            units=choices, initial={"unit": default.pk if default else None, "key": uuid.uuid4().hex}
        )
    else:
        form = ReceivingUnitForm(request.POST, units=choices)
        if form.is_valid():
            variants = queries.list_variants_of(offer)
            unit = next(unit for unit in units if unit.pk == form.cleaned_data["unit"])
            try:
                dossier = services.start_draft(
                    agency_procedure=offer,
                    variant=variants[0],
                    channel=Channel.ONLINE,
                    receiving_unit=unit,
                    applicant=_details_of(user),
                    applicant_user=user,
                    created_by=user,
                    delivery_method=DeliveryMethod.ONLINE,
                    idempotency_key=form.cleaned_data["key"] or None,
                )
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                if dossier.applicant_id != user.pk:
                    raise Http404
                return _step("variant" if len(variants) > 1 else "applicant", dossier)
    context = {"form": form, "offer": offer, "version": queries.get_current_version(offer)}
    return render(request, "portal/apply/unit.html", context)


def _details_of(user: User) -> ApplicantDetails:
    return ApplicantDetails(
        name=user.full_name or user.get_username(),
        id_number=user.personal_id or user.tax_code or "",
        phone=user.phone,
        email=user.email,
    )


@draft_page
@require_http_methods(["GET", "POST"])
def unit(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Change where the draft is lodged."""
    units = queries.list_receiving_units(dossier.agency_procedure, on=timezone.localdate())
    form = ReceivingUnitForm(
        request.POST or None, units=[(u.pk, u.name) for u in units], initial={"unit": dossier.receiving_unit_id}
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(u for u in units if u.pk == form.cleaned_data["unit"])
        if _update(request, form, dossier, receiving_unit=chosen):
            return _step("check", dossier)
    return render(
        request, "portal/apply/unit.html", {"form": form, "dossier": dossier, "offer": dossier.agency_procedure}
    )


def _update(request: HttpRequest, form: object, dossier: Dossier, **changes: object) -> bool:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    try:
        services.update_draft(dossier_id=dossier.pk, user=user, **changes)  # type: ignore[arg-type]
    except WorkflowError as error:
        form.add_error(None, error.message)  # type: ignore[attr-defined]
        return False
    return True


@draft_page
@require_http_methods(["GET", "POST"])
def variant(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Which case of the procedure applies (skipped when there is only one)."""
    variants = queries.list_variants(dossier.procedure_version)
    if len(variants) < 2:
        return _step("applicant", dossier)
    form = VariantForm(
        request.POST or None, variants=[(v.pk, v.name) for v in variants], initial={"variant": dossier.variant_id}
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(v for v in variants if v.pk == form.cleaned_data["variant"])
        if _update(request, form, dossier, variant=chosen):
            return _step("applicant", dossier)
    return render(request, "portal/apply/variant.html", {"form": form, "dossier": dossier})


@draft_page
@require_http_methods(["GET", "POST"])
def applicant(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Who applies: prefilled from the account, editable."""
    initial = {
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "representative_name": dossier.representative_name,
        "representative_id_number": dossier.representative_id_number,
        "representative_relation": dossier.representative_relation,
    }
    form = ApplicantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = ApplicantDetails(kind=dossier.applicant_kind, **form.cleaned_data)
        if _update(request, form, dossier, applicant=details):
            return _step("documents", dossier)
    return render(request, "portal/apply/applicant.html", {"form": form, "dossier": dossier})


@draft_page
@require_http_methods(["GET"])
def documents(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """The checklist of documents, each with its upload."""
    return render(request, "portal/apply/documents.html", _documents_context(dossier))


def _documents_context(dossier: Dossier, **extra: object) -> dict[str, object]:
    rows = get_checklist(dossier)
    return {
        "dossier": dossier,
        "rows": rows,
        "missing": [row.component.name for row in rows if row.component.is_required and not row.is_done],
        "form": UploadForm(),
        **extra,
    }


def _files_target(dossier: Dossier) -> tuple[str, str, str]:
    """Which files the applicant is giving now (purpose, full page, page to go back to): a draft's,
    or a supplement asked for; "not found" otherwise."""
    if dossier.state == DossierState.DRAFT:
        return AttachmentPurpose.APPLICATION, "portal/apply/documents.html", "portal:apply_documents"
    if dossier.state == DossierState.SUPPLEMENT_REQUESTED:
        return AttachmentPurpose.SUPPLEMENT, "portal/dossier.html", "portal:my_dossier"
    raise Http404


def _on_checklist(dossier: Dossier, component_id: int) -> bool:
    """Whether ``component_id`` is a document the dossier's case asks for."""
    return any(row.component.pk == component_id for row in get_checklist(dossier))


def _component_fragment(
    request: HttpRequest, dossier: Dossier, component_id: int, purpose: str, **extra: object
) -> HttpResponse:
    """One document's row swapped in (htmx), and the draft's list of what is still required with it."""
    rows = get_checklist(dossier)
    context = {
        "dossier": dossier,
        "row": next(row for row in rows if row.component.pk == component_id),  # callers checked _on_checklist
        "form": UploadForm(),
        "purpose": purpose,
        "missing": [row.component.name for row in rows if row.component.is_required and not row.is_done],
        **extra,
    }
    return render(request, "portal/apply/_uploaded.html", context)


@require_POST
@login_required
def upload(request: HttpRequest, dossier_id: int, component_id: int) -> HttpResponse:
    """Keep one file for one document, checked at once: a draft's, or a supplement asked for."""
    dossier = own_dossier(request, dossier_id)
    purpose, template, back = _files_target(dossier)
    if not _on_checklist(dossier, component_id):
        raise Http404
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        handle = form.cleaned_data["file"]
        try:
            store_attachment(
                dossier=dossier,
                handle=handle,
                name=handle.name,
                purpose=purpose,
                component_id=component_id,
                uploaded_by_id=request.user.pk,
            )
        except AttachmentRefused as refused:
            form.add_error("file", refused.messages[0])
    if request.headers.get("HX-Request") == "true":
        return _component_fragment(request, dossier, component_id, purpose, form=form)
    if form.errors:
        context = _documents_context(dossier, failed=component_id, failed_form=form)
        if purpose == AttachmentPurpose.SUPPLEMENT:
            from motcua.portal.my_dossiers import dossier_context

            context = {**dossier_context(request, dossier), "failed": component_id, "failed_form": form}
        return render(request, template, context, status=422)
    return redirect(back, dossier_id=dossier.pk)


@require_POST
@login_required
def remove_file(request: HttpRequest, dossier_id: int, component_id: int, attachment_id: int) -> HttpResponse:
    """Take back a file given by mistake, while the agency has not received it (``can_withdraw``)."""
    dossier = own_dossier(request, dossier_id)
    given = Attachment.objects.filter(dossier=dossier, component_id=component_id, pk=attachment_id)
    if not given.exists() or not _on_checklist(dossier, component_id):
        raise Http404
    htmx = request.headers.get("HX-Request") == "true"
    try:
        removed = withdraw_attachment(dossier=dossier, attachment_id=attachment_id)
    except AttachmentRefused as refused:
        refusal = refused.messages[0]
    else:
        refusal = ""
    giving_files = dossier.state in (DossierState.DRAFT, DossierState.SUPPLEMENT_REQUESTED)
    if htmx and giving_files:
        return _component_fragment(request, dossier, component_id, _files_target(dossier)[0], removal_error=refusal)
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, _("“%(name)s” has been removed.") % {"name": removed.original_name})
    # A page left open while the dossier was sent: say so on the dossier's own page.
    url = reverse(_files_target(dossier)[2] if giving_files else "portal:my_dossier", args=[dossier.pk])
    return HttpResponse(status=204, headers={"HX-Redirect": url}) if htmx else redirect(url)


@draft_page
@require_http_methods(["GET", "POST"])
def delivery(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """How the result comes back: at the counter, by post (where offered), or online."""
    methods = [
        (DeliveryMethod.ONLINE.value, str(DeliveryMethod.ONLINE.label)),
        (DeliveryMethod.COUNTER.value, str(DeliveryMethod.COUNTER.label)),
    ]
    if dossier.agency_procedure.offers_postal_return:
        methods.append((DeliveryMethod.POST.value, str(DeliveryMethod.POST.label)))
    form = DeliveryForm(
        request.POST or None,
        methods=methods,
        initial={"method": dossier.delivery_method, "address": dossier.delivery_address or dossier.applicant_address},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _update(
            request,
            form,
            dossier,
            delivery_method=form.cleaned_data["method"],
            delivery_address=form.cleaned_data["address"],
        )
    ):
        return _step("check", dossier)
    return render(request, "portal/apply/delivery.html", {"form": form, "dossier": dossier})


@draft_page
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """Check your answers, pay first where the agency asks it, then submit once."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    form = SubmitForm(request.POST or None, initial={"key": dossier.idempotency_key or uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            submitted = services.submit(
                dossier_id=dossier.pk,
                user=user,
                idempotency_key=form.cleaned_data["key"],
                expected_version=None,
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            return _step("done", submitted)
    rows = get_checklist(dossier)
    context = {
        "form": form,
        "dossier": dossier,
        "rows": rows,
        "missing": [row.component.name for row in rows if row.component.is_required and not row.is_done],
        "fees": fee_items(dossier.fee_items),
        "must_pay_first": dossier.agency_procedure.requires_payment_before_submission and dossier.fees_outstanding > 0,
        "can_pay_online": dossier.agency_procedure.offers_online_payment and dossier.fees_outstanding > 0,
        "has_variants": len(queries.list_variants(dossier.procedure_version)) > 1,
    }
    return render(request, "portal/apply/check.html", context)


@login_required
def done(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The confirmation: the dossier code, the lookup code and the receipt."""
    dossier = own_dossier(request, dossier_id)
    if dossier.state == DossierState.DRAFT:
        return _step("check", dossier)
    return render(request, "portal/apply/done.html", {"dossier": dossier, "title": _("Your dossier has been sent")})


def continue_url(dossier: Dossier) -> str:
    """Where "continue" takes a draft: the checklist of documents, the page most often left half done."""
    return reverse("portal:apply_documents", args=[dossier.pk])
