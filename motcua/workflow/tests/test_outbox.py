"""What the lifecycle tells people: messages written with each transition, delivered by the worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.notifications.models import OutboxMessage
from motcua.workflow import services
from motcua.workflow.tests.factories import MONDAY, at, build_world, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_worker(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.SMS_GATEWAY = "fake"


def test_each_transition_the_citizen_must_hear_about_queues_one_message() -> None:
    world = build_world(limit_days=5)
    make_dossier(world, "returned")
    topics = list(OutboxMessage.objects.order_by("pk").values_list("topic", flat=True))
    assert topics == ["dossier.received", "dossier.result_ready", "dossier.returned"]
    received = OutboxMessage.objects.get(topic="dossier.received")
    assert received.payload["email"] == "lan.nguyen@example.vn"
    assert received.payload["appointment_at"].startswith("2026-03-16T17:00")


def test_a_refused_transition_queues_nothing() -> None:
    world = build_world()
    dossier = make_dossier(world, "submitted")
    with pytest.raises(services.WorkflowError):
        services.approve(dossier_id=dossier.pk, user=world.leader, now=MONDAY)
    assert not OutboxMessage.objects.exists()


def test_a_worker_that_was_down_delivers_everything_once_when_it_is_back() -> None:
    world = build_world(limit_days=5)
    for _ in range(3):
        make_dossier(world, "returned")
    dossier = make_dossier(world, "in_progress")
    services.extend(
        dossier_id=dossier.pk, user=world.leader, new_appointment=at(18, 3, 2026, 17), reason="Chờ", now=at(13, 3, 2026)
    )
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 3 * 3 + 2
    assert mail.outbox == []  # no worker ran yet

    call_command("run_outbox_worker", "--once")
    call_command("run_outbox_worker", "--once")

    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
    assert len(mail.outbox) == 11
    assert any("18/03/2026" in message.body for message in mail.outbox)


def test_the_sweep_reminds_once_per_due_moment() -> None:
    world = build_world(limit_days=1)
    soon = make_dossier(world, "in_progress")  # due Tue 10/03 17:00
    late = make_dossier(world, "in_progress", now=at(2, 3, 2026))  # due Tue 03/03 17:00
    make_dossier(world, "submitted")  # no clock yet

    first = services.sweep_deadlines(now=at(10, 3, 2026, 10))
    again = services.sweep_deadlines(now=at(10, 3, 2026, 11))

    assert (first.due_soon, first.overdue) == (1, 1)
    assert (again.due_soon, again.overdue) == (0, 0)
    assert OutboxMessage.objects.filter(topic="dossier.due_soon", payload__code=soon.code).count() == 1
    assert OutboxMessage.objects.filter(topic="dossier.overdue", payload__code=late.code).count() == 1
    # Once the first is overdue too, it earns its overdue reminder, once.
    later = services.sweep_deadlines(now=at(11, 3, 2026, 9))
    assert (later.due_soon, later.overdue) == (0, 1)
    assert OutboxMessage.objects.filter(topic="dossier.overdue").count() == 2
    assert services.sweep_deadlines(now=at(11, 3, 2026, 9) + dt.timedelta(hours=1)).overdue == 0
