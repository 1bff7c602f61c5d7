"""The standard report reproduces hand-computed figures (DOMAIN.md §8), from the summaries and from the rows.

March 2026 at the ward of Việt Trì, birth registration (one working day: due at 17:00 on the next
working day). Each dossier's line says what it counts as in March:

- A received Thu 26/02, due Fri 27/02, still open on Sat 28/02 (past its deadline): carried over;
  approved Tue 03/03: resolved late;
- B, K received Mon 09/03 (K at the counter) and approved the same day: early (B returned online);
- C received Mon 09/03, approved Tue 10/03 at 10:00 (due 17:00): on time;
- D received Mon 09/03, approved Wed 11/03: late;
- E received Mon 09/03, stopped by the applicant Tue 10/03;
- H submitted Mon 09/03 and refused at the desk: never received, in no figure;
- I received Mon 16/03, paused by the leader Tue 17/03 before its due moment: in progress within
  the deadline at the end (its clock stands);
- J received Mon 16/03, refused by the leader Wed 18/03;
- F received Mon 30/03, due Tue 31/03 17:00, open at the end of 31/03: in progress past the deadline;
- G received Tue 31/03, due Wed 01/04: in progress within the deadline.

(The ``march`` fixture, ``scenarios.build_march``.)

Carried over 1 + received 9 (8 online, 1 at the counter) = resolved 5 (early 2, on time 1, late 2)
+ refused 1 + stopped 1 + in progress 3 (within 2, past 1); on-time rate 3 ÷ 5 = 60,00 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.reports.periods import Period
from motcua.reports.raw_report import get_raw_report
from motcua.reports.services import apply_new_events
from motcua.reports.standard_report import Figures, get_standard_report
from motcua.reports.tests.scenarios import received_online
from motcua.workflow.tests.factories import World, at

pytestmark = pytest.mark.django_db

MARCH = Period.month(2026, 3)
MARCH_FIGURES = Figures(
    carried_over=1,
    received_online=8,
    received_counter=1,
    resolved_early=2,
    resolved_on_time=1,
    resolved_late=2,
    in_progress_within=2,
    in_progress_overdue=1,
    stopped=1,
    refused=1,
)


def test_march_reproduces_the_hand_computed_figures(march: World) -> None:
    report = get_standard_report(march.tree.p, MARCH)
    assert report.total == MARCH_FIGURES
    assert report.total.on_time_rate == Decimal("60.00")
    assert (
        report.total.total
        == report.total.resolved + report.total.refused + report.total.stopped + report.total.in_progress
    )
    [sector] = report.sectors
    assert (sector.name, [line.code for line in sector.procedures]) == ("Hộ tịch", ["1.001193"])
    assert sector.figures == MARCH_FIGURES


def test_february_carries_one_dossier_past_its_deadline_into_march(march: World) -> None:
    february = get_standard_report(march.tree.p, Period.month(2026, 2)).total
    assert february == Figures(received_online=1, in_progress_overdue=1)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # Monday 09/03 alone: B, C, D, E received online, K at the counter; B and K resolved early;
        # C, D, E still open at 24:00 and due on Tuesday.
        (
            Period(dt.date(2026, 3, 9), dt.date(2026, 3, 9)),
            Figures(received_online=4, received_counter=1, resolved_early=2, in_progress_within=3),
        ),
        # Tuesday 10/03 to Wednesday 11/03: C on time, D late (past its deadline at the end of Tuesday), E stopped.
        (
            Period(dt.date(2026, 3, 10), dt.date(2026, 3, 11)),
            Figures(carried_over=3, resolved_on_time=1, resolved_late=1, stopped=1),
        ),
        # From 16/03: I paused (within), J refused; then F (past its deadline at the end of 31/03) and G.
        (
            Period(dt.date(2026, 3, 16), dt.date(2026, 3, 31)),
            Figures(received_online=4, in_progress_within=2, in_progress_overdue=1, refused=1),
        ),
        # The whole of April: the three still open are carried over; G is past its deadline now, I paused.
        (Period.month(2026, 4), Figures(carried_over=3, in_progress_within=1, in_progress_overdue=2)),
    ],
)
def test_any_period_from_the_summaries(march: World, period: Period, expected: Figures) -> None:
    assert get_standard_report(march.tree.p, period).total == expected


@pytest.mark.parametrize(
    "period",
    [MARCH, Period.month(2026, 2), Period(dt.date(2026, 3, 10), dt.date(2026, 3, 11)), Period.year(2026)],
)
def test_the_raw_rows_give_the_same_report(march: World, period: Period) -> None:
    assert get_raw_report(march.tree.p, period) == get_standard_report(march.tree.p, period)


def test_a_subtree_and_an_agency_alone(march: World) -> None:
    tree = march.tree
    assert get_standard_report(tree.c1, MARCH).total == MARCH_FIGURES
    assert get_standard_report(tree.c1, MARCH, with_units=False).total == MARCH_FIGURES  # the ward decides them
    assert get_standard_report(tree.c2, MARCH).total == Figures()  # the other commune
    assert get_standard_report(tree.q, MARCH).total == Figures()  # the other province
    assert get_standard_report(tree.p, MARCH, with_units=False).total == Figures()  # none of the province's own


def test_a_late_event_of_the_past_moves_only_that_day(march: World) -> None:
    """An event booked with an earlier moment (a slow transaction) still lands on its own day."""
    before = get_standard_report(march.tree.p, Period.month(2026, 4)).total
    dossier = received_online(march, at(15, 1, 2026, 9))
    apply_new_events()
    january = get_standard_report(march.tree.p, Period.month(2026, 1)).total
    assert january == Figures(received_online=1, in_progress_overdue=1)
    after = get_standard_report(march.tree.p, Period.month(2026, 4)).total
    assert after == before + Figures(carried_over=1, in_progress_overdue=1)
    assert dossier.pk
