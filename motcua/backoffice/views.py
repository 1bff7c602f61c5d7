"""The officers' pages: the queues, a dossier with the actions open to the officer (the leader's: assignment.py).

Every page is for staff holding a role (anyone else: sign in, or "forbidden"); a dossier is
obtained only through ``access_dossier`` (another agency's dossier is "not found"). An action is
one POST carrying the version the page showed; a refusal of the lifecycle is shown on the page
with its reason (HTTP 409 when someone changed the dossier meanwhile, 403 when the officer may
not act, 400 otherwise), a success redirects back to the dossier with a message. The signed
result file, not a change of state, has its own form, shown to whoever ``attach_result`` allows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.permissions import roles_of
from motcua.agencies.models import Agency
from motcua.backoffice.forms import (
    ACTION_FORMS,
    ActionForm,
    ForwardToAgenciesForm,
    QueueFilterForm,
    ResultFileForm,
    ReturnForm,
)
from motcua.dossiers.attachments import AttachmentRefused
from motcua.dossiers.models import Attachment, DeliveryMethod, Dossier, DossierState
from motcua.workflow import queues, slips
from motcua.workflow import services as workflow
from motcua.workflow.labels import ACTION_LABELS
from motcua.workflow.models import InterAgencyTask
from motcua.workflow.queries import (
    DossierNotFound,
    access_dossier,
    get_clock,
    get_timeline,
    list_available_actions,
    may_attach_result,
)
from motcua.workflow.transitions import Action

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed-in staff holding a role; others are sent to sign in, or told they may not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(request.user, User) or not roles_of(request.user):
            return render(request, "backoffice/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _officer(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # staff_required lets only staff here
        raise Http404
    return request.user


def _dossier(user: User, dossier_id: int) -> Dossier:
    try:
        return access_dossier(user, dossier_id=dossier_id)
    except DossierNotFound as error:
        raise Http404 from error


# The queues -------------------------------------------------------------------------------------


@staff_required
def queue_page(request: HttpRequest, queue: str = "") -> HttpResponse:
    officer = _officer(request)
    if not queue:  # the desk starts with the submissions to check, everyone else with their steps
        at_desk = any(held.role == StaffRoleName.RECEIVING_OFFICER for held in roles_of(officer))
        queue = queues.Queue.TO_CHECK if at_desk else queues.Queue.MY_STEPS
    try:
        chosen = queues.Queue(queue)
    except ValueError as error:
        raise Http404 from error
    form = QueueFilterForm(request.GET)
    search, after = "", None
    if form.is_valid():
        search = form.cleaned_data["q"]
        after = queues.Cursor.decode(form.cleaned_data["after"]) if form.cleaned_data["after"] else None
    now = timezone.now()
    counts = queues.count_queues(officer, now=now, search=search)
    page = queues.list_queue(officer, chosen, now=now, search=search, after=after)
    tabs = [(item, queues.QUEUE_LABELS[item], counts[item]) for item in queues.Queue]
    return render(
        request,
        "backoffice/queue.html",
        {
            "form": form,
            "tabs": tabs,
            "chosen": chosen,
            "page": page,
            "search": search,
            "now": now,
            # The received dossiers can be ticked and handed to processing together (bulk.py).
            "bulk": chosen is queues.Queue.TO_TRANSFER and bool(page.rows),
        },
    )


# The dossier ------------------------------------------------------------------------------------


def _slips(dossier: Dossier) -> list[tuple[str, str]]:
    """The slips that exist for the dossier as it stands (kinds of ``portal:slip``)."""
    found = []
    if dossier.received_at is not None:
        found += [("tiep-nhan", _("Receipt and appointment")), ("kiem-soat", _("Processing control sheet"))]
    if dossier.state == DossierState.SUPPLEMENT_REQUESTED:
        found.append(("bo-sung", _("Supplement request")))
    if dossier.state == DossierState.REFUSED:
        found.append(("tu-choi", _("Refusal notice")))
    if dossier.state == DossierState.STOPPED:
        found.append(("dung", _("Notice of stopping")))
    if dossier.extensions:
        found.append(("xin-loi", _("Apology and new appointment")))
    if dossier.state in slips.RESULT_STATES:
        if dossier.delivery_method == DeliveryMethod.POST:
            found.append(("nhan-buu-gui", _("Print the address label")))
        elif dossier.delivery_method == DeliveryMethod.COUNTER:
            found.append(("ban-giao", _("Print the result handover slip")))
    return found


def _forward_targets(dossier: Dossier) -> Any:
    """Agencies a step may ask (Art. 20): any agency outside the competent agency's own units."""
    competent = dossier.competent_agency
    own_units = Agency.objects.subtree_of([competent]).values("pk")
    return Agency.objects.exclude(pk__in=own_units).order_by("depth", "sort_name")


def _action_form(action: Action, dossier: Dossier, data: Any = None) -> ActionForm:
    form_class = ACTION_FORMS[action]
    initial = {"expected_version": dossier.lock_version}
    if form_class is ForwardToAgenciesForm:
        return ForwardToAgenciesForm(data, prefix=action.value, initial=initial, agencies=_forward_targets(dossier))
    if form_class is ReturnForm:
        by_post = dossier.delivery_method == DeliveryMethod.POST
        return ReturnForm(data, prefix=action.value, initial=initial, by_post=by_post)
    return form_class(data, prefix=action.value, initial=initial)


