"""Counter intake at the one-stop desk, end to end through the pages."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Component
from motcua.dossiers.models import Attachment, AttachmentPurpose, Dossier, DossierState
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import PDF, World, build_world

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


# Scans of the papers handed over ----------------------------------------------------------------


def scan(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ticked(world, **counts):
    """Originals ticked for every required component, and nothing else, plus ``counts``."""
    data = {}
    for component in components(world):
        data[f"originals_{component.pk}"] = 1 if component.is_required else 0
        data[f"copies_{component.pk}"] = 0
    return {**data, **counts}


@pytest.fixture
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_check_page_takes_several_scans_per_document(desk, world):
    dossier = start(desk, world)

    html = desk.get(reverse("backoffice:intake_documents", args=[dossier.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in html
    for component in components(world):
        assert f'name="scans_{component.pk}"' in html
    assert html.count(" multiple") >= len(components(world))


@pytest.mark.usefixtures("media")
def test_a_pdf_scan_is_kept_with_its_fingerprint_when_the_dossier_is_received(desk, world):
    dossier = start(desk, world)
    first = components(world)[0]

    response = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {
            **ticked(world),
            "expected_version": dossier.lock_version,
            "decision": "receive",
            f"scans_{first.pk}": [scan("to-khai.pdf"), scan("to-khai-trang-2.pdf")],
        },
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED
    scans = list(Attachment.objects.filter(dossier=dossier).order_by("pk"))
    assert [(item.original_name, item.component_id, item.purpose) for item in scans] == [
        ("to-khai.pdf", first.pk, AttachmentPurpose.SCAN),
        ("to-khai-trang-2.pdf", first.pk, AttachmentPurpose.SCAN),
    ]
    assert {item.sha256 for item in scans} == {hashlib.sha256(PDF).hexdigest()}
    assert all(item.uploaded_by_id == world.receiving.pk for item in scans)
    event = DossierEvent.objects.get(dossier=dossier, action="attach_scans")
    assert event.changes["scans"][0] == {"component": first.pk, "name": "to-khai.pdf", "sha256": scans[0].sha256}
    page = desk.get(response["Location"]).content.decode()
    assert reverse("portal:attachment", args=[dossier.pk, scans[0].pk]) in page
    assert "to-khai-trang-2.pdf" in page


@pytest.mark.usefixtures("media")
def test_a_scan_of_a_required_document_counts_as_handed_over(desk, world):
    dossier = start(desk, world)
    required = [component for component in components(world) if component.is_required]
    nothing_ticked = {f"{kind}_{c.pk}": 0 for c in components(world) for kind in ("originals", "copies")}

    response = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {
            **nothing_ticked,
            "expected_version": dossier.lock_version,
            "decision": "receive",
            **{f"scans_{c.pk}": scan(f"giay-{c.pk}.pdf") for c in required},
        },
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED


@pytest.mark.usefixtures("media")
def test_a_file_lying_about_its_type_is_refused_at_its_document_and_the_counts_are_kept(desk, world):
    dossier = start(desk, world)
    first, second = components(world)[:2]

    response = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {
            **ticked(world, **{f"copies_{second.pk}": 3}),
            "expected_version": dossier.lock_version,
            "decision": "receive",
            f"scans_{first.pk}": scan("giay-chung-sinh.pdf", b"MZ\x90\x00\x03 a program, not a scan"),
            f"scans_{second.pk}": scan("ban-sao.pdf"),
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [f"scans_{first.pk}"]
    assert "giay-chung-sinh.pdf: This kind of file is not accepted" in form.errors[f"scans_{first.pk}"][0]
    html = response.content.decode()
    assert "This kind of file is not accepted" in html
    assert f'name="copies_{second.pk}" value="3"' in html  # what was typed is still there
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT  # no decision while a file is refused
    kept = Attachment.objects.get(dossier=dossier)
    assert (kept.original_name, kept.component_id) == ("ban-sao.pdf", second.pk)
    assert "ban-sao.pdf" in html  # listed, so that it is not sent twice

    again = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {**ticked(world), "expected_version": response.context["version"], "decision": "receive"},
    )

    assert again.status_code == 302  # the page carried the version after its own scans
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED
    assert Attachment.objects.filter(dossier=dossier).count() == 1


@pytest.mark.usefixtures("media")
def test_scans_stay_on_the_draft_when_the_decision_is_refused(desk, world):
    dossier = start(desk, world)
    optional = next(component for component in components(world) if not component.is_required)
    nothing_ticked = {f"{kind}_{c.pk}": 0 for c in components(world) for kind in ("originals", "copies")}

    refused = desk.post(
        reverse("backoffice:intake_documents", args=[dossier.pk]),
        {
            **nothing_ticked,
            "expected_version": dossier.lock_version,
            "decision": "receive",
            f"scans_{optional.pk}": scan("giay-ket-hon.pdf"),
        },
    )

    assert refused.status_code == 400
    assert "Required documents are missing" in refused.content.decode()
    assert "giay-ket-hon.pdf" in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
    assert Attachment.objects.filter(dossier=dossier, component=optional).count() == 1
    assert refused.context["version"] == dossier.lock_version


@pytest.mark.usefixtures("media")
def test_an_officer_of_another_agency_cannot_post_scans(client, world):
    client.force_login(world.receiving)
    dossier = start(client, world)
    first = components(world)[0]

    for stranger in (world.other_receiving, world.other_leader):
        client.force_login(stranger)
        response = client.post(
            reverse("backoffice:intake_documents", args=[dossier.pk]),
            {
                **ticked(world),
                "expected_version": dossier.lock_version,
                "decision": "receive",
                f"scans_{first.pk}": scan("to-khai.pdf"),
            },
        )
        assert response.status_code == 404

    assert not Attachment.objects.filter(dossier=dossier).exists()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
