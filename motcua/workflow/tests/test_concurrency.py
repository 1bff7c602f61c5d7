"""Two people at once: one officer wins, the other is told to reload; retries submit once.

These tests use real threads and real connections, on PostgreSQL (row locks); SQLite
serialises writers for the whole database, which the version check turns into the same answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection

from motcua.agencies import services as agency_services
from motcua.agencies.models import AgencyKind, AgencyLevel
from motcua.catalog.tests.factories import offer
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierState
from motcua.workflow import services
from motcua.workflow.models import DossierEvent
from motcua.workflow.services import StaleDossier, WorkflowError
from motcua.workflow.tests.factories import World, attach_required, build_world, draft, make_dossier
from motcua.workflow.transitions import Action

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent connections: PostgreSQL")


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads released at the same instant; each result or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_officers_acting_on_one_dossier_at_once_one_succeeds_one_is_told_to_reload() -> None:
    world = build_world()
    dossier = make_dossier(world, "submitted")
    version = dossier.lock_version

    results = run_together(
        lambda: services.receive(dossier_id=dossier.pk, user=world.receiving, expected_version=version),
        lambda: services.refuse(
            dossier_id=dossier.pk, user=world.receiving, reasons="Sai thẩm quyền", expected_version=version
        ),
    )

    winners = [result for result in results if isinstance(result, Dossier)]
    losers = [result for result in results if isinstance(result, WorkflowError)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], StaleDossier)
    # The threads speak the site's default language: the loser is told to reload, in Vietnamese.
    assert losers[0].code == "conflict" and "tải lại trang" in losers[0].message
    dossier.refresh_from_db()
    assert dossier.state in (DossierState.RECEIVED, DossierState.REFUSED)
    assert DossierEvent.objects.filter(dossier=dossier).count() == 3  # create, submit, and one of the two


def submitted_twice(world: World, key: str) -> list[Any]:
    dossier = draft(world)
    attach_required(world, dossier)
    return run_together(
        *[lambda: services.submit(dossier_id=dossier.pk, user=world.citizen, idempotency_key=key) for _ in range(4)]
    )


def test_concurrent_identical_submissions_make_one_submission_with_one_code() -> None:
    world = build_world()
    results = submitted_twice(world, "phien-nop-7f3a")
    assert all(isinstance(result, Dossier) for result in results), results
    assert len({result.code for result in results}) == 1
    assert Dossier.objects.filter(state=DossierState.SUBMITTED).count() == 1
    assert DossierEvent.objects.filter(action="submit").count() == 1


def test_concurrent_identical_drafts_with_one_key_make_one_dossier() -> None:
    world = build_world()
    results = run_together(*[lambda: draft(world, idempotency_key="mau-don-91c2") for _ in range(4)])
    assert all(isinstance(result, Dossier) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Dossier.objects.count() == 1


def test_codes_given_at_the_same_instant_never_collide() -> None:
    world = build_world()
    drafts = []
    for _ in range(6):
        dossier = draft(world)
        attach_required(world, dossier)
        drafts.append(dossier)
    results = run_together(*[lambda d=d: services.submit(dossier_id=d.pk, user=world.citizen) for d in drafts])
    codes = sorted(result.code for result in results)
    assert len(set(codes)) == 6
    assert [code.rsplit("-", 1)[-1] for code in codes] == [f"{n:04d}" for n in range(1, 7)]


def test_a_bank_callback_repeated_at_the_same_instant_is_counted_and_recorded_once() -> None:
    from motcua.catalog import services as catalog_services
    from motcua.catalog.channels import Channel
    from motcua.catalog.fees import FeeItem
    from motcua.catalog.models import OnlineLevel
    from motcua.catalog.tests.factories import channel, make_procedure

    world = build_world()
    version = make_procedure(
        "1.000894", name="Thủ tục đăng ký kết hôn", channels=(channel(Channel.ONLINE, fees=(FeeItem(30000),)),)
    )
    offer = catalog_services.configure_procedure(
        agency=world.tree.c1, procedure=version.procedure, online_level=OnlineLevel.FULL, offers_online_payment=True
    )
    dossier = draft(world, agency_procedure=offer, variant=version.variants.get())

    def callback() -> Dossier:
        return services.record_payment(dossier_id=dossier.pk, amount=30000, reference="NH-0042", user=None)

    results = run_together(*[callback for _ in range(4)])
    assert all(isinstance(result, Dossier) for result in results), results
    dossier.refresh_from_db()
    assert dossier.fees_paid == 30000 and dossier.fees_outstanding == 0
    assert DossierEvent.objects.filter(dossier=dossier, action="record_payment").count() == 1


def test_a_batch_and_a_single_action_on_the_same_dossier_at_once_receive_it_once() -> None:
    world = build_world()
    alone, shared = make_dossier(world, "submitted"), make_dossier(world, "submitted")
    versions = {alone.pk: alone.lock_version, shared.pk: shared.lock_version}

    results = run_together(
        lambda: services.act_on_many(
            action=Action.RECEIVE, dossier_ids=[alone.pk, shared.pk], user=world.receiving, expected_versions=versions
        ),
        lambda: services.receive(dossier_id=shared.pk, user=world.receiving, expected_version=shared.lock_version),
    )

    batch, single = results
    assert isinstance(batch, services.BatchOutcome), batch
    assert [dossier.pk for dossier in batch.done][:1] == [alone.pk]
    # Exactly one of the two took the shared dossier; the other was told it had changed.
    if isinstance(single, Dossier):
        assert isinstance(batch.refused[shared.pk], StaleDossier)
    else:
        assert isinstance(single, StaleDossier) and [d.pk for d in batch.done] == [alone.pk, shared.pk]
    assert DossierEvent.objects.filter(dossier=shared, action="receive").count() == 1
    assert Dossier.objects.get(pk=alone.pk).state == DossierState.RECEIVED


def test_batches_submitting_at_the_same_instant_share_the_day_sequence_without_gaps() -> None:
    world = build_world()
    batches = []
    for _ in range(3):
        dossiers = [draft(world) for _ in range(3)]
        for dossier in dossiers[:2]:  # the third of each batch lacks its documents and is refused
            attach_required(world, dossier)
        batches.append([dossier.pk for dossier in dossiers])

    results = run_together(
        *[
            lambda ids=ids: services.act_on_many(action=Action.SUBMIT, dossier_ids=ids, user=world.citizen)
            for ids in batches
        ]
    )

    assert all(isinstance(result, services.BatchOutcome) and len(result.refused) == 1 for result in results), results
    codes = sorted(str(dossier.code) for result in results for dossier in result.done)
    assert [code.rsplit("-", 1)[-1] for code in codes] == [f"{n:04d}" for n in range(1, 7)]
    assert DossierCodeCounter.objects.get().last == 6


def test_batches_giving_codes_of_two_agencies_in_opposite_orders_both_go_through() -> None:
    world = build_world()
    office = agency_services.create_agency(
        parent=world.tree.c2, name="Văn phòng UBND xã Hy Cương", kind=AgencyKind.DEPARTMENT, level=AgencyLevel.COMMUNE
    )
    elsewhere, _process = offer(world.version, agency=world.tree.c2, department=office)

    def complete(**changes: Any) -> Dossier:
        dossier = draft(world, **changes)
        attach_required(world, dossier)
        return dossier

    # Each batch holds its first agency's counter while it takes ten dossiers, then asks for the
    # other's: the two wait on each other unless one is rolled back and taken again.
    first = [complete() for _ in range(10)] + [complete(agency_procedure=elsewhere)]
    second = [complete(agency_procedure=elsewhere) for _ in range(10)] + [complete()]
    results = run_together(
        *[
            lambda ids=[d.pk for d in dossiers]: services.act_on_many(
                action=Action.SUBMIT, dossier_ids=ids, user=world.citizen
            )
            for dossiers in (first, second)
        ]
    )
    assert all(isinstance(result, services.BatchOutcome) and not result.refused for result in results), results

    for prefix in ("000.01.25.H25", "000.02.25.H25"):
        codes = sorted(
            str(code) for code in Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        )
        assert [code.rsplit("-", 1)[-1] for code in codes] == [f"{n:04d}" for n in range(1, 12)]
