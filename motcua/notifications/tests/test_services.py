"""Enqueueing and delivering: idempotence, channels, retries with backoff, giving up.

The SMS gateway is a fake and mail goes to Django's locmem outbox; everything else runs for real.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation

from motcua.notifications import services, topics
from motcua.notifications.messages import render_email, render_sms
from motcua.notifications.models import Delivery, DeliveryChannel, OutboxMessage
from motcua.notifications.services import MAX_ATTEMPTS, DeliveryReport, deliver_due, enqueue, retry_delay
from motcua.notifications.sms import FakeSmsGateway
from motcua.notifications.tests.factories import (
    CODE,
    EMAIL,
    NOW,
    PHONE,
    SECRET,
    TRACKING_URL,
    agency_payload,
    dossier_payload,
    enqueue_message,
    staff_payload,
)

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


class RefusingMailServer(BaseEmailBackend):
    """A mail server that refuses every message (stands in for the outside world, like locmem)."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def deliveries(message: OutboxMessage) -> list[tuple[str, str, bool]]:
    return [(d.channel, d.recipient, d.succeeded) for d in message.deliveries.order_by("pk")]


# --- enqueue --------------------------------------------------------------------------------


def test_enqueue_writes_one_message_per_key() -> None:
    first = enqueue(
        topic=topics.DOSSIER_RECEIVED, key="dossier:1:received", payload=dossier_payload(), available_at=NOW
    )
    second = enqueue(
        topic=topics.DOSSIER_RECEIVED, key="dossier:1:received", payload=dossier_payload(code="OTHER"), available_at=NOW
    )

    assert first is not None
    assert second is None
    message = OutboxMessage.objects.get()
    assert (message.topic, message.key, message.payload["code"]) == (
        topics.DOSSIER_RECEIVED,
        "dossier:1:received",
        CODE,
    )
    assert message.available_at == NOW
    assert (message.attempts, message.delivered_at, message.failed_at) == (0, None, None)
    # The duplicate rolled back only its savepoint: the caller's transaction goes on.
    assert enqueue(topic=topics.DOSSIER_REFUSED, key="dossier:1:refused", payload=dossier_payload(reason="x"))
    assert OutboxMessage.objects.count() == 2


def test_enqueue_without_available_at_makes_the_message_due_now() -> None:
    before = timezone.now()
    message = enqueue(topic=topics.DOSSIER_RECEIVED, key="k", payload=dossier_payload())

    assert message is not None
    assert before <= message.available_at <= timezone.now()


def test_an_unknown_topic_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ValueError, match=r"Unknown outbox topic 'dossier\.recieved'"):
        enqueue(topic="dossier.recieved", key="k", payload=dossier_payload())

    assert not OutboxMessage.objects.exists()


def test_a_payload_without_the_topics_required_keys_is_refused() -> None:
    payload = dossier_payload()
    del payload["tracking_path"]

    with pytest.raises(ValueError, match="lacks tracking_path"):
        enqueue(topic=topics.DOSSIER_RECEIVED, key="k", payload=payload)
    with pytest.raises(ValueError, match="lacks agency_email, task"):
        enqueue(topic=topics.AGENCY_TASK_FORWARDED, key="k", payload=dossier_payload())

    assert not OutboxMessage.objects.exists()


def test_an_empty_or_too_long_key_and_a_naive_moment_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 200 characters"):
        enqueue(topic=topics.DOSSIER_RECEIVED, key="", payload=dossier_payload())
    with pytest.raises(ValueError, match="1 to 200 characters"):
        enqueue(topic=topics.DOSSIER_RECEIVED, key="k" * 201, payload=dossier_payload())
    with pytest.raises(ValueError, match="aware"):
        enqueue(
            topic=topics.DOSSIER_RECEIVED, key="k", payload=dossier_payload(), available_at=dt.datetime(2026, 2, 13)
        )

    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused() -> None:
    with pytest.raises(transaction.TransactionManagementError, match="inside the transaction"):
        enqueue(topic=topics.DOSSIER_RECEIVED, key="k", payload=dossier_payload())

    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_message_enqueued_in_a_transaction_that_rolls_back_does_not_exist() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(topic=topics.DOSSIER_RECEIVED, key="k", payload=dossier_payload())
        raise RuntimeError("the dossier change failed")

    assert not OutboxMessage.objects.exists()


