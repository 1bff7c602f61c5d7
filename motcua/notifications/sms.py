"""SMS: the gateway interface, the gateways shipped with MotCua, and SMS-safe text.

A gateway has one method, ``send(phone, text)``, which returns when the provider accepted the
message and raises ``SmsError`` otherwise; the outbox records the outcome and retries. The
setting ``SMS_GATEWAY`` picks one: ``console`` (the demo: the message goes to the log),
``fake`` (tests: kept in memory) or the dotted path of a class written for a provider.

SMS text is plain GSM-7, which cannot carry Vietnamese diacritics (a single "ồ" would switch a
message to UCS-2 and cut its room from 160 to 70 characters a part), so ``to_sms_text``
writes Vietnamese without marks, keeping case and punctuation: "Hồ sơ Đăng ký" → "Ho so Dang
ky". The log never shows a whole phone number: a phone number is personal data (Law on
Personal Data Protection 91/2025/QH15), so ``mask_phone`` keeps only its first and last digits.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: Longest SMS text MotCua sends: two concatenated GSM-7 parts, with a little room to spare.
SMS_MAX_LENGTH = 320

# Typographic punctuation that GSM-7 lacks, written with the nearest ASCII.
_PUNCTUATION = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "Ð": "D",  # the Icelandic eth, often typed for Đ
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "\u00a0": " ",
    }
)


def to_sms_text(text: str) -> str:
    """``text`` without diacritics (đ → d, Đ → D), in ASCII, on one line; case and punctuation kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_PUNCTUATION))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    ascii_text = "".join(char if char.isascii() else "?" for char in unicodedata.normalize("NFC", stripped))
    return " ".join(ascii_text.split())


def mask_phone(phone: str) -> str:
    """0912345678 → 0912***678: enough to tell two numbers apart in a log, not enough to call one."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:4]}{'*' * (len(phone) - 7)}{phone[-3:]}"


class SmsError(Exception):
    """The gateway did not accept the message; the outbox will try again later."""


@runtime_checkable
class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Hand ``text`` to the provider for ``phone`` (national form 0xxxxxxxxx); raise SmsError on failure."""


class ConsoleSmsGateway:
    """The demo gateway: writes each message to the log, with the phone number masked."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


@dataclass(frozen=True, slots=True)
class SentSms:
    phone: str
    text: str


class FakeSmsGateway:
    """A gateway for tests: keeps what it sent, fails when told to, and refuses what a real one would."""

    def __init__(self) -> None:
        self.sent: list[SentSms] = []
        self._failures_left = 0
        self._failing_phones: set[str] = set()

    def fail_next(self, count: int = 1) -> None:
        """Refuse the next ``count`` messages, whatever their number."""
        self._failures_left = count

    def fail_for(self, phone: str) -> None:
        """Refuse every message to ``phone`` until ``reset``."""
        self._failing_phones.add(phone)

    def reset(self) -> None:
        """Forget what was sent and work again."""
        self.sent.clear()
        self._failures_left = 0
        self._failing_phones.clear()

    def send(self, phone: str, text: str) -> None:
        if phone in self._failing_phones:
            raise SmsError(f"the gateway refuses {mask_phone(phone)}")
        if self._failures_left > 0:
            self._failures_left -= 1
            raise SmsError("the gateway is unavailable")
        if len(text) > SMS_MAX_LENGTH or not text.isascii():
            raise SmsError(f"not a GSM-7 text of at most {SMS_MAX_LENGTH} characters: {text!r}")
        self.sent.append(SentSms(phone=phone, text=text))


#: The gateway ``SMS_GATEWAY = "fake"`` selects: one per process, so that a test can read what a
#: worker started by ``call_command`` sent. Tests ``reset()`` it.
shared_fake_gateway = FakeSmsGateway()


def get_sms_gateway() -> SmsGateway:
    """The gateway that ``settings.SMS_GATEWAY`` names: "console", "fake" or a class's dotted path."""
    name = settings.SMS_GATEWAY
    if name == "console":
        return ConsoleSmsGateway()
    if name == "fake":
        return shared_fake_gateway
    if not isinstance(name, str) or "." not in name:
        raise ImproperlyConfigured(
            f"SMS_GATEWAY must be 'console', 'fake' or the dotted path of an SMS gateway class, got {name!r}."
        )
    try:
        gateway_class = import_string(name)
    except ImportError as error:
        raise ImproperlyConfigured(f"SMS_GATEWAY names {name!r}, which cannot be imported: {error}") from None
    if not isinstance(gateway_class, type) or not callable(getattr(gateway_class, "send", None)):
        raise ImproperlyConfigured(f"SMS_GATEWAY names {name!r}, which is not a class with a send(phone, text) method.")
    gateway: SmsGateway = gateway_class()
    return gateway
