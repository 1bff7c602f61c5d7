"""What every lifecycle use case shares: its errors, who acts (``Acting``), what it did (``Outcome``),
how the acting officer's role and unit are found (``resolve_actor``), the dossier's code and the
message payload, and ``record_event`` for a change that is not a transition.

The transitions themselves go through ``services.runner``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.permissions import ROLE_GRANTS, Capability, Scope, can, roles_of
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.core.vietnamese import fold
from motcua.dossiers.dossier_codes import NoAgencyCodeError, agency_code_for
from motcua.dossiers.models import Dossier
from motcua.workflow.batch import Batch, Writes
from motcua.workflow.events import append_event
from motcua.workflow.labels import ACTION_LABELS
from motcua.workflow.models import DossierStep, InterAgencyTask, StepState, TaskState
from motcua.workflow.transitions import Action, Actor, Transition, Unit


class WorkflowError(Exception):
    """A lifecycle action that was not taken; ``message`` says why in the user's language."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionRefused(WorkflowError):
    """Not allowed from the dossier's state, or against a rule of law (the message cites it)."""


class NotAllowed(WorkflowError):
    """The person does not hold a role that may take this action on this dossier."""

    code = "forbidden"


class StaleDossier(WorkflowError):
    """Someone else changed the dossier since the page was loaded."""

    code = "conflict"


@dataclass(frozen=True, slots=True)
class Acting:
    """Who takes the action: a person with a role in a unit, the applicant, or the system."""

    user: User | None
    actor: Actor
    unit: Agency | None = None
    step: DossierStep | None = None
    task: InterAgencyTask | None = None
    #: Every step of the dossier with its unit, in stage order, when the action is on a step.
    steps: tuple[DossierStep, ...] = ()
    #: The step rows the change writes, written with the batch (``workflow.batch``).
    writes: Writes = field(default_factory=Writes)
    #: What the dossiers changed in the same transaction read once.
    batch: Batch = field(default_factory=lambda: Batch(()))


@dataclass
class Outcome:
    """What a use case did, for the event and the outbox."""

    to_state: str
    reason: str = ""
    clock_effect: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)
    to_stage: int | None = None
    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


Change = Callable[[Dossier, Acting, dt.datetime], Outcome]

#: The columns a lifecycle change may write (every concrete one but the primary key).
_COLUMNS = tuple(field.attname for field in Dossier._meta.concrete_fields if not field.primary_key)


def field_values(dossier: Dossier) -> dict[str, Any]:
    """The dossier's column values as read, JSON values copied (a use case may change them in place)."""
    return {
        name: copy.deepcopy(value) if isinstance(value := getattr(dossier, name), (dict, list)) else value
        for name in _COLUMNS
    }


def changed_fields(dossier: Dossier, read: dict[str, Any]) -> list[str]:
    """The columns whose value differs from ``read``, and ``updated_at`` (stamped at every save)."""
    changed = [name for name, value in read.items() if name != "updated_at" and getattr(dossier, name) != value]
    return [*changed, "updated_at"]


def resolve_actor(
    user: User | None, rule: Transition, dossier: Dossier, *, steps: tuple[DossierStep, ...] | None = None
) -> Acting:
    """The role under which ``user`` may take ``rule``'s action on ``dossier``, or NotAllowed.

    ``steps``: the dossier's steps when the caller has read them (``dossier_steps``).
    """
    if user is None:
        if Actor.SYSTEM in rule.actors:
            return Acting(user=None, actor=Actor.SYSTEM)
        raise NotAllowed(_("Only a person can do this."))
    if Actor.APPLICANT in rule.actors and dossier.applicant_id is not None and dossier.applicant_id == user.pk:
        return Acting(user=user, actor=Actor.APPLICANT)
    staff = [actor for actor in rule.actors if actor not in (Actor.APPLICANT, Actor.SYSTEM)]
    if rule.unit is Unit.STEP:
        steps = dossier_steps(dossier) if steps is None else steps
        for step in sorted((step for step in steps if step.state == StepState.ACTIVE), key=lambda step: step.pk):
            if Actor(step.role) in staff and holds_step(user, step):
                return Acting(user=user, actor=Actor(step.role), unit=step.unit, step=step, steps=steps)
        raise NotAllowed(_("This step is with another unit or role; you cannot act on it."))
    if rule.unit is Unit.TASK:
        for task in InterAgencyTask.objects.filter(dossier=dossier, state=TaskState.ACTIVE).select_related("agency"):
            for actor in staff:
                if holds(user, actor.value, task.agency):
                    return Acting(user=user, actor=actor, unit=task.agency, task=task)
        raise NotAllowed(_("No task of this dossier is with your agency."))
    unit = {
        Unit.RECEIVING: dossier.receiving_unit,
        Unit.RETURNING: dossier.returning_unit,
        Unit.COMPETENT: dossier.competent_agency,
    }.get(rule.unit)
    if unit is not None:
        for actor in staff:
            if holds(user, actor.value, unit, one_stop=rule.unit in (Unit.RECEIVING, Unit.RETURNING)):
                return Acting(user=user, actor=actor, unit=unit)
    raise NotAllowed(_("You do not hold a role that may do this for this dossier."))