# --- deliver_due: channels ------------------------------------------------------------------


def test_a_citizen_topic_goes_by_email_and_sms_and_the_message_is_delivered(sms: FakeSmsGateway) -> None:
    message = enqueue_message(topics.DOSSIER_RECEIVED)

    report = deliver_due(now=NOW, sms_gateway=sms)

    assert report == DeliveryReport(delivered=1)
    [email] = mail.outbox
    assert email.to == [EMAIL]
    assert email.from_email == "MotCua <no-reply@dichvucong.phutho.gov.vn>"
    assert email.subject == f"Your dossier {CODE} has been received"
    assert "Appointment for the result: 20/02/2026 16:30" in email.body
    assert TRACKING_URL in email.body
    assert f"Lookup code: {SECRET}" in email.body
    [text] = sms.sent
    assert text.phone == PHONE
    assert text.text.startswith(f"Dossier {CODE} (Dang ky khai sinh) has been received.")
    message.refresh_from_db()
    assert (message.delivered_at, message.attempts, message.last_error) == (NOW, 1, "")
    assert deliveries(message) == [(DeliveryChannel.EMAIL, EMAIL, True), (DeliveryChannel.SMS, PHONE, True)]


def test_a_delivered_message_is_not_sent_again(sms: FakeSmsGateway) -> None:
    enqueue_message()
    deliver_due(now=NOW, sms_gateway=sms)

    assert deliver_due(now=NOW + dt.timedelta(days=1), sms_gateway=sms) == DeliveryReport()
    assert (len(mail.outbox), len(sms.sent)) == (1, 1)


@pytest.mark.parametrize(
    ("email", "phone", "expected"),
    [
        (EMAIL, "", [(DeliveryChannel.EMAIL, EMAIL, True)]),
        ("", PHONE, [(DeliveryChannel.SMS, PHONE, True)]),
        ("", "", []),
    ],
    ids=["email-only", "phone-only", "neither"],
)
def test_a_citizen_is_reached_only_by_the_channels_the_payload_gives(
    sms: FakeSmsGateway, email: str, phone: str, expected: list[tuple[str, str, bool]]
) -> None:
    message = enqueue_message(payload=dossier_payload(email=email, phone=phone))

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(delivered=1)

    assert [m.to for m in mail.outbox] == ([[email]] if email else [])
    assert [s.phone for s in sms.sent] == ([phone] if phone else [])
    assert deliveries(message) == expected
    message.refresh_from_db()
    assert message.delivered_at == NOW


def test_a_staff_reminder_goes_to_every_staff_email_and_never_by_sms(sms: FakeSmsGateway) -> None:
    staff = ["chuyenvien@viettri.phutho.gov.vn", "truongphong@viettri.phutho.gov.vn", "lanhdao@viettri.phutho.gov.vn"]
    message = enqueue_message(
        topics.DOSSIER_DUE_SOON, key="due-soon:1", payload=staff_payload(staff_emails=[*staff, staff[0]])
    )

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(delivered=1)

    assert [m.to for m in mail.outbox] == [[address] for address in staff]
    assert {m.subject for m in mail.outbox} == {f"Dossier {CODE} is due on 20/02/2026 16:30"}
    assert sms.sent == []
    assert deliveries(message) == [(DeliveryChannel.EMAIL, address, True) for address in staff]


def test_an_overdue_reminder_goes_to_the_staff(sms: FakeSmsGateway) -> None:
    enqueue_message(topics.DOSSIER_OVERDUE, key="overdue:1", payload=staff_payload())

    deliver_due(now=NOW, sms_gateway=sms)

    assert [m.subject for m in mail.outbox] == [f"Dossier {CODE} is overdue (due 20/02/2026 16:30)"] * 2
    assert sms.sent == []


