"""``manage.py run_outbox_worker``: one pass, the loop, stopping on SIGTERM, surviving a database error.

The gateways below stand in for an SMS provider, named by SMS_GATEWAY as a real one would be;
they also play the outside world's other parts: the operator's SIGTERM and a database that
goes away during a pass.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import signal
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from motcua.notifications.models import Delivery, OutboxMessage
from motcua.notifications.sms import FakeSmsGateway, shared_fake_gateway
from motcua.notifications.tests.factories import dossier_payload, enqueue_message

pytestmark = pytest.mark.django_db


class StoppedAfterSending:
    """Sends through the shared fake, then the operator stops the worker (SIGTERM)."""

    def send(self, phone: str, text: str) -> None:
        shared_fake_gateway.send(phone, text)
        signal.raise_signal(signal.SIGTERM)


class DatabaseGoneOnce:
    """The database fails during the first send of the run (a restart), then all is well until SIGTERM."""

    failures_left: ClassVar[int] = 1

    def send(self, phone: str, text: str) -> None:
        if DatabaseGoneOnce.failures_left:
            DatabaseGoneOnce.failures_left -= 1
            raise OperationalError("server closed the connection unexpectedly")
        shared_fake_gateway.send(phone, text)
        signal.raise_signal(signal.SIGTERM)


def enqueue_citizens(count: int, *, minutes_ago: int = 60) -> list[OutboxMessage]:
    """``count`` received dossiers of different applicants, enqueued over the past hour."""
    now = timezone.now()
    return [
        enqueue_message(
            key=f"dossier:{number}:received",
            payload=dossier_payload(
                dossier_id=number, email=f"citizen{number}@example.vn", phone=f"09120000{number:02d}"
            ),
            available_at=now - dt.timedelta(minutes=minutes_ago - 10 * number),
        )
        for number in range(count)
    ]


def test_after_a_worker_outage_one_pass_delivers_everything_exactly_once(fake_sms: FakeSmsGateway) -> None:
    messages = enqueue_citizens(5)
    out = io.StringIO()

    call_command("run_outbox_worker", "--once", stdout=out)

    assert out.getvalue() == "Outbox: 5 delivered, 0 to retry, 0 given up.\n"
    assert sorted(m.to[0] for m in mail.outbox) == [f"citizen{number}@example.vn" for number in range(5)]
    assert sorted(s.phone for s in fake_sms.sent) == [f"09120000{number:02d}" for number in range(5)]
    for message in messages:
        message.refresh_from_db()
        assert message.delivered_at is not None
        assert message.deliveries.filter(succeeded=True).count() == 2

    out = io.StringIO()
    call_command("run_outbox_worker", "--once", stdout=out)

    assert out.getvalue() == "Outbox: 0 delivered, 0 to retry, 0 given up.\n"
    assert (len(mail.outbox), len(fake_sms.sent), Delivery.objects.count()) == (5, 5, 10)


def test_the_worker_loops_until_sigterm_then_finishes_its_pass_and_exits(
    settings: Any, fake_sms: FakeSmsGateway, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_GATEWAY = f"{__name__}.StoppedAfterSending"
    enqueue_citizens(3)
    handler_before = signal.getsignal(signal.SIGTERM)

    with caplog.at_level(logging.INFO, logger="motcua.notifications.worker"):
        call_command("run_outbox_worker", "--interval", "0.01")

    # The first SMS brought SIGTERM; the pass under way still delivered all three.
    assert len(fake_sms.sent) == 3
    assert not OutboxMessage.objects.pending().exists()
    assert signal.getsignal(signal.SIGTERM) == handler_before
    assert "Outbox pass: 3 delivered, 0 to retry, 0 given up." in caplog.messages
    assert caplog.messages[-1] == "Outbox worker stopped."


def test_the_worker_survives_a_database_error_and_goes_on(
    settings: Any, fake_sms: FakeSmsGateway, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_GATEWAY = f"{__name__}.DatabaseGoneOnce"
    DatabaseGoneOnce.failures_left = 1
    [message] = enqueue_citizens(1)

    with caplog.at_level(logging.INFO, logger="motcua.notifications.worker"):
        call_command("run_outbox_worker", "--interval", "0.01")

    assert "Outbox pass failed on a database error; the next pass will try again." in caplog.messages
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert len(fake_sms.sent) == 1
    # The failed pass's transaction was lost with its record of the email: at least once, so sent again.
    assert len(mail.outbox) == 2
    assert message.deliveries.filter(succeeded=True).count() == 2


def test_a_single_pass_that_meets_a_database_error_fails_the_command(settings: Any) -> None:
    settings.SMS_GATEWAY = f"{__name__}.DatabaseGoneOnce"
    DatabaseGoneOnce.failures_left = 1
    [message] = enqueue_citizens(1)

    with pytest.raises(CommandError, match="The outbox pass failed: server closed the connection unexpectedly"):
        call_command("run_outbox_worker", "--once")

    message.refresh_from_db()
    assert (message.attempts, message.delivered_at) == (0, None)


def test_a_wrong_sms_gateway_stops_the_worker_before_any_message_is_taken(settings: Any) -> None:
    settings.SMS_GATEWAY = "viettel"
    [message] = enqueue_citizens(1)

    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY must be"):
        call_command("run_outbox_worker", "--once")

    message.refresh_from_db()
    assert message.attempts == 0
    assert mail.outbox == []


@pytest.mark.parametrize("option", [("--interval", "0"), ("--limit", "0")])
def test_interval_and_limit_must_be_positive(option: tuple[str, str]) -> None:
    with pytest.raises(CommandError, match="must be positive"):
        call_command("run_outbox_worker", "--once", *option)
