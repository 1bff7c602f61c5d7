"""The officers' queues (workflow/queues.py): who sees which dossier, deadlines, pages and counts.

Times are passed in (``now``), never read from the clock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workflow import queues, services
from motcua.workflow.queues import Queue
from motcua.workflow.tests.factories import MONDAY, World, build_world, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def codes(world_user, queue: Queue, *, now: dt.datetime = MONDAY, search: str | None = "") -> set[str | None]:
    page = queues.list_queue(world_user, queue, now=now, search=search or "", page_size=200)
    return {row.dossier.code for row in page.rows}


def test_online_submissions_wait_at_the_desk_that_receives_them_with_the_8_hour_limit(world):
    dossier = make_dossier(world, "submitted")

    page = queues.list_queue(world.receiving, Queue.TO_CHECK, now=MONDAY)

    assert [row.dossier.code for row in page.rows] == [dossier.code]
    # Submitted Monday 09:05: 8 working hours (08:00–12:00, 13:00–17:00) end Tuesday 09:05.
    assert page.rows[0].due_at == dt.datetime(2026, 3, 10, 9, 5, tzinfo=MONDAY.tzinfo)
    assert not page.rows[0].is_overdue
    assert codes(world.other_receiving, Queue.TO_CHECK) == set()  # another commune's centre
    assert codes(world.specialist, Queue.TO_CHECK) == set()  # not a receiving officer


def test_a_submission_past_its_8_hours_is_shown_late(world):
    make_dossier(world, "submitted")

    page = queues.list_queue(world.receiving, Queue.TO_CHECK, now=dt.datetime(2026, 3, 10, 10, tzinfo=MONDAY.tzinfo))

    assert page.rows[0].is_overdue


def test_received_dossiers_wait_for_transfer_at_the_desk(world):
    dossier = make_dossier(world, "received")

    assert codes(world.receiving, Queue.TO_TRANSFER) == {dossier.code}
    assert codes(world.other_receiving, Queue.TO_TRANSFER) == set()
    assert codes(world.receiving, Queue.TO_CHECK) == set()


def test_my_steps_follow_the_active_step_role_and_unit(world):
    dossier = make_dossier(world, "in_progress")  # stage 1 is the specialist's appraisal

    assert codes(world.specialist, Queue.MY_STEPS) == {dossier.code}
    assert codes(world.head, Queue.MY_STEPS) == set()  # the review comes later
    assert codes(world.other_leader, Queue.MY_STEPS) == set()

    services.forward(dossier_id=dossier.pk, user=world.specialist, now=MONDAY + dt.timedelta(hours=1))

    assert codes(world.specialist, Queue.MY_STEPS) == set()
    assert codes(world.head, Queue.MY_STEPS) == {dossier.code}


def test_an_inter_agency_task_is_in_the_asked_agencys_steps_and_in_the_senders_waiting_queue(world):
    dossier = make_dossier(world, "with_other_agencies")

    assert codes(world.province_department_officer, Queue.MY_STEPS) == {dossier.code}
    assert codes(world.leader, Queue.WITH_OTHER_AGENCIES) == {dossier.code}
    assert codes(world.specialist, Queue.WITH_OTHER_AGENCIES) == {dossier.code}
    assert codes(world.other_leader, Queue.WITH_OTHER_AGENCIES) == set()


def test_paused_dossiers_are_in_the_paused_queue_of_their_agency_only(world):
    dossier = make_dossier(world, "paused")

    assert codes(world.leader, Queue.PAUSED) == {dossier.code}
    assert codes(world.other_leader, Queue.PAUSED) == set()
    assert codes(world.leader, Queue.OVERDUE, now=MONDAY + dt.timedelta(days=60)) == set()  # its clock stands


def test_due_soon_and_overdue_are_read_against_the_legal_due_moment(world):
    dossier = make_dossier(world, "in_progress")
    due = dossier.legal_due_at
    assert due is not None

    assert codes(world.leader, Queue.DUE_SOON, now=due - dt.timedelta(hours=1)) == {dossier.code}
    assert codes(world.leader, Queue.OVERDUE, now=due - dt.timedelta(hours=1)) == set()
    assert codes(world.leader, Queue.OVERDUE, now=due + dt.timedelta(hours=1)) == {dossier.code}
    assert codes(world.specialist, Queue.OVERDUE, now=due + dt.timedelta(hours=1)) == {dossier.code}
    assert codes(world.leader, Queue.DUE_SOON, now=due + dt.timedelta(hours=1)) == set()
    assert codes(world.other_leader, Queue.OVERDUE, now=due + dt.timedelta(hours=1)) == set()
    assert codes(world.leader, Queue.DUE_SOON, now=MONDAY) == set()  # more than a working day left


def test_the_search_matches_name_without_diacritics_and_code(world):
    dossier = make_dossier(world, "submitted")

    assert codes(world.receiving, Queue.TO_CHECK, search="nguyen thi LAN") == {dossier.code}
    assert codes(world.receiving, Queue.TO_CHECK, search="Nguyễn") == {dossier.code}
    assert codes(world.receiving, Queue.TO_CHECK, search=dossier.code) == {dossier.code}
    assert codes(world.receiving, Queue.TO_CHECK, search="001099012345") == {dossier.code}
    assert codes(world.receiving, Queue.TO_CHECK, search="tran van") == set()


def test_pages_follow_the_keyset_cursor_without_gaps_or_repeats(world):
    made = [make_dossier(world, "submitted", now=MONDAY + dt.timedelta(minutes=10 * n)) for n in range(5)]

    first = queues.list_queue(world.receiving, Queue.TO_CHECK, now=MONDAY, page_size=2)
    assert first.next_cursor is not None
    second = queues.list_queue(
        world.receiving, Queue.TO_CHECK, now=MONDAY, page_size=2, after=queues.Cursor.decode(first.next_cursor)
    )
    assert second.next_cursor is not None
    third = queues.list_queue(
        world.receiving, Queue.TO_CHECK, now=MONDAY, page_size=2, after=queues.Cursor.decode(second.next_cursor)
    )

    seen = [row.dossier.pk for page in (first, second, third) for row in page.rows]
    assert seen == [dossier.pk for dossier in made]
    assert third.next_cursor is None


def test_a_cursor_that_is_not_one_starts_from_the_beginning():
    assert queues.Cursor.decode("nonsense") is None
    assert queues.Cursor.decode("2026-03-09T09:00:00_x") is None
    assert queues.Cursor.decode("2026-03-09T09:00:00_3") is None  # no time zone


def test_counts_stop_at_the_limit(world, monkeypatch):
    for n in range(3):
        make_dossier(world, "submitted", now=MONDAY + dt.timedelta(minutes=10 * n))

    assert str(queues.count_queues(world.receiving, now=MONDAY)[Queue.TO_CHECK]) == "3"
    monkeypatch.setattr(queues, "COUNT_LIMIT", 2)
    count = queues.count_queues(world.receiving, now=MONDAY)[Queue.TO_CHECK]
    assert count.is_capped
    assert str(count) == "2+"


def test_counts_of_every_queue_are_one_query(world, django_assert_num_queries):
    make_dossier(world, "submitted")
    make_dossier(world, "in_progress", now=MONDAY + dt.timedelta(hours=1))
    officer = world.leader
    queues.count_queues(officer, now=MONDAY)  # reads the roles and the calendar once

    with django_assert_num_queries(1):
        counts = queues.count_queues(officer, now=MONDAY)

    assert counts[Queue.TO_CHECK].value == 0  # a leader does not receive
    assert counts[Queue.DUE_SOON].value == 0


def test_the_leader_sees_approvals_waiting_and_late_work_by_unit(world):
    dossier = make_dossier(world, "in_progress")
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=MONDAY + dt.timedelta(hours=1))
    services.forward(dossier_id=dossier.pk, user=world.head, now=MONDAY + dt.timedelta(hours=2))

    approvals = queues.list_approvals_waiting(world.leader)
    assert [step.dossier_id for step in approvals] == [dossier.pk]
    assert queues.list_approvals_waiting(world.other_leader) == []
    assert queues.list_approvals_waiting(world.specialist) == []

    dossier.refresh_from_db()
    assert dossier.legal_due_at is not None
    late = queues.count_overdue_by_unit(world.leader, now=dossier.legal_due_at + dt.timedelta(hours=1))
    assert [(line.unit_id, line.unit_name, line.dossiers_overdue) for line in late] == [
        (world.tree.c1.pk, world.tree.c1.name, 1)
    ]
    assert queues.count_overdue_by_unit(world.other_leader, now=MONDAY) == []
