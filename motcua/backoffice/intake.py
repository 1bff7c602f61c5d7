"""Counter intake at the one-stop desk (Decree 118/2025/NĐ-CP Art. 17): find, enter, check, decide.

1. Find the procedure among those the officer's desks receive (any agency of the province: Art. 14.2).
2. Enter the applicant and the case: a draft is started (a one-time token makes a double click harmless).
3. Tick what was handed over (originals and copies of each component) and attach the scans of the
   papers (``workflow.attach_scans``), then receive the dossier (the receipt is printed from the
   dossier page), ask for a supplement (form 02) or refuse it (form 03). A required component not
   handed over refuses reception with its name. The scans are kept in the same request before the
   decision, so that a decision refused leaves them on the draft, listed, never to be sent twice.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.backoffice.forms import ApplicantForm, DocumentsForm, ProcedureSearchForm
from motcua.backoffice.views import _dossier, _officer, error_status, staff_required
from motcua.catalog.channels import Channel
from motcua.catalog.models import Variant
from motcua.dossiers.checklist import get_checklist
from motcua.dossiers.models import AttachmentPurpose, DossierState
from motcua.workflow import queues
from motcua.workflow import services as workflow


@staff_required
def find_procedure(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    form = ProcedureSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "backoffice/intake_search.html",
        {
            "form": form,
            "offers": queues.list_counter_offers(officer, search=search),
            "has_desk": queues.list_desks(officer).exists(),
        },
    )


@staff_required
def enter_applicant(request: HttpRequest, offer_id: int) -> HttpResponse:
    officer = _officer(request)
    found = queues.get_counter_offer(officer, offer_id)
    if found is None:
        raise Http404
    desks = queues.list_desks(officer)
    variants = Variant.objects.filter(version=found.version).order_by("position", "pk")
    if request.method == "POST":
        form = ApplicantForm(request.POST, desks=desks, variants=variants)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dossier = workflow.start_draft(
                    agency_procedure=found.offer,
                    variant=data["variant"],
                    channel=Channel.COUNTER,
                    receiving_unit=data["receiving_unit"],
                    applicant=workflow.ApplicantDetails(
                        name=data["name"], id_number=data["id_number"], phone=data["phone"], address=data["address"]
                    ),
                    applicant_user=None,
                    created_by=officer,
                    delivery_method=data["delivery_method"],
                    delivery_address=data["delivery_address"],
                    idempotency_key=f"counter:{data['token']}",
                )
            except workflow.WorkflowError as error:
                form.add_error(None, error.message)
            else:
                return redirect("backoffice:intake_documents", dossier_id=dossier.pk)
        status = 400
    else:
        default_variant = variants.filter(is_default=True).first() or variants.first()
        form = ApplicantForm(
            desks=desks,
            variants=variants,
            initial={"token": secrets.token_urlsafe(24), "receiving_unit": desks.first(), "variant": default_variant},
        )
        status = 200
    return render(request, "backoffice/intake_applicant.html", {"form": form, "found": found}, status=status)


@staff_required
def check_documents(request: HttpRequest, dossier_id: int) -> HttpResponse:
    officer = _officer(request)
    dossier = _dossier(officer, dossier_id)
    if dossier.state != DossierState.DRAFT:
        return redirect("backoffice:dossier", dossier_id=dossier.pk)
    components = [row.component for row in get_checklist(dossier, purposes=())]
    error, status, version = "", 200, dossier.lock_version
    if request.method == "POST":
        form = DocumentsForm(request.POST, request.FILES, components=components)
        is_valid = form.is_valid()
        posted = form.cleaned_data.get("expected_version")
        version = dossier.lock_version if posted is None else posted
        try:
            # The scans are kept first, whatever becomes of the decision: a file is never chosen twice.
            if posted is not None:
                version = _attach_scans(officer, dossier.pk, form, posted)
            if is_valid and not form.errors:
                _decide(officer, dossier.pk, form, version)
        except workflow.WorkflowError as refused:
            error, status = refused.message, error_status(refused)
            dossier.refresh_from_db()
        else:
            if is_valid and not form.errors:
                messages.success(request, _("The decision is recorded. Print the slip for the applicant."))
                return redirect("backoffice:dossier", dossier_id=dossier.pk)
            status = 400
    else:
        form = DocumentsForm(components=components, initial={"expected_version": dossier.lock_version})
    files = {row.component.pk: row.files for row in get_checklist(dossier, purposes=[AttachmentPurpose.SCAN])}
    context = {"form": form, "rows": form.component_rows(files), "dossier": dossier, "version": version, "error": error}
    return render(request, "backoffice/intake_documents.html", context, status=status)


def _attach_scans(officer: User, dossier_id: int, form: DocumentsForm, version: int) -> int:
    """Keep the scans chosen; a refused file is said at its component. The dossier's version after."""
    scans = [workflow.Scan(component, handle, handle.name or "") for component, handle in form.scans()]
    if not scans:
        return version
    done = workflow.attach_scans(dossier_id=dossier_id, user=officer, scans=scans, expected_version=version)
    for component, reasons in done.refused.items():
        for reason in reasons:
            form.add_error(f"scans_{component}", reason)
    return done.dossier.lock_version


def _decide(officer: User, dossier_id: int, form: DocumentsForm, version: int) -> None:
    data = form.cleaned_data
    if data["decision"] == DocumentsForm.RECEIVE:
        documents = [workflow.ReceivedDocument(pk, originals, copies) for pk, originals, copies in form.counts()]
        workflow.receive_at_counter(dossier_id=dossier_id, user=officer, documents=documents, expected_version=version)
    elif data["decision"] == DocumentsForm.SUPPLEMENT:
        missing = [line.strip() for line in data["missing"].splitlines() if line.strip()]
        workflow.request_supplement(
            dossier_id=dossier_id, user=officer, reason=data["reason"], missing=missing, expected_version=version
        )
    else:
        workflow.refuse(dossier_id=dossier_id, user=officer, reasons=data["reason"], expected_version=version)
