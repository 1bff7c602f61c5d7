"""The one helper every lifecycle use case goes through: lock, check, change, record, announce.

``run_transition`` locks the dossier row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
immediate transactions serialise writers), refuses a stale page (``expected_version``), looks
the action up in the transitions table, checks that the actor holds an allowed role in the
required unit, lets the use case change the dossier, then saves it, appends exactly one event
and writes the outbox messages, all in one transaction. Anything refused raises a
``WorkflowError`` before a single row is written (a refusal inside the use case rolls back).

The dossier is saved with only the columns the transition changed (compared with the values
read under the lock, so nothing else can have changed them), and a transition on a step reads
the dossier's steps once and hands them to the use case (``Acting.steps``): a transition costs
a handful of queries whatever the dossier's history.

Many dossiers take the same action in one transaction (``run_transitions``: a queue's bulk
action): they are locked in one statement, each is checked and changed as above, and what they
write goes in a few statements for the whole batch (``workflow.batch``); one refused does not
hold back the others. A single action is a batch of one, on the same path. There is no savepoint
per dossier (it would cost two round trips each): a batch refuses a dossier cleanly because the
changes of ``BATCHABLE`` actions write nothing themselves before their last check (steps go
through ``Acting.writes``, the code is given last), which a change added to that set must keep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core.bulk import insert_rows, update_rows
from motcua.dossiers.models import Dossier, DossierState
from motcua.notifications import services as outbox
from motcua.workflow.batch import Batch, Writes, write_steps
from motcua.workflow.events import next_event
from motcua.workflow.models import DossierEvent, DossierStep
from motcua.workflow.services.core import (
    Change,
    Outcome,
    StaleDossier,
    TransitionRefused,
    WorkflowError,
    action_label,
    changed_fields,
    field_values,
    payload,
    resolve_actor,
)
from motcua.workflow.transitions import Action, Unit, find

#: PostgreSQL's "deadlock detected" and "could not serialize": the transaction was rolled back whole.
_RETRYABLE = frozenset({"40P01", "40001"})
#: How many times a batch rolled back so is taken.
ATTEMPTS = 3

#: The most dossiers one transaction changes: a queue page or an import batch, well under a second.
MAX_BATCH = 200

#: The actions whose changes write nothing but the dossier and ``Acting.writes`` before their last
#: check, and give the dossier its code (if they do) after it, so that a batch can refuse one
#: dossier and write the others (module docstring); ``services.many.CHANGES`` offers exactly these.
BATCHABLE = frozenset(
    {Action.SUBMIT, Action.RECEIVE, Action.TRANSFER, Action.FORWARD, Action.APPROVE, Action.RETURN_RESULT}
)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """The dossiers a batch changed, in the order asked, and why each of the others was not."""

    done: list[Dossier]
    refused: dict[int, WorkflowError]


@dataclass(slots=True)
class _Changed:
    dossier: Dossier
    event: DossierEvent
    outcome: Outcome
    read: dict[str, Any]
    writes: Writes


def run_transition(
    *,
    dossier_id: int,
    action: Action,
    user: User | None,
    change: Change,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Apply ``action`` to the dossier as ``user`` (None: the system); see the module docstring.

    A refusal raises its ``WorkflowError`` inside the transaction, so that whatever the use case
    wrote before refusing is rolled back; a dossier that does not exist raises ``Dossier.DoesNotExist``.
    """
    versions = {dossier_id: expected_version} if expected_version is not None else None
    return _run([dossier_id], action, user, change, versions, now, one=True).done[0]


def run_transitions(
    *,
    dossier_ids: Sequence[int],
    action: Action,
    user: User | None,
    change: Change,
    expected_versions: Mapping[int, int] | None = None,
    now: dt.datetime | None = None,
) -> BatchOutcome:
    """Apply a ``BATCHABLE`` action to each dossier in one transaction; those refused are told apart
    (a dossier that does not exist among them), the others written."""
    if action not in BATCHABLE:
        raise ValueError(f"{action} changes rows it cannot defer: take it one dossier at a time")
    if len(dossier_ids) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} dossiers in one transaction")
    ids = list(dict.fromkeys(dossier_ids))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _run(ids, action, user, change, expected_versions, now, one=False)
        except OperationalError as error:
            # Two batches giving codes of two agencies in opposite orders wait on each other's
            # counter; the database breaks the tie by rolling one back whole, which may run again
            # (not inside a caller's transaction, which the failure has spoilt).
            retry = getattr(error.__cause__, "sqlstate", None) in _RETRYABLE
            if not retry or attempt == ATTEMPTS or transaction.get_connection().in_atomic_block:
                raise
    raise AssertionError("the loop returns or raises")


