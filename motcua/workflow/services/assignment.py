"""A leader distributes the work: gives a step in hand to a named officer, or moves it to another unit.

Decree 118/2025/NĐ-CP Arts. 18–19: the dossier transferred to the competent agency is handed to
the official who processes it; the head of the department assigns the official and the agency's
leader directs the work of its units. Here whoever holds ``Capability.ASSIGN`` over the step's
unit (a department head in their own department, an agency leader in the agency and every unit
below it, ``accounts.permissions``) may:

- give the active step to one officer who holds the step's role in its unit: from then on only
  that officer acts on it, or a holder of the role who may assign there (``core.holds_step``);
- move it to another unit of the same agency (the competent agency itself, or one of its own
  departments: not a one-stop desk, a vertically-organised agency, or a lower level's units),
  where the leader may also assign, with or without a named officer;
- give it back to the whole unit (no named officer).

A reassignment is not a change of state: the step keeps its stage, role and deadline, and the
dossier its state. It is written as one event (``reassign_step``) with the old and new unit and
officer and the reason, under the dossier's lock and version like every change. The officer
named stays on the step if it later starts again (sent back to its stage).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.permissions import Capability, can
from motcua.agencies.models import Agency, AgencyKind
from motcua.dossiers.models import Dossier
from motcua.workflow.models import DossierStep, StepState
from motcua.workflow.services.core import NotAllowed, StaleDossier, TransitionRefused, holds, record_event
from motcua.workflow.transitions import Actor

#: The event's action (not a row of the transitions table: the state does not change).
REASSIGN_STEP = "reassign_step"
#: Units that belong to the agency above them; any other kind is an agency (or a desk) of its own.
INTERNAL_UNIT_KINDS = frozenset({AgencyKind.DEPARTMENT, AgencyKind.MINISTRY_UNIT})
#: The roles whose holders assign work, most senior first (how the event names the assigner).
ASSIGNING_ROLES = (StaffRoleName.AGENCY_LEADER, StaffRoleName.DEPARTMENT_HEAD)


def is_unit_of(unit: Agency, agency: Agency) -> bool:
    """Whether ``unit`` is ``agency`` or one of its own departments (reads ``unit.parent``).

    A department (or ministry unit) below the agency at the same level of government, whose parent
    is the agency or another department: not a commune's department under a province, nor one of
    a vertically-organised agency or a one-stop desk, which answer to their own heads.
    """
    if unit.pk == agency.pk:
        return True
    if not unit.is_within(agency) or unit.kind not in INTERNAL_UNIT_KINDS or unit.level != agency.level:
        return False
    parent = unit.parent
    return parent is not None and (parent.pk == agency.pk or parent.kind in INTERNAL_UNIT_KINDS)


def assigning_actor(user: User, unit: Agency) -> Actor | None:
    """The role under which ``user`` assigns in ``unit`` (None: a system administrator)."""
    return next((Actor(role.value) for role in ASSIGNING_ROLES if holds(user, role, unit)), None)


def check_assignable(user: User, step: DossierStep) -> None:
    """Refuse unless ``step`` is in hand and ``user`` may assign work in its unit (a reassignment's first checks)."""
    if step.state != StepState.ACTIVE:
        raise TransitionRefused(_("Only a step in hand can be given to someone else."))
    if not can(user, Capability.ASSIGN, step.unit):
        raise NotAllowed(_("You may not assign work in %(unit)s.") % {"unit": step.unit.name})


def _person(user: User | None) -> dict[str, Any]:
    return {"id": user.pk, "name": user.get_full_name()} if user is not None else {"id": None, "name": ""}


def reassign_step(
    *,
    dossier_id: int,
    step_id: int,
    user: User,
    assignee: User | None = None,
    unit: Agency | None = None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """Give the active step ``step_id`` to ``assignee`` (None: the whole unit) in ``unit`` (None: where it is).

    Refused, with nothing written: an empty reason, a step not in hand, a user who may not assign
    in the step's unit or the target unit, a target unit outside the competent agency, an officer
    who does not hold the step's role there, nothing that would change, a stale page.
    """
    reason = reason.strip()
    if not reason:
        raise TransitionRefused(_("Say why the step is given to someone else."))
    # Read before the lock only to name the assigner's role and unit on the event; every check is
    # made again on the step as read under the lock.
    seen = DossierStep.objects.select_related("unit").filter(pk=step_id, dossier_id=dossier_id).first()
    if seen is None:
        raise TransitionRefused(_("Only a step in hand can be given to someone else."))
    done: list[DossierStep] = []

    def change(dossier: Dossier, at: dt.datetime) -> dict[str, Any]:
        step = DossierStep.objects.select_related("unit", "assignee").filter(pk=step_id, dossier_id=dossier.pk).first()
        if step is None:
            raise TransitionRefused(_("Only a step in hand can be given to someone else."))
        if step.unit_id != seen.unit_id:
            raise StaleDossier(_("This dossier has changed since you opened it. Reload the page and try again."))
        check_assignable(user, step)
        target = unit or step.unit
        if target.pk != step.unit_id:
            competent = Agency.objects.get(pk=dossier.competent_agency_id)
            if not is_unit_of(target, competent):
                raise TransitionRefused(
                    _("%(unit)s is not a unit of %(agency)s: a step moves only within the agency.")
                    % {"unit": target.name, "agency": competent.name}
                )
            if not can(user, Capability.ASSIGN, target):
                raise NotAllowed(_("You may not assign work in %(unit)s.") % {"unit": target.name})
        if assignee is not None and not holds(assignee, step.role, target):
            raise TransitionRefused(
                _("%(officer)s does not hold the role “%(role)s” in %(unit)s.")
                % {
                    "officer": assignee.get_full_name(),
                    "role": StaffRoleName(step.role).label,
                    "unit": target.name,
                }
            )
        new_assignee_id = assignee.pk if assignee is not None else None
        if target.pk == step.unit_id and new_assignee_id == step.assignee_id:
            raise TransitionRefused(_("The step is already with this unit and officer."))
        changes = {
            "step_id": step.pk,
            "step": step.name,
            "stage": step.stage,
            "from": {"unit": {"id": step.unit_id, "name": step.unit.name}, "assignee": _person(step.assignee)},
            "to": {"unit": {"id": target.pk, "name": target.name}, "assignee": _person(assignee)},
        }
        step.unit, step.assignee = target, assignee
        step.save(update_fields=["unit", "assignee"])
        done.append(step)
        return changes

    record_event(
        dossier_id=dossier_id,
        action=REASSIGN_STEP,
        user=user,
        change=change,
        actor=assigning_actor(user, seen.unit),
        unit=seen.unit,
        reason=reason,
        expected_version=expected_version,
        now=now,
    )
    return done[0]
