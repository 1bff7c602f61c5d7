"""The demo loader: whole province, one account per role, idempotent, never without DEBUG."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from motcua.accounts.models import StaffRole, User
from motcua.accounts.permissions import Capability, can
from motcua.agencies.models import Agency, AgencyKind
from motcua.demo import data
from motcua.demo.dossiers import KEY_PREFIX, PROCEDURES
from motcua.demo.loader import load_demo
from motcua.dossiers.models import Dossier
from motcua.reports.checks import check_summaries
from motcua.reports.models import ImportedDossier
from motcua.workflow.events import verify_chain
from motcua.workflow.models import DossierEvent


@pytest.mark.django_db
def test_demo_refuses_to_run_when_debug_is_off() -> None:
    with override_settings(DEBUG=False), pytest.raises(ImproperlyConfigured):
        load_demo(verbosity=0)
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_loads_one_province_with_staff_and_a_second_run_adds_nothing() -> None:
    first = load_demo(verbosity=0)
    assert first.created
    counts = (Agency.objects.count(), User.objects.count(), StaffRole.objects.count())
    second = load_demo(verbosity=0)
    assert second.created == []
    assert (Agency.objects.count(), User.objects.count(), StaffRole.objects.count()) == counts

    assert Agency.objects.filter(kind=AgencyKind.PROVINCE).count() == 1
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() == 148  # Phú Thọ after 2025
    assert set(User.objects.values_list("username", flat=True)) == {a.username for a in data.DEMO_ACCOUNTS}

    receiving = User.objects.get(username="tiepnhan")
    centre = Agency.objects.get(parent__division_code="07900", kind=AgencyKind.SERVICE_CENTRE)
    other_centre = Agency.objects.get(parent__division_code="08515", kind=AgencyKind.SERVICE_CENTRE)
    assert can(receiving, Capability.RECEIVE, centre)
    assert not can(receiving, Capability.RECEIVE, other_centre)
    inspector = User.objects.get(username="thanhtra")
    assert can(inspector, Capability.READ, other_centre)
    assert not can(inspector, Capability.APPROVE, other_centre)


def _records(tmp_path: Path, codes: tuple[str, ...]) -> list[Path]:
    """The shipped national records of ``codes`` only, as a file in the shipped format."""
    shipped = Path(__file__).resolve().parents[3] / "data" / "tthc" / "dvcqg-ministries-2026.jsonl.gz"
    with gzip.open(shipped, "rt", encoding="utf-8") as source:
        lines = [line for line in source if json.loads(line)["ma_thu_tuc"] in codes]
    target = tmp_path / "few.jsonl.gz"
    with gzip.open(target, "wt", encoding="utf-8") as sink:
        sink.writelines(lines)
    return [target]


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_has_live_dossiers_at_every_stage_and_past_years_in_the_statistics(tmp_path: Path) -> None:
    load_demo(verbosity=0, catalogue_paths=_records(tmp_path, PROCEDURES))
    live = Dossier.objects.filter(idempotency_key__startswith=KEY_PREFIX)
    states = Counter(live.values_list("state", flat=True))
    assert states == {
        "submitted": 2,
        "received": 1,
        "in_progress": 4,  # one on each step, one overdue
        "supplement_requested": 1,
        "with_other_agencies": 1,
        "paused": 1,
        "result_ready": 1,
        "returned": 2,
        "refused": 1,
    }
    overdue = live.get(idempotency_key=KEY_PREFIX + "10")
    assert overdue.legal_due_at is not None and overdue.legal_due_at < timezone.now()
    citizen = User.objects.get(username="congdan")
    assert live.filter(applicant=citizen).count() == 8  # the online ones are the demo citizen's
    assert ImportedDossier.objects.exists()
    assert check_summaries() == []
    for dossier in live:
        assert verify_chain(dossier, DossierEvent.objects.filter(dossier=dossier).order_by("seq")) == []
    again = load_demo(verbosity=0, catalogue_paths=_records(tmp_path, PROCEDURES))
    assert again.created == []
    assert live.count() == 14
