"""The dossier's own copy of its internal process, and how its stages advance.

At reception the agency's internal process for the dossier's variant (``catalog.queries.
get_process_steps``) is copied into ``DossierStep`` rows, so later edits of the process never touch a
running dossier. Stages run in order; the steps of one stage run in parallel and the stage ends
when all of them are done. A procedure the agency has not given a process gets one step: the
competent agency's leader processes and decides within the whole time limit.

The functions that read the steps take the dossier's steps when the caller has them already
(``known``: every step, as ``services.core.dossier_steps`` reads them under the dossier's lock,
kept up to date by ``finish_step`` and ``start_stage``), and otherwise read them. Given the
lifecycle batch's ``Writes``, they record the rows to write instead of writing them
(``workflow.batch``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from motcua.catalog.queries import get_process_steps
from motcua.catalog.time_limits import HOURS_PER_WORKING_DAY, TimeLimit, TimeUnit
from motcua.dossiers.models import Dossier
from motcua.workdays.workcalendar import WorkCalendar
from motcua.workflow import deadlines
from motcua.workflow.batch import Batch, Writes, write_steps
from motcua.workflow.models import DossierStep, StepState

#: The columns a step's start and its end change.
_STARTED = ("state", "started_at", "due_at", "finished_at", "finished_by")
_FINISHED = ("state", "finished_at", "finished_by")

#: Budget of the single fallback step when the procedure has no time limit either.
FALLBACK_HOURS = 5 * HOURS_PER_WORKING_DAY


def copy_process(dossier: Dossier, *, batch: Batch, writes: Writes) -> list[DossierStep]:
    """The dossier's steps (all waiting) from its agency's internal process, created with ``writes``.

    The process is read once per batch.
    """
    key = ("process", dossier.agency_procedure_id, dossier.variant_id)
    process_steps = batch.memo(
        key, functools.partial(get_process_steps, dossier.agency_procedure_id, dossier.variant_id)
    )
    if process_steps:
        steps = [
            DossierStep(
                dossier=dossier,
                stage=step.stage,
                name=step.name,
                unit_id=step.unit_id,
                role=step.role,
                budget_hours=step.budget_hours,
            )
            for step in process_steps
        ]
    else:
        limit = TimeLimit(dossier.time_limit_amount, TimeUnit(dossier.time_limit_unit))
        steps = [
            DossierStep(
                dossier=dossier,
                stage=1,
                name="Xử lý và quyết định",
                unit=dossier.competent_agency,
                role="agency_leader",
                budget_hours=limit.working_hours_at_most() or FALLBACK_HOURS,
            )
        ]
    writes.create(steps)
    return steps


def last_stage(dossier: Dossier, *, known: Sequence[DossierStep] | None = None) -> int:
    if known is not None:
        return max((step.stage for step in known), default=0)
    return max(DossierStep.objects.filter(dossier=dossier).values_list("stage", flat=True), default=0)


def start_stage(
    dossier: Dossier,
    stage: int,
    cal: WorkCalendar,
    now: dt.datetime,
    *,
    known: Sequence[DossierStep] | None = None,
    writes: Writes | None = None,
) -> list[DossierStep]:
    """Put every step of ``stage`` in hand from ``now``, each due after its budget.

    The rows are written with ``writes`` (the transition's), or at once without: either way one
    UPDATE per due moment, since the steps of a stage usually share their budget.
    """
    if known is not None:
        steps = [step for step in known if step.stage == stage]
    else:
        steps = list(DossierStep.objects.filter(dossier=dossier, stage=stage).select_related("unit"))
    started = Writes() if writes is None else writes
    for step in steps:
        step.state = StepState.ACTIVE
        step.started_at = now
        step.due_at = deadlines.step_due(cal, now, step.budget_hours)
        step.finished_at = None
        step.finished_by = None
        started.update(step, _STARTED)
    if writes is None:
        write_steps([started])
    return steps


def finish_step(
    step: DossierStep,
    user_id: int | None,
    now: dt.datetime,
    state: str = StepState.DONE,
    *,
    writes: Writes | None = None,
) -> None:
    step.state = state
    step.finished_at = now
    step.finished_by_id = user_id
    if writes is not None:
        writes.update(step, _FINISHED)
    else:
        step.save(update_fields=list(_FINISHED))


def stage_open_steps(dossier: Dossier, stage: int, *, known: Sequence[DossierStep] | None = None) -> int:
    """Steps of ``stage`` not yet done."""
    if known is not None:
        return sum(1 for step in known if step.stage == stage and step.state == StepState.ACTIVE)
    return DossierStep.objects.filter(dossier=dossier, stage=stage, state=StepState.ACTIVE).count()


def restart_active_steps(dossier: Dossier, cal: WorkCalendar, now: dt.datetime) -> None:
    """Give the steps in hand a fresh budget from ``now`` (after a supplement restarts the clock)."""
    steps = list(DossierStep.objects.filter(dossier=dossier, state=StepState.ACTIVE))
    for step in steps:
        step.started_at = now
        step.due_at = deadlines.step_due(cal, now, step.budget_hours)
    DossierStep.objects.bulk_update(steps, ["started_at", "due_at"])


def shift_active_steps(dossier: Dossier, cal: WorkCalendar, paused_at: dt.datetime, resumed_at: dt.datetime) -> None:
    """Move the due moments of the steps in hand by the office time a pause took."""
    steps = list(DossierStep.objects.filter(dossier=dossier, state=StepState.ACTIVE, due_at__isnull=False))
    for step in steps:
        step.due_at = deadlines.shift_after_pause(cal, step.due_at, paused_at, resumed_at, TimeUnit.WORKING_HOURS)
    DossierStep.objects.bulk_update(steps, ["due_at"])
