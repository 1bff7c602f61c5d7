"""Intake and reception (Decree 118/2025/NĐ-CP Arts. 11, 14, 16–18): from draft to a received dossier.

- A draft records who applies for what, where (any one-stop unit of the province: Art. 14.2),
  by which channel, how the result goes back, and the fees and time limit of the variant and
  channel as they are that day.
- Submitting online needs every required component attached, and the fees paid first where the
  agency asks for it; it gives the dossier its code (Art. 28). A client's submission key makes
  retries and double clicks harmless: the same key gives back the same dossier.
- Reception (online acceptance within 8 working hours, or at the counter) starts the clock and
  sets the legal due moment and the appointment (Art. 17); the dossier's steps are copied from
  the agency's internal process.
- Guidance is given in one go: a supplement may be asked only once at reception (Art. 11.2.c,
  16), and is answered with every required document, as a submission is; a dossier that cannot
  be accepted is refused with reasons (form 03).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import AgencyProcedure, Component
from motcua.catalog.time_limits import TimeLimit, TimeUnit
from motcua.dossiers.models import (
    Attachment,
    Dossier,
    DossierState,
    SupplementPhase,
)
from motcua.notifications import topics
from motcua.workflow import deadlines, steps
from motcua.workflow.batch import Batch
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import PauseInterval, PauseReason
from motcua.workflow.services.core import (
    Acting,
    Change,
    Outcome,
    TransitionRefused,
    give_code,
    iso,
)
from motcua.workflow.services.pauses import end_pause
from motcua.workflow.services.runner import run_transition
from motcua.workflow.transitions import Action, Actor


@dataclass(frozen=True, slots=True)
class ReceivedDocument:
    """What the desk ticked for one component at the counter."""

    component_id: int
    originals: int = 0
    copies: int = 0


def submit(
    *,
    dossier_id: int,
    user: User,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Submit a draft online; the same ``idempotency_key`` again returns the dossier already submitted."""
    if idempotency_key:
        done = _submitted_with(idempotency_key, user)
        if done is not None:
            return done

    try:
        return run_transition(
            dossier_id=dossier_id,
            action=Action.SUBMIT,
            user=user,
            change=submit_change(idempotency_key),
            expected_version=expected_version,
            now=now,
        )
    except (TransitionRefused, IntegrityError):
        # A concurrent retry with the same key may have submitted it a moment ago.
        if idempotency_key and (done := _submitted_with(idempotency_key, user)) is not None:
            return done
        raise


def submit_change(idempotency_key: str | None = None) -> Change:
    """What submitting does to a locked draft: every required document there, fees paid if asked first, a code."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        missing = missing_components(dossier, batch=acting.batch)
        if missing:
            raise TransitionRefused(
                _("These documents are required and not attached: %(list)s.") % {"list": "; ".join(missing)}
            )
        if dossier.fees_outstanding and _offer(dossier, acting.batch).requires_payment_before_submission:
            raise TransitionRefused(_("Pay the fees before submitting: this agency asks for them first."))
        dossier.idempotency_key = dossier.idempotency_key or idempotency_key or None
        dossier.submitted_at = at
        give_code(dossier, at, acting.batch)
        return Outcome(DossierState.SUBMITTED, changes={"code": [None, dossier.code]})

    return change


def _offer(dossier: Dossier, batch: Batch) -> AgencyProcedure:
    """The dossier's agency procedure, read once per batch."""
    return batch.memo(
        ("agency_procedure", dossier.agency_procedure_id),
        lambda: AgencyProcedure.objects.get(pk=dossier.agency_procedure_id),
    )


def receive_change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
    """What the desk's acceptance of an online dossier does: the clock starts (Art. 17)."""
    return _start_clock(dossier, at, acting)


