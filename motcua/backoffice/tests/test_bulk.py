"""The desk ticks several received dossiers in its queue and hands them to processing at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierState
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import MONDAY, build_world, make_dossier

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:transfer_selected")


def ticked(*dossiers: Dossier) -> dict[str, list[str]]:
    return {"dossier": [f"{d.pk}:{d.lock_version}" for d in dossiers]}


def messages_of(response) -> str:
    return " | ".join(str(message) for message in response.context["messages"])


def test_the_desk_transfers_the_ticked_dossiers_and_is_told_which_did_not_go(client) -> None:
    world = build_world()
    first, second, third = (make_dossier(world, "received", now=MONDAY) for _ in range(3))
    client.force_login(world.receiving)
    page = client.get(reverse("backoffice:queue", args=["to_transfer"])).content.decode()
    assert f'value="{first.pk}:{first.lock_version}"' in page and "Transfer the chosen dossiers" in page
    Dossier.objects.filter(pk=third.pk).update(lock_version=third.lock_version + 1)  # someone acted meanwhile

    response = client.post(URL, ticked(first, second, third), follow=True)

    assert response.redirect_chain[-1][0] == reverse("backoffice:queue", args=["to_transfer"])
    said = messages_of(response)
    assert f"Transferred to processing (2): {first.code}, {second.code}." in said
    assert f"{third.code} was not transferred: This dossier has changed since you opened it" in said
    states = dict(Dossier.objects.values_list("pk", "state"))
    assert states[first.pk] == states[second.pk] == DossierState.IN_PROGRESS
    assert states[third.pk] == DossierState.RECEIVED
    assert DossierEvent.objects.filter(action="transfer").count() == 2


def test_nothing_ticked_a_forged_value_or_someone_elses_dossier_is_refused_in_words(client) -> None:
    world = build_world()
    dossier = make_dossier(world, "received", now=MONDAY)
    client.force_login(world.receiving)
    assert "Tick at least one dossier." in messages_of(client.post(URL, {}, follow=True))
    assert "Tick at least one dossier." in messages_of(client.post(URL, {"dossier": ["1;DROP"]}, follow=True))
    missing = client.post(URL, {"dossier": ["999999:0"]}, follow=True)
    assert "Dossier no. 999999 is not one you can see." in messages_of(missing)

    client.force_login(world.specialist)  # may read it, may not receive or transfer
    refused = client.post(URL, ticked(dossier), follow=True)
    assert f"{dossier.code} was not transferred" in messages_of(refused)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RECEIVED
    assert client.get(URL).status_code == 405
