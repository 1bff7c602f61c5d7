"""The citizen's journey through the test client: apply online, follow, supplement, stop, rate, pay, register."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from motcua.accounts.models import User
from motcua.accounts.tests.factories import make_citizen
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.models import Component
from motcua.catalog.tests.factories import channel
from motcua.core.tests.english import english_client
from motcua.dossiers.models import Attachment, Dossier, DossierState
from motcua.feedback.models import Rating
from motcua.portal import payments
from motcua.workflow import services
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import PDF, World, build_world, draft, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return english_client()


def pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def start(client: Client, world: World) -> Dossier:
    url = reverse("portal:apply", args=[world.version.procedure.code, world.offer.pk])
    page = client.get(url)
    assert "Where do you want to lodge your dossier?" in page.content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', page.content.decode())
    assert key is not None
    response = client.post(url, {"unit": world.tree.c1_centre.pk, "key": key.group(1)})
    again = client.post(url, {"unit": world.tree.c1_centre.pk, "key": key.group(1)})  # a double click
    assert response.status_code == again.status_code == 302
    assert Dossier.objects.filter(applicant=world.citizen).count() == 1
    return Dossier.objects.get(applicant=world.citizen)


def test_a_citizen_applies_online_page_by_page_and_gets_the_code_and_receipt(client: Client) -> None:
    world = build_world()
    client.force_login(world.citizen)
    procedure_page = client.get(reverse("portal:procedure", args=[world.version.procedure.code]))
    assert (
        reverse("portal:apply", args=[world.version.procedure.code, world.offer.pk]) in procedure_page.content.decode()
    )

    dossier = start(client, world)
    assert dossier.state == DossierState.DRAFT
    # One case only: the case page is skipped, and the applicant page comes prefilled.
    page = client.get(reverse("portal:apply_variant", args=[dossier.pk]), follow=True)
    assert "Nguyễn Thị Lan" in page.content.decode() and "001099012345" in page.content.decode()
    bad = client.post(
        reverse("portal:apply_applicant", args=[dossier.pk]), {"name": "Nguyễn Thị Lan", "id_number": "12ab"}
    )
    html = bad.content.decode()
    assert 'class="error-summary"' in html and "has 12 digits" in html and 'value="12ab"' in html
    client.post(
        reverse("portal:apply_applicant", args=[dossier.pk]),
        {"name": "Nguyễn Thị Lan", "id_number": "001099012345", "address": "Số 2 Hùng Vương", "phone": "0912345678"},
    )
    dossier.refresh_from_db()
    assert dossier.applicant_address == "Số 2 Hùng Vương"

    required = list(Component.objects.filter(version=world.version, is_required=True))
    refused = client.post(
        reverse("portal:upload", args=[dossier.pk, required[0].pk]),
        {"file": SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")},
        headers={"HX-Request": "true"},
    )
    assert "This kind of file is not accepted" in refused.content.decode()
    for component in required:
        row = client.post(
            reverse("portal:upload", args=[dossier.pk, component.pk]), {"file": pdf()}, headers={"HX-Request": "true"}
        )
        assert "to-khai.pdf" in row.content.decode()
    assert Attachment.objects.filter(dossier=dossier).count() == len(required)

    no_address = client.post(reverse("portal:apply_delivery", args=[dossier.pk]), {"method": "post", "address": ""})
    assert "Enter the address the result should be posted to." in no_address.content.decode()
    client.post(reverse("portal:apply_delivery", args=[dossier.pk]), {"method": "post", "address": "Số 9 Lê Lợi"})

    check = client.get(reverse("portal:apply_check", args=[dossier.pk])).content.decode()
    assert "Check your answers" in check and "Số 9 Lê Lợi" in check and "Free" in check
    key = re.search(r'name="key" value="([0-9a-f]+)"', check)
    assert key is not None
    first = client.post(reverse("portal:apply_check", args=[dossier.pk]), {"key": key.group(1)}, follow=True)
    retry = client.post(reverse("portal:apply_check", args=[dossier.pk]), {"key": key.group(1)}, follow=True)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED and dossier.code
    for response in (first, retry):
        html = response.content.decode()
        assert dossier.code in html and dossier.lookup_secret in html
        assert "The receipt (PDF, with its QR code) appears" in html
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    services.receive(dossier_id=dossier.pk, user=world.receiving)
    confirmation = client.get(reverse("portal:apply_done", args=[dossier.pk])).content.decode()
    assert reverse("portal:slip", args=[dossier.pk, "tiep-nhan"]) in confirmation
    receipt = client.get(reverse("portal:slip", args=[dossier.pk, "tiep-nhan"]))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_a_draft_cannot_be_sent_without_the_required_documents_and_is_continued_later(client: Client) -> None:
    world = build_world()
    client.force_login(world.citizen)
    dossier = start(client, world)
    listing = client.get(reverse("portal:my_dossiers")).content.decode()
    assert "Continue the draft" in listing and reverse("portal:apply_documents", args=[dossier.pk]) in listing
    check = client.get(reverse("portal:apply_check", args=[dossier.pk])).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', check)
    assert key is not None
    response = client.post(reverse("portal:apply_check", args=[dossier.pk]), {"key": key.group(1)})
    assert "These documents are required and not attached" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


def test_my_dossiers_costs_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries) -> None:
    world = build_world()
    for _ in range(25):
        draft(world)
    client.force_login(world.citizen)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("portal:my_dossiers"))
    assert page.content.decode().count("Continue the draft") == 20
    assert "?trang=2" in page.content.decode()
    with django_assert_max_num_queries(10):
        second = client.get(reverse("portal:my_dossiers") + "?trang=2")
    assert second.content.decode().count("Continue the draft") == 5


def test_the_citizen_answers_a_supplement_request_online(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "supplement_requested")
    client.force_login(world.citizen)
    page = client.get(reverse("portal:my_dossier", args=[dossier.pk])).content.decode()
    assert "Ảnh chụp mờ" in page and "Send the documents to the agency" in page
    component = Component.objects.filter(version=world.version, is_required=True).first()
    assert component is not None
    refused = client.post(reverse("portal:upload", args=[dossier.pk, component.pk]), {"file": pdf("anh.png")})
    assert refused.status_code == 422 and "content is PDF" in refused.content.decode()
    client.post(reverse("portal:upload", args=[dossier.pk, component.pk]), {"file": pdf("giay-chung-sinh.pdf")})
    assert Attachment.objects.filter(dossier=dossier, purpose="supplement").count() == 1
    client.post(reverse("portal:send_supplement", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    assert DossierEvent.objects.filter(dossier=dossier, action="provide_supplement").exists()


def test_the_citizen_asks_to_stop_with_a_reason(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    client.force_login(world.citizen)
    assert "Ask to stop the procedure" in client.get(reverse("portal:my_dossier", args=[dossier.pk])).content.decode()
    empty = client.post(reverse("portal:stop", args=[dossier.pk]), {"reason": ""})
    assert "Say why you want to stop the procedure." in empty.content.decode()
    client.post(reverse("portal:stop", args=[dossier.pk]), {"reason": "Đã chuyển nơi ở"})
    dossier.refresh_from_db()
    assert dossier.state == DossierState.STOPPED
    assert DossierEvent.objects.get(dossier=dossier, action="stop").reason == "Đã chuyển nơi ở"


def test_the_result_returned_online_is_downloaded_and_rated_once(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")
    client.force_login(world.citizen)
    page = client.get(reverse("portal:my_dossier", args=[dossier.pk])).content.decode()
    result = Attachment.objects.get(dossier=dossier, purpose="result")
    assert reverse("portal:attachment", args=[dossier.pk, result.pk]) in page
    assert client.get(reverse("portal:attachment", args=[dossier.pk, result.pk])).getvalue() == PDF
    incomplete = client.post(
        reverse("portal:rate", args=[dossier.pk]), {"agencies_contacted": "1", "contacts_needed": "1"}
    )
    assert "Choose one of the three answers." in incomplete.content.decode()
    answers = {
        "timeliness": "3", "procedure_accuracy": "3", "staff_attitude": "2", "result_lawfulness": "3",
        "online_service": "3", "agencies_contacted": "1", "contacts_needed": "1", "comment": "Nhanh gọn",
    }  # fmt: skip
    client.post(reverse("portal:rate", args=[dossier.pk]), answers)
    rating = Rating.objects.get(dossier=dossier)
    assert rating.comment == "Nhanh gọn" and rating.staff_attitude == 2
    again = client.get(reverse("portal:rate", args=[dossier.pk])).content.decode()
    assert "cannot be rated now" in again
    client.post(reverse("portal:rate", args=[dossier.pk]), answers)
    assert Rating.objects.filter(dossier=dossier).count() == 1


def test_registration_keeps_what_was_typed_and_signs_in(client: Client) -> None:
    data = {
        "personal_id": "001099012345", "full_name": "Trần Văn Nam", "date_of_birth": "02/03/1999",
        "phone": "0912000111", "email": "nam@example.vn", "password": "mot-cau-dai-de-nho", "password_again": "khac",
    }  # fmt: skip
    mismatch = client.post(reverse("portal:register"), data).content.decode()
    assert "The two passwords are not the same." in mismatch and 'value="Trần Văn Nam"' in mismatch
    wrong_birth = client.post(
        reverse("portal:register"), {**data, "password_again": data["password"], "date_of_birth": "02/03/1985"}
    ).content.decode()
    assert 'class="error-summary"' in wrong_birth and 'href="#id_personal_id"' in wrong_birth
    done = client.post(reverse("portal:register"), {**data, "password_again": data["password"]}, follow=True)
    assert "Your account is ready" in done.content.decode()
    assert User.objects.get(personal_id="001099012345").full_name == "Trần Văn Nam"
    assert "_auth_user_id" in client.session


def paying_world() -> World:
    fee = (FeeItem(50_000, kind="Lệ phí"),)
    world = build_world()
    from motcua.catalog.tests.factories import make_procedure, offer

    version = make_procedure(
        "1.000001",
        channels=(channel(fees=fee, fee_text="50.000 đồng"), channel(Channel.ONLINE, fees=fee, fee_text="50.000")),
    )
    configuration, _ = offer(
        version,
        agency=world.tree.c1,
        department=world.office,
        offers_online_payment=True,
        requires_payment_before_submission=True,
    )
    return World(**{**world.__dict__, "version": version, "offer": configuration})


def test_fees_are_paid_in_the_sandbox_before_submission_and_a_repeated_callback_changes_nothing(client: Client) -> None:
    world = paying_world()
    client.force_login(world.citizen)
    dossier = start(client, world)
    for component in Component.objects.filter(version=world.version, is_required=True):
        client.post(reverse("portal:upload", args=[dossier.pk, component.pk]), {"file": pdf()})
    check = client.get(reverse("portal:apply_check", args=[dossier.pk])).content.decode()
    assert "asks for the fees before the dossier is sent" in check and "Send my dossier" not in check

    bank = client.post(reverse("portal:pay", args=[dossier.pk]))
    assert bank.status_code == 302 and reverse("portal:sandbox_bank") in bank["Location"]
    assert "50000" in client.get(bank["Location"]).content.decode()
    cancelled = client.post(bank["Location"], {"choice": "cancelled"}, follow=True)
    assert "You cancelled the payment" in cancelled.content.decode()
    dossier.refresh_from_db()
    assert dossier.fees_paid == 0

    late = client.post(bank["Location"], {"choice": "late"}).content.decode()
    message = re.search(r'name="message" value="([^"]+)"', late)
    assert message is not None
    back = client.get(reverse("portal:payment_return", args=[dossier.pk]), follow=True)
    assert "has not confirmed your payment yet" in back.content.decode()
    bank_server = Client()  # the provider's server: no session, no CSRF token
    assert bank_server.post(reverse("portal:payment_callback"), {"message": message.group(1)}).status_code == 200
    assert bank_server.post(reverse("portal:payment_callback"), {"message": message.group(1)}).status_code == 200
    assert bank_server.post(reverse("portal:payment_callback"), {"message": "forged"}).status_code == 400
    dossier.refresh_from_db()
    assert dossier.fees_paid == 50_000 and dossier.fees_outstanding == 0
    assert DossierEvent.objects.filter(dossier=dossier, action="record_payment").count() == 1

    check = client.get(reverse("portal:apply_check", args=[dossier.pk])).content.decode()
    assert "Send my dossier" in check


def test_reconciling_a_provider_result_is_idempotent_on_its_reference() -> None:
    world = paying_world()
    dossier = draft(world, agency_procedure=world.offer, variant=world.version.variants.get(is_default=True))
    result = payments.PaymentResult(dossier.pk, 50_000, "BANK-1", payments.Outcome.PAID)
    payments.reconcile(result)
    payments.reconcile(result)
    assert payments.reconcile(payments.PaymentResult(dossier.pk, 50_000, "BANK-2", payments.Outcome.FAILED)) is None
    dossier.refresh_from_db()
    assert dossier.fees_paid == 50_000 and list(dossier.form_answers["payments"]) == ["BANK-1"]


def test_another_citizen_and_staff_get_not_found_on_every_page(client: Client) -> None:
    world = build_world()
    drafted = draft(world)
    supplementing = make_dossier(world, "supplement_requested")
    returned = make_dossier(world, "returned")
    component = Component.objects.filter(version=world.version).first()
    assert component is not None
    pages = [
        ("get", reverse(name, args=[drafted.pk]))
        for name in ("portal:apply_unit", "portal:apply_variant", "portal:apply_applicant", "portal:apply_documents",
                     "portal:apply_delivery", "portal:apply_check", "portal:apply_done")
    ] + [
        ("post", reverse("portal:upload", args=[drafted.pk, component.pk])),
        ("post", reverse("portal:upload", args=[supplementing.pk, component.pk])),
        ("post", reverse("portal:send_supplement", args=[supplementing.pk])),
        ("get", reverse("portal:my_dossier", args=[returned.pk])),
        ("get", reverse("portal:stop", args=[supplementing.pk])),
        ("get", reverse("portal:rate", args=[returned.pk])),
        ("post", reverse("portal:pay", args=[drafted.pk])),
        ("get", reverse("portal:payment_return", args=[drafted.pk])),
    ]  # fmt: skip
    stranger = make_citizen("001099099999", phone="0987654321", email="k@example.vn")
    for who in (stranger, world.receiving):
        client.force_login(who)
        for method, url in pages:
            response = getattr(client, method)(url, {"file": pdf()} if method == "post" else None)
            assert response.status_code == 404, (who, url)
    client.logout()
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 302, url  # sign in first
    assert Attachment.objects.filter(uploaded_by=stranger).count() == 0
    assert Dossier.objects.get(pk=supplementing.pk).state == DossierState.SUPPLEMENT_REQUESTED


def test_forms_are_csrf_protected() -> None:
    world = build_world()
    dossier = draft(world)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.citizen)
    response = browser.post(
        reverse("portal:apply_applicant", args=[dossier.pk]), {"name": "X", "id_number": "001099012345"}
    )
    assert response.status_code == 403
    assert browser.post(reverse("portal:register"), {}).status_code == 403
