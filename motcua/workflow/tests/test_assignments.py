"""Reads for sharing out the work (workflow/assignments.py) and the "My steps" queue once steps have a named officer."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.tests.factories import make_officer
from motcua.workflow import assignments, queues, services
from motcua.workflow.models import DossierStep, StepState
from motcua.workflow.queues import Queue
from motcua.workflow.tests.factories import MONDAY, World, build_world, make_dossier

pytestmark = pytest.mark.django_db

LATER = MONDAY + dt.timedelta(hours=1)


@dataclasses.dataclass
class Office:
    world: World
    colleague: User  # a second specialist of the ward's office
    elsewhere: User  # a specialist of the ward's other department


@pytest.fixture
def office() -> Office:
    world = build_world()
    return Office(
        world=world,
        colleague=make_officer("chuyenvien2", agency=world.office, role=StaffRoleName.SPECIALIST),
        elsewhere=make_officer("chuyenvien3", agency=world.tree.c1_department, role=StaffRoleName.SPECIALIST),
    )


def my_steps(user: User) -> set[str | None]:
    page = queues.list_queue(user, Queue.MY_STEPS, now=LATER, page_size=200)
    return {row.dossier.code for row in page.rows}


def give(office: Office, dossier, officer: User) -> None:
    step = DossierStep.objects.get(dossier=dossier, state=StepState.ACTIVE)
    services.reassign_step(
        dossier_id=dossier.pk, step_id=step.pk, user=office.world.leader, assignee=officer, reason="Giao", now=LATER
    )


def test_a_step_given_to_an_officer_is_in_their_steps_and_no_longer_in_their_colleagues(office):
    given = make_dossier(office.world, "in_progress")
    shared = make_dossier(office.world, "in_progress", now=MONDAY + dt.timedelta(minutes=30))

    give(office, given, office.colleague)

    assert my_steps(office.colleague) == {given.code, shared.code}
    assert my_steps(office.world.specialist) == {shared.code}
    counts = queues.count_queues(office.world.specialist, now=LATER)
    assert counts[Queue.MY_STEPS].value == 1


def test_the_steps_to_assign_are_those_in_hand_in_the_units_where_one_assigns(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    make_dossier(world, "returned")  # nothing in hand

    for_leader = assignments.list_steps_to_assign(world.leader)
    for_head = assignments.list_steps_to_assign(world.head)

    assert [(step.dossier.code, step.stage, step.unit) for step in for_leader] == [(dossier.code, 1, world.office)]
    assert [step.pk for step in for_head] == [step.pk for step in for_leader]  # the head's own department
    assert assignments.list_steps_to_assign(world.specialist) == []  # no one to assign to
    assert assignments.list_steps_to_assign(world.other_leader) == []  # another province


def test_a_head_does_not_assign_the_leaders_step_of_the_commune(office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=LATER)
    services.forward(dossier_id=dossier.pk, user=world.head, now=LATER)  # the approval, at the commune itself

    assert [step.stage for step in assignments.list_steps_to_assign(world.leader)] == [3]
    assert assignments.list_steps_to_assign(world.head) == []


def test_a_step_goes_to_its_unit_or_another_department_as_a_whole_or_to_one_officer(office):
    world = office.world
    make_officer("tiepnhan-vp", agency=world.office, role=StaffRoleName.RECEIVING_OFFICER)  # not a specialist
    dossier = make_dossier(world, "in_progress")
    step = assignments.get_step(dossier_id=dossier.pk, step_id=DossierStep.objects.get(dossier=dossier, stage=1).pk)
    assert step is not None

    for_leader = assignments.list_assignable_officers(world.leader, step)
    for_head = assignments.list_assignable_officers(world.head, step)

    assert [(target.unit, target.officer) for target in for_leader] == [
        (world.office, None),
        (world.office, world.specialist),
        (world.office, office.colleague),
        (world.tree.c1_department, None),
        (world.tree.c1_department, office.elsewhere),
    ]
    assert [(target.unit, target.officer) for target in for_head] == [  # a head assigns in their department only
        (world.office, None),
        (world.office, world.specialist),
        (world.office, office.colleague),
    ]
    assert assignments.list_assignable_officers(world.specialist, step) == []
    assert for_leader[2].key == f"{world.office.pk}:{office.colleague.pk}"
    assert for_leader[0].key == f"{world.office.pk}:"


def test_reading_the_steps_and_their_choices_costs_the_same_for_one_step_or_many(office, django_assert_num_queries):
    world = office.world
    make_dossier(world, "in_progress")
    leader = User.objects.get(pk=world.leader.pk)
    with django_assert_num_queries(3):  # the roles, the steps, the officers
        few = assignments.list_assignment_targets(leader, assignments.list_steps_to_assign(leader))
        assert [len(targets) for targets in few.values()] == [5]
    for n in range(1, 8):
        make_dossier(world, "in_progress", now=MONDAY + dt.timedelta(minutes=10 * n))
    leader = User.objects.get(pk=world.leader.pk)

    with django_assert_num_queries(3):
        steps = assignments.list_steps_to_assign(leader)
        many = assignments.list_assignment_targets(leader, steps)
        rows = [(step.dossier.code, step.unit.name, step.assignee, step.dossier.competent_agency) for step in steps]

    assert len(rows) == 8
    assert all(len(targets) == 5 for targets in many.values())
