"""The topics the outbox knows: who hears about each, and what its payload must carry.

A topic names a fact ("the dossier was received"), not a channel: the handler decides the
channels. Citizen topics go to the applicant by email (when the payload has an email) and by
SMS (when it has a phone); the deadline reminders go to the staff of the unit holding the
dossier (``staff_emails``); an inter-agency task (liên thông, Decree 118/2025/NĐ-CP Art. 20)
goes to the other agency's mailbox (``agency_email``). The payload is a snapshot taken in the
transaction of the change, so that a message says what was true when it was decided; its
required keys are checked when it is enqueued, where a missing one is a programming error
that the caller's tests see, rather than a message that fails for hours in the worker.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final


class Audience(enum.Enum):
    CITIZEN = "citizen"
    STAFF = "staff"
    AGENCY = "agency"


@dataclass(frozen=True, slots=True)
class TopicSpec:
    audience: Audience
    required_keys: frozenset[str]


DOSSIER_RECEIVED: Final = "dossier.received"
DOSSIER_SUPPLEMENT_REQUESTED: Final = "dossier.supplement_requested"
DOSSIER_REFUSED: Final = "dossier.refused"
#: The apology and the new appointment (Decree 118/2025/NĐ-CP Art. 19.6).
DOSSIER_EXTENDED: Final = "dossier.extended"
DOSSIER_RESULT_READY: Final = "dossier.result_ready"
DOSSIER_RETURNED: Final = "dossier.returned"
DOSSIER_STOPPED: Final = "dossier.stopped"
DOSSIER_CLOSED: Final = "dossier.closed"
#: Reminders to the staff of the unit holding the dossier.
DOSSIER_DUE_SOON: Final = "dossier.due_soon"
DOSSIER_OVERDUE: Final = "dossier.overdue"
#: A task sent to another agency taking part in the dossier (liên thông).
AGENCY_TASK_FORWARDED: Final = "agency.task_forwarded"

# What the citizen needs to recognise the dossier and follow it.
_CITIZEN_KEYS = frozenset({"code", "procedure_name", "tracking_path", "lookup_secret"})
_STAFF_KEYS = frozenset({"code", "procedure_name", "staff_emails", "due_at"})
_AGENCY_KEYS = frozenset({"code", "procedure_name", "agency_email", "task"})

TOPICS: Final[dict[str, TopicSpec]] = {
    DOSSIER_RECEIVED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS),
    DOSSIER_SUPPLEMENT_REQUESTED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS),
    DOSSIER_REFUSED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS | {"reason"}),
    DOSSIER_EXTENDED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS | {"new_appointment_at"}),
    DOSSIER_RESULT_READY: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS),
    DOSSIER_RETURNED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS),
    DOSSIER_STOPPED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS),
    DOSSIER_CLOSED: TopicSpec(Audience.CITIZEN, _CITIZEN_KEYS),
    DOSSIER_DUE_SOON: TopicSpec(Audience.STAFF, _STAFF_KEYS),
    DOSSIER_OVERDUE: TopicSpec(Audience.STAFF, _STAFF_KEYS),
    AGENCY_TASK_FORWARDED: TopicSpec(Audience.AGENCY, _AGENCY_KEYS),
}


def check_payload(topic: str, payload: object) -> TopicSpec:
    """The topic's spec; ValueError for an unknown topic or a payload lacking a required key."""
    spec = TOPICS.get(topic)
    if spec is None:
        raise ValueError(f"Unknown outbox topic {topic!r}: the topics are listed in motcua/notifications/topics.py.")
    if not isinstance(payload, dict):
        raise ValueError(f"The payload of {topic!r} must be a dict, got {type(payload).__name__}.")
    missing = sorted(spec.required_keys - payload.keys())
    if missing:
        raise ValueError(f"The payload of {topic!r} lacks {', '.join(missing)}.")
    return spec
