"""Every state × every action, against the transitions table: allowed ones happen, the others change nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest

from motcua.dossiers.models import Dossier, DossierState
from motcua.workflow import services
from motcua.workflow.models import DossierEvent, InterAgencyMode
from motcua.workflow.services import NotAllowed, TaskSpec, TransitionRefused
from motcua.workflow.tests.factories import MONDAY, PDF, STATES, World, build_world, counter_documents, make_dossier
from motcua.workflow.transitions import TABLE, Action

LATER = MONDAY + dt.timedelta(hours=1)


def _approve(world: World, dossier: Dossier) -> Dossier:
    # Approval is the last stage's act: bring the dossier there first.
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=LATER)
    services.forward(dossier_id=dossier.pk, user=world.head, now=LATER)
    return services.approve(dossier_id=dossier.pk, user=world.leader, now=LATER)


def _return(world: World, dossier: Dossier) -> Dossier:
    if dossier.state == DossierState.RESULT_READY:
        services.attach_result(dossier_id=dossier.pk, user=world.leader, handle=io.BytesIO(PDF), name="kq.pdf")
    return services.return_result(dossier_id=dossier.pk, user=world.receiving, now=LATER)


def _refuse(world: World, dossier: Dossier) -> Dossier:
    reception = dossier.state in (DossierState.DRAFT, DossierState.SUBMITTED)
    who = world.receiving if reception else world.leader
    return services.refuse(dossier_id=dossier.pk, user=who, reasons="Không đủ điều kiện", now=LATER)


def _supplement(world: World, dossier: Dossier) -> Dossier:
    who = world.receiving if dossier.state in (DossierState.DRAFT, DossierState.SUBMITTED) else world.specialist
    return services.request_supplement(dossier_id=dossier.pk, user=who, reason="Thiếu", missing=["Tờ khai"], now=LATER)


ACTIONS: dict[Action, Callable[[World, Dossier], Dossier]] = {
    Action.SUBMIT: lambda w, d: services.submit(dossier_id=d.pk, user=w.citizen, now=LATER),
    Action.RECEIVE_AT_COUNTER: lambda w, d: services.receive_at_counter(
        dossier_id=d.pk, user=w.receiving, documents=counter_documents(d), now=LATER
    ),
    Action.RECEIVE: lambda w, d: services.receive(dossier_id=d.pk, user=w.receiving, now=LATER),
    Action.REQUEST_SUPPLEMENT: _supplement,
    Action.PROVIDE_SUPPLEMENT: lambda w, d: services.provide_supplement(dossier_id=d.pk, user=w.citizen, now=LATER),
    Action.REFUSE: _refuse,
    Action.WITHDRAW: lambda w, d: services.withdraw(dossier_id=d.pk, user=w.citizen, now=LATER),
    Action.CLOSE: lambda w, d: services.close(dossier_id=d.pk, now=LATER + dt.timedelta(days=15)),
    Action.TRANSFER: lambda w, d: services.transfer(dossier_id=d.pk, user=w.receiving, now=LATER),
    Action.FORWARD: lambda w, d: services.forward(dossier_id=d.pk, user=w.specialist, now=LATER),
    Action.SEND_BACK: lambda w, d: (
        services.forward(dossier_id=d.pk, user=w.specialist, now=LATER)
        and services.send_back(dossier_id=d.pk, user=w.head, to_stage=1, reason="Thẩm định lại", now=LATER)
    ),
    Action.FORWARD_TO_AGENCIES: lambda w, d: services.forward_to_agencies(
        dossier_id=d.pk,
        user=w.specialist,
        mode=InterAgencyMode.DIFFERENT_LEVEL,
        tasks=[TaskSpec(w.tree.p_department, "Xác minh", 2)],
        now=LATER,
    ),
    Action.ANSWER_TASK: lambda w, d: services.answer_task(
        dossier_id=d.pk, user=w.province_department_officer, answer="Đã xác minh", now=LATER
    ),
    Action.PAUSE: lambda w, d: services.pause(dossier_id=d.pk, user=w.leader, reason="Chờ giám định", now=LATER),
    Action.RESUME: lambda w, d: services.resume(dossier_id=d.pk, user=w.leader, now=LATER),
    Action.EXTEND: lambda w, d: services.extend(
        dossier_id=d.pk, user=w.leader, new_appointment=MONDAY + dt.timedelta(days=10), reason="Chờ xác minh", now=LATER
    ),
    Action.APPROVE: _approve,
    Action.RETURN_RESULT: _return,
    Action.STOP: lambda w, d: services.stop(dossier_id=d.pk, user=w.citizen, reason="Không còn nhu cầu", now=LATER),
}
COUNTER_ONLY = {Action.RECEIVE_AT_COUNTER}


def test_every_action_of_the_table_has_a_service_here() -> None:
    assert set(ACTIONS) == set(Action)
    assert {state for state, _action in TABLE} <= set(DossierState)


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("state", STATES)
def test_state_by_action(state: str, action: Action) -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, state)
    if action in COUNTER_ONLY and state == "draft":
        dossier.channel = "counter"
        Dossier.objects.filter(pk=dossier.pk).update(channel="counter")
    rule = TABLE.get((DossierState(state), action))
    before = (dossier.state, dossier.lock_version, DossierEvent.objects.filter(dossier=dossier).count())

    if rule is None:
        with pytest.raises((TransitionRefused, NotAllowed)):
            ACTIONS[action](world, dossier)
        dossier.refresh_from_db()
        assert (dossier.state, dossier.lock_version, DossierEvent.objects.filter(dossier=dossier).count()) == before
        return

    ACTIONS[action](world, dossier)
    dossier.refresh_from_db()
    if action in (Action.SEND_BACK, Action.APPROVE):
        return  # these took several steps; their own tests pin the states
    assert dossier.state in rule.targets
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert last is not None
    assert (last.action, last.from_state, last.to_state) == (action.value, state, dossier.state)
