"""Many dossiers in one transaction: what one at a time gives, refusals kept apart, codes without gaps.

A queue's bulk action and an import go through ``services.act_on_many`` and ``start_drafts``;
these tests hold them to the single-dossier services: same due moments, steps, events and
messages, the same refusals, and nothing written for a dossier that was refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from motcua.catalog.channels import Channel
from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import DeliveryMethod, Dossier, DossierCodeCounter, DossierState
from motcua.notifications import topics
from motcua.notifications.models import OutboxMessage
from motcua.workflow import services
from motcua.workflow.events import verify_chain
from motcua.workflow.models import DossierEvent, DossierStep, StepState
from motcua.workflow.services import (
    ApplicantDetails,
    Draft,
    NotAllowed,
    StaleDossier,
    TransitionRefused,
    WorkflowError,
)
from motcua.workflow.services.runner import BATCHABLE, MAX_BATCH, run_transitions
from motcua.workflow.tests.factories import MONDAY, World, applicant_of, build_world, draft, make_dossier
from motcua.workflow.transitions import Action

pytestmark = pytest.mark.django_db

LATER = MONDAY + dt.timedelta(hours=1)
#: A required component of the test procedure (catalog.tests.factories).
REQUIRED_COMPONENT = "Giấy chứng sinh"


def sequence_number(code: str | None) -> int:
    assert code
    return int(code.rsplit("-", 1)[1])


def chain_is_intact(dossier: Dossier) -> bool:
    stored = Dossier.objects.get(pk=dossier.pk)
    return verify_chain(stored, DossierEvent.objects.filter(dossier=stored).order_by("seq")) == []


def steps_of(dossier: Dossier) -> list[tuple[int, str, str, int, str, dt.datetime | None]]:
    return [
        (step.stage, step.name, step.role, step.budget_hours, step.state, step.due_at)
        for step in DossierStep.objects.filter(dossier=dossier).order_by("stage", "pk")
    ]


def test_a_batch_receives_each_dossier_exactly_as_the_desk_receives_one() -> None:
    world = build_world()
    alone, *batch = [make_dossier(world, "submitted") for _ in range(4)]
    single = services.receive(dossier_id=alone.pk, user=world.receiving, now=LATER)

    outcome = services.act_on_many(
        action=Action.RECEIVE, dossier_ids=[dossier.pk for dossier in batch], user=world.receiving, now=LATER
    )

    assert outcome.refused == {}
    assert [dossier.pk for dossier in outcome.done] == [dossier.pk for dossier in batch]
    for dossier in batch:
        stored = Dossier.objects.get(pk=dossier.pk)
        assert stored.state == DossierState.RECEIVED
        assert (stored.received_at, stored.clock_started_at, stored.legal_due_at, stored.appointment_at) == (
            single.received_at, single.clock_started_at, single.legal_due_at, single.appointment_at,
        )  # fmt: skip
        assert stored.lock_version == single.lock_version
        assert steps_of(stored) == steps_of(single)
        last = DossierEvent.objects.filter(dossier=stored).latest("seq")
        assert (last.action, last.from_state, last.to_state, last.actor_id) == (
            "receive", DossierState.SUBMITTED, DossierState.RECEIVED, world.receiving.pk,
        )  # fmt: skip
        assert chain_is_intact(stored)
        message = OutboxMessage.objects.get(topic=topics.DOSSIER_RECEIVED, payload__dossier_id=stored.pk)
        assert message.key == f"{topics.DOSSIER_RECEIVED}:{stored.pk}:{last.seq}"
        assert message.payload["code"] == stored.code
        assert stored.legal_due_at is not None
        assert dt.datetime.fromisoformat(message.payload["legal_due_at"]) == stored.legal_due_at


def test_a_refused_dossier_does_not_hold_back_the_others_and_is_left_untouched() -> None:
    world = build_world()
    first = make_dossier(world, "submitted")
    still_a_draft = make_dossier(world, "draft")
    changed_meanwhile = make_dossier(world, "submitted")
    last = make_dossier(world, "submitted")
    untouched = {d.pk: (d.state, d.lock_version, d.event_count) for d in (still_a_draft, changed_meanwhile)}
    missing_id = last.pk + 1000

    outcome = services.act_on_many(
        action=Action.RECEIVE,
        dossier_ids=[first.pk, still_a_draft.pk, changed_meanwhile.pk, last.pk, missing_id],
        user=world.receiving,
        expected_versions={changed_meanwhile.pk: changed_meanwhile.lock_version - 1},
        now=LATER,
    )

    assert [dossier.pk for dossier in outcome.done] == [first.pk, last.pk]
    assert isinstance(outcome.refused[still_a_draft.pk], TransitionRefused)
    assert isinstance(outcome.refused[changed_meanwhile.pk], StaleDossier)
    assert isinstance(outcome.refused[missing_id], WorkflowError)
    assert all(error.message for error in outcome.refused.values())
    for pk, before in untouched.items():
        stored = Dossier.objects.get(pk=pk)
        assert (stored.state, stored.lock_version, stored.event_count) == before
        assert not DossierStep.objects.filter(dossier_id=pk).exists()
        assert not OutboxMessage.objects.filter(payload__dossier_id=pk, topic=topics.DOSSIER_RECEIVED).exists()
    assert Dossier.objects.get(pk=last.pk).state == DossierState.RECEIVED


def test_codes_given_in_a_batch_follow_on_without_a_gap_where_a_dossier_was_refused() -> None:
    world = build_world()
    before = make_dossier(world, "submitted")
    complete, also_complete, last = (make_dossier(world, "draft") for _ in range(3))
    incomplete = draft(world)  # nothing attached

    outcome = services.act_on_many(
        action=Action.SUBMIT,
        dossier_ids=[complete.pk, incomplete.pk, also_complete.pk, last.pk],
        user=world.citizen,
        now=LATER,
    )

    assert list(outcome.refused) == [incomplete.pk]
    assert REQUIRED_COMPONENT in outcome.refused[incomplete.pk].message
    first = sequence_number(before.code)
    assert [sequence_number(dossier.code) for dossier in outcome.done] == [first + 1, first + 2, first + 3]
    assert Dossier.objects.get(pk=incomplete.pk).code is None
    counter = DossierCodeCounter.objects.get()
    assert counter.last == first + 3  # the number reserved for the refused dossier was given back
    after = make_dossier(world, "submitted")
    assert sequence_number(after.code) == first + 4


def test_the_whole_process_in_batches_ends_as_one_dossier_taken_alone() -> None:
    world = build_world()
    alone, *batch = [make_dossier(world, "draft", delivery_method=DeliveryMethod.COUNTER) for _ in range(3)]
    ids = [dossier.pk for dossier in batch]
    moments = [LATER + dt.timedelta(minutes=10 * n) for n in range(7)]
    steps = [
        (Action.SUBMIT, world.citizen, services.submit),
        (Action.RECEIVE, world.receiving, services.receive),
        (Action.TRANSFER, world.receiving, services.transfer),
        (Action.FORWARD, world.specialist, services.forward),
        (Action.FORWARD, world.head, services.forward),
        (Action.APPROVE, world.leader, services.approve),
        (Action.RETURN_RESULT, world.receiving, services.return_result),
    ]
    for (action, user, one), moment in zip(steps, moments, strict=True):
        one(dossier_id=alone.pk, user=user, now=moment)
        outcome = services.act_on_many(action=action, dossier_ids=ids, user=user, now=moment)
        assert outcome.refused == {}, (action, outcome.refused)

    single = Dossier.objects.get(pk=alone.pk)
    assert single.state == DossierState.RETURNED
    for pk in ids:
        stored = Dossier.objects.get(pk=pk)
        assert stored.state == DossierState.RETURNED
        assert (stored.legal_due_at, stored.resolved_at, stored.verdict, stored.returned_at) == (
            single.legal_due_at, single.resolved_at, single.verdict, single.returned_at,
        )  # fmt: skip
        assert steps_of(stored) == steps_of(single)
        assert {state for *_rest, state, _due in steps_of(stored)} == {StepState.DONE}
        assert stored.event_count == single.event_count == 8  # created, then the seven actions
        assert chain_is_intact(stored)
    assert OutboxMessage.objects.filter(topic=topics.DOSSIER_RETURNED).count() == 3


def test_an_officer_without_the_role_is_refused_for_every_dossier_and_nothing_changes() -> None:
    world = build_world()
    dossiers = [make_dossier(world, "submitted") for _ in range(2)]

    outcome = services.act_on_many(
        action=Action.RECEIVE, dossier_ids=[d.pk for d in dossiers], user=world.specialist, now=LATER
    )

    assert outcome.done == []
    assert all(isinstance(error, NotAllowed) for error in outcome.refused.values())
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True)) == {
        DossierState.SUBMITTED
    }


def test_only_actions_that_write_together_are_taken_in_bulk_and_batches_are_bounded() -> None:
    world = build_world()
    dossiers = [make_dossier(world, "in_progress") for _ in range(2)]
    ids = [d.pk for d in dossiers]
    with pytest.raises(ValueError, match="one dossier at a time"):
        services.act_on_many(action=Action.PAUSE, dossier_ids=ids, user=world.specialist, now=LATER)
    with pytest.raises(ValueError, match="cannot defer"):
        run_transitions(
            dossier_ids=ids[:1],
            action=Action.PAUSE,
            user=world.specialist,
            change=lambda dossier, acting, at: pytest.fail("not reached"),
            now=LATER,
        )
    with pytest.raises(ValueError, match="at most"):
        services.act_on_many(
            action=Action.FORWARD, dossier_ids=list(range(1, MAX_BATCH + 2)), user=world.specialist, now=LATER
        )
    # A batch of one reports its refusal as any batch does, and the same dossier twice is taken once.
    alone = services.act_on_many(action=Action.FORWARD, dossier_ids=ids[:1], user=world.receiving)
    assert alone.done == [] and isinstance(alone.refused[ids[0]], NotAllowed)
    outcome = services.act_on_many(action=Action.FORWARD, dossier_ids=[ids[0], ids[0]], user=world.specialist)
    assert len(outcome.done) == 1


def test_the_actions_offered_in_bulk_are_those_the_runner_can_write_together() -> None:
    assert services.BULK_ACTIONS == BATCHABLE


def test_results_returned_in_bulk_refuse_a_parcel_without_its_tracking_number() -> None:
    world = build_world()
    at_counter = make_dossier(world, "result_ready", delivery_method=DeliveryMethod.COUNTER)
    by_post = make_dossier(
        world, "result_ready", delivery_method=DeliveryMethod.POST, delivery_address="Số 5 đường Hùng Vương"
    )

    outcome = services.act_on_many(
        action=Action.RETURN_RESULT, dossier_ids=[at_counter.pk, by_post.pk], user=world.receiving, now=LATER
    )

    assert [dossier.pk for dossier in outcome.done] == [at_counter.pk]
    assert outcome.refused[by_post.pk].message == "Give the postal tracking number of the parcel."
    assert Dossier.objects.get(pk=by_post.pk).state == DossierState.RESULT_READY
    assert Dossier.objects.get(pk=at_counter.pk).state == DossierState.RETURNED


def default_draft(world: World) -> Draft:
    return Draft(
        agency_procedure=world.offer,
        variant=world.version.variants.get(is_default=True),
        channel=Channel.ONLINE,
        receiving_unit=world.tree.c1_centre,
        applicant=applicant_of(world.citizen),
        applicant_user=world.citizen,
        created_by=world.citizen,
        delivery_method=DeliveryMethod.COUNTER,
    )


def test_drafts_made_together_match_one_made_alone_and_a_bad_one_refuses_the_batch() -> None:
    world = build_world()
    good = default_draft(world)
    nameless = dataclasses.replace(good, applicant=ApplicantDetails(name="  ", id_number="001234567890"))
    existing = Dossier.objects.count()

    with pytest.raises(TransitionRefused) as refused:
        services.start_drafts(drafts=[good, nameless, good], now=MONDAY)
    assert "2" in refused.value.message and "3" in refused.value.message
    assert Dossier.objects.count() == existing

    alone = draft(world, delivery_method=DeliveryMethod.COUNTER)
    made = services.start_drafts(drafts=[good, good], now=MONDAY)
    assert len({dossier.pk for dossier in made}) == 2
    for dossier in made:
        stored = Dossier.objects.get(pk=dossier.pk)
        assert stored.state == DossierState.DRAFT and stored.event_count == 1
        for name in ("fees_due", "time_limit_unit", "time_limit_amount", "competent_agency_id", "search_text",
                     "applicant_name", "receiving_unit_id", "applies_afternoon_cutoff"):  # fmt: skip
            assert getattr(stored, name) == getattr(alone, name), name
        assert stored.lookup_secret != alone.lookup_secret
        assert chain_is_intact(stored)


def test_drafts_for_an_offer_not_made_online_are_refused_in_a_batch_too() -> None:
    world = build_world()
    world.offer.online_level = OnlineLevel.NONE
    world.offer.save(update_fields=["online_level"])
    with pytest.raises(TransitionRefused):
        services.start_drafts(drafts=[default_draft(world)], now=MONDAY)
