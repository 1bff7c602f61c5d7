"""The signed-in citizen's own dossiers: the list, a page per dossier, and what they may do on it.

On a dossier the applicant answers a supplement request by uploading what is missing
(Decree 118/2025/NĐ-CP Art. 17, 19.5), asks to stop the procedure before the decision
(Art. 21), downloads the result when it was returned online (Art. 22), and rates the service
once, after the result (Art. 33). Only the applicant's own dossiers are found; any other is
"not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.catalog.models import fee_items
from motcua.dossiers.checklist import get_checklist
from motcua.dossiers.models import DeliveryMethod, Dossier, DossierState
from motcua.feedback import services as feedback
from motcua.portal import queries
from motcua.portal.application import own_dossier
from motcua.portal.forms import RatingForm, StopForm, UploadForm
from motcua.workflow import services
from motcua.workflow.queries import get_clock, get_timeline
from motcua.workflow.services import WorkflowError
from motcua.workflow.transitions import Action, find

MAX_PAGE = 500


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    try:
        page = max(1, min(int(request.GET.get("trang", "1")), MAX_PAGE))
    except ValueError:
        page = 1
    rows, has_next = queries.list_my_dossiers(user, page=page)
    context = {"rows": rows, "page": page, "has_next": has_next, "has_previous": page > 1}
    return render(request, "portal/my_dossiers.html", context)


def dossier_context(request: HttpRequest, dossier: Dossier, **extra: object) -> dict[str, object]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    timeline = get_timeline(dossier, public=True)
    asked = [entry for entry in timeline if entry.to_state == DossierState.SUPPLEMENT_REQUESTED]
    supplementing = dossier.state == DossierState.SUPPLEMENT_REQUESTED
    rows = get_checklist(dossier) if supplementing else []
    return {
        "dossier": dossier,
        "state": DossierState(dossier.state),
        "clock": get_clock(dossier) if dossier.state != DossierState.DRAFT else None,
        "timeline": timeline,
        "files": get_checklist(dossier),
        "results": queries.list_results(dossier),
        "supplementing": supplementing,
        "asked": asked[-1].reason if supplementing and asked else "",
        "rows": rows,
        "missing": [row.component.name for row in rows if row.component.is_required and not row.is_done],
        "form": UploadForm(),
        "can_stop": find(dossier.state, Action.STOP) is not None,
        "can_rate": feedback.can_rate(user, dossier),
        "fees": fee_items(dossier.fee_items),
        "is_online_return": dossier.delivery_method == DeliveryMethod.ONLINE,
        **extra,
    }


@login_required
def dossier(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return render(request, "portal/dossier.html", dossier_context(request, own_dossier(request, dossier_id)))


@require_POST
@login_required
def send_supplement(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The applicant has uploaded what was asked: the dossier goes back to the agency."""
    found = own_dossier(request, dossier_id)
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    try:
        services.provide_supplement(dossier_id=found.pk, user=user)
    except WorkflowError as error:
        context = dossier_context(request, found, supplement_error=error.message)
        return render(request, "portal/dossier.html", context, status=422)
    messages.success(request, _("Your documents have been sent to the agency."))
    return redirect("portal:my_dossier", dossier_id=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Ask to stop the procedure (Art. 21): a reason is needed, and it cannot be undone."""
    found = own_dossier(request, dossier_id)
    if find(found.state, Action.STOP) is None:
        return redirect("portal:my_dossier", dossier_id=found.pk)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - login_required
        try:
            services.stop(dossier_id=found.pk, user=user, reason=form.cleaned_data["reason"])
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The procedure has been stopped as you asked."))
            return redirect("portal:my_dossier", dossier_id=found.pk)
    return render(request, "portal/stop.html", {"dossier": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Rate the service once, after the result (Art. 33)."""
    found = own_dossier(request, dossier_id)
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    if not feedback.can_rate(user, found):
        return render(request, "portal/rate_closed.html", {"dossier": found})
    online = found.channel == "online"
    form = RatingForm(request.POST or None, online=online)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = feedback.Answers(
            timeliness=data["timeliness"],
            procedure_accuracy=data["procedure_accuracy"],
            staff_attitude=data["staff_attitude"],
            result_lawfulness=data["result_lawfulness"],
            agencies_contacted=data["agencies_contacted"],
            contacts_needed=data["contacts_needed"],
            extra_costs_asked=data["extra_costs_asked"],
            complaint_handling=data.get("complaint_handling"),
            online_service=data.get("online_service"),
            comment=data["comment"],
        )
        try:
            feedback.rate_dossier(dossier=found, user=user, answers=answers)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your rating has been recorded."))
            return redirect("portal:my_dossier", dossier_id=found.pk)
    return render(request, "portal/rate.html", {"dossier": found, "form": form})
