"""Acting on several dossiers of a queue at once: the desk hands the received ones to processing.

Each dossier ticked goes through the same lifecycle service as its own page (``workflow.transfer``,
with the version the queue showed, so a dossier changed meanwhile is refused, not overwritten),
each in its own transaction: one that cannot go does not hold back the others, and the officer
is told which went and which did not, and why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.views import _officer, staff_required
from motcua.workflow import queues
from motcua.workflow import services as workflow
from motcua.workflow.queries import DossierNotFound, access_dossier

#: Dossiers one request may carry: a queue page.
MAX_SELECTED = queues.PAGE_SIZE


def picked_dossiers(values: list[str]) -> list[tuple[int, int]] | None:
    """The ticked boxes ("<dossier id>:<version shown>"), in order, once each; None if one is not such a value."""
    picked: dict[int, int] = {}
    for value in values:
        pk, _sep, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None
        picked.setdefault(int(pk), int(version))
    return list(picked.items())


@require_POST
@staff_required
def transfer_selected(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    back = redirect("backoffice:queue", queue=queues.Queue.TO_TRANSFER)
    picked = picked_dossiers(request.POST.getlist("dossier"))
    if not picked:
        messages.error(request, _("Tick at least one dossier."))
        return back
    if len(picked) > MAX_SELECTED:
        messages.error(request, _("Tick at most %(n)d dossiers at a time.") % {"n": MAX_SELECTED})
        return back
    done: list[str] = []
    for dossier_id, version in picked:
        try:
            dossier = access_dossier(officer, dossier_id=dossier_id)
        except DossierNotFound:
            messages.error(request, _("Dossier no. %(id)d is not one you can see.") % {"id": dossier_id})
            continue
        label = dossier.code or str(dossier.pk)
        try:
            workflow.transfer(dossier_id=dossier.pk, user=officer, expected_version=version)
        except workflow.WorkflowError as error:
            messages.error(
                request, _("%(code)s was not transferred: %(reason)s") % {"code": label, "reason": error.message}
            )
        else:
            done.append(label)
    if done:
        messages.success(
            request,
            _("Transferred to processing (%(n)d): %(codes)s.") % {"n": len(done), "codes": ", ".join(done)},
        )
    return back
