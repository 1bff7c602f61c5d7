"""The leader's page shares out the steps in hand (backoffice/assignment.py), through the test client."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.tests.factories import make_officer
from motcua.dossiers.models import Dossier
from motcua.workflow.models import DossierEvent, DossierStep, StepState
from motcua.workflow.tests.factories import MONDAY, World, build_world, make_dossier

pytestmark = pytest.mark.django_db

LEADER_PAGE = "/can-bo/lanh-dao/"


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


def signed_in(client, user):
    client.force_login(user)
    return client


def in_hand(dossier: Dossier) -> DossierStep:
    return DossierStep.objects.get(dossier=dossier, state=StepState.ACTIVE)


def reassign_url(step: DossierStep) -> str:
    return reverse("backoffice:reassign_step", args=[step.dossier_id, step.pk])


def choice(step: DossierStep, *, target: str, reason: str = "Chuyên viên phụ trách nghỉ phép", version=None) -> dict:
    dossier = Dossier.objects.get(pk=step.dossier_id)
    prefix = f"step{step.pk}"
    return {
        f"{prefix}-target": target,
        f"{prefix}-reason": reason,
        f"{prefix}-expected_version": dossier.lock_version if version is None else version,
    }


def unchanged(step: DossierStep, events: int) -> bool:
    after = DossierStep.objects.get(pk=step.pk)
    return (after.unit_id, after.assignee_id) == (step.unit_id, step.assignee_id) and DossierEvent.objects.filter(
        dossier_id=step.dossier_id
    ).count() == events


def test_the_leader_sees_each_step_in_hand_with_its_unit_officer_deadline_and_choices(client, office):
    world = office.world
    dossier = make_dossier(world, "in_progress")

    page = signed_in(client, world.leader).get(LEADER_PAGE)

    assert page.status_code == 200
    assert reverse("backoffice:dossier", args=[dossier.pk]) in page.content.decode()
    [row] = page.context["to_assign"]
    assert (row["step"].dossier_id, row["step"].unit, row["step"].assignee) == (dossier.pk, world.office, None)
    text = page.content.decode()
    assert "Steps in hand in my units" in text
    assert "Anyone in the unit" in text
    assert f'value="{world.office.pk}:{office.colleague.pk}"' in text
    assert f'value="{world.tree.c1_department.pk}:{office.elsewhere.pk}"' in text
    assert 'for="id_step' in text  # every field has its label


def test_a_post_gives_the_step_to_the_officer_chosen_and_the_dossier_page_names_them(client, office):
    world = office.world
    dossier = make_dossier(world, "in_progress")
    step = in_hand(dossier)
    signed_in(client, world.leader)

    response = client.post(reassign_url(step), choice(step, target=f"{world.office.pk}:{office.colleague.pk}"))

    assert response.status_code == 302
    assert response["Location"] == LEADER_PAGE
    step.refresh_from_db()
    assert (step.unit_id, step.assignee_id) == (world.office.pk, office.colleague.pk)
    event = DossierEvent.objects.filter(dossier=dossier).latest("seq")
    assert (event.action, event.actor, event.reason) == (
        "reassign_step",
        world.leader,
        "Chuyên viên phụ trách nghỉ phép",
    )
    shown = client.get(LEADER_PAGE)
    assert "is now with" in shown.content.decode()
    assert (
        office.colleague.get_full_name()
        in client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    )
    # The colleague now finds it in their steps, the first specialist no longer does.
    mine = signed_in(client, office.colleague).get(reverse("backoffice:queue", args=["my_steps"]))
    theirs = signed_in(client, world.specialist).get(reverse("backoffice:queue", args=["my_steps"]))
    assert dossier.code in mine.content.decode()
    assert dossier.code not in theirs.content.decode()


def test_a_post_moves_the_step_to_another_department_as_a_whole(client, office):
    world = office.world
    step = in_hand(make_dossier(world, "in_progress"))

    response = signed_in(client, world.leader).post(
        reassign_url(step), choice(step, target=f"{world.tree.c1_department.pk}:")
    )

    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.unit_id, step.assignee_id) == (world.tree.c1_department.pk, None)


def test_an_officer_of_another_agency_does_not_find_the_dossier(client, office):
    world = office.world
    step = in_hand(make_dossier(world, "in_progress"))
    events = DossierEvent.objects.filter(dossier_id=step.dossier_id).count()

    response = signed_in(client, world.other_leader).post(
        reassign_url(step), choice(step, target=f"{world.office.pk}:{office.colleague.pk}")
    )

    assert response.status_code == 404
    assert unchanged(step, events)
    assert signed_in(client, world.other_leader).get(LEADER_PAGE).context["to_assign"] == []


def test_a_specialist_who_may_not_assign_is_refused_in_words(client, office):
    world = office.world
    step = in_hand(make_dossier(world, "in_progress"))
    events = DossierEvent.objects.filter(dossier_id=step.dossier_id).count()

    response = signed_in(client, world.specialist).post(
        reassign_url(step), choice(step, target=f"{world.office.pk}:{office.colleague.pk}")
    )

    assert response.status_code == 403
    assert "You may not assign work in" in response.content.decode()
    assert unchanged(step, events)
    assert response.context["to_assign"] == []


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("office:colleague", ""),  # no reason
        ("999999:", "Phân công"),  # not a choice offered
        ("", "Phân công"),  # no choice
    ],
)
def test_a_form_with_mistakes_is_shown_again_with_its_errors(client, office, target, reason):
    world = office.world
    step = in_hand(make_dossier(world, "in_progress"))
    events = DossierEvent.objects.filter(dossier_id=step.dossier_id).count()
    target = target.replace("office", str(world.office.pk)).replace("colleague", str(office.colleague.pk))

    response = signed_in(client, world.leader).post(reassign_url(step), choice(step, target=target, reason=reason))

    assert response.status_code == 400
    [row] = response.context["to_assign"]
    assert row["form"].errors
    assert 'class="error-summary"' in response.content.decode()
    assert f'value="{reason}"' not in response.content.decode() or reason == ""
    assert unchanged(step, events)


def test_a_step_changed_since_the_page_was_loaded_asks_to_reload(client, office):
    world = office.world
    step = in_hand(make_dossier(world, "in_progress"))
    stale = Dossier.objects.get(pk=step.dossier_id).lock_version - 1
    events = DossierEvent.objects.filter(dossier_id=step.dossier_id).count()

    response = signed_in(client, world.leader).post(
        reassign_url(step), choice(step, target=f"{world.office.pk}:{office.colleague.pk}", version=stale)
    )

    assert response.status_code == 409
    assert "Reload the page" in response.content.decode()
    assert unchanged(step, events)


def test_a_step_already_with_that_officer_is_refused_with_the_reason(client, office):
    world = office.world
    step = in_hand(make_dossier(world, "in_progress"))

    response = signed_in(client, world.leader).post(reassign_url(step), choice(step, target=f"{world.office.pk}:"))

    assert response.status_code == 400
    assert "already with this unit" in response.content.decode()


# Eleven: the session and the user (2), the roles (1), the approvals (1), the late work by unit (2),
# the steps in hand and every officer they may go to (2), and saving the session on every request
# (SESSION_SAVE_EVERY_REQUEST: the UPDATE and its transaction, 3). The sharing out adds two, whatever
# the number of steps.
def test_the_leaders_page_costs_a_fixed_number_of_queries_whatever_the_number_of_steps(
    client, office, django_assert_max_num_queries
):
    world = office.world
    signed_in(client, world.leader)
    make_dossier(world, "in_progress")
    with CaptureQueriesContext(connection) as small:
        client.get(LEADER_PAGE)
    for n in range(1, 12):
        make_dossier(world, "in_progress", now=MONDAY + dt.timedelta(minutes=10 * n))

    with CaptureQueriesContext(connection) as large:
        page = client.get(LEADER_PAGE)
    with django_assert_max_num_queries(10):
        client.get(LEADER_PAGE)

    assert len(page.context["to_assign"]) == 12
    assert len(large.captured_queries) == len(small.captured_queries)
