"""Property: after any sequence of lifecycle actions, the summaries equal a recount from the events.

Hypothesis drives the real use cases (``workflow.services``, ``feedback.services``) on a few
dossiers of the test world, on a clock that starts on Monday 09/03/2026 and moves on by minutes,
hours or days: each step is the dossier's natural next step (submit, receive, transfer, forward,
approve, return) or something that disturbs it (a supplement asked and provided, a pause and its
resumption, an extension, a refusal, a stop, a withdrawal, closing after 15 days, a payment, a
rating), by the person entitled to it; a step the lifecycle refuses is simply not taken. Between
steps the summariser runs now and then with small batches, so that a dossier's events are
counted across several passes. At the end:

- ``check_summaries`` finds nothing: the summaries equal a recount of every event and rating;
- the report from the summaries and the report from the dossiers' own columns agree on every
  flow (received, resolved early / on time / late, refused, stopped) and on the dossiers open at
  the end of the period (they may split those open between "within" and "past the deadline"
  differently, since the rows know only the current due moment).

Each example runs in a savepoint rolled back at its end, so every one starts from the same world.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from motcua.catalog.channels import Channel
from motcua.dossiers.models import Dossier, DossierState
from motcua.feedback.services import Answers, rate_dossier
from motcua.reports.checks import check_summaries
from motcua.reports.periods import Period
from motcua.reports.raw_report import get_raw_report
from motcua.reports.services import apply_new_events
from motcua.reports.standard_report import get_standard_report
from motcua.workflow import services
from motcua.workflow.services import WorkflowError
from motcua.workflow.tests.factories import PDF, World, at, attach_required, build_world, counter_documents, draft

pytestmark = pytest.mark.django_db

DOSSIERS = 3
START = at(9, 3, 2026, 8, 30)
#: The natural next step is the likeliest, so that dossiers get far; the rest disturb them.
ACTIONS = (
    *("next",) * 14,
    "counter",
    *("supplement", "provide", "pause", "resume", "extend") * 2,
    "refuse",
    "stop",
    "withdraw",
    "close",
    "pay",
    "rate",
    "rate",
    "apply",
    "apply",
)
WAITS = st.one_of(
    st.integers(1, 90).map(lambda minutes: dt.timedelta(minutes=minutes)),
    st.integers(2, 30).map(lambda hours: dt.timedelta(hours=hours)),
    st.integers(1, 17).map(lambda days: dt.timedelta(days=days)),
)
STEPS = st.lists(
    st.tuples(st.integers(0, DOSSIERS - 1), st.sampled_from(ACTIONS), WAITS, st.integers(1, 4)),
    min_size=40,
    max_size=90,
)


@dataclasses.dataclass
class Run:
    world: World
    now: dt.datetime = START
    dossiers: dict[int, int] = dataclasses.field(default_factory=dict)

    def dossier(self, index: int) -> Dossier | None:
        pk = self.dossiers.get(index)
        return Dossier.objects.get(pk=pk) if pk else None

    def act(self, index: int, action: str, batch: int) -> None:
        world, now = self.world, self.now
        if action == "apply":
            apply_new_events(batch_size=batch)
            return
        dossier = self.dossier(index)
        if dossier is None:
            self.start(index, counter=action == "counter")
            return
        pk, state = dossier.pk, dossier.state
        holder = {1: world.specialist, 2: world.head, 3: world.leader}.get(dossier.current_stage, world.specialist)
        if action in ("next", "counter"):
            self.next_step(dossier, holder)
        elif action == "supplement":
            user = world.receiving if state in (DossierState.DRAFT, DossierState.SUBMITTED) else holder
            services.request_supplement(dossier_id=pk, user=user, reason="Thiếu giấy tờ", missing=["Bản sao"], now=now)
        elif action == "provide":
            services.provide_supplement(dossier_id=pk, user=world.citizen, now=now)
        elif action == "pause":
            services.pause(dossier_id=pk, user=world.leader, reason="Chờ xác minh (Điều 19)", now=now)
        elif action == "resume":
            services.resume(dossier_id=pk, user=world.leader, now=now)
        elif action == "extend":
            later = (dossier.appointment_at or now) + dt.timedelta(days=3)
            services.extend(dossier_id=pk, user=world.leader, new_appointment=later, reason="Cần xác minh", now=now)
        elif action == "refuse":
            user = world.receiving if state in (DossierState.DRAFT, DossierState.SUBMITTED) else world.leader
            services.refuse(dossier_id=pk, user=user, reasons="Không đủ điều kiện", now=now)
        elif action == "stop":
            services.stop(dossier_id=pk, user=world.citizen, reason="Không còn nhu cầu", now=now)
        elif action == "withdraw":
            services.withdraw(dossier_id=pk, user=world.citizen, now=now)
        elif action == "close":
            services.close(dossier_id=pk, now=now)
        elif action == "pay" and dossier.fees_outstanding:
            services.record_payment(
                dossier_id=pk, amount=dossier.fees_outstanding, reference=f"GD{pk}", user=world.citizen, now=now
            )
        elif action == "rate":
            answers = Answers(timeliness=1 + batch % 3, procedure_accuracy=3, staff_attitude=2, result_lawfulness=3)
            rate_dossier(dossier=dossier, user=world.citizen, answers=answers, now=now)

    def start(self, index: int, *, counter: bool) -> None:
        dossier = draft(self.world, channel=Channel.COUNTER if counter else Channel.ONLINE, now=self.now)
        self.dossiers[index] = dossier.pk
        if counter:
            services.receive_at_counter(
                dossier_id=dossier.pk, user=self.world.receiving, documents=counter_documents(dossier), now=self.now
            )
        else:
            attach_required(self.world, dossier)

    def next_step(self, dossier: Dossier, holder: object) -> None:
        world, now, pk = self.world, self.now, dossier.pk
        if dossier.state == DossierState.DRAFT:
            services.submit(dossier_id=pk, user=world.citizen, now=now)
        elif dossier.state == DossierState.SUBMITTED:
            services.receive(dossier_id=pk, user=world.receiving, now=now)
        elif dossier.state == DossierState.RECEIVED:
            services.transfer(dossier_id=pk, user=world.receiving, now=now)
        elif dossier.state == DossierState.IN_PROGRESS and dossier.current_stage < 3:
            services.forward(dossier_id=pk, user=holder, now=now)  # type: ignore[arg-type]
        elif dossier.state == DossierState.IN_PROGRESS:
            services.approve(dossier_id=pk, user=world.leader, now=now)
        elif dossier.state == DossierState.RESULT_READY:
            services.attach_result(dossier_id=pk, user=world.leader, handle=io.BytesIO(PDF), name="kq.pdf")
            services.return_result(dossier_id=pk, user=world.receiving, now=now)


@pytest.fixture
def world() -> World:
    return build_world()


SETTINGS = hypothesis.settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(steps=STEPS)
def test_summaries_equal_a_recount_after_any_lifecycle(
    world: World, steps: list[tuple[int, str, dt.timedelta, int]]
) -> None:
    with transaction.atomic():
        run = Run(world)
        for index, action, wait, batch in steps:
            run.now += wait
            try:
                with transaction.atomic():
                    run.act(index, action, batch)
            except (WorkflowError, ValidationError) as refused:  # the lifecycle (or the rating form) said no
                hypothesis.note(f"{action} on {index}: {refused}")
        apply_new_events()
        hypothesis.event(
            f"{len(run.dossiers)} dossiers, ended: {Dossier.objects.filter(ended_at__isnull=False).count()}"
        )
        assert check_summaries() == []
        period = Period(START.date(), run.now.date())
        for agency in (world.tree.p, world.tree.c1):
            summary, raw = get_standard_report(agency, period), get_raw_report(agency, period)
            flows = {
                name: value for name, value in summary.total.as_dict().items() if not name.startswith("in_progress_")
            }
            assert flows == {
                name: value for name, value in raw.total.as_dict().items() if not name.startswith("in_progress_")
            }
        transaction.set_rollback(True)
