"""The demo's past years: imported through the real import, the same every time, once."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.reports.checks import check_summaries
from motcua.reports.demo import load_history
from motcua.reports.models import ImportBatch, ImportedDossier
from motcua.reports.periods import Period
from motcua.reports.standard_report import get_standard_report
from motcua.workflow.tests.factories import build_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 20)


def test_the_demo_history_is_imported_once_and_counts_in_the_reports() -> None:
    world = build_world()
    loaded = load_history(world.tree.p, [world.tree.c1], years=1, today=TODAY)
    assert loaded == ImportedDossier.objects.count() > 1_000
    assert load_history(world.tree.p, [world.tree.c1], years=1, today=TODAY) == 0
    # Only the ward has an identifier code and an offer; its code is valid from 01/07/2025.
    assert set(ImportedDossier.objects.values_list("agency_id", flat=True)) == {world.tree.c1.pk}
    first = ImportedDossier.objects.order_by("received_at").first()
    assert first is not None and first.received_at.date() >= dt.date(2025, 7, 1)
    assert check_summaries() == []
    report = get_standard_report(world.tree.p, Period(dt.date(2025, 7, 1), TODAY - dt.timedelta(days=1))).total
    assert report.received == loaded
    assert 90 < (report.on_time_rate or 0) < 100
    assert report.in_progress > 0 and report.refused > 0 and report.received_online > 0


def test_the_same_history_every_time() -> None:
    world = build_world()
    load_history(world.tree.p, [world.tree.c1], years=1, today=TODAY)
    first = list(ImportedDossier.objects.order_by("code").values_list("code", "received_at", "status", "rating")[:50])
    ImportedDossier.objects.all().delete()
    ImportBatch.objects.all().delete()
    load_history(world.tree.p, [world.tree.c1], years=1, today=TODAY)
    assert (
        list(ImportedDossier.objects.order_by("code").values_list("code", "received_at", "status", "rating")[:50])
        == first
    )
