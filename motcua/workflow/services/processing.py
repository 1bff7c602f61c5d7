"""Processing (Decree 118/2025/NĐ-CP Arts. 19–21): the steps, other agencies, pauses, extension, decision.

- Each step is finished by whoever holds it (its role, in its unit); the next stage starts when
  every step of the current one is done; the last stage approves. A step can send the dossier
  back to an earlier stage, which starts that stage afresh.
- Work for other agencies (Art. 20) is forwarded as tasks with their own deadlines: to another
  level, which decides; to agencies of the same level one after another (each with its transfer
  slip and deadline, Art. 20.2.a) or all at once with a lead agency (Art. 20.3). Their deadlines
  must fall within the dossier's legal due moment. When the last answer is in, processing goes on.
- A leader may pause the clock where the law allows it and resume it (the due moment moves by
  the office time paused), and may apologise and extend once, at least a day before the due date
  (Art. 19.6), setting a new appointment.
- A leader refuses a dossier that does not qualify, with reasons, within the time limit (Art. 19).
- The applicant may stop the procedure from receipt until the decision (Art. 21).
- A dossier waiting for a supplement for 15 days is closed by the system (Art. 19.5).
- A dossier that ends (refused, stopped, closed) leaves no work in hand: its steps are done and
  the other agencies' open tasks closed; a pause still standing ends as a resumption would, so a
  refusal during a pause is judged on the clock that stood until then.
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
from motcua.workdays import clock
from motcua.workdays.workcalendar import WorkCalendar
from motcua.workflow import deadlines, steps
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import (
    DossierStep,
    InterAgencyMode,
    InterAgencyTask,
    PauseInterval,
    PauseReason,
    StepState,
    TaskState,
)
from motcua.workflow.services.core import Acting, Change, Outcome, TransitionRefused, give_code, iso
from motcua.workflow.services.pauses import end_pause
from motcua.workflow.services.runner import run_transition
from motcua.workflow.transitions import Action


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """One agency's part of a forwarding: its task and its budget in working hours."""

    agency: Agency
    task: str
    budget_hours: int
    is_lead: bool = False


