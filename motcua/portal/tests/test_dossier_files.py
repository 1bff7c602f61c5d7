"""Files and slips of a dossier are downloaded only by those who may see it."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from motcua.accounts.tests.factories import make_citizen
from motcua.dossiers.attachments import store_attachment
from motcua.workflow.tests.factories import PDF, build_world, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.usefixtures("media")
def test_the_owner_and_the_desk_download_strangers_get_not_found(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "received")
    file = dossier.attachments.first()
    assert file is not None
    url = reverse("portal:attachment", args=[dossier.pk, file.pk])
    receipt = reverse("portal:slip", args=[dossier.pk, "tiep-nhan"])

    assert client.get(url).status_code == 302  # sign in first
    client.force_login(world.citizen)
    assert client.get(url).getvalue() == PDF
    response = client.get(receipt)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    client.force_login(world.receiving)
    assert client.get(url).status_code == 200
    for stranger in (make_citizen("001099099999", phone="0987654321", email="k@example.vn"), world.other_receiving):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.get(receipt).status_code == 404


@pytest.mark.usefixtures("media")
def test_a_tampered_file_is_not_served_and_an_unreached_slip_is_explained(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "submitted")
    file = store_attachment(dossier=dossier, handle=io.BytesIO(PDF), name="them.pdf")
    with default_storage.open(str(file.file.name), "wb") as handle:
        handle.write(b"%PDF-1.7 changed")
    client.force_login(world.citizen)
    response = client.get(reverse("portal:attachment", args=[dossier.pk, file.pk]))
    assert response.status_code == 409
    response = client.get(reverse("portal:slip", args=[dossier.pk, "tiep-nhan"]))
    assert response.status_code == 409
    assert client.get(reverse("portal:slip", args=[dossier.pk, "khong-co"])).status_code == 404
