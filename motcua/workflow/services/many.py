"""One action on many dossiers in one transaction: a queue's bulk action, an import of online dossiers.

Each dossier is checked and changed by the same change as its own page's action (``submit``,
``receive``, ``transfer``, ``forward``, ``approve``, ``return_result`` with no note): the same
table, roles, units, versions and rules of law; only the writes are gathered (``services.runner``,
``workflow.batch``). A dossier refused is reported with its reason and the others go ahead, so an
officer who ticked a page of the queue learns which went and which did not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from motcua.accounts.models import User
from motcua.workflow.services.core import Change
from motcua.workflow.services.delivery import return_change
from motcua.workflow.services.intake import receive_change, submit_change, transfer_change
from motcua.workflow.services.processing import approve_change, forward_change
from motcua.workflow.services.runner import BatchOutcome, run_transitions
from motcua.workflow.transitions import Action

#: The actions that can be taken on many dossiers at once, each with its change.
CHANGES: dict[Action, Change] = {
    Action.SUBMIT: submit_change(),
    Action.RECEIVE: receive_change,
    Action.TRANSFER: transfer_change,
    Action.FORWARD: forward_change(),
    Action.APPROVE: approve_change(),
    Action.RETURN_RESULT: return_change(),
}


#: What ``act_on_many`` takes.
BULK_ACTIONS = frozenset(CHANGES)


def act_on_many(
    *,
    action: Action,
    dossier_ids: Sequence[int],
    user: User | None,
    expected_versions: Mapping[int, int] | None = None,
    now: dt.datetime | None = None,
) -> BatchOutcome:
    """Take ``action`` on each dossier as ``user``; ValueError for an action that is not taken in bulk.

    ``expected_versions``: the version each dossier had on the officer's page (a dossier changed
    meanwhile is refused, not overwritten).
    """
    if action not in CHANGES:
        raise ValueError(f"{action} is taken one dossier at a time")
    return run_transitions(
        dossier_ids=dossier_ids,
        action=action,
        user=user,
        change=CHANGES[action],
        expected_versions=expected_versions,
        now=now,
    )
