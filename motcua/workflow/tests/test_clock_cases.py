"""The legal clock of DOMAIN.md §4 worked by hand, through the lifecycle services.

Office hours 08:00–12:00 and 13:00–17:00; due moments are the close of a working day (17:00).
Tết 2026: Mon 16 – Fri 20/02 off (with the weekends around it, Sat 14 – Sun 22/02).
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.channels import Channel
from motcua.dossiers.models import Dossier, DossierState, Verdict
from motcua.workdays import services as calendar_services
from motcua.workflow import services
from motcua.workflow.calendars import forget_calendars
from motcua.workflow.models import DossierEvent, PauseInterval
from motcua.workflow.services import TransitionRefused
from motcua.workflow.tests.factories import World, at, attach_required, build_world, counter_documents, draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendars() -> None:
    forget_calendars()


def received(world: World, when: dt.datetime, *, channel: str = Channel.COUNTER) -> Dossier:
    dossier = draft(world, channel=channel, now=when)
    if channel == Channel.COUNTER:
        return services.receive_at_counter(
            dossier_id=dossier.pk, user=world.receiving, documents=counter_documents(dossier), now=when
        )
    attach_required(world, dossier)
    services.submit(dossier_id=dossier.pk, user=world.citizen, now=when)
    return services.receive(dossier_id=dossier.pk, user=world.receiving, now=when)


def in_progress(world: World, when: dt.datetime) -> Dossier:
    dossier = received(world, when)
    return services.transfer(dossier_id=dossier.pk, user=world.receiving, now=when)


def test_received_before_tet_counts_over_it() -> None:
    # DOMAIN.md §4: Fri 13/02/2026 + 5 working days → Fri 27/02/2026 (Mon 16 – Fri 20 Tết skipped):
    # Mon 23 (1), Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
    world = build_world(limit_days=5)
    dossier = received(world, at(13, 2, 2026, 9, 30))
    assert dossier.state == DossierState.RECEIVED
    assert dossier.legal_due_at == at(27, 2, 2026, 17)
    assert dossier.appointment_at == dossier.legal_due_at


def test_a_pause_across_tet_moves_the_due_date_by_the_office_time_paused() -> None:
    # Received Mon 09/02/2026 09:00 + 5: Tue 10 (1) Wed 11 (2) Thu 12 (3) Fri 13 (4), Tết, Mon 23 (5).
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 2, 2026, 9))
    assert dossier.legal_due_at == at(23, 2, 2026, 17)
    services.pause(dossier_id=dossier.pk, user=world.leader, reason="Chờ giám định", now=at(11, 2, 2026, 10))
    # Paused Wed 11/02 10:00 → Tue 24/02 10:00: Wed 6 h + Thu 8 + Fri 8 + (Tết: 0) + Mon 23 8 + Tue 2 = 32 h,
    # four office days: Mon 23 17:00 + 32 h → Tue 24 (8), Wed 25 (16), Thu 26 (24), Fri 27 (32).
    dossier = services.resume(dossier_id=dossier.pk, user=world.leader, now=at(24, 2, 2026, 10))
    assert dossier.legal_due_at == at(27, 2, 2026, 17)
    pause = PauseInterval.objects.get(dossier=dossier)
    assert pause.working_seconds == 32 * 3600
    resumed = DossierEvent.objects.get(dossier=dossier, action="resume")
    assert resumed.clock_effect["paused_office_seconds"] == 32 * 3600


def test_a_supplement_after_appraisal_restarts_the_limit_from_zero() -> None:
    # Received Mon 09/03/2026 09:00 + 5 → Mon 16/03 17:00.
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 3, 2026, 9))
    assert dossier.legal_due_at == at(16, 3, 2026, 17)
    services.request_supplement(
        dossier_id=dossier.pk,
        user=world.specialist,
        reason="Thiếu",
        missing=["Giấy chứng sinh"],
        now=at(10, 3, 2026, 10),
    )
    # Completed Mon 16/03 14:00: five working days from then → Mon 23/03 17:00 (Art. 19.5).
    dossier = services.provide_supplement(dossier_id=dossier.pk, user=world.citizen, now=at(16, 3, 2026, 14))
    assert dossier.state == DossierState.IN_PROGRESS
    assert dossier.clock_started_at == at(16, 3, 2026, 14)
    assert dossier.legal_due_at == at(23, 3, 2026, 17)
    assert dossier.processing_supplements == 1


def test_a_supplement_after_appraisal_must_come_within_three_working_days() -> None:
    # Received Mon 09/03 09:00: the notice may go out until Thu 12/03 17:00 (Tue 10, Wed 11, Thu 12).
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 3, 2026, 9))
    with pytest.raises(TransitionRefused, match="3 working days"):
        services.request_supplement(
            dossier_id=dossier.pk, user=world.specialist, reason="Thiếu", missing=["Tờ khai"], now=at(13, 3, 2026, 9)
        )
    services.request_supplement(
        dossier_id=dossier.pk, user=world.specialist, reason="Thiếu", missing=["Tờ khai"], now=at(12, 3, 2026, 16)
    )


def test_the_dossier_closes_fifteen_days_after_an_unanswered_supplement() -> None:
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 3, 2026, 9))
    services.request_supplement(
        dossier_id=dossier.pk, user=world.specialist, reason="Thiếu", missing=["Tờ khai"], now=at(10, 3, 2026, 10)
    )
    assert services.close_unanswered_supplements(now=at(25, 3, 2026, 9, 59)) == []  # 14 days 23 h 59 min
    assert services.close_unanswered_supplements(now=at(25, 3, 2026, 10)) == [dossier.code]
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CLOSED


def test_an_extension_is_asked_before_the_due_day_and_only_once() -> None:
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 3, 2026, 9))  # due Mon 16/03 17:00
    with pytest.raises(TransitionRefused, match="at least one day before"):
        services.extend(
            dossier_id=dossier.pk,
            user=world.leader,
            new_appointment=at(18, 3, 2026, 17),
            reason="Chậm",
            now=at(16, 3, 2026, 8),
        )
    with pytest.raises(TransitionRefused, match="later than the current"):
        services.extend(
            dossier_id=dossier.pk,
            user=world.leader,
            new_appointment=at(16, 3, 2026, 12),
            reason="Chậm",
            now=at(13, 3, 2026, 9),
        )
    with pytest.raises(TransitionRefused, match="working day"):
        services.extend(
            dossier_id=dossier.pk,
            user=world.leader,
            new_appointment=at(21, 3, 2026, 12),
            reason="Chậm",
            now=at(13, 3, 2026, 9),
        )
    dossier = services.extend(
        dossier_id=dossier.pk,
        user=world.leader,
        new_appointment=at(18, 3, 2026, 17),
        reason="Chờ xác minh",
        now=at(13, 3, 2026, 9),
    )
    assert dossier.appointment_at == at(18, 3, 2026, 17)
    assert dossier.legal_due_at == at(16, 3, 2026, 17)  # the law's due moment stands
    with pytest.raises(TransitionRefused, match="only once"):
        services.extend(
            dossier_id=dossier.pk,
            user=world.leader,
            new_appointment=at(19, 3, 2026, 17),
            reason="Chậm",
            now=at(14, 3, 2026, 9),
        )


def approve_at(world: World, dossier: Dossier, when: dt.datetime) -> Dossier:
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=when)
    services.forward(dossier_id=dossier.pk, user=world.head, now=when)
    return services.approve(dossier_id=dossier.pk, user=world.leader, now=when)


@pytest.mark.parametrize(
    ("resolved", "verdict"),
    [
        (at(13, 3, 2026, 16), Verdict.EARLY),  # Fri 13/03, a working day before the due day
        (at(16, 3, 2026, 8), Verdict.ON_TIME),  # Mon 16/03, the due day
        (at(16, 3, 2026, 17), Verdict.ON_TIME),  # the due moment itself
        (at(16, 3, 2026, 17, 1), Verdict.LATE),  # one minute after
        (at(17, 3, 2026, 9), Verdict.LATE),
    ],
)
def test_the_verdict_is_stamped_against_the_legal_due_moment(resolved: dt.datetime, verdict: str) -> None:
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 3, 2026, 9))  # due Mon 16/03 17:00
    dossier = approve_at(world, dossier, resolved)
    assert (dossier.state, dossier.verdict, dossier.resolved_at) == (DossierState.RESULT_READY, verdict, resolved)


def test_an_extended_dossier_resolved_after_its_legal_due_moment_is_late() -> None:
    world = build_world(limit_days=5)
    dossier = in_progress(world, at(9, 3, 2026, 9))
    services.extend(
        dossier_id=dossier.pk,
        user=world.leader,
        new_appointment=at(18, 3, 2026, 17),
        reason="Chờ",
        now=at(13, 3, 2026, 9),
    )
    dossier = approve_at(world, dossier, at(17, 3, 2026, 10))
    assert dossier.verdict == Verdict.LATE


@pytest.mark.parametrize(
    ("received_at", "channel", "due"),
    [
        # Birth registration applies the 15:00 cut-off at the counter (Art. 18): one working day.
        (at(9, 3, 2026, 14, 30), Channel.COUNTER, at(10, 3, 2026, 17)),  # Mon 14:30 → Tue
        (at(9, 3, 2026, 15, 30), Channel.COUNTER, at(11, 3, 2026, 17)),  # Mon 15:30 → counts from Tue → Wed
        (at(9, 3, 2026, 15, 30), Channel.ONLINE, at(10, 3, 2026, 17)),  # online: no paper to transfer
        (at(7, 3, 2026, 10), Channel.ONLINE, at(10, 3, 2026, 17)),  # Sat 07/03 online → counts from Mon 09 → Tue
    ],
)
def test_reception_time_and_the_afternoon_cut_off(received_at: dt.datetime, channel: str, due: dt.datetime) -> None:
    world = build_world(limit_days=1)
    dossier = received(world, received_at, channel=channel)
    assert dossier.legal_due_at == due


def test_a_new_day_off_recomputes_only_dossiers_not_yet_due_and_records_it() -> None:
    world = build_world(limit_days=5)
    running = in_progress(world, at(9, 3, 2026, 9))  # due Mon 16/03 17:00
    overdue = in_progress(world, at(2, 3, 2026, 9))  # due Mon 09/03 17:00: already past on 12/03
    change = calendar_services.add_override(
        applies_on=dt.date(2026, 3, 13), kind="day_off", source="Thông báo 99/TB-VPCP (thử)"
    )

    moved = services.recompute_due_dates(change, now=at(12, 3, 2026, 9))

    assert moved == [running.code]
    running.refresh_from_db()
    overdue.refresh_from_db()
    # Fri 13/03 is now off: Tue 10 (1) Wed 11 (2) Thu 12 (3) Mon 16 (4) Tue 17 (5).
    assert running.legal_due_at == at(17, 3, 2026, 17)
    assert running.appointment_at == at(17, 3, 2026, 17)
    assert overdue.legal_due_at == at(9, 3, 2026, 17)
    event = DossierEvent.objects.filter(dossier=running).order_by("-seq").first()
    assert event is not None and event.action == "recompute_due"
    assert event.changes["legal_due_at"][1].startswith("2026-03-17T17:00")
    assert not DossierEvent.objects.filter(dossier=overdue, action="recompute_due").exists()
