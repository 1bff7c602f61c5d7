"""Keeping the summaries from the event log: once each, in any batches, rebuildable, checkable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from motcua.reports import ledger
from motcua.reports.checks import check_summaries
from motcua.reports.flows import FlowBook, FlowKey
from motcua.reports.indices import get_indices
from motcua.reports.models import FlowSummary, Grain, Part, PendingEvent, SummaryCursor
from motcua.reports.periods import Period
from motcua.reports.services import apply_new_events, rebuild_summaries
from motcua.reports.services.summaries import GAP_PATIENCE
from motcua.reports.standard_report import Figures, get_standard_report
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import MONDAY, World, build_world, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = build_world()
    for state in ("returned", "in_progress", "paused", "stopped", "withdrawn", "closed", "refused"):
        make_dossier(world, state)
    return world


def rows() -> set[tuple[object, ...]]:
    return {row for row in FlowSummary.objects.values_list() if any(row[6:])}


def test_each_event_is_counted_once_whatever_the_batches(world: World) -> None:
    first = apply_new_events(batch_size=3)
    assert first.events == DossierEvent.objects.count() > 20
    assert apply_new_events().events == 0
    assert check_summaries() == []
    once = rows()
    rebuild_summaries()
    assert rows() == once
    assert SummaryCursor.objects.get(stream="events").last_id == DossierEvent.objects.latest("pk").pk


def test_the_agency_and_every_ancestor_get_a_row_per_day_month_and_year(world: World) -> None:
    apply_new_events()
    received = FlowSummary.objects.filter(received_online__gt=0)
    scopes = set(received.values_list("scope_id", "part", "grain", "period_start").distinct())
    day, month, year = dt.date(2026, 3, 9), dt.date(2026, 3, 1), dt.date(2026, 1, 1)
    assert scopes == {
        (world.tree.c1.pk, Part.OWN, Grain.DAY, day),
        (world.tree.c1.pk, Part.OWN, Grain.MONTH, month),
        (world.tree.c1.pk, Part.OWN, Grain.YEAR, year),
        (world.tree.p.pk, Part.UNITS, Grain.DAY, day),
        (world.tree.p.pk, Part.UNITS, Grain.MONTH, month),
        (world.tree.p.pk, Part.UNITS, Grain.YEAR, year),
    }


def test_an_id_skipped_by_the_cursor_is_counted_when_it_appears(world: World) -> None:
    apply_new_events()
    before = get_standard_report(world.tree.p, Period.month(2026, 3)).total
    make_dossier(world, "received", now=MONDAY + dt.timedelta(days=1))
    new = list(DossierEvent.objects.order_by("pk").values_list("pk", flat=True))[-3:]
    # As if the first new event's transaction had not committed when the follower read the rest.
    SummaryCursor.objects.filter(stream="events").update(last_id=new[-1])
    PendingEvent.objects.create(stream="events", item_id=new[0], noticed_at=timezone.now())
    PendingEvent.objects.create(stream="events", item_id=10**9, noticed_at=timezone.now())  # never committed
    report = apply_new_events()
    assert report.events == 1
    assert list(PendingEvent.objects.values_list("item_id", flat=True)) == [10**9]
    apply_new_events(now=timezone.now() + GAP_PATIENCE + dt.timedelta(seconds=1))
    assert not PendingEvent.objects.exists()
    # The two events the cursor was moved over by hand were never counted: the check finds them,
    # a rebuild counts them.
    assert "received_online" in {difference.counter for difference in check_summaries()}
    rebuild_summaries()
    assert check_summaries() == []
    after = get_standard_report(world.tree.p, Period.month(2026, 3)).total
    assert after == before + Figures(received_online=1, in_progress_overdue=1)  # due Wed 11/03


def test_the_check_lists_a_tampered_row_and_the_command_fails(world: World) -> None:
    apply_new_events()
    row = FlowSummary.objects.filter(received_online__gt=0, grain=Grain.MONTH, part=Part.OWN).first()
    assert row is not None
    FlowSummary.objects.filter(pk=row.pk).update(received_online=row.received_online + 5)
    [difference] = check_summaries()
    assert (difference.counter, difference.found - difference.expected) == ("received_online", 5)
    output = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_summaries", stdout=output)
    assert failure.value.returncode == 1
    assert "received_online: recount 4, summary 9" in output.getvalue()
    call_command("rebuild_summaries", stdout=StringIO())
    call_command("check_summaries", stdout=output)
    assert "equal a recount" in output.getvalue()


def test_update_summaries_once_counts_what_is_new(world: World) -> None:
    output = StringIO()
    call_command("update_summaries", stdout=output)
    assert f"{DossierEvent.objects.count()} events and 0 ratings counted." in output.getvalue()
    with pytest.raises(CommandError):
        call_command("update_summaries", "--follow", "--interval", "0")


def test_a_province_shaped_like_the_seed_figure() -> None:
    """Hòa Bình: 2,267,900 received, 2,266,703 on time, 1,197 late → 99.95 %, written as summary rows."""
    world = build_world()
    book = FlowBook()
    monthly = [(2_267_900 // 12) + (1 if month <= 2_267_900 % 12 else 0) for month in range(1, 13)]
    late = [100] * 11 + [97]
    for month, (received, lates) in enumerate(zip(monthly, late, strict=True), start=1):
        key = FlowKey(world.tree.c1.pk, world.version.sector_id, world.version.procedure_id, dt.date(2024, month, 10))
        book.add(key, "received_online", received)
        book.add(key, "resolved_early", received - lates - 1_000)
        book.add(key, "resolved_on_time", 1_000)
        book.add(key, "resolved_late", lates)
        book.add(key, "resolved_late_766", lates)
    ledger.write_flows(book)
    total = get_standard_report(world.tree.p, Period.year(2024)).total
    assert (total.received, total.resolved_early + total.resolved_on_time, total.resolved_late) == (
        2_267_900,
        2_266_703,
        1_197,
    )
    assert total.on_time_rate == Decimal("99.95")
    assert total.in_progress == 0
    progress = get_indices([world.tree.p], Period.year(2024))[world.tree.p.pk].groups[1].indicators[0]
    assert (progress.code, progress.numerator, progress.denominator) == ("progress_on_time", 2_266_703, 2_267_900)
    assert progress.score == Decimal("19.99")  # 20 × 99.947 %
