"""Events: one per transition, append-only, chained by SHA-256, verified by a command."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from motcua.workflow.events import GENESIS, verify_chain
from motcua.workflow.models import DossierEvent, ImmutableEventError
from motcua.workflow.tests.factories import build_world, make_dossier

pytestmark = pytest.mark.django_db


def test_a_returned_dossier_has_one_chained_event_per_step_of_its_life() -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [event.action for event in events] == [
        "create",
        "submit",
        "receive",
        "transfer",
        "forward",
        "forward",
        "approve",
        "attach_result",
        "return_result",
    ]
    assert [event.seq for event in events] == list(range(1, 10))
    assert events[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert [(e.from_state, e.to_state) for e in events if e.action == "receive"] == [("submitted", "received")]
    assert events[2].actor == world.receiving
    assert events[2].actor_role == "receiving_officer"
    assert events[2].clock_effect["legal_due_at"].startswith("2026-03-10T17:00")
    assert verify_chain(dossier, events) == []
    dossier.refresh_from_db()
    assert (dossier.event_count, dossier.last_event_hash) == (9, events[-1].hash)


def test_events_refuse_to_be_changed_or_deleted() -> None:
    world = build_world()
    event = DossierEvent.objects.filter(dossier=make_dossier(world, "received")).first()
    assert event is not None
    event.reason = "sửa lén"
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()


@pytest.mark.postgres
def test_postgresql_itself_refuses_updates_and_deletes_of_events() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    world = build_world()
    dossier = make_dossier(world, "received")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        DossierEvent.objects.filter(dossier=dossier).update(reason="sửa lén")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflow_dossierevent WHERE dossier_id = %s", [dossier.pk])
    assert DossierEvent.objects.filter(dossier=dossier).count() == 3


def test_the_command_finds_a_tampered_event(capsys: pytest.CaptureFixture[str]) -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    call_command("verify_event_chains")
    assert "intact" in capsys.readouterr().out
    # What an intruder with superuser access to the database might do: switch the triggers off
    # and rewrite a reason behind the model's back.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        DossierEvent.objects.filter(dossier=dossier, seq=2).update(reason="đã sửa")
    with pytest.raises(CommandError, match="1 break"):
        call_command("verify_event_chains")
    assert "no longer matches its fingerprint" in capsys.readouterr().err
