"""The lifecycle's use cases: the only code that changes a dossier's state (see transitions.py).

Every function here is keyword-only, takes the acting user (None only for the system), an
optional ``expected_version`` (the version the user's page showed; a mismatch raises
``StaleDossier``) and an optional ``now``, and raises a ``WorkflowError`` whose message says why
nothing was done.
"""

from motcua.workflow.services.assignment import reassign_step
from motcua.workflow.services.core import NotAllowed, StaleDossier, TransitionRefused, WorkflowError
from motcua.workflow.services.delivery import attach_result, record_payment, return_result
from motcua.workflow.services.drafts import ApplicantDetails, Draft, start_draft, start_drafts, update_draft
from motcua.workflow.services.intake import (
    ReceivedDocument,
    missing_components,
    provide_supplement,
    receive,
    receive_at_counter,
    request_supplement,
    submit,
    transfer,
    withdraw,
)
from motcua.workflow.services.interagency import TaskSpec, answer_task, forward_to_agencies
from motcua.workflow.services.many import BULK_ACTIONS, act_on_many
from motcua.workflow.services.processing import (
    approve,
    close,
    close_unanswered_supplements,
    extend,
    forward,
    pause,
    refuse,
    resume,
    send_back,
    stop,
)
from motcua.workflow.services.recompute import recompute_due_dates
from motcua.workflow.services.reminders import sweep_deadlines
from motcua.workflow.services.runner import BatchOutcome
from motcua.workflow.services.scans import Scan, ScansAttached, attach_scans

__all__ = [
    "BULK_ACTIONS",
    "ApplicantDetails",
    "BatchOutcome",
    "Draft",
    "NotAllowed",
    "ReceivedDocument",
    "Scan",
    "ScansAttached",
    "StaleDossier",
    "TaskSpec",
    "TransitionRefused",
    "WorkflowError",
    "act_on_many",
    "answer_task",
    "approve",
    "attach_result",
    "attach_scans",
    "close",
    "close_unanswered_supplements",
    "extend",
    "forward",
    "forward_to_agencies",
    "missing_components",
    "pause",
    "provide_supplement",
    "reassign_step",
    "receive",
    "receive_at_counter",
    "recompute_due_dates",
    "record_payment",
    "refuse",
    "request_supplement",
    "resume",
    "return_result",
    "send_back",
    "start_draft",
    "start_drafts",
    "stop",
    "submit",
    "sweep_deadlines",
    "transfer",
    "update_draft",
    "withdraw",
]
