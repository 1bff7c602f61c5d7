"""Reads of a dossier for people: who may see it, its timeline, its clock.

``access_dossier`` is the only way a page obtains a dossier. A citizen sees only the dossiers
of their own account. Staff see a dossier when they may read (``accounts.permissions``: the
READ capability, scoped) in one of the agencies it touches: the receiving, competent or
returning unit, a unit holding one of its steps, or an agency asked to take part (liên thông).
Anything else is "not found", never "forbidden", so that a code guessed does not reveal that a
dossier exists (Law 91/2025/QH15 on personal data).
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.utils import timezone

from motcua.accounts.models import StaffRoleName, User, UserKind
from motcua.accounts.permissions import Capability, can, roles_of
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, DossierState
from motcua.workflow import deadlines
from motcua.workflow.calendars import calendar_for
from motcua.workflow.labels import ACTION_LABELS, INTERNAL_EVENTS, OTHER_EVENT_LABELS, event_detail
from motcua.workflow.models import DossierEvent, DossierStep, InterAgencyTask, PauseInterval, StepState
from motcua.workflow.services.core import NotAllowed, holds, resolve_actor
from motcua.workflow.steps import last_stage
from motcua.workflow.transitions import Action, Actor, actions_from, find


class DossierNotFound(Exception):
    """No dossier with that id or code that this person may see."""


def access_dossier(user: User, *, dossier_id: int | None = None, code: str | None = None) -> Dossier:
    """The dossier if ``user`` may see it; DossierNotFound otherwise (whether or not it exists)."""
    queryset = Dossier.objects.select_related(
        "procedure_version", "variant", "receiving_unit", "competent_agency", "returning_unit", "agency_procedure"
    )
    if dossier_id is not None:
        dossier = queryset.filter(pk=dossier_id).first()
    elif code:
        dossier = queryset.filter(code=code).first()
    else:
        dossier = None
    if dossier is None or not may_see(user, dossier):
        raise DossierNotFound
    return dossier


def may_see(user: User, dossier: Dossier) -> bool:
    if not user.is_active:
        return False
    if user.kind != UserKind.STAFF:
        return dossier.applicant_id == user.pk
    if not roles_of(user):
        return False
    return any(can(user, Capability.READ, agency) for agency in agencies_of(dossier))


def agencies_of(dossier: Dossier) -> list[Agency]:
    """Every agency the dossier touches (two queries for the steps' and tasks' units)."""
    found = {agency.pk: agency for agency in (dossier.receiving_unit, dossier.competent_agency, dossier.returning_unit)}
    step_units = Agency.objects.filter(pk__in=DossierStep.objects.filter(dossier=dossier).values("unit_id"))
    task_agencies = Agency.objects.filter(pk__in=InterAgencyTask.objects.filter(dossier=dossier).values("agency_id"))
    for agency in [*step_units, *task_agencies]:
        found.setdefault(agency.pk, agency)
    return list(found.values())


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: dt.datetime
    label: str
    actor_name: str
    reason: str
    from_state: str
    to_state: str
    detail: str = ""  # e.g. "sent by post, tracking number EB123456789VN"


def get_timeline(dossier: Dossier, *, public: bool = False) -> list[TimelineEntry]:
    """The dossier's events, oldest first; ``public`` hides officers' names (the citizen's view).

    In public only the applicant's own name is shown: an event outside the transitions table
    (a draft started at the counter, a result attached) has no role, and its actor may be an officer.
    The agency's internal events (a step given to another officer) are left out in public.
    """
    entries = []
    for event in DossierEvent.objects.filter(dossier=dossier).order_by("seq"):
        if public and event.action in INTERNAL_EVENTS:
            continue
        by_applicant = event.actor_role == "applicant" or (
            event.actor_id is not None and event.actor_id == dossier.applicant_id
        )
        label: object = ACTION_LABELS.get(Action(event.action)) if event.action in Action.__members__.values() else None
        label = label or OTHER_EVENT_LABELS.get(event.action) or event.action
        entries.append(
            TimelineEntry(
                at=event.at,
                label=str(label),
                actor_name="" if public and not by_applicant else event.actor_name,
                reason=event.reason,
                from_state=event.from_state,
                to_state=event.to_state,
                detail=event_detail(event.action, event.changes),
            )
        )
    return entries


@dataclass(frozen=True, slots=True)
class ClockView:
    legal_due_at: dt.datetime | None
    appointment_at: dt.datetime | None
    office_time_left: dt.timedelta | None  # negative when overdue; None without a due moment or when stopped
    paused_time: dt.timedelta
    is_paused: bool
    steps: list[DossierStep]


def get_clock(dossier: Dossier, *, now: dt.datetime | None = None) -> ClockView:
    """Time left, time paused, and each step's deadline."""
    now = now or timezone.now()
    cal = calendar_for(dossier.competent_agency_id)
    left = None
    if dossier.legal_due_at is not None and not dossier.is_final and dossier.resolved_at is None:
        reference = dossier.paused_at or now
        left = deadlines.office_time_left(cal, reference, dossier.legal_due_at)
    paused = dt.timedelta(
        seconds=sum(PauseInterval.objects.filter(dossier=dossier).values_list("working_seconds", flat=True))
    )
    steps = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("unit", "finished_by", "assignee")
        .order_by("stage", "pk")
    )
    return ClockView(
        legal_due_at=dossier.legal_due_at,
        appointment_at=dossier.appointment_at,
        office_time_left=left,
        paused_time=paused,
        is_paused=dossier.paused_at is not None,
        steps=steps,
    )


