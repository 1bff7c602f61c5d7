"""Who may see a dossier and who may act on it: owner, units it touches, jurisdiction; nobody else."""

from __future__ import annotations

import pytest

from motcua.accounts.models import StaffRoleName
from motcua.accounts.tests.factories import make_citizen, make_officer
from motcua.workflow import services
from motcua.workflow.queries import DossierNotFound, access_dossier
from motcua.workflow.services import NotAllowed
from motcua.workflow.tests.factories import MONDAY, build_world, make_dossier

pytestmark = pytest.mark.django_db


def test_visibility_matrix() -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    stranger = make_citizen("001099099999", phone="0987654321", email="khac@example.vn")
    inspector = make_officer(
        "thanhtra", agency=world.tree.p_department, role=StaffRoleName.INSPECTOR, jurisdiction=world.tree.p
    )
    outsider_inspector = make_officer("thanhtra-q", agency=world.tree.q, role=StaffRoleName.INSPECTOR)
    sees = {
        "owner": world.citizen,
        "receiving officer of the centre": world.receiving,
        "specialist holding the step": world.specialist,
        "department head of the office": world.head,
        "leader of the ward": world.leader,
        "provincial inspector": inspector,
    }
    blind = {
        "another citizen": stranger,
        "receiving officer of another commune": world.other_receiving,
        "leader in another province": world.other_leader,
        "inspector of another province": outsider_inspector,
    }
    for who, user in sees.items():
        assert access_dossier(user, dossier_id=dossier.pk) == dossier, who
        assert access_dossier(user, code=dossier.code) == dossier, who
    for who, user in blind.items():
        with pytest.raises(DossierNotFound):
            access_dossier(user, dossier_id=dossier.pk)
            pytest.fail(f"{who} opened the dossier by id")
        with pytest.raises(DossierNotFound):
            access_dossier(user, code=dossier.code)
            pytest.fail(f"{who} opened the dossier by code")
    with pytest.raises(DossierNotFound):
        access_dossier(world.citizen, code="000.01.25.H25-260309-9999")  # does not exist: same answer


@pytest.mark.parametrize(
    ("state", "who", "action"),
    [
        ("submitted", "specialist", lambda w, d, u: services.receive(dossier_id=d.pk, user=u, now=MONDAY)),
        ("submitted", "other_receiving", lambda w, d, u: services.receive(dossier_id=d.pk, user=u, now=MONDAY)),
        ("submitted", "citizen", lambda w, d, u: services.receive(dossier_id=d.pk, user=u, now=MONDAY)),
        ("in_progress", "head", lambda w, d, u: services.forward(dossier_id=d.pk, user=u, now=MONDAY)),
        ("in_progress", "leader", lambda w, d, u: services.forward(dossier_id=d.pk, user=u, now=MONDAY)),
        ("in_progress", "receiving", lambda w, d, u: services.forward(dossier_id=d.pk, user=u, now=MONDAY)),
        ("in_progress", "specialist", lambda w, d, u: services.pause(dossier_id=d.pk, user=u, reason="x", now=MONDAY)),
        (
            "in_progress",
            "other_leader",
            lambda w, d, u: services.refuse(dossier_id=d.pk, user=u, reasons="x", now=MONDAY),
        ),
        (
            "in_progress",
            "other_receiving",
            lambda w, d, u: services.stop(dossier_id=d.pk, user=u, reason="x", now=MONDAY),
        ),
        ("submitted", "other_receiving", lambda w, d, u: services.withdraw(dossier_id=d.pk, user=u, now=MONDAY)),
        ("supplement_requested", "leader", lambda w, d, u: services.close(dossier_id=d.pk, now=MONDAY) and None),
    ],
)
def test_the_wrong_person_is_refused_and_nothing_is_written(state: str, who: str, action) -> None:
    world = build_world()
    dossier = make_dossier(world, state)
    user = getattr(world, who)
    before = (dossier.state, dossier.lock_version, dossier.event_count)
    with pytest.raises(services.WorkflowError):
        action(world, dossier, user)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.lock_version, dossier.event_count) == before


def test_a_receiving_officer_stops_at_the_applicants_request_at_the_counter() -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    stopped = services.stop(dossier_id=dossier.pk, user=world.receiving, reason="Người nộp xin rút", now=MONDAY)
    assert stopped.state == "stopped"


def test_a_specialist_cannot_approve_a_step_given_to_the_leader() -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=MONDAY)
    services.forward(dossier_id=dossier.pk, user=world.head, now=MONDAY)
    with pytest.raises(NotAllowed):
        services.approve(dossier_id=dossier.pk, user=world.specialist, now=MONDAY)
