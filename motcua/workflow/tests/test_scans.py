"""Scans of the papers at the counter: who attaches them, when, and what is recorded."""

from __future__ import annotations

import hashlib
import io

import pytest

from motcua.catalog.channels import Channel
from motcua.catalog.models import Component
from motcua.dossiers.models import Attachment, AttachmentPurpose
from motcua.workflow import services
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import MONDAY, PDF, build_world, draft, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def scan_for(component: Component, name: str = "to-khai.pdf", content: bytes = PDF) -> services.Scan:
    return services.Scan(component.pk, io.BytesIO(content), name)


def test_the_scans_kept_are_one_event_with_their_fingerprints_and_the_refused_are_reported() -> None:
    world = build_world()
    dossier = draft(world, channel=Channel.COUNTER, applicant_user=None)
    first = Component.objects.filter(version=world.version).order_by("position", "pk").first()
    assert first is not None

    done = services.attach_scans(
        dossier_id=dossier.pk,
        user=world.receiving,
        scans=[scan_for(first), scan_for(first, "anh.png", PDF)],
        expected_version=dossier.lock_version,
        now=MONDAY,
    )

    assert [item.original_name for item in done.stored] == ["to-khai.pdf"]
    assert list(done.refused) == [first.pk]
    assert done.refused[first.pk][0].startswith("anh.png: ")
    assert done.dossier.lock_version == dossier.lock_version + 1
    kept = Attachment.objects.get(dossier=dossier)
    assert (kept.purpose, kept.sha256) == (AttachmentPurpose.SCAN, hashlib.sha256(PDF).hexdigest())
    event = DossierEvent.objects.get(dossier=dossier, action="attach_scans")
    assert (event.at, event.actor_id, event.from_state, event.to_state) == (
        MONDAY,
        world.receiving.pk,
        "draft",
        "draft",
    )
    assert event.changes == {"scans": [{"component": first.pk, "name": "to-khai.pdf", "sha256": kept.sha256}]}


def test_a_batch_of_which_nothing_is_kept_records_nothing() -> None:
    world = build_world()
    dossier = draft(world, channel=Channel.COUNTER, applicant_user=None)
    first = Component.objects.filter(version=world.version).first()
    assert first is not None

    done = services.attach_scans(
        dossier_id=dossier.pk, user=world.receiving, scans=[scan_for(first, "rong.pdf", b"")], now=MONDAY
    )

    assert done.stored == [] and done.refused[first.pk]
    assert done.dossier.lock_version == dossier.lock_version
    assert not DossierEvent.objects.filter(dossier=dossier, action="attach_scans").exists()


def test_only_the_desk_attaches_scans_and_only_to_a_counter_draft() -> None:
    world = build_world()
    dossier = draft(world, channel=Channel.COUNTER, applicant_user=None)
    first = Component.objects.filter(version=world.version).first()
    assert first is not None

    with pytest.raises(services.NotAllowed):
        services.attach_scans(dossier_id=dossier.pk, user=world.specialist, scans=[scan_for(first)])
    online = make_dossier(world, "draft")
    with pytest.raises(services.TransitionRefused):
        services.attach_scans(dossier_id=online.pk, user=world.receiving, scans=[scan_for(first)])
    received = make_dossier(world, "received")
    with pytest.raises(services.TransitionRefused):
        services.attach_scans(dossier_id=received.pk, user=world.receiving, scans=[scan_for(first)])
    assert not Attachment.objects.filter(purpose=AttachmentPurpose.SCAN).exists()
