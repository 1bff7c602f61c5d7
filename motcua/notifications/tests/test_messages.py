"""The wording: what each message tells the citizen, the staff or the other agency (English source text)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.notifications import topics
from motcua.notifications.messages import render_email, render_sms
from motcua.notifications.payloads import format_moment, tracking_url
from motcua.notifications.sms import SMS_MAX_LENGTH
from motcua.notifications.tests.factories import (
    CODE,
    SECRET,
    TRACKING_URL,
    agency_payload,
    dossier_payload,
    staff_payload,
)

CITIZEN_TOPICS = [topic for topic, spec in topics.TOPICS.items() if spec.audience is topics.Audience.CITIZEN]
# Every key a citizen topic may use, so that each message shows all it can.
FULL = dossier_payload(
    reason="Tờ khai thiếu chữ ký của người yêu cầu.",
    missing=["Tờ khai đăng ký khai sinh có chữ ký", "Giấy chứng sinh (bản chính)"],
    new_appointment_at="2026-02-24T16:30:00+07:00",
)
LONG_PROCEDURE = (
    "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi "
    "(liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế)"
)


def test_moments_are_written_day_first_in_vietnam_time() -> None:
    assert format_moment("2026-02-20T09:30:00+00:00") == "20/02/2026 16:30"
    assert format_moment("2026-02-20T16:30:00+07:00") == "20/02/2026 16:30"
    assert format_moment("2026-02-20T16:30:00") == "20/02/2026 16:30"  # no offset: already Vietnam time
    assert format_moment(None) == ""


def test_the_tracking_link_is_the_public_address_and_the_path(settings: Any) -> None:
    assert tracking_url(dossier_payload()) == TRACKING_URL
    assert tracking_url(dossier_payload(tracking_path="tra-cuu/X/")) == "https://dichvucong.phutho.gov.vn/tra-cuu/X/"


@pytest.mark.parametrize("topic", CITIZEN_TOPICS)
def test_every_citizen_email_names_the_dossier_and_how_to_follow_it(topic: str) -> None:
    email = render_email(topic, FULL)

    assert CODE in email.subject
    assert "\n" not in email.subject
    assert email.body.startswith("Dear Nguyễn Văn An,\n\n")
    assert f"Dossier code: {CODE}" in email.body
    assert "Procedure: Đăng ký khai sinh" in email.body
    assert f"Follow your dossier at {TRACKING_URL}\nLookup code: {SECRET}" in email.body
    assert email.body.endswith("This message was sent automatically; replies to it are not read.\n")


@pytest.mark.parametrize("topic", CITIZEN_TOPICS)
def test_every_citizen_sms_fits_gsm7_and_keeps_the_code_link_and_lookup_code(topic: str) -> None:
    long = dossier_payload(
        procedure_name=LONG_PROCEDURE,
        reason="Hồ sơ chưa đầy đủ. " * 40,
        missing=[f"Giấy tờ số {number}" for number in range(30)],
        new_appointment_at="2026-02-24T16:30:00+07:00",
    )

    for payload in (FULL, long):
        text = render_sms(topic, payload)
        assert len(text) <= SMS_MAX_LENGTH
        assert text.isascii()
        assert CODE in text
        assert text.endswith(f"Details: {TRACKING_URL} lookup code {SECRET}")


def test_the_reception_email_gives_the_appointment_and_where_the_result_goes() -> None:
    email = render_email(topics.DOSSIER_RECEIVED, dossier_payload())

    assert email.subject == f"Your dossier {CODE} has been received"
    assert "Trung tâm Phục vụ hành chính công phường Việt Trì has received your dossier." in email.body
    assert "Received on: 13/02/2026 08:15\nAppointment for the result: 20/02/2026 16:30" in email.body
    assert "The result will be handed over at the counter." in email.body


def test_without_a_time_limit_the_reception_messages_give_no_appointment() -> None:
    payload = dossier_payload(appointment_at=None)

    assert "Appointment" not in render_email(topics.DOSSIER_RECEIVED, payload).body
    assert render_sms(topics.DOSSIER_RECEIVED, payload).startswith(
        f"Dossier {CODE} (Dang ky khai sinh) has been received. Details:"
    )


def test_the_reception_sms_reads_well_without_diacritics() -> None:
    assert render_sms(topics.DOSSIER_RECEIVED, dossier_payload()) == (
        f"Dossier {CODE} (Dang ky khai sinh) has been received. Appointment: 20/02/2026 16:30. "
        f"Details: {TRACKING_URL} lookup code {SECRET}"
    )


def test_the_supplement_request_lists_what_is_missing_and_why() -> None:
    email = render_email(topics.DOSSIER_SUPPLEMENT_REQUESTED, FULL)
    text = render_sms(topics.DOSSIER_SUPPLEMENT_REQUESTED, FULL)

    assert email.subject == f"Your dossier {CODE} needs more documents"
    assert "Reason: Tờ khai thiếu chữ ký của người yêu cầu." in email.body
    assert "Please provide:\n- Tờ khai đăng ký khai sinh có chữ ký\n- Giấy chứng sinh (bản chính)" in email.body
    assert "or bring them to Trung tâm Phục vụ hành chính công phường Việt Trì." in email.body
    assert text.startswith(
        f"Dossier {CODE} (Dang ky khai sinh) needs more documents: "
        "To khai dang ky khai sinh co chu ky, Giay chung sinh (ban chinh)."
    )


def test_a_long_sms_gives_up_room_from_the_list_of_documents_first() -> None:
    payload = dossier_payload(missing=[f"Giấy tờ số {number}" for number in range(30)])

    text = render_sms(topics.DOSSIER_SUPPLEMENT_REQUESTED, payload)

    assert text.startswith(f"Dossier {CODE} (Dang ky khai sinh) needs more documents: Giay to so 0, Giay to so 1,")
    assert "...." in text  # the shortened list, then the sentence's full stop
    assert len(text) == SMS_MAX_LENGTH


def test_the_refusal_gives_the_agency_and_the_reason() -> None:
    email = render_email(topics.DOSSIER_REFUSED, FULL)

    assert email.subject == f"Your dossier {CODE} has been refused"
    assert "UBND phường Việt Trì cannot process your dossier." in email.body
    assert "Reason: Tờ khai thiếu chữ ký của người yêu cầu." in email.body
    assert render_sms(topics.DOSSIER_REFUSED, FULL).startswith(
        f"Dossier {CODE} (Dang ky khai sinh) has been refused: To khai thieu chu ky cua nguoi yeu cau. Details:"
    )


def test_the_extension_apologises_and_gives_the_new_appointment() -> None:
    email = render_email(topics.DOSSIER_EXTENDED, FULL)

    assert email.subject == f"Apology: your dossier {CODE} will be late"
    assert "UBND phường Việt Trì apologises: your dossier cannot be resolved by the appointment." in email.body
    assert "Previous appointment: 20/02/2026 16:30\nNew appointment: 24/02/2026 16:30" in email.body
    assert render_sms(topics.DOSSIER_EXTENDED, FULL).startswith(
        f"We apologise: dossier {CODE} will be late. New appointment: 24/02/2026 16:30. "
        "Reason: To khai thieu chu ky cua nguoi yeu cau."
    )


@pytest.mark.parametrize(
    ("method", "in_email", "in_sms"),
    [
        (
            "counter",
            "You can collect it at Trung tâm Phục vụ hành chính công phường Việt Trì.",
            "ready for collection at Trung tam Phuc vu hanh chinh cong phuong Viet Tri.",
        ),
        ("post", "It will be sent to you by post.", "ready and will be sent by post."),
        ("online", "You can download it from the tracking page.", "ready to download."),
    ],
)
def test_the_result_message_says_where_to_get_the_result(method: str, in_email: str, in_sms: str) -> None:
    payload = dossier_payload(delivery_method=method)

    email = render_email(topics.DOSSIER_RESULT_READY, payload)

    assert email.subject == f"The result of your dossier {CODE} is ready"
    assert in_email in email.body
    assert in_sms in render_sms(topics.DOSSIER_RESULT_READY, payload)


def test_the_end_of_a_dossier_is_explained() -> None:
    assert render_email(topics.DOSSIER_RETURNED, FULL).subject == f"Your dossier {CODE} is complete"
    assert "You can rate the service on the tracking page." in render_email(topics.DOSSIER_RETURNED, FULL).body
    stopped = render_email(topics.DOSSIER_STOPPED, FULL)
    assert stopped.subject == f"Processing of your dossier {CODE} has stopped"
    assert "As you asked, UBND phường Việt Trì has stopped processing your dossier." in stopped.body
    closed = render_email(topics.DOSSIER_CLOSED, dossier_payload())
    assert closed.subject == f"Your dossier {CODE} has been closed"
    assert "the documents asked for were not provided in time" in closed.body


def test_an_applicant_without_a_name_is_still_greeted() -> None:
    assert render_email(topics.DOSSIER_RECEIVED, dossier_payload(applicant_name="")).body.startswith(
        "Dear applicant,\n\n"
    )


def test_staff_reminders_name_the_dossier_and_its_due_time_but_not_the_lookup_code() -> None:
    due_soon = render_email(topics.DOSSIER_DUE_SOON, staff_payload())
    overdue = render_email(topics.DOSSIER_OVERDUE, staff_payload())

    assert due_soon.subject == f"Dossier {CODE} is due on 20/02/2026 16:30"
    assert f"Dossier {CODE}, held by your unit, is due on 20/02/2026 16:30." in due_soon.body
    assert "Applicant: Nguyễn Văn An" in due_soon.body
    assert overdue.subject == f"Dossier {CODE} is overdue (due 20/02/2026 16:30)"
    assert "A late dossier needs a written apology to the applicant with a new appointment." in overdue.body
    for email in (due_soon, overdue):
        assert SECRET not in email.body
        assert not email.body.startswith("Dear")


def test_the_inter_agency_task_says_who_asks_what_and_by_when() -> None:
    email = render_email(topics.AGENCY_TASK_FORWARDED, agency_payload())

    assert "UBND phường Việt Trì asks your agency to take part in resolving a dossier." in email.body
    assert "Task: Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi\nPlease reply by 17/02/2026 16:30." in email.body
    assert SECRET not in email.body


def test_only_citizen_topics_have_an_sms() -> None:
    with pytest.raises(KeyError):
        render_sms(topics.DOSSIER_DUE_SOON, staff_payload())


def test_every_topic_has_an_email() -> None:
    payload = {**agency_payload(), **staff_payload()}
    for topic in topics.TOPICS:
        assert CODE in render_email(topic, payload).subject
