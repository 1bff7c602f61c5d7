"""Counter intake at the one-stop desk, end to end through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.catalog.models import Component
from motcua.dossiers.models import Dossier, DossierState
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import World, build_world

pytestmark = pytest.mark.django_db

APPLICANT = {
    "name": "Trần Văn Bình",
    "id_number": "001088004321",
    "phone": "0987654321",
    "address": "Số 5 phố Hòa Phong, phường Việt Trì",
    "delivery_method": "counter",
    "delivery_address": "",
    "token": "one-time-token-1",
}


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def desk(client, world):
    client.force_login(world.receiving)
    return client


def start(desk, world, **changes) -> Dossier:
    data = {**APPLICANT, "receiving_unit": world.tree.c1_centre.pk, "variant": world.version.variants.get().pk}
    data.update(changes)
    response = desk.post(reverse("backoffice:intake_applicant", args=[world.offer.pk]), data)
    assert response.status_code == 302, response.content.decode()
    return Dossier.objects.get(applicant_id_number=data["id_number"])


def components(world):
    return list(Component.objects.filter(version=world.version).order_by("position", "pk"))


def test_the_desk_finds_the_procedure_by_name_without_diacritics(desk, world):
    page = desk.get(reverse("backoffice:intake"), {"q": "dang ky khai sinh"})

    assert page.status_code == 200
    assert reverse("backoffice:intake_applicant", args=[world.offer.pk]) in page.content.decode()
    missed = desk.get(reverse("backoffice:intake"), {"q": "ket hon"})
    assert reverse("backoffice:intake_applicant", args=[world.offer.pk]) not in missed.content.decode()


def test_counter_intake_receives_and_links_the_receipt(desk, world):
    dossier = start(desk, world)
    assert dossier.state == DossierState.DRAFT
    assert dossier.applicant_name == "Trần Văn Bình"
    data = {"expected_version": dossier.lock_version, "decision": "receive"}
    for component in components(world):
        data[f"originals_{component.pk}"] = 1 if component.is_required else 0
        data[f"copies_{component.pk}"] = 0

    response = desk.post(reverse("backoffice:intake_documents", args=[dossier.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dossier", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED
    assert dossier.code
    assert DossierEvent.objects.filter(dossier=dossier, action="receive_at_counter").exists()
    page = desk.get(response["Location"])
    receipt = reverse("portal:slip", args=[dossier.pk, "tiep-nhan"])
    assert receipt in page.content.decode()
    pdf = desk.get(receipt)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_a_double_click_on_the_applicant_page_makes_one_draft(desk, world):
    first = start(desk, world)
    second = start(desk, world)

    assert first.pk == second.pk


def test_a_missing_required_component_refuses_reception_then_the_desk_refuses_with_the_slip(desk, world):
    dossier = start(desk, world)
    empty = {f"{kind}_{component.pk}": 0 for component in components(world) for kind in ("originals", "copies")}

    refused = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {**empty, "expected_version": dossier.lock_version, "decision": "receive"},
    )

    assert refused.status_code == 400
    assert "Required documents are missing" in refused.content.decode()
    assert "Giấy chứng sinh" in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT

    done = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {**empty, "expected_version": dossier.lock_version, "decision": "refuse", "reason": "Không đủ giấy tờ"},
    )

    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.REFUSED
    page = desk.get(done["Location"])
    assert reverse("portal:slip", args=[dossier.pk, "tu-choi"]) in page.content.decode()


def test_the_desk_asks_for_a_supplement_with_the_slip(desk, world):
    dossier = start(desk, world)

    done = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {
            "expected_version": dossier.lock_version,
            "decision": "supplement",
            "reason": "Thiếu",
            "missing": "Giấy chứng sinh",
        },
    )

    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUPPLEMENT_REQUESTED
    page = desk.get(done["Location"])
    assert reverse("portal:slip", args=[dossier.pk, "bo-sung"]) in page.content.decode()


def test_a_supplement_without_a_reason_is_shown_at_the_field(desk, world):
    dossier = start(desk, world)

    response = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {"expected_version": dossier.lock_version, "decision": "supplement", "missing": "Giấy chứng sinh"},
    )

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert "Giấy chứng sinh" in response.content.decode()


def test_bad_applicant_details_are_shown_at_each_field_and_kept(desk, world):
    response = desk.post(
        reverse("backoffice:intake_applicant", args=[world.offer.pk]),
        {
            **APPLICANT,
            "id_number": "12",
            "phone": "abc",
            "delivery_method": "post",
            "receiving_unit": world.tree.c1_centre.pk,
            "variant": world.version.variants.get().pk,
        },
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"id_number", "phone", "delivery_address"}
    assert "Trần Văn Bình" in response.content.decode()
    assert not Dossier.objects.exists()


def test_another_provinces_desk_cannot_take_this_procedure(client, world):
    client.force_login(world.other_leader)

    assert client.get(reverse("backoffice:intake_applicant", args=[world.offer.pk])).status_code == 404
