"""SMS text, the shipped gateways, and choosing one from settings."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.notifications.sms import (
    SMS_MAX_LENGTH,
    ConsoleSmsGateway,
    FakeSmsGateway,
    SentSms,
    SmsError,
    SmsGateway,
    get_sms_gateway,
    mask_phone,
    shared_fake_gateway,
    to_sms_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hồ sơ Đăng ký", "Ho so Dang ky"),
        ("ĐĂNG KÝ KHAI SINH", "DANG KY KHAI SINH"),
        ("Phường Việt Trì, tỉnh Phú Thọ", "Phuong Viet Tri, tinh Phu Tho"),
        ("Ưu tiên: ơn, ư, ờ, ữ, ậ, ặ, ễ, ỹ, ọ!", "Uu tien: on, u, o, u, a, a, e, y, o!"),
        ("“Giấy chứng sinh” – bản chính…", '"Giay chung sinh" - ban chinh...'),
        ("Hai\ndòng  và\tkhoảng trắng", "Hai dong va khoang trang"),
        ("Mã QR ✓", "Ma QR ?"),
    ],
)
def test_sms_text_is_vietnamese_without_marks_keeping_case_and_punctuation(text: str, expected: str) -> None:
    assert to_sms_text(text) == expected


def test_a_phone_number_is_masked_in_the_middle() -> None:
    assert mask_phone("0912345678") == "0912***678"
    assert mask_phone("02103812345") == "0210****345"
    assert mask_phone("113") == "***"


def test_the_console_gateway_logs_the_message_with_the_phone_masked(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="motcua.notifications.sms"):
        ConsoleSmsGateway().send("0912345678", "Ho so da duoc tiep nhan")

    assert caplog.messages == ["SMS to 0912***678: Ho so da duoc tiep nhan"]
    assert "0912345678" not in caplog.text


def test_the_fake_gateway_keeps_what_it_sent() -> None:
    gateway = FakeSmsGateway()

    gateway.send("0912345678", "one")
    gateway.send("0987654321", "two")

    assert gateway.sent == [SentSms("0912345678", "one"), SentSms("0987654321", "two")]
    assert isinstance(gateway, SmsGateway)


def test_the_fake_gateway_fails_the_next_sends_when_told_to() -> None:
    gateway = FakeSmsGateway()
    gateway.fail_next(2)

    for _ in range(2):
        with pytest.raises(SmsError, match="unavailable"):
            gateway.send("0912345678", "text")
    gateway.send("0912345678", "text")

    assert gateway.sent == [SentSms("0912345678", "text")]


def test_the_fake_gateway_fails_for_one_phone_until_reset() -> None:
    gateway = FakeSmsGateway()
    gateway.fail_for("0912345678")

    with pytest.raises(SmsError, match=r"refuses 0912\*\*\*678"):
        gateway.send("0912345678", "text")
    gateway.send("0987654321", "text")
    gateway.reset()
    gateway.send("0912345678", "again")

    assert gateway.sent == [SentSms("0912345678", "again")]


def test_the_fake_gateway_refuses_what_gsm7_cannot_carry() -> None:
    gateway = FakeSmsGateway()

    with pytest.raises(SmsError, match="GSM-7"):
        gateway.send("0912345678", "Hồ sơ")
    with pytest.raises(SmsError, match="GSM-7"):
        gateway.send("0912345678", "x" * (SMS_MAX_LENGTH + 1))
    gateway.send("0912345678", "x" * SMS_MAX_LENGTH)

    assert len(gateway.sent) == 1


def test_the_setting_picks_the_gateway(settings: Any) -> None:
    settings.SMS_GATEWAY = "console"
    assert isinstance(get_sms_gateway(), ConsoleSmsGateway)
    settings.SMS_GATEWAY = "fake"
    assert get_sms_gateway() is shared_fake_gateway
    settings.SMS_GATEWAY = "motcua.notifications.sms.FakeSmsGateway"
    gateway = get_sms_gateway()
    assert type(gateway) is FakeSmsGateway
    assert gateway is not shared_fake_gateway


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("viettel", r"SMS_GATEWAY must be 'console', 'fake' or the dotted path of an SMS gateway class, got 'viettel'"),
        ("", r"SMS_GATEWAY must be 'console', 'fake' .* got ''"),
        (
            "motcua.notifications.sms.NoSuchGateway",
            r"'motcua.notifications.sms.NoSuchGateway', which cannot be imported",
        ),
        ("motcua.notifications.sms.to_sms_text", r"which is not a class with a send\(phone, text\) method"),
        ("motcua.notifications.sms.SentSms", r"which is not a class with a send\(phone, text\) method"),
    ],
)
def test_any_other_setting_is_refused_with_a_clear_message(settings: Any, name: str, message: str) -> None:
    settings.SMS_GATEWAY = name

    with pytest.raises(ImproperlyConfigured, match=message):
        get_sms_gateway()