def receive(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Accept an online dossier at the desk: the clock starts (Art. 17)."""
    return run_transition(
        dossier_id=dossier_id,
        action=Action.RECEIVE,
        user=user,
        change=receive_change,
        expected_version=expected_version,
        now=now,
    )


def receive_at_counter(
    *,
    dossier_id: int,
    user: User,
    documents: Sequence[ReceivedDocument],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive a paper dossier at the counter with the documents the desk checked (Art. 17)."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        components = _components_of(dossier, batch=acting.batch)
        _record_documents(dossier, documents, {component.pk for component in components})
        missing = _missing(dossier, components)
        if missing:
            raise TransitionRefused(
                _("Required documents are missing: %(list)s. Ask for a supplement instead.")
                % {"list": "; ".join(missing)}
            )
        give_code(dossier, at, acting.batch)
        dossier.submitted_at = at
        return _start_clock(dossier, at, acting)

    return run_transition(
        dossier_id=dossier_id,
        action=Action.RECEIVE_AT_COUNTER,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def request_supplement(
    *,
    dossier_id: int,
    user: User,
    reason: str,
    missing: Sequence[str],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to complete the dossier, at reception (once) or after appraisal (Art. 19.5)."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the dossier must be supplemented."))
    if not [item for item in missing if item.strip()]:
        raise TransitionRefused(_("List what the applicant must add: all of it, in one go (Art. 16)."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        clock_effect: dict[str, Any] = {}
        if dossier.state in (DossierState.DRAFT, DossierState.SUBMITTED):
            if dossier.reception_supplements:
                raise TransitionRefused(
                    _(
                        "A supplement was already asked at reception: everything missing must be asked in one go "
                        "(Decree 118/2025/NĐ-CP Art. 11.2.c). Receive or refuse the dossier."
                    )
                )
            dossier.reception_supplements += 1
            dossier.supplement_phase = SupplementPhase.RECEPTION
            give_code(dossier, at, acting.batch)
        else:
            cal = calendar_for(dossier.competent_agency_id)
            if dossier.clock_started_at is None:
                raise AssertionError("a dossier in progress has a started clock")
            deadline = deadlines.supplement_notice_deadline(cal, dossier.clock_started_at)
            if at > deadline:
                raise TransitionRefused(
                    _(
                        "A supplement after appraisal must be asked within 3 working days of reception "
                        "(Decree 118/2025/NĐ-CP Art. 19.5); that was until %(deadline)s."
                    )
                    % {"deadline": timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")}
                )
            dossier.processing_supplements += 1
            dossier.supplement_phase = SupplementPhase.PROCESSING
            dossier.paused_at = at
            PauseInterval.objects.create(dossier=dossier, reason=PauseReason.SUPPLEMENT, started_at=at)
            clock_effect = {"paused_at": at.isoformat(), "restart_on_supplement": True}
        dossier.supplement_requested_at = at
        cleaned = [item.strip() for item in missing if item.strip()]
        return Outcome(
            DossierState.SUPPLEMENT_REQUESTED,
            reason=reason.strip(),
            clock_effect=clock_effect,
            changes={"missing": cleaned},
            messages=[(topics.DOSSIER_SUPPLEMENT_REQUESTED, {"reason": reason.strip(), "missing": cleaned})],
        )

    return run_transition(
        dossier_id=dossier_id,
        action=Action.REQUEST_SUPPLEMENT,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def provide_supplement(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """The applicant (online, or at the desk) has completed the dossier.

    Asked at reception: back to the desk (online) or received at once (at the counter), and only
    with every required document (Art. 17: the clock starts on the complete dossier). Asked after
    appraisal: processing resumes and the time limit restarts from zero (Art. 19.5), counted as a
    reception at that moment.
    """

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        phase = dossier.supplement_phase
        dossier.supplement_phase = SupplementPhase.NONE
        if phase == SupplementPhase.RECEPTION:
            missing = missing_components(dossier)
            if missing:
                raise TransitionRefused(
                    _("Required documents are still missing: %(list)s.") % {"list": "; ".join(missing)}
                )
            if acting.actor is Actor.RECEIVING_OFFICER:
                dossier.submitted_at = dossier.submitted_at or at
                return _start_clock(dossier, at, acting)
            dossier.submitted_at = at
            return Outcome(DossierState.SUBMITTED)
        cal = calendar_for(dossier.competent_agency_id)
        paused = end_pause(dossier, at)
        old_due = dossier.legal_due_at
        started = deadlines.clock_starts_at(cal, at)
        dossier.clock_started_at = started
        dossier.legal_due_at = deadlines.legal_due(cal, started, _limit(dossier))
        dossier.appointment_at = dossier.legal_due_at
        steps.restart_active_steps(dossier, cal, at)
        return Outcome(
            DossierState.IN_PROGRESS,
            clock_effect={
                **paused,
                "restarted_at": started.isoformat(),
                "legal_due_at": [iso(old_due), iso(dossier.legal_due_at)],
            },
        )

    return run_transition(
        dossier_id=dossier_id,
        action=Action.PROVIDE_SUPPLEMENT,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def transfer(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Hand the received dossier to processing: the first stage's steps are in hand (Art. 18)."""
    return run_transition(
        dossier_id=dossier_id,
        action=Action.TRANSFER,
        user=user,
        change=transfer_change,
        expected_version=expected_version,
        now=now,
    )


def transfer_change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
    """What handing over to processing does: the steps of the first stage start."""
    cal = calendar_for(dossier.competent_agency_id)
    started = steps.start_stage(dossier, 1, cal, at, known=acting.steps, writes=acting.writes)
    return Outcome(DossierState.IN_PROGRESS, to_stage=1, changes={"steps": [step.name for step in started]})


def withdraw(
    *,
    dossier_id: int,
    user: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant takes back a draft or a dossier not yet received."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        dossier.ended_at = at
        return Outcome(DossierState.WITHDRAWN, reason=reason.strip())

    return run_transition(
        dossier_id=dossier_id,
        action=Action.WITHDRAW,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class _ComponentState:
    pk: int
    name: str
    is_required: bool
    variant_id: int | None
    is_attached: bool


def missing_components(dossier: Dossier, *, batch: Batch | None = None) -> list[str]:
    """Names of the required components with neither a file attached nor a paper copy ticked at the desk."""
    return _missing(dossier, _components_of(dossier, required_only=True, batch=batch))


def _components_of(
    dossier: Dossier, *, required_only: bool = False, batch: Batch | None = None
) -> list[_ComponentState]:
    """The components of the dossier's version, in order, each saying whether a file is attached.

    With ``required_only``, only the required ones of the dossier's variant and the common ones.
    Each version's components and the files of all the batch's dossiers are read once per batch
    (two queries for a dossier alone).
    """
    batch = batch if batch is not None else Batch([dossier.pk])

    def components() -> list[tuple[int, str, bool, int | None]]:
        chosen = Component.objects.filter(version_id=dossier.procedure_version_id)
        if required_only:
            chosen = chosen.filter(is_required=True).filter(Q(variant__isnull=True) | Q(variant_id=dossier.variant_id))
        return list(chosen.order_by("position", "pk").values_list("pk", "name", "is_required", "variant_id"))

    key = ("components", dossier.procedure_version_id, dossier.variant_id if required_only else None)
    listed = batch.memo(key, components)
    attached_files = batch.memo("attached", lambda: _attached(batch.dossier_ids))
    return [
        _ComponentState(pk, name, required, variant_id, (dossier.pk, pk) in attached_files)
        for pk, name, required, variant_id in listed
    ]


def _attached(dossier_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(dossier, component) of every file attached to the dossiers and not taken back."""
    files = Attachment.objects.filter(dossier_id__in=dossier_ids, is_withdrawn=False, component_id__isnull=False)
    return set(files.values_list("dossier_id", "component_id"))


def _missing(dossier: Dossier, components: Sequence[_ComponentState]) -> list[str]:
    """Names of the required ``components`` of the dossier's variant neither attached nor ticked."""
    ticked = {int(key) for key, counts in dossier.form_answers.get("received_documents", {}).items() if any(counts)}
    return [
        component.name
        for component in components
        if component.is_required
        and component.variant_id in (None, dossier.variant_id)
        and not component.is_attached
        and component.pk not in ticked
    ]


def _record_documents(dossier: Dossier, documents: Sequence[ReceivedDocument], known: set[int]) -> None:
    for document in documents:
        if document.component_id not in known:
            raise TransitionRefused(_("A ticked document is not a component of this procedure."))
        if document.originals < 0 or document.copies < 0:
            raise TransitionRefused(_("The number of originals and copies cannot be negative."))
    dossier.form_answers = {
        **dossier.form_answers,
        "received_documents": {str(d.component_id): [d.originals, d.copies] for d in documents},
    }


def _start_clock(dossier: Dossier, at: dt.datetime, acting: Acting) -> Outcome:
    """Reception: the clock starts, the due moment and appointment are set, the steps copied."""
    cal = calendar_for(dossier.competent_agency_id)
    started = deadlines.clock_starts_at(cal, at, afternoon_cutoff=dossier.applies_afternoon_cutoff)
    dossier.received_at = at
    dossier.clock_started_at = started
    dossier.legal_due_at = deadlines.legal_due(
        cal, at, _limit(dossier), afternoon_cutoff=dossier.applies_afternoon_cutoff
    )
    dossier.appointment_at = dossier.legal_due_at
    steps.copy_process(dossier, batch=acting.batch, writes=acting.writes)
    return Outcome(
        DossierState.RECEIVED,
        clock_effect={"started_at": started.isoformat(), "legal_due_at": iso(dossier.legal_due_at)},
        messages=[(topics.DOSSIER_RECEIVED, {})],
    )


def _submitted_with(key: str, user: User) -> Dossier | None:
    found = Dossier.objects.filter(idempotency_key=key).first()
    if found is None or found.state == DossierState.DRAFT:
        return None
    if found.applicant_id != user.pk:
        raise TransitionRefused(_("This submission key belongs to another dossier."))
    return found


def _limit(dossier: Dossier) -> TimeLimit:
    return TimeLimit(dossier.time_limit_amount, TimeUnit(dossier.time_limit_unit))
