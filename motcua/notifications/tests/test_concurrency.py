"""Two workers draining the outbox at once never take the same message (PostgreSQL, SKIP LOCKED).

SQLite serialises writers, so there is nothing to race there; this test runs on PostgreSQL only.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from motcua.notifications.models import Delivery, DeliveryChannel, OutboxMessage
from motcua.notifications.services import DeliveryReport, deliver_due
from motcua.notifications.sms import FakeSmsGateway
from motcua.notifications.tests.factories import NOW, dossier_payload, enqueue_message

MESSAGES = 20


class SlowSmsGateway(FakeSmsGateway):
    """A provider that takes a few milliseconds per message, so that the two workers overlap."""

    def send(self, phone: str, text: str) -> None:
        time.sleep(0.005)
        super().send(phone, text)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_each_message_exactly_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so two workers cannot race")
    for number in range(MESSAGES):
        enqueue_message(
            key=f"dossier:{number}:received",
            payload=dossier_payload(
                dossier_id=number, email=f"citizen{number}@example.vn", phone=f"09120000{number:02d}"
            ),
        )
    gateway = SlowSmsGateway()
    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(deliver_due(now=NOW, sms_gateway=gateway))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(report.delivered for report in reports) == MESSAGES
    assert sum(report.taken for report in reports) == MESSAGES
    assert Counter(m.to[0] for m in mail.outbox) == {f"citizen{number}@example.vn": 1 for number in range(MESSAGES)}
    assert Counter(s.phone for s in gateway.sent) == {f"09120000{number:02d}": 1 for number in range(MESSAGES)}
    assert Delivery.objects.filter(succeeded=True, channel=DeliveryChannel.EMAIL).count() == MESSAGES
    assert Delivery.objects.count() == 2 * MESSAGES
    assert OutboxMessage.objects.filter(delivered_at=NOW, attempts=1).count() == MESSAGES
