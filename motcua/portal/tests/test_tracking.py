"""The public tracking page: the receipt's two codes open the dossier, nothing else does."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.workflow.tests.factories import build_world, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_counted_failures() -> None:
    cache.clear()


def look_up(client: Client, code: str, secret: str, address: str = "203.0.113.7"):
    return client.post(reverse("portal:track"), {"code": code, "lookup_secret": secret}, REMOTE_ADDR=address)


def test_the_link_on_the_receipt_asks_for_the_lookup_code_and_shows_nothing_yet(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "received")
    page = client.get(f"/tra-cuu/{dossier.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'value="{dossier.code}"' in text  # the code comes from the QR link
    assert "Mã tra cứu" in text
    assert dossier.applicant_name not in text and dossier.procedure_version.name not in text


def test_both_codes_show_the_status_appointment_and_a_timeline_without_officers_names(client: Client) -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "in_progress")
    # The citizen types the lookup code in lower case with a space: still found.
    secret = dossier.lookup_secret.lower()
    page = look_up(client, f" {dossier.code} ", f"{secret[:3]} {secret[3:]}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tình trạng: Đang xử lý" in text
    assert dossier.procedure_version.name in text
    assert dossier.appointment_at is not None
    assert "16/03/2026" in text  # received Monday 09/03 + 5 working days
    assert world.receiving.full_name not in text  # the desk officer stays anonymous
    assert page.headers["Cache-Control"].startswith("max-age=0")


def test_no_officer_is_named_even_for_events_outside_the_transitions_table(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")  # the leader attached the result (an event without a role)
    text = look_up(client, dossier.code or "", dossier.lookup_secret).content.decode()
    assert "Tình trạng: Đã trả kết quả" in text
    for officer in (world.receiving, world.specialist, world.head, world.leader):
        assert officer.full_name not in text
    assert world.citizen.full_name in text  # the applicant's own steps keep the name


def test_a_pending_supplement_says_what_is_missing(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "supplement_requested")
    text = look_up(client, dossier.code or "", dossier.lookup_secret).content.decode()
    assert "Ảnh chụp mờ" in text


def test_a_wrong_lookup_code_and_an_unknown_dossier_get_the_same_answer(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "received")
    wrong_secret = look_up(client, dossier.code or "", "ZZZZZZZZ")
    unknown = look_up(client, "000.01.25.H25-260309-9999", dossier.lookup_secret)
    assert wrong_secret.status_code == unknown.status_code == 200
    for page in (wrong_secret, unknown):
        text = page.content.decode()
        assert "Không tìm thấy hồ sơ" in text
        assert dossier.procedure_version.name not in text and dossier.applicant_name not in text
    # What was typed stays in the form.
    assert 'value="000.01.25.H25-260309-9999"' in unknown.content.decode()


def test_empty_fields_are_named_in_vietnamese(client: Client) -> None:
    page = client.post(reverse("portal:track"), {"code": "", "lookup_secret": ""})
    assert page.status_code == 200
    text = page.content.decode()
    # Each field's error stands in the summary at the top (linked to the field) and under the field.
    assert text.count("Trường này là bắt buộc") == 4
    assert 'href="#id_code">Mã hồ sơ</a>' in text and 'href="#id_lookup_secret">Mã tra cứu</a>' in text


def test_too_many_wrong_lookups_from_one_address_are_refused_even_with_the_right_codes(
    client: Client, settings
) -> None:
    settings.LOOKUP_FAILURE_LIMIT = 3
    world = build_world()
    dossier = make_dossier(world, "received")
    for attempt in range(3):
        assert look_up(client, dossier.code or "", f"WRONG{attempt}").status_code == 200
    blocked = look_up(client, dossier.code or "", dossier.lookup_secret)
    assert blocked.status_code == 429
    assert "Nhập sai quá nhiều lần" in blocked.content.decode()
    # Another address is not affected.
    elsewhere = look_up(client, dossier.code or "", dossier.lookup_secret, "198.51.100.1")
    assert elsewhere.status_code == 200 and "Không tìm thấy" not in elsewhere.content.decode()


def test_a_returned_dossier_shows_its_verdict(client: Client) -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")
    text = look_up(client, dossier.code or "", dossier.lookup_secret).content.decode()
    assert "Tình trạng: Đã trả kết quả" in text
    assert dossier.verdict


def test_the_lookup_needs_the_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("portal:track"), {"code": "x", "lookup_secret": "y"}).status_code == 403
