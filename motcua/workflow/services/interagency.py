"""Work for other agencies (Decree 118/2025/NĐ-CP Art. 20): tasks with their own deadlines, and their answers.

A step's holder forwards the dossier as tasks: to another level, which decides; to agencies of
the same level one after another (each with its transfer slip and deadline, Art. 20.2.a) or all
at once with a lead agency (Art. 20.3). Every task's deadline must fall within the dossier's
legal due moment. Each agency answers its own task; in order, the next one starts when the one
before has answered; when the last answer is in, processing goes on where it stood.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, DossierState
from motcua.notifications import topics
from motcua.workdays.workcalendar import WorkCalendar
from motcua.workflow import deadlines
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import (
    InterAgencyMode,
    InterAgencyTask,
    TaskState,
)
from motcua.workflow.services.core import Acting, Outcome, TransitionRefused, iso
from motcua.workflow.services.runner import run_transition
from motcua.workflow.transitions import Action


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One agency's part of a forwarding: its task and its budget in working hours."""

    agency: Agency
    task: str
    budget_hours: int
    is_lead: bool = False


def forward_to_agencies(
    *,
    dossier_id: int,
    user: User,
    mode: str,
    tasks: Sequence[TaskSpec],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Send work to other agencies (Art. 20); each task gets its own deadline within the legal one."""
    if mode not in InterAgencyMode.values:
        raise TransitionRefused(_("Unknown way of forwarding “%(mode)s”.") % {"mode": mode})
    if not tasks:
        raise TransitionRefused(_("Name at least one agency and its task."))
    for spec in tasks:
        if not spec.task.strip():
            raise TransitionRefused(_("Say what %(agency)s must do.") % {"agency": spec.agency})
        if spec.budget_hours < 1:
            raise TransitionRefused(_("Give %(agency)s at least one working hour.") % {"agency": spec.agency})
    if len({spec.agency.pk for spec in tasks}) != len(tasks):
        raise TransitionRefused(_("Each agency appears once in a forwarding."))
    leads = sum(spec.is_lead for spec in tasks)
    if mode == InterAgencyMode.PARALLEL and len(tasks) > 1 and leads != 1:
        raise TransitionRefused(_("Agencies working in parallel need exactly one lead agency (Art. 20.3)."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        for spec in tasks:
            if spec.agency.pk == dossier.competent_agency_id or spec.agency.is_within(dossier.competent_agency):
                raise TransitionRefused(
                    _("%(agency)s is part of the competent agency: use the internal process.") % {"agency": spec.agency}
                )
            if mode == InterAgencyMode.DIFFERENT_LEVEL and spec.agency.level == dossier.competent_agency.level:
                raise TransitionRefused(
                    _("%(agency)s is at the same level: forward in order or in parallel.") % {"agency": spec.agency}
                )
        cal = calendar_for(dossier.competent_agency_id)
        last_due = _task_deadlines_end(cal, at, mode, tasks)
        if dossier.legal_due_at is not None and last_due > dossier.legal_due_at:
            raise TransitionRefused(
                _("The other agencies' deadlines would end at %(end)s, after the dossier is due (%(due)s).")
                % {"end": _local(last_due), "due": _local(dossier.legal_due_at)}
            )
        round_number = (InterAgencyTask.objects.filter(dossier=dossier).aggregate(n=Max("round"))["n"] or 0) + 1
        created = []
        for order, spec in enumerate(tasks, start=1):
            active = mode != InterAgencyMode.SEQUENTIAL or order == 1
            created.append(
                InterAgencyTask(
                    dossier=dossier,
                    round=round_number,
                    agency=spec.agency,
                    requested_by_agency=acting.unit or dossier.competent_agency,
                    mode=mode,
                    order=order,
                    is_lead=spec.is_lead,
                    task=spec.task.strip(),
                    budget_hours=spec.budget_hours,
                    state=TaskState.ACTIVE if active else TaskState.WAITING,
                    started_at=at if active else None,
                    due_at=deadlines.step_due(cal, at, spec.budget_hours) if active else None,
                )
            )
        InterAgencyTask.objects.bulk_create(created)
        return Outcome(
            DossierState.WITH_OTHER_AGENCIES,
            changes={"agencies": [task.agency.name for task in created], "mode": mode},
            messages=[_task_message(task) for task in created if task.state == TaskState.ACTIVE],
        )

    return run_transition(
        dossier_id=dossier_id,
        action=Action.FORWARD_TO_AGENCIES,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def answer_task(
    *, dossier_id: int, user: User, answer: str, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Another agency's answer; the next agency in order is asked, or processing goes on."""
    if not answer.strip():
        raise TransitionRefused(_("Write the agency's answer or result."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        task = acting.task
        if task is None:
            raise AssertionError("resolve_actor finds the task with the user's agency")
        task.state, task.finished_at, task.answer = TaskState.DONE, at, answer.strip()
        task.answered_by = acting.user
        task.save(update_fields=["state", "finished_at", "answer", "answered_by"])
        messages = []
        following = (
            InterAgencyTask.objects.filter(dossier=dossier, round=task.round, state=TaskState.WAITING)
            .select_related("agency")
            .order_by("order")
            .first()
        )
        if following is not None and task.mode == InterAgencyMode.SEQUENTIAL:
            cal = calendar_for(dossier.competent_agency_id)
            following.state, following.started_at = TaskState.ACTIVE, at
            following.due_at = deadlines.step_due(cal, at, following.budget_hours)
            following.save(update_fields=["state", "started_at", "due_at"])
            messages.append(_task_message(following))
        still_open = InterAgencyTask.objects.filter(dossier=dossier, round=task.round).exclude(state=TaskState.DONE)
        to_state = DossierState.WITH_OTHER_AGENCIES if still_open.exists() else DossierState.IN_PROGRESS
        return Outcome(to_state, reason=answer.strip(), changes={"answered_by": task.agency.name}, messages=messages)

    return run_transition(
        dossier_id=dossier_id,
        action=Action.ANSWER_TASK,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def _task_deadlines_end(cal: WorkCalendar, at: dt.datetime, mode: str, tasks: Sequence[TaskSpec]) -> dt.datetime:
    """When the last task is due: in order, the budgets add up; in parallel, the longest one."""
    budgets = [spec.budget_hours for spec in tasks]
    hours = sum(budgets) if mode == InterAgencyMode.SEQUENTIAL else max(budgets)
    return deadlines.step_due(cal, at, hours)


def _task_message(task: InterAgencyTask) -> tuple[str, dict[str, Any]]:
    return (
        topics.AGENCY_TASK_FORWARDED,
        {"agency_email": task.agency.email, "task": task.task, "due_at": iso(task.due_at)},
    )


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
