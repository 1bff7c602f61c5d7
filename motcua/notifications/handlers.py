"""Who receives a message, by which channel: the handler of each topic's audience.

A citizen topic goes by email when the payload has an email and by SMS when it has a phone
(both when it has both: the email carries the detail, the SMS reaches someone who reads no
email); a reminder goes by email to every staff member of the unit holding the dossier; an
inter-agency task goes to the other agency's mailbox. Each piece of outgoing mail is named by
its channel and recipient, which is how the outbox recognises, on a retry, what already went
out and must not be sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.notifications import messages, payloads, topics
from motcua.notifications.models import DeliveryChannel
from motcua.notifications.payloads import Payload


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One thing to send: an email (subject and body) or an SMS (body only) to one recipient."""

    channel: DeliveryChannel
    recipient: str
    subject: str
    body: str


def outgoing_for(topic: str, payload: Payload) -> list[Outgoing]:
    """What a message of ``topic`` sends, rendered in the active language; KeyError for an unknown topic."""
    audience = topics.TOPICS[topic].audience
    if audience is topics.Audience.CITIZEN:
        return _to_citizen(topic, payload)
    if audience is topics.Audience.STAFF:
        return _to_addresses(topic, payload, DeliveryChannel.EMAIL, _addresses(payload, "staff_emails"))
    return _to_addresses(topic, payload, DeliveryChannel.AGENCY, _addresses(payload, "agency_email"))


def _to_citizen(topic: str, payload: Payload) -> list[Outgoing]:
    sends: list[Outgoing] = []
    email = payloads.text(payload, "email")
    if email:
        text = messages.render_email(topic, payload)
        sends.append(Outgoing(DeliveryChannel.EMAIL, email, text.subject, text.body))
    phone = payloads.text(payload, "phone").replace(" ", "")
    if phone:
        sends.append(Outgoing(DeliveryChannel.SMS, phone, "", messages.render_sms(topic, payload)))
    return sends


def _to_addresses(topic: str, payload: Payload, channel: DeliveryChannel, addresses: list[str]) -> list[Outgoing]:
    if not addresses:
        return []
    text = messages.render_email(topic, payload)
    return [Outgoing(channel, address, text.subject, text.body) for address in addresses]


def _addresses(payload: Payload, key: str) -> list[str]:
    """The addresses under ``key`` (one or a list), without repeats, in their order."""
    return list(dict.fromkeys(payloads.items(payload, key)))