def _run(
    ids: list[int],
    action: Action,
    user: User | None,
    change: Change,
    expected_versions: Mapping[int, int] | None,
    now: dt.datetime | None,
    *,
    one: bool,
) -> BatchOutcome:
    now = now or timezone.now()
    batch = Batch(ids)
    changed: list[_Changed] = []
    refused: dict[int, WorkflowError] = {}
    with transaction.atomic():
        locked = _locked(ids)
        steps = _steps_of(locked.values(), action)
        for position, pk in enumerate(ids):
            batch.position = position
            dossier = locked.get(pk)
            try:
                if dossier is None:
                    if one:
                        raise Dossier.DoesNotExist(f"no dossier {pk}")
                    raise WorkflowError(_("This dossier no longer exists."))
                version = expected_versions.get(pk) if expected_versions is not None else None
                changed.append(_change(dossier, action, user, change, version, steps.get(pk, ()), batch, now))
            except WorkflowError as error:
                if one:
                    raise
                refused[pk] = error
        _write(changed, batch)
    return BatchOutcome([each.dossier for each in changed], refused)


def _locked(ids: Sequence[int]) -> dict[int, Dossier]:
    """The dossiers, locked in the order of their keys (two batches never wait on each other in a
    circle), with their units read once for the batch (they are the same few for most of it)."""
    dossiers = list(Dossier.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    units = Agency.objects.in_bulk(
        {pk for dossier in dossiers for pk in (dossier.receiving_unit_id, dossier.returning_unit_id,
                                               dossier.competent_agency_id)}
    )  # fmt: skip
    for dossier in dossiers:
        dossier.receiving_unit = units[dossier.receiving_unit_id]
        dossier.returning_unit = units[dossier.returning_unit_id]
        dossier.competent_agency = units[dossier.competent_agency_id]
    return {dossier.pk: dossier for dossier in dossiers}


def _change(
    dossier: Dossier,
    action: Action,
    user: User | None,
    change: Change,
    expected_version: int | None,
    steps: tuple[DossierStep, ...],
    batch: Batch,
    now: dt.datetime,
) -> _Changed:
    """Check and change one locked dossier; its event is built, nothing is written."""
    if expected_version is not None and dossier.lock_version != expected_version:
        raise StaleDossier(_("This dossier has changed since you opened it. Reload the page and try again."))
    rule = find(dossier.state, action)
    if rule is None:
        raise TransitionRefused(
            _("“%(action)s” cannot be done on a dossier that is “%(state)s”.")
            % {"action": action_label(action), "state": DossierState(dossier.state).label}
        )
    acting = resolve_actor(user, rule, dossier, steps=steps)
    acting = replace(acting, steps=acting.steps or steps, writes=Writes(), batch=batch)
    read = field_values(dossier)
    from_state, from_stage = dossier.state, dossier.current_stage
    outcome = change(dossier, acting, now)
    if outcome.to_state not in rule.targets:
        raise AssertionError(f"{action} may not lead to {outcome.to_state}")  # the use case broke the table
    dossier.state = outcome.to_state
    if outcome.to_stage is not None:
        dossier.current_stage = outcome.to_stage
    dossier.lock_version += 1
    event = next_event(
        dossier,
        action=action.value,
        at=now,
        actor=acting.user,
        actor_name=acting.user.get_full_name() if acting.user is not None else "",
        actor_role=acting.actor.value,
        actor_unit=acting.unit,
        from_state=from_state,
        to_state=outcome.to_state,
        from_stage=from_stage,
        to_stage=dossier.current_stage,
        reason=outcome.reason,
        clock_effect=outcome.clock_effect,
        changes=outcome.changes,
    )
    return _Changed(dossier, event, outcome, read, acting.writes)


#: Actions not taken on a step that start steps (they read the dossier's steps too).
_STARTS_STEPS = frozenset({Action.TRANSFER})


def _steps_of(dossiers: Iterable[Dossier], action: Action) -> dict[int, tuple[DossierStep, ...]]:
    """The steps of the dossiers on which ``action`` is taken on a step or starts one, with their units (one query)."""
    on_step = [
        dossier.pk
        for dossier in dossiers
        if (rule := find(dossier.state, action)) and (rule.unit is Unit.STEP or action in _STARTS_STEPS)
    ]
    found: dict[int, list[DossierStep]] = {pk: [] for pk in on_step}
    if on_step:
        rows = DossierStep.objects.filter(dossier_id__in=on_step).select_related("unit")
        for step in rows.order_by("dossier_id", "stage", "pk"):
            found[step.dossier_id].append(step)
    return {pk: tuple(steps) for pk, steps in found.items()}


def _write(changed: Sequence[_Changed], batch: Batch) -> None:
    """Write what the batch's changes built: events, steps and dossiers, each in a statement, then the messages."""
    batch.release_unused_codes()
    if not changed:
        return
    insert_rows([each.event for each in changed])
    write_steps([each.writes for each in changed])
    stamp = timezone.now()
    alike: dict[tuple[str, ...], list[Dossier]] = {}
    for each in changed:
        each.dossier.updated_at = stamp  # what save() stamps; update_rows writes what it is given
        alike.setdefault(tuple(changed_fields(each.dossier, each.read)), []).append(each.dossier)
    for fields, dossiers in alike.items():
        update_rows(dossiers, fields)
    outbox.enqueue_many(
        (
            outbox.Pending(
                topic, f"{topic}:{each.dossier.pk}:{each.event.seq}", {**payload(each.dossier, batch), **extra}
            )
            for each in changed
            for topic, extra in each.outcome.messages
        ),
        now=timezone.now(),
    )
