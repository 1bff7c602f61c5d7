"""Acting on several dossiers of a queue at once: the desk hands the received ones to processing.

The dossiers ticked are transferred together (``workflow.act_on_many``: one transaction, each
dossier checked as its own page's action would check it, with the version the queue showed, so a
dossier changed meanwhile is refused, not overwritten): one that cannot go does not hold back the
others, and the officer is told which went and which did not, and why.
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
from motcua.workflow.transitions import Action

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
    visible: dict[int, str] = {}
    for dossier_id, _version in picked:
        try:
            dossier = access_dossier(officer, dossier_id=dossier_id)
        except DossierNotFound:
            messages.error(request, _("Dossier no. %(id)d is not one you can see.") % {"id": dossier_id})
            continue
        visible[dossier.pk] = dossier.code or str(dossier.pk)
    outcome = workflow.act_on_many(
        action=Action.TRANSFER,
        dossier_ids=list(visible),
        user=officer,
        expected_versions={pk: version for pk, version in picked if pk in visible},
    )
    for pk, error in outcome.refused.items():
        messages.error(
            request, _("%(code)s was not transferred: %(reason)s") % {"code": visible[pk], "reason": error.message}
        )
    done = [visible[dossier.pk] for dossier in outcome.done]
    if done:
        messages.success(
            request,
            _("Transferred to processing (%(n)d): %(codes)s.") % {"n": len(done), "codes": ", ".join(done)},
        )
    return back
