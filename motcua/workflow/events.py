"""The event chain: every transition appends one immutable, fingerprinted ``DossierEvent``.

Each event's ``hash`` is SHA-256 over the previous event's hash and the event's own content
(canonical JSON: sorted keys, moments in UTC), the first event chaining on 64 zeros. Changing,
inserting or deleting any event breaks every fingerprint after it, which ``verify_chain`` (and
``manage.py verify_event_chains``) reports. The head of the chain is kept on the dossier row,
which the lifecycle has locked, so appending costs one INSERT.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.dossiers.models import Dossier
from motcua.workflow.models import DossierEvent

GENESIS = "0" * 64


def _moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def content_of(event: DossierEvent) -> dict[str, Any]:
    """What the fingerprint covers."""
    return {
        "dossier": event.dossier_id,
        "seq": event.seq,
        "action": event.action,
        "at": _moment(event.at),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "actor_unit": event.actor_unit_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "from_stage": event.from_stage,
        "to_stage": event.to_stage,
        "reason": event.reason,
        "clock_effect": event.clock_effect,
        "changes": event.changes,
    }


def fingerprint(prev_hash: str, content: Mapping[str, Any]) -> str:
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def append_event(dossier: Dossier, **fields: Any) -> DossierEvent:
    """Write the next event of ``dossier`` (locked by the caller) and move the chain's head.

    The caller saves the dossier afterwards with ``event_count`` and ``last_event_hash``.
    """
    event = next_event(dossier, **fields)
    event.save(force_insert=True)
    return event


def next_event(dossier: Dossier, **fields: Any) -> DossierEvent:
    """The next event of ``dossier``, fingerprinted, not yet written; the dossier's head moves to it.

    For a batch that writes the events of many dossiers in one INSERT (``services.runner``).
    """
    event = DossierEvent(dossier=dossier, seq=dossier.event_count + 1, prev_hash=dossier.last_event_hash or GENESIS)
    for name, value in fields.items():
        setattr(event, name, value)
    event.hash = fingerprint(event.prev_hash, content_of(event))
    dossier.event_count = event.seq
    dossier.last_event_hash = event.hash
    return event


@dataclass(frozen=True, slots=True)
class ChainProblem:
    dossier_id: int
    seq: int
    message: str


def verify_chain(dossier: Dossier, events: Iterable[DossierEvent]) -> list[ChainProblem]:
    """Every break in ``dossier``'s chain: a gap in the numbers, a wrong link, a changed event, a wrong head."""
    problems: list[ChainProblem] = []
    previous, expected_seq = GENESIS, 1
    for event in events:
        if event.seq != expected_seq:
            problems.append(ChainProblem(dossier.pk, event.seq, f"expected event {expected_seq}, found {event.seq}"))
        if event.prev_hash != previous:
            problems.append(ChainProblem(dossier.pk, event.seq, "does not link to the event before it"))
        if fingerprint(event.prev_hash, content_of(event)) != event.hash:
            problems.append(ChainProblem(dossier.pk, event.seq, "its content no longer matches its fingerprint"))
        previous, expected_seq = event.hash, event.seq + 1
    if expected_seq - 1 != dossier.event_count or previous != (dossier.last_event_hash or GENESIS):
        problems.append(ChainProblem(dossier.pk, expected_seq - 1, "the dossier's head does not match its last event"))
    return problems
