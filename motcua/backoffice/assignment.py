"""The leader's page and the sharing out of the work: approvals waiting, late work, the steps in hand.

Decree 118/2025/NĐ-CP Arts. 18–19: the leader directs the processing and the head of a department
assigns its officials. Whoever may assign work in a unit (``Capability.ASSIGN``) sees on this page
the steps in hand there, with who has each and when it is due, and gives a step to one officer or
to another department of the agency, saying why (``services.reassign_step``). The choices offered
are those the service accepts (``workflow.assignments``). A refusal is shown on the page in words:
HTTP 409 when the dossier changed since the page was loaded (reload), 403 when the officer may not
assign there, 400 otherwise; a success returns to the page with a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.backoffice.forms import ActionForm
from motcua.backoffice.views import _dossier, _officer, error_status, staff_required
from motcua.workflow import queues
from motcua.workflow import services as workflow
from motcua.workflow.assignments import (
    AssignmentTarget,
    get_step,
    list_assignable_officers,
    list_assignment_targets,
    list_steps_to_assign,
)
from motcua.workflow.models import DossierStep
from motcua.workflow.services.assignment import check_assignable


class ReassignForm(ActionForm):
    """Give a step in hand to a unit as a whole or to one of its officers (choices: ``workflow.assignments``)."""

    target = forms.ChoiceField(label=gettext_lazy("Give the step to"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 30})
    )

    def __init__(self, *args: Any, targets: Sequence[AssignmentTarget] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {target.key: target for target in targets}
        groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
        for target in targets:
            if target.officer is not None:
                label = target.officer.get_full_name()
            else:
                label = _("Anyone in %(unit)s") % {"unit": target.unit.name}
            groups.setdefault(target.unit.pk, (target.unit.name, []))[1].append((target.key, label))
        self.fields["target"].choices = list(groups.values())  # type: ignore[attr-defined]

    def clean_target(self) -> AssignmentTarget:
        return self.targets[self.cleaned_data["target"]]  # the choice field lets only these keys through


def _form(step: DossierStep, targets: Sequence[AssignmentTarget], data: Any = None) -> ReassignForm:
    current = f"{step.unit_id}:{step.assignee_id or ''}"
    return ReassignForm(
        data,
        prefix=f"step{step.pk}",
        targets=targets,
        initial={"expected_version": step.dossier.lock_version, "target": current},
    )


def _leader_page(
    request: HttpRequest,
    officer: User,
    *,
    bound: tuple[int, ReassignForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    steps = list_steps_to_assign(officer)
    targets = list_assignment_targets(officer, steps)
    to_assign = [
        {
            "step": step,
            "form": bound[1] if bound is not None and bound[0] == step.pk else _form(step, targets.get(step.pk, [])),
        }
        for step in steps
    ]
    context = {
        "approvals": queues.list_approvals_waiting(officer),
        "overdue": queues.count_overdue_by_unit(officer, now=now),
        "to_assign": to_assign,
        "error": error,
        "now": now,
    }
    return render(request, "backoffice/leader.html", context, status=status)


@staff_required
def leader_page(request: HttpRequest) -> HttpResponse:
    return _leader_page(request, _officer(request))


@require_POST
@staff_required
def reassign_step(request: HttpRequest, dossier_id: int, step_id: int) -> HttpResponse:
    """Give one step to the unit or officer chosen, with the reason (the service checks everything again)."""
    officer = _officer(request)
    dossier = _dossier(officer, dossier_id)
    step = get_step(dossier_id=dossier.pk, step_id=step_id)
    if step is None:
        raise Http404
    try:
        check_assignable(officer, step)
    except workflow.WorkflowError as error:
        return _leader_page(request, officer, error=error.message, status=error_status(error))
    form = _form(step, list_assignable_officers(officer, step), request.POST)
    if not form.is_valid():
        return _leader_page(request, officer, bound=(step.pk, form), status=400)
    target: AssignmentTarget = form.cleaned_data["target"]
    try:
        workflow.reassign_step(
            dossier_id=dossier.pk,
            step_id=step.pk,
            user=officer,
            assignee=target.officer,
            unit=target.unit,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except workflow.WorkflowError as error:
        return _leader_page(request, officer, bound=(step.pk, form), error=error.message, status=error_status(error))
    whom = target.officer.get_full_name() if target.officer is not None else target.unit.name
    messages.success(
        request,
        _("Step “%(step)s” of dossier %(code)s is now with %(whom)s.")
        % {"step": step.name, "code": dossier.code or dossier.pk, "whom": whom},
    )
    return redirect("backoffice:leader")
