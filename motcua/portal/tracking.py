"""The public tracking page: anyone holding the receipt follows the dossier without an account.

The receipt's QR code opens ``/tra-cuu/<code>/``; the page then asks for the lookup code printed
beside it (the second factor). A wrong pair and an unknown code get the same answer, wrong
answers are limited per address (``lookup_limits``), and the page shows only what the applicant
needs: the status, the appointment, what is missing, and a timeline without officers' names.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.dossiers.models import DossierState
from motcua.portal import lookup_limits
from motcua.portal.forms import TrackingForm
from motcua.workflow.queries import DossierNotFound, TimelineEntry, access_by_lookup, get_clock, get_timeline


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str = "") -> HttpResponse:
    if request.method == "GET":
        form = TrackingForm(initial={"code": code})
        return render(request, "portal/tracking.html", {"form": form})
    if lookup_limits.is_blocked(request):
        return render(request, "portal/tracking_blocked.html", status=429)
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/tracking.html", {"form": form})
    try:
        dossier = access_by_lookup(code=form.cleaned_data["code"], lookup_secret=form.cleaned_data["lookup_secret"])
    except DossierNotFound:
        lookup_limits.record_failure(request)
        form.add_error(
            None,
            _(
                "No dossier matches this dossier code and lookup code. Check both against your receipt "
                "(letters and digits that look alike are told apart: 0 is never used, nor the letter O)."
            ),
        )
        return render(request, "portal/tracking.html", {"form": form})
    timeline = get_timeline(dossier, public=True)
    context = {
        "dossier": dossier,
        "state": DossierState(dossier.state),
        "clock": get_clock(dossier),
        "timeline": timeline,
        "missing": _pending_supplement(dossier.state, timeline),
    }
    return render(request, "portal/tracking_status.html", context)


def _pending_supplement(state: str, timeline: list[TimelineEntry]) -> str:
    """What the agency asked for, while the dossier waits for it."""
    if state != DossierState.SUPPLEMENT_REQUESTED:
        return ""
    asked = [entry for entry in timeline if entry.to_state == DossierState.SUPPLEMENT_REQUESTED]
    return asked[-1].reason if asked else ""
