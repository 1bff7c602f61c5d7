"""These tests read messages in the source language (English).

The worker renders under ``settings.LANGUAGE_CODE`` (Vietnamese in production), so besides
activating English for the code under test, the tests set LANGUAGE_CODE to English; the one
test of the worker's language sets it back to Vietnamese. Links point to a fixed public address.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.core.tests.english import client, english_messages
from motcua.notifications.sms import FakeSmsGateway, shared_fake_gateway

__all__ = ["client", "english_messages", "fake_sms", "sms", "worker_settings"]

PUBLIC_BASE_URL = "https://dichvucong.phutho.gov.vn"


@pytest.fixture(autouse=True)
def worker_settings(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.DEFAULT_FROM_EMAIL = "MotCua <no-reply@dichvucong.phutho.gov.vn>"


@pytest.fixture
def sms() -> FakeSmsGateway:
    """A gateway of its own, passed to ``deliver_due``."""
    return FakeSmsGateway()


@pytest.fixture
def fake_sms(settings: Any) -> Iterator[FakeSmsGateway]:
    """The gateway ``SMS_GATEWAY = "fake"`` selects, for code that reads the setting (the worker command)."""
    settings.SMS_GATEWAY = "fake"
    shared_fake_gateway.reset()
    yield shared_fake_gateway
    shared_fake_gateway.reset()