def test_an_inter_agency_task_goes_to_the_other_agencys_mailbox(sms: FakeSmsGateway) -> None:
    message = enqueue_message(topics.AGENCY_TASK_FORWARDED, key="task:1", payload=agency_payload())

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(delivered=1)

    [email] = mail.outbox
    assert email.to == ["vanthu@bhxh.phutho.gov.vn"]
    assert email.subject == f"Inter-agency task for dossier {CODE}"
    assert "Task: Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi" in email.body
    assert "Please reply by 17/02/2026 16:30." in email.body
    assert sms.sent == []
    assert deliveries(message) == [(DeliveryChannel.AGENCY, "vanthu@bhxh.phutho.gov.vn", True)]


def test_messages_not_yet_available_are_left_for_later(sms: FakeSmsGateway) -> None:
    later = enqueue_message(key="later", available_at=NOW + MINUTE)
    enqueue_message(key="now", available_at=NOW)

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(delivered=1)

    later.refresh_from_db()
    assert (later.delivered_at, later.attempts) == (None, 0)
    assert deliver_due(now=NOW + MINUTE, sms_gateway=sms) == DeliveryReport(delivered=1)


def test_one_pass_takes_at_most_limit_messages_oldest_first(sms: FakeSmsGateway) -> None:
    for minutes in (3, 1, 2):
        enqueue_message(key=f"m{minutes}", available_at=NOW - minutes * MINUTE)

    assert deliver_due(now=NOW, limit=2, sms_gateway=sms) == DeliveryReport(delivered=2)

    assert list(OutboxMessage.objects.pending().values_list("key", flat=True)) == ["m1"]


def test_the_worker_writes_in_the_sites_language(settings: Any, sms: FakeSmsGateway) -> None:
    # Vietnamese, whatever language the calling code has active (English here); only the parts that
    # no translation changes are asserted, and the text is the one rendered under Vietnamese.
    settings.LANGUAGE_CODE = "vi"  # (changing it resets the active language: English is activated again below)
    enqueue_message()

    with translation.override("en"):
        deliver_due(now=NOW, sms_gateway=sms)
        assert translation.get_language() == "en"  # the caller's language is left as it was

    [email] = mail.outbox
    [text] = [sent.text for sent in sms.sent]
    with translation.override("vi"):
        expected = render_email(topics.DOSSIER_RECEIVED, dossier_payload())
        expected_sms = render_sms(topics.DOSSIER_RECEIVED, dossier_payload())
    assert (email.subject, email.body, text) == (expected.subject, expected.body, expected_sms)
    assert email.extra_headers["Content-Language"] == "vi"
    assert CODE in email.subject
    assert TRACKING_URL in email.body
    assert SECRET in email.body
    assert "20/02/2026 16:30" in email.body
    assert CODE in text
    assert TRACKING_URL in text
    assert text.isascii()


# --- deliver_due: failures, retries, giving up ----------------------------------------------


def test_after_an_sms_failure_only_the_sms_is_retried_after_the_backoff(sms: FakeSmsGateway) -> None:
    message = enqueue_message()
    sms.fail_next(1)

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(retried=1)

    message.refresh_from_db()
    assert (message.attempts, message.delivered_at, message.available_at) == (1, None, NOW + MINUTE)
    assert message.last_error == "sms 0912***678: SmsError: the gateway is unavailable"
    assert deliveries(message) == [(DeliveryChannel.EMAIL, EMAIL, True), (DeliveryChannel.SMS, PHONE, False)]
    assert (len(mail.outbox), sms.sent) == (1, [])

    # Not due again before the backoff has passed.
    assert deliver_due(now=NOW + dt.timedelta(seconds=59), sms_gateway=sms) == DeliveryReport()

    assert deliver_due(now=NOW + MINUTE, sms_gateway=sms) == DeliveryReport(delivered=1)

    message.refresh_from_db()
    assert (message.attempts, message.delivered_at, message.last_error) == (2, NOW + MINUTE, "")
    assert len(mail.outbox) == 1  # the email is not sent twice
    assert [s.phone for s in sms.sent] == [PHONE]
    assert deliveries(message) == [
        (DeliveryChannel.EMAIL, EMAIL, True),
        (DeliveryChannel.SMS, PHONE, False),
        (DeliveryChannel.SMS, PHONE, True),
    ]