def holds(user: User, role: str, unit: Agency, *, one_stop: bool = False) -> bool:
    """Whether ``user`` holds ``role`` for ``unit``.

    A role held exactly in the unit counts; an agency leader's also in every unit below its
    agency (``accounts.permissions``: subtree scope). At the one-stop desk (``one_stop``) a
    receiving officer of a centre also acts for its reception points and counters, and one of a
    counter for its centre's dossiers: reception units share their work.
    """
    for held in roles_of(user):
        if held.role != role:
            continue
        agency = held.membership.agency
        scope = ROLE_GRANTS[StaffRoleName(held.role)].scope
        if agency.pk == unit.pk:
            return True
        if scope is Scope.SUBTREE and unit.is_within(agency):
            return True
        if one_stop and (unit.is_within(agency) or agency.is_within(unit)):
            return True
    return False


def holds_step(user: User, step: DossierStep) -> bool:
    """Whether ``user`` may act on ``step``: they hold its role in its unit (``holds``) and, once a
    leader gave the step to a named officer (``services.assignment``), are that officer or may
    themselves assign work in the unit (Capability.ASSIGN). An assignment narrows who acts, never widens.
    """
    if not holds(user, step.role, step.unit):
        return False
    return step.assignee_id is None or step.assignee_id == user.pk or can(user, Capability.ASSIGN, step.unit)


def dossier_steps(dossier: Dossier) -> tuple[DossierStep, ...]:
    """Every step of ``dossier`` with its unit, in stage order (one query)."""
    return tuple(DossierStep.objects.filter(dossier=dossier).select_related("unit").order_by("stage", "pk"))


def payload(dossier: Dossier, batch: Batch | None = None) -> dict[str, Any]:
    """What every message about ``dossier`` carries (a snapshot; the worker reads nothing else)."""

    def moment(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "dossier_id": dossier.pk,
        "code": dossier.code or "",
        "lookup_secret": dossier.lookup_secret,
        "procedure_name": (
            batch.memo(("procedure_name", dossier.procedure_version_id), lambda: procedure_name(dossier))
            if batch is not None
            else procedure_name(dossier)
        ),
        "applicant_name": dossier.applicant_name,
        "email": dossier.applicant_email,
        "phone": dossier.applicant_phone,
        "agency_name": dossier.competent_agency.name,
        "receiving_unit_name": dossier.receiving_unit.name,
        "received_at": moment(dossier.received_at),
        "appointment_at": moment(dossier.appointment_at),
        "legal_due_at": moment(dossier.legal_due_at),
        "delivery_method": dossier.delivery_method,
        "tracking_path": tracking_path(dossier.code),
    }


def procedure_name(dossier: Dossier) -> str:
    """The name of the dossier's procedure version, read alone when the version is not loaded (it is long)."""
    if Dossier.procedure_version.is_cached(dossier):
        return dossier.procedure_version.name
    return ProcedureVersion.objects.values_list("name", flat=True).get(pk=dossier.procedure_version_id)


def tracking_path(code: str | None) -> str:
    """The public tracking page of a dossier (its code is in the address; the lookup code is asked for)."""
    return f"/tra-cuu/{code}/" if code else "/tra-cuu/"


def tracking_url(code: str | None) -> str:
    return f"{settings.PUBLIC_BASE_URL}{tracking_path(code)}"


def action_label(action: Action) -> str:
    """The action's name for messages (translated)."""
    return str(ACTION_LABELS[action])


def give_code(dossier: Dossier, at: dt.datetime, batch: Batch) -> None:
    """Give the dossier its code (Decree 118/2025/NĐ-CP Art. 28) if it has none yet.

    The agency's identifier code is read once per batch and the number comes from the batch's
    range (``Batch.take_dossier_code``); a use case gives the code after its last check, since only
    the numbers at the top of a range can be given back.
    """
    if dossier.code:
        return
    day = timezone.localtime(at).date()
    agency = dossier.competent_agency
    try:
        prefix = batch.memo(("agency_code", agency.pk, day), lambda: agency_code_for(agency, on=day))
    except NoAgencyCodeError as error:
        raise WorkflowError(str(error)) from error
    dossier.code = batch.take_dossier_code(prefix, day)
    dossier.search_text = search_text_of(dossier)


def search_text_of(dossier: Dossier) -> str:
    """Code, name and identification number without diacritics, for the officers' search."""
    return fold(f"{dossier.code or ''} {dossier.applicant_name} {dossier.applicant_id_number}")[:500]


def record_event(
    *,
    dossier_id: int,
    action: str,
    user: User | None,
    change: Callable[[Dossier, dt.datetime], dict[str, Any] | None],
    actor: Actor | None = None,
    unit: Agency | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """A change that is not a transition (payment, result file, recomputed due date), recorded the same way.

    The caller has checked who may do it; ``change`` edits the locked dossier and returns the
    changed values for the event, or None when, seen under the lock, there is nothing to do
    (then nothing is written: a repeated bank callback that raced the first).
    """
    now = now or timezone.now()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
        if expected_version is not None and dossier.lock_version != expected_version:
            raise StaleDossier(_("This dossier has changed since you opened it. Reload the page and try again."))
        read = field_values(dossier)
        changes = change(dossier, now)
        if changes is None:
            return dossier
        dossier.lock_version += 1
        append_event(
            dossier,
            action=action,
            at=now,
            actor=user,
            actor_name=user.get_full_name() if user is not None else "",
            actor_role=actor.value if actor is not None else "",
            actor_unit=unit,
            from_state=dossier.state,
            to_state=dossier.state,
            from_stage=dossier.current_stage,
            to_stage=dossier.current_stage,
            reason=reason,
            changes=changes,
        )
        dossier.save(update_fields=changed_fields(dossier, read))
    return dossier


def iso(value: dt.datetime | None) -> str | None:
    """A moment as an event records it (ISO 8601), or None."""
    return value.isoformat() if value is not None else None
