"""Who may open the officers' pages: a matrix over every page × anonymous, citizen, another agency's officer.

Anonymous visitors are sent to sign in; citizens are told the pages are for officers (403); an
officer of another agency sees their own (empty) queues but never this agency's dossier (404).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierState
from motcua.workflow.tests.factories import World, build_world, draft, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def pages(world) -> list[tuple[str, str, dict]]:
    """(method, address, data) of every back-office page, on this world's dossiers."""
    submitted = make_dossier(world, "submitted")
    counter = draft(world, channel="counter", applicant_user=None)
    return [
        ("get", reverse("backoffice:queues"), {}),
        ("get", reverse("backoffice:queue", args=["to_check"]), {}),
        ("get", reverse("backoffice:dossier", args=[submitted.pk]), {}),
        (
            "post",
            reverse("backoffice:act", args=[submitted.pk, "receive"]),
            {"receive-expected_version": submitted.lock_version},
        ),
        ("post", reverse("backoffice:attach_result", args=[submitted.pk]), {}),
        ("get", reverse("backoffice:intake"), {}),
        ("get", reverse("backoffice:intake_applicant", args=[world.offer.pk]), {}),
        ("get", reverse("backoffice:intake_documents", args=[counter.pk]), {}),
        ("post", reverse("backoffice:intake_documents", args=[counter.pk]), {"decision": "refuse", "reason": "x"}),
        ("get", reverse("backoffice:leader"), {}),
        ("post", reverse("backoffice:reassign_step", args=[submitted.pk, 1]), {}),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, world):
    for method, address, data in pages(world):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, address
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), address


def test_citizens_are_told_the_pages_are_for_officers(client, world):
    client.force_login(world.citizen)

    for method, address, data in pages(world):
        response = getattr(client, method)(address, data)
        assert response.status_code == 403, address
        assert "These pages are for officers" in response.content.decode()


def test_another_agencys_officer_never_reaches_this_agencys_dossiers(client, world):
    listed = pages(world)
    client.force_login(world.other_leader)

    for method, address, data in listed:
        response = getattr(client, method)(address, data)
        if "/ho-so/" in address or "/thu-tuc/" in address:
            assert response.status_code == 404, address
        else:
            assert response.status_code == 200, address
    assert sorted(Dossier.objects.values_list("state", flat=True)) == [DossierState.DRAFT, DossierState.SUBMITTED]


def test_another_communes_desk_sees_none_of_this_communes_dossiers_in_its_queues(client, world):
    dossier = make_dossier(world, "submitted")
    client.force_login(world.other_receiving)

    for queue in ("to_check", "to_transfer", "my_steps", "due_soon", "overdue", "paused", "with_other_agencies"):
        page = client.get(reverse("backoffice:queue", args=[queue]))
        assert dossier.code not in page.content.decode(), queue
    assert client.get(reverse("backoffice:dossier", args=[dossier.pk])).status_code == 404


def test_actions_need_the_csrf_token(world):
    dossier = make_dossier(world, "submitted")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.receiving)

    response = browser.post(
        reverse("backoffice:act", args=[dossier.pk, "receive"]), {"receive-expected_version": dossier.lock_version}
    )

    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
