"""Reads for sharing out the work (Decree 118/2025/NĐ-CP Arts. 18–19): which steps a leader gives, to whom.

- **Steps to assign**: the steps in hand in the units where the user may assign work
  (``Capability.ASSIGN``: a department head in their department, an agency leader in the agency
  and every unit below it), oldest deadline first, at most ``limit``.
- **Who may take a step**: each unit of the competent agency where the user may assign and
  someone holds the step's role (its own unit first), as a whole or one of those officers by name
  (``services.assignment`` makes the same checks when the choice is sent).

Each read costs a fixed number of queries whatever the number of steps, so the leader's page
costs the same with one step as with a hundred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.accounts.models import StaffRole, User, UserKind
from motcua.accounts.permissions import Capability, agencies_where, can
from motcua.agencies.models import Agency
from motcua.workflow.models import DossierStep, StepState
from motcua.workflow.services.assignment import check_assignable, is_unit_of
from motcua.workflow.services.core import WorkflowError


@dataclass(frozen=True, slots=True)
class AssignmentTarget:
    """Where a step may go: a unit as a whole (``officer`` None) or one officer of it."""

    unit: Agency
    officer: User | None = None

    @property
    def key(self) -> str:
        """How a form names this choice: "unit id:officer id" (no officer id: the whole unit)."""
        return f"{self.unit.pk}:{self.officer.pk if self.officer is not None else ''}"


def _steps() -> QuerySet[DossierStep]:
    """Steps with their unit, officer and dossier's competent agency (of the dossier, only what the page shows)."""
    return DossierStep.objects.select_related("dossier__competent_agency", "unit", "assignee").only(
        "stage",
        "name",
        "role",
        "state",
        "due_at",
        "unit",
        "assignee",
        "dossier__code",
        "dossier__state",
        "dossier__lock_version",
        "dossier__competent_agency",
    )


def list_steps_to_assign(user: User, *, limit: int = 100) -> list[DossierStep]:
    """The steps in hand in units where ``user`` may assign, oldest deadline first (one query)."""
    units = agencies_where(user, Capability.ASSIGN)
    return list(_steps().filter(state=StepState.ACTIVE, unit__in=units.values("pk")).order_by("due_at", "pk")[:limit])


def get_step(*, dossier_id: int, step_id: int) -> DossierStep | None:
    """The step ``step_id`` of the dossier, with what ``list_assignable_officers`` reads (None: no such step)."""
    return _steps().filter(pk=step_id, dossier_id=dossier_id).first()


def may_assign(user: User, step: DossierStep) -> bool:
    """Whether ``user`` may give ``step`` to someone (``services.reassign_step``'s first checks)."""
    try:
        check_assignable(user, step)
    except WorkflowError:
        return False
    return True


def list_assignment_targets(user: User, steps: Iterable[DossierStep]) -> dict[int, list[AssignmentTarget]]:
    """For each step ``user`` may assign, by its id, where it may go (one query for any number of steps).

    Steps come with their dossier's competent agency and their unit (``list_steps_to_assign``).
    """
    steps = [step for step in steps if may_assign(user, step)]
    if not steps:
        return {}
    agencies = {step.dossier.competent_agency_id: step.dossier.competent_agency for step in steps}
    holders = list(
        StaffRole.objects.filter(
            role__in={step.role for step in steps},
            membership__is_active=True,
            membership__user__is_active=True,
            membership__user__kind=UserKind.STAFF,
            membership__agency__in=Agency.objects.subtree_of(agencies.values()).values("pk"),
        )
        .filter(membership__agency__in=agencies_where(user, Capability.ASSIGN).values("pk"))
        .select_related("membership__user", "membership__agency__parent")
        .order_by("membership__user__full_name", "membership__user__username", "pk")
    )
    found: dict[int, list[AssignmentTarget]] = {}
    for step in steps:
        competent = step.dossier.competent_agency
        mine = [
            role
            for role in holders
            if role.role == step.role
            and (
                role.membership.agency_id == step.unit_id
                or (
                    is_unit_of(role.membership.agency, competent)
                    and can(user, Capability.ASSIGN, role.membership.agency)
                )
            )
        ]
        others = sorted(
            {role.membership.agency for role in mine if role.membership.agency_id != step.unit_id},
            key=lambda unit: (unit.path, unit.name),
        )
        targets = []
        for unit in [step.unit, *others]:
            targets.append(AssignmentTarget(unit))
            targets += [AssignmentTarget(unit, role.membership.user) for role in mine if role.membership.agency == unit]
        found[step.pk] = targets
    return found


def list_assignable_officers(user: User, step: DossierStep) -> list[AssignmentTarget]:
    """Where ``user`` may give ``step``: its unit and the agency's other units, each whole or one officer."""
    return list_assignment_targets(user, [step]).get(step.pk, [])