def active_step_units(dossier: Dossier) -> list[Agency]:
    return [
        step.unit for step in DossierStep.objects.filter(dossier=dossier, state=StepState.ACTIVE).select_related("unit")
    ]


def access_by_lookup(*, code: str, lookup_secret: str) -> Dossier:
    """The dossier whose code and lookup code (printed on the receipt) both match; DossierNotFound otherwise.

    This is how anyone holding the receipt follows a dossier without an account. A wrong lookup
    code and an unknown dossier code raise the same error, so the page never reveals whether a
    code exists (Law 91/2025/QH15 on personal data); the secret is compared in constant time.
    Drafts have no receipt and are never found.
    """
    wanted = "".join(lookup_secret.split()).upper()
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_unit", "competent_agency", "returning_unit")
        .filter(code="".join(code.split()))
        .first()
    )
    if dossier is None or not wanted or not hmac.compare_digest(dossier.lookup_secret.upper(), wanted):
        raise DossierNotFound
    return dossier


def list_available_actions(user: User, dossier: Dossier) -> list[Action]:
    """The actions of the transitions table ``user`` may take on ``dossier`` now, in table order.

    It asks the services' own actor rule (``resolve_actor``: role and unit, never a copy of it),
    which only reads; on a step it also says which of "forward" and "approve" fits the stage
    (the last stage approves, the others forward), as the services would refuse the other.
    """
    available = []
    for action in actions_from(dossier.state):
        rule = find(dossier.state, action)
        if rule is None or not any(actor not in (Actor.APPLICANT, Actor.SYSTEM) for actor in rule.actors):
            continue
        try:
            acting = resolve_actor(user, rule, dossier)
        except NotAllowed:
            continue
        if acting.actor is Actor.APPLICANT:
            continue
        if acting.step is not None and action in (Action.FORWARD, Action.APPROVE):
            is_last = acting.step.stage >= last_stage(dossier, known=acting.steps)
            if (action is Action.APPROVE) != is_last:
                continue
        available.append(action)
    return available


def may_attach_result(user: User, dossier: Dossier) -> bool:
    """Whether ``user`` may attach the signed result now (``services.attach_result``'s rule).

    While the decision is taken or once it is: the holder of the last step, or a leader of the
    competent agency.
    """
    if dossier.state not in (DossierState.IN_PROGRESS, DossierState.RESULT_READY):
        return False
    if holds(user, StaffRoleName.AGENCY_LEADER, dossier.competent_agency):
        return True
    last = DossierStep.objects.filter(dossier=dossier).order_by("-stage").select_related("unit").first()
    return last is not None and holds(user, last.role, last.unit)
