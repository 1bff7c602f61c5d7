"""Putting messages in the outbox and delivering them: at least once, never twice per channel.

``enqueue`` runs inside the transaction of the change it announces, so that a message exists
if and only if the change was committed; it is idempotent on ``key`` (the unique constraint
decides, also between two concurrent transactions). ``deliver_due`` takes the due messages
one at a time, each in its own transaction: on PostgreSQL the row is locked with SKIP LOCKED
so that two workers never take the same message; SQLite serialises writers anyway (``BEGIN
IMMEDIATE``). Every attempt on every channel is recorded as a ``Delivery``; a channel and
recipient that already succeeded is not sent again, so a retry after a partial failure sends
only what failed. A failed message waits ``retry_delay(attempts)`` (1 min, 2, 4 … at most 6 h)
and is given up after ``MAX_ATTEMPTS`` attempts, about 20 hours after the first, which rides
out a gateway outage of most of a day; the admin can retry it (``retry_messages``).

Delivery is at least once: if the transaction that records a send is lost (the database
fails after the email left), that send is repeated on the next pass.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from motcua.core.bulk import insert_rows
from motcua.notifications import handlers, topics
from motcua.notifications.handlers import Outgoing
from motcua.notifications.models import Delivery, DeliveryChannel, OutboxMessage
from motcua.notifications.sms import SmsGateway, get_sms_gateway, mask_phone

logger = logging.getLogger(__name__)

#: Attempts after which a message is given up: with the delays below, about 20 hours after the first.
MAX_ATTEMPTS = 12
FIRST_RETRY_DELAY = dt.timedelta(minutes=1)
MAX_RETRY_DELAY = dt.timedelta(hours=6)
_ERROR_LENGTH = 2000

Outcome = Literal["delivered", "retried", "given_up"]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass of ``deliver_due`` did, counted in messages."""

    delivered: int = 0
    retried: int = 0
    given_up: int = 0

    @property
    def taken(self) -> int:
        return self.delivered + self.retried + self.given_up

    def __str__(self) -> str:
        return f"{self.delivered} delivered, {self.retried} to retry, {self.given_up} given up"


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1 minute, doubling each time, at most 6 hours."""
    if attempts < 1:
        raise ValueError("retry_delay counts failed attempts from 1.")
    # The exponent is bounded so that a huge count cannot overflow a timedelta; 2**20 minutes is past the cap.
    delay: dt.timedelta = FIRST_RETRY_DELAY * 2 ** min(attempts - 1, 20)
    return min(delay, MAX_RETRY_DELAY)


def enqueue(
    *, topic: str, key: str, payload: dict[str, Any], available_at: dt.datetime | None = None
) -> OutboxMessage | None:
    """Queue a message in the caller's transaction; None (and nothing written) when ``key`` is already queued.

    ValueError for an unknown topic, a payload lacking the topic's required keys, an empty or
    too long key or a naive ``available_at``: all programming errors of the caller.
    """
    message = _checked(topic, key, payload, available_at)
    # ON CONFLICT (key) DO NOTHING: the unique key decides, also against a concurrent transaction,
    # and the caller's transaction stays usable without a savepoint.
    return message if insert_rows([message], skip_conflicts_on="key") else None


def _checked(topic: str, key: str, payload: dict[str, Any], available_at: dt.datetime | None) -> OutboxMessage:
    """The message to queue, after the checks ``enqueue`` documents."""
    topics.check_payload(topic, payload)
    key_length = OutboxMessage._meta.get_field("key").max_length or 0
    if not key or len(key) > key_length:
        raise ValueError(f"An outbox key must have 1 to {key_length} characters, got {key!r}.")
    if available_at is not None and timezone.is_naive(available_at):
        raise ValueError("available_at must be an aware datetime.")
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "enqueue() must run inside the transaction of the change it announces (transaction.atomic)."
        )
    return OutboxMessage(topic=topic, key=key, payload=payload, available_at=available_at or timezone.now())


@dataclass(frozen=True, slots=True)
class Pending:
    """A message to queue with ``enqueue_many``."""

    topic: str
    key: str
    payload: dict[str, Any]


def enqueue_many(messages: Iterable[Pending], *, now: dt.datetime) -> int:
    """Queue many messages in a few statements, silently skipping keys already queued.

    For sweeps that may find thousands of reminders at once, and for the lifecycle's batches; the
    checks are ``enqueue``'s.
    Returns how many messages were offered (a key already queued is not queued again).
    """
    rows = [_checked(message.topic, message.key, message.payload, now) for message in messages]
    if not rows:
        return 0
    insert_rows(rows, skip_conflicts_on="key")
    return len(rows)


def deliver_due(*, now: dt.datetime, limit: int = 100, sms_gateway: SmsGateway | None = None) -> DeliveryReport:
    """Deliver up to ``limit`` messages due at ``now``, each in its own transaction; must not run in one."""
    gateway = sms_gateway if sms_gateway is not None else get_sms_gateway()
    counts: dict[Outcome, int] = {"delivered": 0, "retried": 0, "given_up": 0}
    for _ in range(limit):
        with transaction.atomic():
            message = OutboxMessage.objects.due(at=now).select_for_update(skip_locked=True).first()
            if message is None:
                break
            outcome = _attempt(message, now=now, gateway=gateway)
        counts[outcome] += 1
        if outcome == "given_up":
            logger.warning(
                "Outbox message %s (%s, %s) given up after %d attempts: %s",
                message.pk,
                message.topic,
                message.key,
                message.attempts,
                message.last_error,
            )
    return DeliveryReport(**counts)


def retry_messages(*, message_ids: Iterable[int], now: dt.datetime) -> int:
    """Make undelivered messages due at ``now``, given up ones included; the number of messages changed."""
    with transaction.atomic():
        return OutboxMessage.objects.filter(pk__in=list(message_ids), delivered_at__isnull=True).update(
            available_at=now, failed_at=None
        )


def _attempt(message: OutboxMessage, *, now: dt.datetime, gateway: SmsGateway) -> Outcome:
    """Send what has not been sent yet, record each send, then mark the message or schedule its retry."""
    language = settings.LANGUAGE_CODE
    errors: list[str] = []
    try:
        with translation.override(language):
            sends = handlers.outgoing_for(message.topic, message.payload)
    except DatabaseError:
        raise
    except Exception as error:
        # A payload the wording cannot read is a bug: the message waits, with the error shown, for a fix.
        logger.exception("Outbox message %s (%s) cannot be rendered", message.pk, message.topic)
        errors.append(_describe(error))
        sends = []
    already_sent = set(message.deliveries.filter(succeeded=True).values_list("channel", "recipient"))
    for item in sends:
        if (item.channel, item.recipient) in already_sent:
            continue
        error_text = _send(item, gateway=gateway, language=language)
        Delivery.objects.create(
            message=message,
            channel=item.channel,
            recipient=item.recipient,
            succeeded=error_text is None,
            error=error_text or "",
        )
        if error_text is not None:
            errors.append(f"{item.channel} {_shown(item)}: {error_text}")

    message.attempts += 1
    outcome: Outcome
    if not errors:
        message.delivered_at = now
        message.last_error = ""
        outcome = "delivered"
    elif message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
        outcome = "given_up"
    else:
        message.available_at = now + retry_delay(message.attempts)
        outcome = "retried"
    if errors:
        message.last_error = "; ".join(errors)[:_ERROR_LENGTH]
    message.save(update_fields=["attempts", "delivered_at", "failed_at", "available_at", "last_error"])
    return outcome


def _send(item: Outgoing, *, gateway: SmsGateway, language: str) -> str | None:
    """Send one item; None when it went out, else what went wrong. A database error is not ours to record."""
    try:
        if item.channel == DeliveryChannel.SMS:
            gateway.send(item.recipient, item.body)
        else:
            EmailMessage(
                subject=item.subject,
                body=item.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[item.recipient],
                # RFC 3282 and RFC 3834: the language of the text; an automatic message, not to be auto-answered.
                headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
            ).send()
    except DatabaseError:
        raise
    except Exception as error:
        # Whatever the mail server or the SMS provider raise, the attempt is recorded and retried.
        logger.warning("Sending %s to %s failed: %s", item.channel, _shown(item), error)
        return _describe(error)
    return None


def _shown(item: Outgoing) -> str:
    """The recipient as logs and errors show it: a phone number masked, an address as it is."""
    return mask_phone(item.recipient) if item.channel == DeliveryChannel.SMS else item.recipient


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:_ERROR_LENGTH]