def _dossier_page(
    request: HttpRequest,
    officer: User,
    dossier: Dossier,
    *,
    bound: tuple[Action, ActionForm] | None = None,
    result_form: ResultFileForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    available = [action for action in list_available_actions(officer, dossier) if action in ACTION_FORMS]
    actions = []
    for action in available:
        form = bound[1] if bound is not None and bound[0] is action else _action_form(action, dossier)
        actions.append({"action": action.value, "label": ACTION_LABELS[action], "form": form})
    if result_form is None and may_attach_result(officer, dossier):
        result_form = ResultFileForm()
    context = {
        "dossier": dossier,
        "clock": get_clock(dossier),
        "timeline": get_timeline(dossier),
        "attachments": Attachment.objects.filter(dossier=dossier, is_withdrawn=False)
        .select_related("component")
        .order_by("uploaded_at", "pk"),
        "tasks": InterAgencyTask.objects.filter(dossier=dossier).select_related("agency").order_by("round", "order"),
        "actions": actions,
        "result_form": result_form,
        "slips": _slips(dossier),
        "error": error,
    }
    return render(request, "backoffice/dossier.html", context, status=status)


@staff_required
def dossier_page(request: HttpRequest, dossier_id: int) -> HttpResponse:
    officer = _officer(request)
    return _dossier_page(request, officer, _dossier(officer, dossier_id))


def _run(action: Action, dossier: Dossier, officer: User, data: dict[str, Any]) -> Dossier:
    """The one lifecycle service of ``action`` with the form's cleaned values."""
    common = {"dossier_id": dossier.pk, "user": officer, "expected_version": data["expected_version"]}
    if action is Action.RECEIVE:
        return workflow.receive(**common)
    if action is Action.TRANSFER:
        return workflow.transfer(**common)
    if action is Action.RESUME:
        return workflow.resume(**common)
    if action is Action.PROVIDE_SUPPLEMENT:
        return workflow.provide_supplement(**common)
    if action is Action.FORWARD:
        return workflow.forward(**common, note=data["note"])
    if action is Action.APPROVE:
        return workflow.approve(**common, note=data["note"])
    if action is Action.PAUSE:
        return workflow.pause(**common, reason=data["reason"])
    if action is Action.STOP:
        return workflow.stop(**common, reason=data["reason"])
    if action is Action.REFUSE:
        return workflow.refuse(**common, reasons=data["reasons"])
    if action is Action.REQUEST_SUPPLEMENT:
        return workflow.request_supplement(**common, reason=data["reason"], missing=data["missing"])
    if action is Action.SEND_BACK:
        return workflow.send_back(**common, to_stage=data["to_stage"], reason=data["reason"])
    if action is Action.FORWARD_TO_AGENCIES:
        return workflow.forward_to_agencies(**common, mode=data["mode"], tasks=data["tasks"])
    if action is Action.ANSWER_TASK:
        return workflow.answer_task(**common, answer=data["answer"])
    if action is Action.EXTEND:
        return workflow.extend(**common, new_appointment=data["new_appointment"], reason=data["reason"])
    if action is Action.RETURN_RESULT:
        return workflow.return_result(**common, postal_tracking_number=data.get("postal_tracking_number", ""))
    raise Http404  # not an action of this page


def error_status(error: workflow.WorkflowError) -> int:
    if isinstance(error, workflow.StaleDossier):
        return 409
    if isinstance(error, workflow.NotAllowed):
        return 403
    return 400


@require_POST
@staff_required
def act(request: HttpRequest, dossier_id: int, action: str) -> HttpResponse:
    officer = _officer(request)
    dossier = _dossier(officer, dossier_id)
    try:
        chosen = Action(action)
    except ValueError as error:
        raise Http404 from error
    if chosen not in ACTION_FORMS:
        raise Http404
    form = _action_form(chosen, dossier, request.POST)
    if not form.is_valid():
        return _dossier_page(request, officer, dossier, bound=(chosen, form), status=400)
    try:
        _run(chosen, dossier, officer, form.cleaned_data)
    except workflow.WorkflowError as error:
        dossier.refresh_from_db()
        return _dossier_page(
            request, officer, dossier, bound=(chosen, form), error=error.message, status=error_status(error)
        )
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[chosen]})
    return redirect("backoffice:dossier", dossier_id=dossier.pk)


@require_POST
@staff_required
def attach_result(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Attach the signed result file (the holder of the last step or a leader; the service decides)."""
    officer = _officer(request)
    dossier = _dossier(officer, dossier_id)
    form = ResultFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _dossier_page(request, officer, dossier, result_form=form, status=400)
    handle = form.cleaned_data["file"]
    try:
        workflow.attach_result(dossier_id=dossier.pk, user=officer, handle=handle, name=handle.name)
    except AttachmentRefused as refused:
        form.add_error("file", refused.messages[0])
        return _dossier_page(request, officer, dossier, result_form=form, status=400)
    except workflow.WorkflowError as error:
        return _dossier_page(request, officer, dossier, error=error.message, status=error_status(error))
    messages.success(request, _("The result file %(name)s is attached.") % {"name": handle.name})
    return redirect("backoffice:dossier", dossier_id=dossier.pk)