def test_after_a_mail_server_failure_only_the_email_is_retried(settings: Any, sms: FakeSmsGateway) -> None:
    message = enqueue_message()
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(retried=1)

    message.refresh_from_db()
    assert message.last_error.startswith(f"email {EMAIL}: SMTPServerDisconnected")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert deliver_due(now=NOW + MINUTE, sms_gateway=sms) == DeliveryReport(delivered=1)
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert len(sms.sent) == 1  # the SMS is not sent twice


def test_retry_delays_double_from_one_minute_up_to_six_hours() -> None:
    minutes = [retry_delay(attempts) / MINUTE for attempts in range(1, 13)]

    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]
    assert retry_delay(1000) == dt.timedelta(hours=6)
    with pytest.raises(ValueError, match="from 1"):
        retry_delay(0)


def test_a_message_that_keeps_failing_is_retried_on_the_schedule_then_given_up(sms: FakeSmsGateway) -> None:
    message = enqueue_message()
    sms.fail_for(PHONE)
    now = NOW
    waits: list[dt.timedelta] = []
    reports: list[DeliveryReport] = []

    for _ in range(MAX_ATTEMPTS):
        reports.append(deliver_due(now=now, sms_gateway=sms))
        message.refresh_from_db()
        if message.failed_at is None:
            waits.append(message.available_at - now)
            now = message.available_at

    assert MAX_ATTEMPTS == 12
    assert waits == [retry_delay(attempts) for attempts in range(1, MAX_ATTEMPTS)]
    assert sum(waits, dt.timedelta()) == dt.timedelta(minutes=511 + 2 * 360)  # about 20 hours
    assert reports == [DeliveryReport(retried=1)] * (MAX_ATTEMPTS - 1) + [DeliveryReport(given_up=1)]
    assert (message.attempts, message.failed_at, message.delivered_at) == (MAX_ATTEMPTS, now, None)
    assert message.last_error == "sms 0912***678: SmsError: the gateway refuses 0912***678"
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(message=message, channel=DeliveryChannel.SMS, succeeded=False).count() == 12
    # Given up: no later pass takes it.
    assert deliver_due(now=now + dt.timedelta(days=30), sms_gateway=sms) == DeliveryReport()


def test_a_message_whose_wording_fails_waits_without_blocking_the_others(sms: FakeSmsGateway) -> None:
    broken = enqueue_message(key="broken", payload=dossier_payload(appointment_at="next Friday"))
    enqueue_message(key="fine")

    assert deliver_due(now=NOW, sms_gateway=sms) == DeliveryReport(delivered=1, retried=1)

    broken.refresh_from_db()
    assert broken.last_error.startswith("ValueError: Invalid isoformat string: 'next Friday'")
    assert (broken.attempts, broken.available_at, deliveries(broken)) == (1, NOW + MINUTE, [])


def test_retry_messages_makes_a_given_up_message_due_again(sms: FakeSmsGateway) -> None:
    message = enqueue_message(key="failed")
    delivered = enqueue_message(key="delivered", payload=dossier_payload(phone=""))
    sms.fail_for(PHONE)
    deliver_due(now=NOW, sms_gateway=sms)
    OutboxMessage.objects.filter(pk=message.pk).update(failed_at=NOW, available_at=NOW + MINUTE)
    sms.reset()

    changed = services.retry_messages(message_ids=[message.pk, delivered.pk], now=NOW + 2 * MINUTE)

    assert changed == 1
    message.refresh_from_db()
    assert (message.failed_at, message.available_at) == (None, NOW + 2 * MINUTE)
    assert deliver_due(now=NOW + 2 * MINUTE, sms_gateway=sms) == DeliveryReport(delivered=1)
    assert [s.phone for s in sms.sent] == [PHONE]
    assert len(mail.outbox) == 2  # one email each, none repeated
