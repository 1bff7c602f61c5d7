"""A leader gives a step in hand to a named officer or another unit (services/assignment.py).

What changes (the step's unit and officer, one event with old and new values and the reason),
who may then act on the step, and every refusal, each of which writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.tests.factories import make_officer
from motcua.dossiers.models import Dossier, DossierState
from motcua.workflow import services
from motcua.workflow.events import verify_chain
from motcua.workflow.models import DossierEvent, DossierStep, StepState
from motcua.workflow.queries import get_timeline, list_available_actions
from motcua.workflow.services import NotAllowed, StaleDossier, TransitionRefused, WorkflowError
from motcua.workflow.tests.factories import MONDAY, World, build_world, make_dossier
from motcua.workflow.transitions import Action

pytestmark = pytest.mark.django_db

LATER = MONDAY + dt.timedelta(hours=1)


@dataclasses.dataclass
class Office:
    world: World
    colleague: User  # a second specialist of the ward's office
    elsewhere: User  # a specialist of the ward's other department
    province_leader: User


@pytest.fixture
def office() -> Office:
    world = build_world()
    return Office(
        world=world,
        colleague=make_officer("chuyenvien2", agency=world.office, role=StaffRoleName.SPECIALIST),
        elsewhere=make_officer("chuyenvien3", agency=world.tree.c1_department, role=StaffRoleName.SPECIALIST),
        province_leader=make_officer("lanhdao-tinh", agency=world.tree.p, role=StaffRoleName.AGENCY_LEADER),
    )


def active_step(dossier: Dossier) -> DossierStep:
    return DossierStep.objects.select_related("unit").get(dossier=dossier, state=StepState.ACTIVE)


def test_the_leader_gives_the_step_to_a_named_officer_and_one_event_says_who_had_it_and_who_has_it(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")  # stage 1: the specialist's appraisal in the office
    step = active_step(dossier)
    events_before = dossier.event_count

    moved = services.reassign_step(
        dossier_id=dossier.pk,
        step_id=step.pk,
        user=world.leader,
        assignee=office.colleague,
        reason="Chuyên viên phụ trách nghỉ phép",
        expected_version=dossier.lock_version,
        now=LATER,
    )

    assert (moved.unit, moved.assignee) == (world.office, office.colleague)
    step.refresh_from_db()
    assert (step.unit_id, step.assignee_id, step.state, step.due_at) == (
        world.office.pk,
        office.colleague.pk,
        StepState.ACTIVE,
        moved.due_at,
    )
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.state == DossierState.IN_PROGRESS  # not a change of state
    assert after.lock_version == dossier.lock_version + 1  # pages opened before are stale
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert len(events) == events_before + 1
    event = events[-1]
    assert (event.action, event.at, event.actor, event.actor_role, event.actor_unit) == (
        "reassign_step",
        LATER,
        world.leader,
        "agency_leader",
        world.office,
    )
    assert (event.from_state, event.to_state) == (DossierState.IN_PROGRESS, DossierState.IN_PROGRESS)
    assert event.reason == "Chuyên viên phụ trách nghỉ phép"
    assert event.changes == {
        "step_id": step.pk,
        "step": step.name,
        "stage": 1,
        "from": {"unit": {"id": world.office.pk, "name": world.office.name}, "assignee": {"id": None, "name": ""}},
        "to": {
            "unit": {"id": world.office.pk, "name": world.office.name},
            "assignee": {"id": office.colleague.pk, "name": office.colleague.get_full_name()},
        },
    }
    assert verify_chain(after, events) == []


def test_only_the_named_officer_acts_on_the_step_a_colleague_of_the_unit_is_refused(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    services.reassign_step(
        dossier_id=dossier.pk, step_id=active_step(dossier).pk, user=world.leader, assignee=office.colleague,
        reason="Phân công", now=LATER,
    )  # fmt: skip

    assert list_available_actions(world.specialist, Dossier.objects.get(pk=dossier.pk)) == []
    with pytest.raises(NotAllowed):
        services.forward(dossier_id=dossier.pk, user=world.specialist, now=LATER)

    forwarded = services.forward(dossier_id=dossier.pk, user=office.colleague, now=LATER)

    assert forwarded.current_stage == 2
    assert DossierEvent.objects.filter(dossier=dossier).latest("seq").actor == office.colleague


def test_a_step_nobody_was_named_for_stays_with_everyone_holding_its_role(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")

    assert Action.FORWARD in list_available_actions(office.colleague, dossier)
    assert Action.FORWARD in list_available_actions(world.specialist, dossier)


def test_a_leader_who_may_assign_still_acts_on_a_step_of_their_role_given_to_a_deputy(office):
    world = office.world
    deputy = make_officer("phochutich", agency=world.tree.c1, role=StaffRoleName.AGENCY_LEADER)
    dossier = make_dossier(world, "in_progress")
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=LATER)
    services.forward(dossier_id=dossier.pk, user=world.head, now=LATER)  # stage 3: the leader's approval
    services.reassign_step(
        dossier_id=dossier.pk, step_id=active_step(dossier).pk, user=world.leader, assignee=deputy,
        reason="Phó chủ tịch phụ trách lĩnh vực", now=LATER,
    )  # fmt: skip

    assert Action.APPROVE in list_available_actions(deputy, Dossier.objects.get(pk=dossier.pk))
    approved = services.approve(dossier_id=dossier.pk, user=world.leader, now=LATER)

    assert approved.state == DossierState.RESULT_READY


def test_the_step_moves_to_another_department_of_the_agency_with_or_without_a_named_officer(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    step = active_step(dossier)

    services.reassign_step(
        dossier_id=dossier.pk, step_id=step.pk, user=world.leader, unit=world.tree.c1_department,
        reason="Thuộc lĩnh vực phòng khác", now=LATER,
    )  # fmt: skip

    step.refresh_from_db()
    assert (step.unit_id, step.assignee_id) == (world.tree.c1_department.pk, None)
    with pytest.raises(NotAllowed):  # the office no longer holds it
        services.forward(dossier_id=dossier.pk, user=world.specialist, now=LATER)

    services.reassign_step(
        dossier_id=dossier.pk, step_id=step.pk, user=world.leader, assignee=office.elsewhere,
        reason="Giao chuyên viên", now=LATER,
    )  # fmt: skip
    services.forward(dossier_id=dossier.pk, user=office.elsewhere, now=LATER)

    step.refresh_from_db()
    assert (step.state, step.finished_by_id) == (StepState.DONE, office.elsewhere.pk)


def test_giving_the_step_back_to_the_whole_unit_frees_it_for_every_holder_of_its_role(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    step = active_step(dossier)
    services.reassign_step(
        dossier_id=dossier.pk, step_id=step.pk, user=world.leader, assignee=office.colleague, reason="Giao", now=LATER
    )

    services.reassign_step(dossier_id=dossier.pk, step_id=step.pk, user=world.head, reason="Trả về phòng", now=LATER)

    step.refresh_from_db()
    assert step.assignee_id is None
    event = DossierEvent.objects.filter(dossier=dossier).latest("seq")
    assert (event.actor_role, event.changes["from"]["assignee"]["id"], event.changes["to"]["assignee"]["id"]) == (
        "department_head",
        office.colleague.pk,
        None,
    )
    assert Action.FORWARD in list_available_actions(world.specialist, Dossier.objects.get(pk=dossier.pk))


def test_the_citizens_timeline_leaves_the_reassignment_out_the_officers_shows_it(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    services.reassign_step(
        dossier_id=dossier.pk, step_id=active_step(dossier).pk, user=world.leader, assignee=office.colleague,
        reason="Nghỉ phép", now=LATER,
    )  # fmt: skip

    officers = [entry.reason for entry in get_timeline(dossier)]
    public = [entry.reason for entry in get_timeline(dossier, public=True)]

    assert "Nghỉ phép" in officers
    assert "Nghỉ phép" not in public


def people_and_places(office: Office, dossier: Dossier) -> dict[str, object]:
    """What the refusal table names, by name."""
    world = office.world
    return {
        "specialist": world.specialist,
        "colleague": office.colleague,
        "elsewhere": office.elsewhere,
        "head": world.head,
        "other_leader": world.other_leader,
        "province_leader": office.province_leader,
        "c1_department": world.tree.c1_department,
        "c1_centre": world.tree.c1_centre,
        "c2": world.tree.c2,
        "p_department": world.tree.p_department,
        "waiting_step": DossierStep.objects.get(dossier=dossier, stage=2).pk,
        "old_version": dossier.lock_version - 1,
    }


REFUSALS = [
    # (why, the call's arguments by name (the leader gives the active step otherwise), the error, words of its message)
    ("a step not in hand", {"step_id": "waiting_step", "assignee": "head"}, TransitionRefused, "in hand"),
    ("a specialist", {"user": "specialist", "assignee": "colleague"}, NotAllowed, "may not assign"),
    ("another province's leader", {"user": "other_leader"}, NotAllowed, "may not assign"),
    ("a head outside their department", {"user": "head", "unit": "c1_department"}, NotAllowed, "may not assign"),
    ("an officer without the role", {"assignee": "head"}, TransitionRefused, "does not hold the role"),
    ("an officer of another unit", {"assignee": "elsewhere"}, TransitionRefused, "does not hold the role"),
    ("a unit of another agency", {"user": "province_leader", "unit": "p_department"}, TransitionRefused, "within"),
    ("another commune", {"user": "province_leader", "unit": "c2"}, TransitionRefused, "within the agency"),
    ("the one-stop desk", {"unit": "c1_centre"}, TransitionRefused, "within the agency"),
    ("no reason", {"assignee": "colleague", "reason": "  "}, TransitionRefused, "Say why"),
    ("nothing changes", {}, TransitionRefused, "already"),
    ("a stale page", {"assignee": "colleague", "expected_version": "old_version"}, StaleDossier, "Reload"),
]


@pytest.mark.parametrize(("why", "arguments", "error", "words"), REFUSALS, ids=[row[0] for row in REFUSALS])
def test_each_refusal_says_why_and_writes_nothing(office, why, arguments, error, words):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    steps_before = list(DossierStep.objects.filter(dossier=dossier).values_list("pk", "unit", "assignee", "state"))
    named = people_and_places(office, dossier)
    call = {
        "dossier_id": dossier.pk,
        "step_id": active_step(dossier).pk,
        "user": world.leader,
        "reason": "Phân công lại",
        "now": LATER,
        **{key: value if key == "reason" else named[value] for key, value in arguments.items()},
    }

    with pytest.raises(error) as refused:
        services.reassign_step(**call)

    assert isinstance(refused.value, WorkflowError)
    assert words in refused.value.message
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.lock_version, after.event_count) == (dossier.lock_version, dossier.event_count)
    assert DossierEvent.objects.filter(dossier=dossier).count() == dossier.event_count
    assert list(DossierStep.objects.filter(dossier=dossier).values_list("pk", "unit", "assignee", "state")) == (
        steps_before
    )


def test_a_finished_step_cannot_be_reassigned(office):
    world = office.world
    dossier = make_dossier(world, "result_ready")
    step = DossierStep.objects.get(dossier=dossier, stage=1)

    with pytest.raises(TransitionRefused, match="in hand"):
        services.reassign_step(
            dossier_id=dossier.pk, step_id=step.pk, user=world.leader, assignee=office.colleague, reason="X", now=LATER
        )
