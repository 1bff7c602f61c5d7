"""Returning the result from the dossier page: by post (label, tracking number) or at the counter (hand-over)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from motcua.dossiers.models import DeliveryMethod, Dossier, DossierState
from motcua.dossiers.slips.local_time import format_moment
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import POSTAL_TRACKING_NUMBER, World, build_world, make_dossier

pytestmark = pytest.mark.django_db

POST_ADDRESS = "Số 8 ngõ 3 phố Nguyễn Tất Thành, phường Thanh Miếu, tỉnh Phú Thọ"
FIELD = "return_result-postal_tracking_number"


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def by_post(world: World, state: str) -> Dossier:
    return make_dossier(world, state, delivery_method=DeliveryMethod.POST, delivery_address=POST_ADDRESS)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def slip_url(dossier: Dossier, kind: str) -> str:
    return reverse("portal:slip", args=[dossier.pk, kind])


def return_url(dossier: Dossier) -> str:
    return reverse("backoffice:act", args=[dossier.pk, "return_result"])


@pytest.mark.usefixtures("media")
def test_a_posted_result_offers_the_label_and_asks_for_the_tracking_number(client: Client, world: World) -> None:
    dossier = by_post(world, "result_ready")
    client.force_login(world.receiving)

    page = client.get(reverse("backoffice:dossier", args=[dossier.pk]))

    html = page.content.decode()
    assert slip_url(dossier, "nhan-buu-gui") in html
    assert "Print the address label" in html
    assert slip_url(dossier, "ban-giao") not in html
    assert f'name="{FIELD}"' in html
    assert POST_ADDRESS in html


@pytest.mark.usefixtures("media")
def test_returning_by_post_without_a_tracking_number_is_refused_at_the_field_and_writes_nothing(
    client: Client, world: World
) -> None:
    dossier = by_post(world, "result_ready")
    events = DossierEvent.objects.filter(dossier=dossier).count()
    client.force_login(world.receiving)

    response = client.post(return_url(dossier), {"return_result-expected_version": dossier.lock_version, FIELD: " "})

    assert response.status_code == 400
    forms = {item["action"]: item["form"] for item in response.context["actions"]}
    assert forms["return_result"].errors == {
        "postal_tracking_number": ["Give the postal tracking number of the parcel."]
    }
    assert "Give the postal tracking number of the parcel." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RESULT_READY
    assert dossier.postal_tracking_number == ""
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


@pytest.mark.usefixtures("media")
def test_a_posted_result_shows_its_tracking_number_to_the_desk_and_on_the_public_timeline(
    client: Client, world: World
) -> None:
    dossier = by_post(world, "result_ready")
    client.force_login(world.receiving)

    done = client.post(
        return_url(dossier), {"return_result-expected_version": dossier.lock_version, FIELD: "EE987654321VN"}
    )

    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.state, dossier.postal_tracking_number) == (DossierState.RETURNED, "EE987654321VN")
    page = client.get(done["Location"]).content.decode()
    assert "sent by post, tracking number EE987654321VN" in page  # the timeline
    assert "Sent by post, tracking number EE987654321VN" in page  # the dossier's facts
    assert slip_url(dossier, "nhan-buu-gui") in page  # still printable once returned
    client.logout()
    public = client.post(reverse("portal:track"), {"code": dossier.code, "lookup_secret": dossier.lookup_secret})
    assert public.status_code == 200
    assert "gửi qua bưu chính, mã vận đơn EE987654321VN" in public.content.decode()  # as citizens read it


@pytest.mark.usefixtures("media")
def test_the_label_names_sender_recipient_code_procedure_and_content(client: Client, world: World) -> None:
    dossier = by_post(world, "returned")
    client.force_login(world.receiving)

    response = client.get(slip_url(dossier, "nhan-buu-gui"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    for expected in (
        "NGƯỜI GỬI: Trung tâm Phục vụ hành chính công phường Việt Trì",
        f"NGƯỜI NHẬN: {dossier.applicant_name}",
        POST_ADDRESS,
        dossier.applicant_phone,
        f"Mã hồ sơ: {dossier.code}",
        "Thủ tục đăng ký khai sinh",
        "Kết quả giải quyết TTHC",
        f"Số hiệu bưu gửi: {POSTAL_TRACKING_NUMBER}",
    ):
        assert expected in text, expected


@pytest.mark.usefixtures("media")
def test_an_officer_of_another_agency_cannot_download_the_label(client: Client, world: World) -> None:
    dossier = by_post(world, "result_ready")

    for stranger in (world.other_receiving, world.other_leader):
        client.force_login(stranger)
        assert client.get(slip_url(dossier, "nhan-buu-gui")).status_code == 404
    client.logout()
    assert client.get(slip_url(dossier, "nhan-buu-gui")).status_code == 302  # sign in first


@pytest.mark.usefixtures("media")
def test_a_label_before_the_result_or_for_a_counter_dossier_is_explained_not_printed(
    client: Client, world: World
) -> None:
    client.force_login(world.receiving)

    early = by_post(world, "in_progress")
    assert client.get(slip_url(early, "nhan-buu-gui")).status_code == 409
    assert (
        slip_url(early, "nhan-buu-gui")
        not in client.get(reverse("backoffice:dossier", args=[early.pk])).content.decode()
    )
    counter = make_dossier(world, "result_ready", delivery_method=DeliveryMethod.COUNTER)
    assert client.get(slip_url(counter, "nhan-buu-gui")).status_code == 409


@pytest.mark.usefixtures("media")
def test_a_result_collected_at_the_counter_offers_the_handover_slip_and_no_tracking_number(
    client: Client, world: World
) -> None:
    dossier = make_dossier(world, "result_ready", delivery_method=DeliveryMethod.COUNTER)
    client.force_login(world.receiving)

    html = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()

    assert slip_url(dossier, "ban-giao") in html
    assert "Print the result handover slip" in html
    assert slip_url(dossier, "nhan-buu-gui") not in html
    assert f'name="{FIELD}"' not in html
    done = client.post(return_url(dossier), {"return_result-expected_version": dossier.lock_version})
    assert done.status_code == 302
    returned = DossierEvent.objects.get(dossier=dossier, action="return_result")
    text = text_of(client.get(slip_url(dossier, "ban-giao")).content)
    for expected in (
        "PHIẾU BÀN GIAO KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        dossier.applicant_name,
        "Thủ tục đăng ký khai sinh",
        "Giấy khai sinh",  # the procedure's result document
        f"Thời gian bàn giao: {format_moment(returned.at)}",  # the page returns it now: the time of the event
        "NGƯỜI NHẬN KẾT QUẢ",
        "NGƯỜI BÀN GIAO",
        world.receiving.get_full_name(),
    ):
        assert expected in text, expected


@pytest.mark.usefixtures("media")
def test_a_result_returned_online_offers_neither_slip(client: Client, world: World) -> None:
    dossier = make_dossier(world, "returned")
    client.force_login(world.receiving)

    html = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()

    assert slip_url(dossier, "ban-giao") not in html
    assert slip_url(dossier, "nhan-buu-gui") not in html
    assert client.get(slip_url(dossier, "ban-giao")).status_code == 409
