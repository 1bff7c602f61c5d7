"""What the lifecycle state machine (``test_state_machine.py``) found: each a minimal reproduction.

Every test states the rule it checks; each was marked ``xfail(strict=True)`` until its service
was fixed, and the state machine now checks the same rule without an exception. A new finding
comes here the same way (a strict xfail, and a "Known" exception in the machine until fixed).
Office hours 08:00–12:00 and 13:00–17:00; due moments are the close of a working day; a
reception at the closing instant (17:00:00) belongs to that day (``workdays.clock``).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from motcua.catalog.channels import Channel
from motcua.dossiers.models import Dossier, DossierState, Verdict
from motcua.workdays import services as calendar_services
from motcua.workflow import services
from motcua.workflow.calendars import forget_calendars
from motcua.workflow.models import DossierEvent, DossierStep, InterAgencyTask, StepState, TaskState
from motcua.workflow.services import TransitionRefused
from motcua.workflow.tests.factories import (
    MONDAY,
    PDF,
    World,
    at,
    attach_required,
    build_world,
    counter_documents,
    draft,
    make_dossier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendars() -> None:
    forget_calendars()


def in_progress(world: World, when: dt.datetime) -> Dossier:
    dossier = draft(world, channel=Channel.COUNTER, now=when)
    services.receive_at_counter(
        dossier_id=dossier.pk, user=world.receiving, documents=counter_documents(dossier), now=when
    )
    return services.transfer(dossier_id=dossier.pk, user=world.receiving, now=when)


def test_the_applicant_cannot_answer_a_supplement_request_without_the_missing_documents() -> None:
    # Papers incomplete at the counter: the desk asks for the birth certificate (form 02, Art. 17).
    world = build_world(limit_days=3)
    dossier = draft(world, channel=Channel.COUNTER, now=at(9, 3, 2026, 9))
    services.request_supplement(
        dossier_id=dossier.pk,
        user=world.receiving,
        reason="Thiếu giấy tờ",
        missing=["Giấy chứng sinh"],
        now=at(9, 3, 2026, 9, 5),
    )
    # The applicant answers online without attaching anything: refused, as submit() refuses it
    # (the clock starts on the complete dossier only: Decree 118/2025/NĐ-CP Art. 17).
    with pytest.raises(TransitionRefused):
        services.provide_supplement(dossier_id=dossier.pk, user=world.citizen, now=at(10, 3, 2026, 9))


@pytest.mark.parametrize("ending", ["refuse", "stop"])
def test_ending_a_dossier_with_other_agencies_closes_their_tasks(ending: str) -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "with_other_agencies")  # Sở Tư pháp asked to verify (Art. 20)
    later = MONDAY + dt.timedelta(hours=1)
    if ending == "refuse":
        services.refuse(dossier_id=dossier.pk, user=world.leader, reasons="Không đủ điều kiện", now=later)
    else:
        services.stop(dossier_id=dossier.pk, user=world.citizen, reason="Không còn nhu cầu", now=later)
    # The dossier has ended: the department holds no task it could no longer answer (answer_task
    # is refused on an ended dossier).
    assert not InterAgencyTask.objects.filter(dossier=dossier).exclude(state=TaskState.DONE).exists()


def test_closing_an_unanswered_supplement_leaves_no_step_in_hand() -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "in_progress")
    services.request_supplement(
        dossier_id=dossier.pk,
        user=world.specialist,
        reason="Thiếu",
        missing=["Tờ khai"],
        now=MONDAY + dt.timedelta(hours=1),
    )
    # Art. 19.5: nothing came within 15 days, the system closes the dossier.
    services.close_unanswered_supplements(now=MONDAY + dt.timedelta(days=16))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CLOSED
    assert not DossierStep.objects.filter(dossier=dossier, state=StepState.ACTIVE).exists()


def test_a_dossier_received_online_at_the_closing_instant_is_recounted_from_that_day() -> None:
    # Received online Fri 20/03/2026 at 17:00:00, which belongs to Friday: Mon 23 (1), Tue 24 (2),
    # Wed 25 (3) → due Wed 25/03 17:00, as the service says.
    world = build_world(limit_days=3)
    dossier = draft(world, now=at(20, 3, 2026, 16))
    attach_required(world, dossier)
    services.submit(dossier_id=dossier.pk, user=world.citizen, now=at(20, 3, 2026, 16, 30))
    dossier = services.receive(dossier_id=dossier.pk, user=world.receiving, now=at(20, 3, 2026, 17))
    assert dossier.legal_due_at == at(25, 3, 2026, 17)
    # Tue 24/03 becomes a day off: Mon 23 (1), Wed 25 (2), Thu 26 (3). The recount starts from
    # clock_started_at, which must count on Friday too (from Mon 23/03 08:00 it gave Fri 27/03).
    change = calendar_services.add_override(applies_on=dt.date(2026, 3, 24), kind="day_off", source="Thông báo (thử)")
    services.recompute_due_dates(change, now=at(23, 3, 2026, 9))
    dossier.refresh_from_db()
    assert dossier.legal_due_at == at(26, 3, 2026, 17)


def test_a_supplement_completed_at_the_closing_instant_restarts_the_count_that_day() -> None:
    world = build_world(limit_days=3)
    dossier = in_progress(world, at(9, 3, 2026, 9))
    services.request_supplement(
        dossier_id=dossier.pk, user=world.specialist, reason="Thiếu", missing=["Tờ khai"], now=at(10, 3, 2026, 10)
    )
    # Completed Mon 16/03 at 17:00:00, which belongs to Monday (as a reception at that instant
    # does): Tue 17 (1), Wed 18 (2), Thu 19 (3) → Thu 19/03 17:00, as at 16:59 (counted from
    # Tue 17/03 08:00 it was Fri 20/03: a minute later cost the applicant a day).
    dossier = services.provide_supplement(dossier_id=dossier.pk, user=world.citizen, now=at(16, 3, 2026, 17))
    assert dossier.legal_due_at == at(19, 3, 2026, 17)


def test_a_recount_keeps_a_pause_taken_before_the_clock_started() -> None:
    # Received at the counter Fri 13/03/2026 17:30, after hours: the clock starts Mon 16/03 08:00,
    # due Thu 19/03 17:00 (Mon 16 is the reception day: Tue 17, Wed 18, Thu 19).
    world = build_world(limit_days=3)
    dossier = in_progress(world, at(13, 3, 2026, 17, 30))
    assert dossier.legal_due_at == at(19, 3, 2026, 17)
    # Paused the same evening, resumed Tue 17/03 08:00: the clock stood all Monday (8 h) → Fri 20/03.
    services.pause(dossier_id=dossier.pk, user=world.leader, reason="Chờ giám định", now=at(13, 3, 2026, 17, 40))
    dossier = services.resume(dossier_id=dossier.pk, user=world.leader, now=at(17, 3, 2026, 8))
    assert dossier.legal_due_at == at(20, 3, 2026, 17)
    # Wed 18/03 becomes a day off: one more day → Mon 23/03. The recount keeps the pause although it
    # began before clock_started_at (dropping it found Fri 20/03, a day too early).
    change = calendar_services.add_override(applies_on=dt.date(2026, 3, 18), kind="day_off", source="Thông báo (thử)")
    services.recompute_due_dates(change, now=at(17, 3, 2026, 9))
    dossier.refresh_from_db()
    assert dossier.legal_due_at == at(23, 3, 2026, 17)


def test_a_refusal_during_a_pause_is_judged_on_the_clock_that_stood() -> None:
    # Received Mon 09/03/2026 09:00, due Thu 12/03 17:00; paused Tue 10/03 10:00 (the clock stops).
    world = build_world(limit_days=3)
    dossier = in_progress(world, at(9, 3, 2026, 9))
    services.pause(dossier_id=dossier.pk, user=world.leader, reason="Chờ giám định", now=at(10, 3, 2026, 10))
    # Refused Mon 16/03 10:00, still paused: 32 office hours stood (Tue 6 + Wed, Thu, Fri 24 + Mon 2),
    # so the due moment is Wed 18/03 17:00 and the refusal is early, as it is when the leader resumes
    # first and refuses a minute later (judged against Thu 12/03, it was late).
    dossier = services.refuse(
        dossier_id=dossier.pk, user=world.leader, reasons="Không đủ điều kiện", now=at(16, 3, 2026, 10)
    )
    assert dossier.legal_due_at == at(18, 3, 2026, 17)
    assert dossier.verdict == Verdict.EARLY


def test_the_result_file_is_recorded_at_the_moment_given() -> None:
    # services/__init__.py: every use case takes an optional ``now``; without it attach_result's
    # event carried the real time, out of order with the events around it.
    world = build_world(limit_days=3)
    dossier = make_dossier(world, "result_ready")
    moment = MONDAY + dt.timedelta(hours=2)
    services.attach_result(dossier_id=dossier.pk, user=world.leader, handle=io.BytesIO(PDF), name="kq.pdf", now=moment)
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None and (event.action, event.at) == ("attach_result", moment)
