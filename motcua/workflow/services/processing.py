"""Processing (Decree 118/2025/NĐ-CP Arts. 19–21): the steps, other agencies, pauses, extension, decision.

- Each step is finished by whoever holds it (its role, in its unit); the next stage starts when
  every step of the current one is done; the last stage approves. A step can send the dossier
  back to an earlier stage, which starts that stage afresh.
- Work for other agencies (Art. 20) goes as tasks with their own deadlines (``services.interagency``).
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
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierState
from motcua.notifications import topics
from motcua.workdays import clock
from motcua.workflow import deadlines, steps
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import (
    DossierStep,
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
