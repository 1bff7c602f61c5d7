"""Downloads of a dossier's files and slips, only through the access check.

The applicant and the staff who may see the dossier (``workflow.queries.access_dossier``)
download its attachments and its standard slips as PDF; anyone else gets "not found". A file
whose fingerprint no longer matches is never served: the page says so (HTTP 409) and an
operator is needed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.accounts.models import User
from motcua.dossiers.attachments import AttachmentCorrupted, open_verified
from motcua.dossiers.models import Attachment, Dossier
from motcua.workflow import slips
from motcua.workflow.queries import DossierNotFound, access_dossier

SLIPS: dict[str, tuple[str, Callable[[Dossier], bytes]]] = {
    "tiep-nhan": ("giay-tiep-nhan", slips.receipt_pdf),
    "bo-sung": ("phieu-yeu-cau-bo-sung", slips.supplement_pdf),
    "tu-choi": ("phieu-tu-choi", slips.refusal_pdf),
    "xin-loi": ("van-ban-xin-loi", slips.apology_pdf),
    "dung": ("thong-bao-dung", slips.stop_notice_pdf),
    "kiem-soat": ("phieu-kiem-soat", slips.control_sheet_pdf),
    "nhan-buu-gui": ("nhan-buu-gui", slips.address_label_pdf),
    "ban-giao": ("phieu-ban-giao-ket-qua", slips.result_handover_pdf),
}


def _dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    if not isinstance(request.user, User):  # login_required lets only signed-in users here
        raise Http404
    try:
        return access_dossier(request.user, dossier_id=dossier_id)
    except DossierNotFound as error:
        raise Http404 from error


@login_required
def attachment(request: HttpRequest, dossier_id: int, attachment_id: int) -> HttpResponseBase:
    dossier = _dossier(request, dossier_id)
    found = Attachment.objects.filter(dossier=dossier, pk=attachment_id).first()
    if found is None:
        raise Http404
    try:
        content = open_verified(found)
    except (AttachmentCorrupted, FileNotFoundError):
        return render(request, "portal/file_unavailable.html", {"dossier": dossier}, status=409)
    return FileResponse(content, as_attachment=True, filename=found.original_name, content_type=found.content_type)


@login_required
def slip(request: HttpRequest, dossier_id: int, kind: str) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    if kind not in SLIPS:
        raise Http404
    name, build = SLIPS[kind]
    try:
        pdf = build(dossier)
    except slips.SlipUnavailable as error:
        return render(request, "portal/file_unavailable.html", {"dossier": dossier, "reason": str(error)}, status=409)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{dossier.code or dossier.pk}.pdf"'
    return response