def forward(
    *, dossier_id: int, user: User, note: str = "", expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Finish the step in hand; the next stage starts when the whole stage is done."""
    return run_transition(
        dossier_id=dossier_id,
        action=Action.FORWARD,
        user=user,
        change=forward_change(note),
        expected_version=expected_version,
        now=now,
    )


def forward_change(note: str = "") -> Change:
    """What forwarding does to a locked dossier: its step is done, and the next stage starts after the last one."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        step = _step(acting)
        last = steps.last_stage(dossier, known=acting.steps)
        if step.stage >= last:
            raise TransitionRefused(_("This is the last step: approve the result or have a leader refuse it."))
        steps.finish_step(step, acting.user.pk if acting.user else None, at, writes=acting.writes)
        changes: dict[str, object] = {"finished": step.name}
        to_stage = None
        if not steps.stage_open_steps(dossier, step.stage, known=acting.steps):
            cal = calendar_for(dossier.competent_agency_id)
            started = steps.start_stage(dossier, step.stage + 1, cal, at, known=acting.steps, writes=acting.writes)
            to_stage = step.stage + 1
            changes["started"] = [s.name for s in started]
        return Outcome(DossierState.IN_PROGRESS, reason=note.strip(), to_stage=to_stage, changes=changes)

    return change


def send_back(
    *,
    dossier_id: int,
    user: User,
    to_stage: int,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Return the dossier to an earlier stage (its steps start afresh), saying why."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the dossier goes back."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        step = _step(acting)
        if not 1 <= to_stage < step.stage:
            raise TransitionRefused(_("Choose a stage before the current one (1 to %(n)d).") % {"n": step.stage - 1})
        for current in DossierStep.objects.filter(dossier=dossier, stage=step.stage, state=StepState.ACTIVE):
            steps.finish_step(current, acting.user.pk if acting.user else None, at, StepState.SENT_BACK)
        DossierStep.objects.filter(dossier=dossier, stage__gt=to_stage).exclude(state=StepState.SENT_BACK).update(
            state=StepState.WAITING, started_at=None, due_at=None, finished_at=None
        )
        steps.start_stage(dossier, to_stage, calendar_for(dossier.competent_agency_id), at)
        return Outcome(DossierState.IN_PROGRESS, reason=reason.strip(), to_stage=to_stage)

    return run_transition(
        dossier_id=dossier_id,
        action=Action.SEND_BACK,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


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


def pause(
    *, dossier_id: int, user: User, reason: str, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Stop the clock where the law allows it (the reason names the rule)."""
    if not reason.strip():
        raise TransitionRefused(_("Say which rule allows the pause and why."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        dossier.paused_at = at
        PauseInterval.objects.create(dossier=dossier, reason=PauseReason.PAUSE, started_at=at)
        return Outcome(DossierState.PAUSED, reason=reason.strip(), clock_effect={"paused_at": at.isoformat()})

    return run_transition(
        dossier_id=dossier_id, action=Action.PAUSE, user=user, change=change, expected_version=expected_version, now=now
    )


def resume(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Restart the clock; the due moments move by the office time paused."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        return Outcome(DossierState.IN_PROGRESS, clock_effect=end_pause(dossier, at))

    return run_transition(
        dossier_id=dossier_id,
        action=Action.RESUME,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def extend(
    *,
    dossier_id: int,
    user: User,
    new_appointment: dt.datetime,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Apologise and set a new appointment (Art. 19.6: once, at least one day before the due date)."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the dossier is late: the apology must give the reason."))
    if timezone.is_naive(new_appointment):
        raise TransitionRefused(_("Give the new appointment with its time zone."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        cal = calendar_for(dossier.competent_agency_id)
        if dossier.extensions:
            raise TransitionRefused(
                _(
                    "The appointment was already changed once; it may be changed only once "
                    "(Decree 118/2025/NĐ-CP Art. 19.6)."
                )
            )
        if not deadlines.may_extend(cal, at, dossier.appointment_at):
            raise TransitionRefused(
                _(
                    "The apology and extension must be sent at least one day before the due date "
                    "(Decree 118/2025/NĐ-CP Art. 19.6)."
                )
            )
        if dossier.appointment_at is None:
            raise AssertionError("may_extend refuses dossiers without a due date")
        if new_appointment <= dossier.appointment_at:
            raise TransitionRefused(_("The new appointment must be later than the current one."))
        if not clock.is_working_day(cal, new_appointment.astimezone(cal.tz).date()):
            raise TransitionRefused(_("The new appointment must fall on a working day."))
        old = dossier.appointment_at
        dossier.appointment_at = new_appointment
        dossier.extensions += 1
        return Outcome(
            dossier.state,
            reason=reason.strip(),
            clock_effect={"appointment_at": [iso(old), iso(new_appointment)]},
            messages=[
                (topics.DOSSIER_EXTENDED, {"reason": reason.strip(), "new_appointment_at": new_appointment.isoformat()})
            ],
        )

    return run_transition(
        dossier_id=dossier_id,
        action=Action.EXTEND,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def approve(
    *, dossier_id: int, user: User, note: str = "", expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Decide in favour on the last step: the result is ready and the verdict stamped."""
    return run_transition(
        dossier_id=dossier_id,
        action=Action.APPROVE,
        user=user,
        change=approve_change(note),
        expected_version=expected_version,
        now=now,
    )


def approve_change(note: str = "") -> Change:
    """What approving does to a locked dossier at its last step: the step is done, the verdict stamped."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        step = _step(acting)
        if step.stage < steps.last_stage(dossier, known=acting.steps):
            raise TransitionRefused(_("The dossier has further steps; forward it instead."))
        if steps.stage_open_steps(dossier, step.stage, known=acting.steps) > 1:  # ``step`` itself is in hand
            raise TransitionRefused(_("Other steps of this stage are not finished yet."))
        steps.finish_step(step, acting.user.pk if acting.user else None, at, writes=acting.writes)
        return _resolve(dossier, at, DossierState.RESULT_READY, note, [(topics.DOSSIER_RESULT_READY, {})])

    return change


def refuse(
    *, dossier_id: int, user: User, reasons: str, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Refuse with reasons: at reception (form 03) or, by a leader, after processing (Art. 19)."""
    if not reasons.strip():
        raise TransitionRefused(_("Give the reasons for the refusal: the applicant must know them."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        message = [(topics.DOSSIER_REFUSED, {"reason": reasons.strip()})]
        if dossier.state in (DossierState.DRAFT, DossierState.SUBMITTED):
            give_code(dossier, at, acting.batch)
            dossier.ended_at = at
            return Outcome(DossierState.REFUSED, reason=reasons.strip(), messages=message)
        clock_effect = _end_work(dossier, at)  # first: the verdict is judged on the clock that stood
        outcome = _resolve(dossier, at, DossierState.REFUSED, reasons, message)
        outcome.clock_effect = {**clock_effect, **outcome.clock_effect}
        dossier.ended_at = at
        return outcome

    return run_transition(
        dossier_id=dossier_id,
        action=Action.REFUSE,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def stop(
    *, dossier_id: int, user: User, reason: str, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """The applicant stops the procedure before the decision (Art. 21); the history keeps "stopped"."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the procedure is stopped."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        clock_effect = _end_work(dossier, at)
        dossier.ended_at = at
        return Outcome(
            DossierState.STOPPED,
            reason=reason.strip(),
            clock_effect=clock_effect,
            messages=[(topics.DOSSIER_STOPPED, {"reason": reason.strip()})],
        )

    return run_transition(
        dossier_id=dossier_id, action=Action.STOP, user=user, change=change, expected_version=expected_version, now=now
    )


def close_unanswered_supplements(*, now: dt.datetime | None = None) -> list[str]:
    """Close every dossier that has waited 15 days for a supplement (Art. 19.5); returns their codes."""
    now = now or timezone.now()
    waiting = Dossier.objects.filter(
        state=DossierState.SUPPLEMENT_REQUESTED, supplement_requested_at__lte=now - deadlines.SUPPLEMENT_WAIT
    ).values_list("pk", flat=True)
    return [close(dossier_id=dossier_id, now=now).code or "" for dossier_id in waiting]


def close(*, dossier_id: int, now: dt.datetime | None = None) -> Dossier:
    """The system closes a dossier whose supplement has not come within 15 days (Art. 19.5)."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        if dossier.supplement_requested_at is None:
            raise AssertionError("supplement_requested_at is set with the state")
        if at < deadlines.supplement_closes_at(dossier.supplement_requested_at):
            raise TransitionRefused(_("The applicant has 15 days to supplement (Decree 118/2025/NĐ-CP Art. 19.5)."))
        clock_effect = _end_work(dossier, at)
        dossier.ended_at = at
        return Outcome(
            DossierState.CLOSED,
            reason=_("No supplement within 15 days (Decree 118/2025/NĐ-CP Art. 19.5)."),
            clock_effect=clock_effect,
            messages=[(topics.DOSSIER_CLOSED, {})],
        )

    return run_transition(dossier_id=dossier_id, action=Action.CLOSE, user=None, change=change, now=now)


def _step(acting: Acting) -> DossierStep:
    if acting.step is None:
        raise AssertionError("Unit.STEP transitions always resolve a step")
    return acting.step


def _resolve(
    dossier: Dossier, at: dt.datetime, state: str, note: str, messages: list[tuple[str, dict[str, Any]]]
) -> Outcome:
    """Stamp the resolution and its verdict against the legal due moment (DOMAIN.md §8)."""
    cal = calendar_for(dossier.competent_agency_id)
    dossier.resolved_at = at
    dossier.verdict = deadlines.verdict(cal, at, dossier.legal_due_at)
    return Outcome(
        state,
        reason=note.strip(),
        clock_effect={"resolved_at": at.isoformat(), "verdict": dossier.verdict},
        messages=messages,
    )


def _end_work(dossier: Dossier, at: dt.datetime) -> dict[str, Any]:
    """The dossier ends at ``at``: the clock stops for good and nobody is left holding its work.

    A pause still standing ends as a resumption would end it; the steps in hand are done; the
    other agencies' tasks still open (in hand or waiting their turn) are closed, since an ended
    dossier takes no answer. Returns the effect on the clock, for the event.
    """
    clock_effect = end_pause(dossier, at)
    DossierStep.objects.filter(dossier=dossier, state=StepState.ACTIVE).update(state=StepState.DONE, finished_at=at)
    InterAgencyTask.objects.filter(dossier=dossier).exclude(state=TaskState.DONE).update(
        state=TaskState.DONE, finished_at=at
    )
    return clock_effect


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
