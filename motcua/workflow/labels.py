"""How the lifecycle's actions are named to people (buttons, timelines, refusals)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.workflow.transitions import Action

ACTION_LABELS: Mapping[Action, Promise] = MappingProxyType(
    {
        Action.SUBMIT: _("Submit"),
        Action.RECEIVE_AT_COUNTER: _("Receive at the counter"),
        Action.RECEIVE: _("Receive"),
        Action.REQUEST_SUPPLEMENT: _("Ask for a supplement"),
        Action.PROVIDE_SUPPLEMENT: _("Provide the supplement"),
        Action.REFUSE: _("Refuse"),
        Action.WITHDRAW: _("Withdraw"),
        Action.CLOSE: _("Close"),
        Action.TRANSFER: _("Transfer for processing"),
        Action.FORWARD: _("Forward to the next step"),
        Action.SEND_BACK: _("Send back to an earlier step"),
        Action.FORWARD_TO_AGENCIES: _("Forward to other agencies"),
        Action.ANSWER_TASK: _("Answer the inter-agency task"),
        Action.PAUSE: _("Pause"),
        Action.RESUME: _("Resume"),
        Action.EXTEND: _("Apologise and extend"),
        Action.APPROVE: _("Approve"),
        Action.RETURN_RESULT: _("Return the result"),
        Action.STOP: _("Stop the procedure"),
    }
)

#: Timeline wording of events that are not transitions of the table.
OTHER_EVENT_LABELS: Mapping[str, Promise] = MappingProxyType(
    {
        "create": _("Draft created"),
        "update_draft": _("Draft changed by the applicant"),
        "attach_result": _("Result attached"),
        "attach_scans": _("Scans of the paper documents attached"),
        "record_payment": _("Fees paid"),
        "recompute_due": _("Due date recomputed after a calendar change"),
        "remind": _("Reminder sent"),
        "reassign_step": _("Step given to another officer or unit"),
    }
)

#: Events the public timeline leaves out: how the agency shares out its work is internal.
INTERNAL_EVENTS = frozenset({"reassign_step"})


def event_detail(action: str, changes: Mapping[str, object]) -> str:
    """What a timeline line adds to the event's name: where a posted result went (Decree 118/2025 Art. 22)."""
    number = changes.get("postal_tracking_number")
    if action == Action.RETURN_RESULT and number:
        return gettext("sent by post, tracking number %(number)s") % {"number": number}
    return ""
