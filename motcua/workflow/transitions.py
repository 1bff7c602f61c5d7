"""The dossier lifecycle as one table: (state, action) → (next state, who may act, on which unit).

The lifecycle is fixed by law (Decree 118/2025/NĐ-CP Arts. 16–23); nothing but
``services.py`` assigns a dossier's state, and it assigns only what this table allows.

| from | action | to | who | where |
| --- | --- | --- | --- | --- |
| draft | submit | submitted | applicant | online (Art. 17: online reception) |
| draft | receive_at_counter | received | receiving officer | receiving unit (Art. 17: counter/post) |
| draft | request_supplement | supplement_requested | receiving officer | receiving unit (Art. 17, form 02) |
| draft, submitted | refuse | refused | receiving officer | receiving unit (Art. 17, form 03) |
| draft, submitted | withdraw | withdrawn | applicant | — (nothing received yet) |
| submitted | receive | received | receiving officer | receiving unit (Art. 17: within 8 working hours) |
| submitted | request_supplement | supplement_requested | receiving officer | receiving unit (once: Art. 11.2.c, 16) |
| supplement_requested | provide_supplement | submitted / in_progress | applicant, receiving officer | receiving unit |
| supplement_requested | close | closed | system | 15 days without the supplement (Art. 19.5) |
| received | transfer | in_progress | receiving officer | receiving unit (Art. 18) |
| in_progress | forward | in_progress | holder of the step | step's unit (Art. 19) |
| in_progress | send_back | in_progress | holder of the step | step's unit |
| in_progress | forward_to_agencies | with_other_agencies | holder of the step | step's unit (Art. 20) |
| with_other_agencies | answer_task | with_other_agencies / in_progress | staff of the asked agency | task's agency |
| in_progress | request_supplement | supplement_requested | holder of the step | step's unit (Art. 19.5) |
| in_progress | pause | paused | leader | competent agency (where the law allows) |
| paused | resume | in_progress | leader | competent agency |
| in_progress, with_other_agencies, paused | extend | (same) | leader | competent agency (Art. 19.6) |
| in_progress | approve | result_ready | holder of the last step | step's unit (Art. 19) |
| in_progress, with_other_agencies, paused | refuse | refused | leader | competent agency (Art. 19: refusal notice) |
| result_ready | return_result | returned | receiving officer | returning unit (Art. 22) |
| received … supplement_requested | stop | stopped | applicant, receiving officer | receiving unit (Art. 21) |

Art. 19.5: a supplement during processing is asked within 3 working days of reception;
Art. 19.6: an extension is asked once, at least one day before the due date.

"Holder of the step" is the role the internal process gives the active step, held in the
step's own unit (an agency leader also in any unit below the agency); a leader, a department
head or a specialist acts only on the steps given to their role. Once a leader has given a step
to a named officer (``services.assignment``), only that officer acts on it, or a holder of its
role who may assign work in the unit.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from motcua.accounts.models import StaffRoleName
from motcua.dossiers.models import DossierState

S = DossierState


class Action(enum.StrEnum):
    SUBMIT = "submit"
    RECEIVE_AT_COUNTER = "receive_at_counter"
    RECEIVE = "receive"
    REQUEST_SUPPLEMENT = "request_supplement"
    PROVIDE_SUPPLEMENT = "provide_supplement"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    CLOSE = "close"
    TRANSFER = "transfer"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    FORWARD_TO_AGENCIES = "forward_to_agencies"
    ANSWER_TASK = "answer_task"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    APPROVE = "approve"
    RETURN_RESULT = "return_result"
    STOP = "stop"


class Actor(enum.StrEnum):
    """Who acts: the applicant (the dossier's own account), the system, or a staff role."""

    APPLICANT = "applicant"
    SYSTEM = "system"
    RECEIVING_OFFICER = StaffRoleName.RECEIVING_OFFICER.value
    SPECIALIST = StaffRoleName.SPECIALIST.value
    DEPARTMENT_HEAD = StaffRoleName.DEPARTMENT_HEAD.value
    AGENCY_LEADER = StaffRoleName.AGENCY_LEADER.value


class Unit(enum.Enum):
    """Which of the dossier's units the acting officer must belong to."""

    NONE = "none"  # the applicant or the system
    RECEIVING = "receiving"
    RETURNING = "returning"
    COMPETENT = "competent"
    STEP = "step"  # the unit holding the active step, in the step's role
    TASK = "task"  # the agency an inter-agency task is with


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    source: DossierState
    targets: frozenset[DossierState]  # more than one: the service decides which (e.g. supplement by phase)
    actors: frozenset[Actor]
    unit: Unit


STAFF_ON_STEPS = frozenset({Actor.SPECIALIST, Actor.DEPARTMENT_HEAD, Actor.AGENCY_LEADER})
RECEIVING = frozenset({Actor.RECEIVING_OFFICER})
LEADER = frozenset({Actor.AGENCY_LEADER})
APPLICANT = frozenset({Actor.APPLICANT})


def _rows() -> list[Transition]:
    def row(
        action: Action,
        sources: tuple[DossierState, ...],
        targets: tuple[DossierState, ...],
        actors: frozenset[Actor],
        unit: Unit,
    ) -> list[Transition]:
        return [Transition(action, source, frozenset(targets), actors, unit) for source in sources]

    processing = (S.IN_PROGRESS, S.WITH_OTHER_AGENCIES, S.PAUSED)
    return [
        *row(Action.SUBMIT, (S.DRAFT,), (S.SUBMITTED,), APPLICANT, Unit.NONE),
        *row(Action.RECEIVE_AT_COUNTER, (S.DRAFT,), (S.RECEIVED,), RECEIVING, Unit.RECEIVING),
        *row(Action.REQUEST_SUPPLEMENT, (S.DRAFT, S.SUBMITTED), (S.SUPPLEMENT_REQUESTED,), RECEIVING, Unit.RECEIVING),
        *row(Action.REFUSE, (S.DRAFT, S.SUBMITTED), (S.REFUSED,), RECEIVING, Unit.RECEIVING),
        *row(Action.WITHDRAW, (S.DRAFT, S.SUBMITTED), (S.WITHDRAWN,), APPLICANT, Unit.NONE),
        *row(Action.RECEIVE, (S.SUBMITTED,), (S.RECEIVED,), RECEIVING, Unit.RECEIVING),
        *row(
            Action.PROVIDE_SUPPLEMENT,
            (S.SUPPLEMENT_REQUESTED,),
            (S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS),
            frozenset({Actor.APPLICANT, Actor.RECEIVING_OFFICER}),
            Unit.RECEIVING,
        ),
        *row(Action.CLOSE, (S.SUPPLEMENT_REQUESTED,), (S.CLOSED,), frozenset({Actor.SYSTEM}), Unit.NONE),
        *row(Action.TRANSFER, (S.RECEIVED,), (S.IN_PROGRESS,), RECEIVING, Unit.RECEIVING),
        *row(Action.FORWARD, (S.IN_PROGRESS,), (S.IN_PROGRESS,), STAFF_ON_STEPS, Unit.STEP),
        *row(Action.SEND_BACK, (S.IN_PROGRESS,), (S.IN_PROGRESS,), STAFF_ON_STEPS, Unit.STEP),
        *row(Action.FORWARD_TO_AGENCIES, (S.IN_PROGRESS,), (S.WITH_OTHER_AGENCIES,), STAFF_ON_STEPS, Unit.STEP),
        *row(
            Action.ANSWER_TASK,
            (S.WITH_OTHER_AGENCIES,),
            (S.WITH_OTHER_AGENCIES, S.IN_PROGRESS),
            STAFF_ON_STEPS,
            Unit.TASK,
        ),
        *row(Action.REQUEST_SUPPLEMENT, (S.IN_PROGRESS,), (S.SUPPLEMENT_REQUESTED,), STAFF_ON_STEPS, Unit.STEP),
        *row(Action.PAUSE, (S.IN_PROGRESS,), (S.PAUSED,), LEADER, Unit.COMPETENT),
        *row(Action.RESUME, (S.PAUSED,), (S.IN_PROGRESS,), LEADER, Unit.COMPETENT),
        *[Transition(Action.EXTEND, source, frozenset({source}), LEADER, Unit.COMPETENT) for source in processing],
        *row(Action.APPROVE, (S.IN_PROGRESS,), (S.RESULT_READY,), STAFF_ON_STEPS, Unit.STEP),
        *row(Action.REFUSE, processing, (S.REFUSED,), LEADER, Unit.COMPETENT),
        *row(Action.RETURN_RESULT, (S.RESULT_READY,), (S.RETURNED,), RECEIVING, Unit.RETURNING),
        *row(
            Action.STOP,
            (S.RECEIVED, *processing, S.SUPPLEMENT_REQUESTED),
            (S.STOPPED,),
            frozenset({Actor.APPLICANT, Actor.RECEIVING_OFFICER}),
            Unit.RECEIVING,
        ),
    ]


TABLE: Mapping[tuple[DossierState, Action], Transition] = MappingProxyType(
    {(row.source, row.action): row for row in _rows()}
)


def find(state: str, action: Action) -> Transition | None:
    """The transition for ``action`` from ``state``, or None if the table does not allow it."""
    return TABLE.get((DossierState(state), action))


def actions_from(state: str) -> list[Action]:
    """Every action the table allows from ``state`` (whoever may take it)."""
    return [action for (source, action) in TABLE if source == state]
