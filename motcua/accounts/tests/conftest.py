"""These tests read messages in the source language (English); the UI's Vietnamese is tested in portal/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """A browser that asks for English pages, so assertions read the source messages."""
    return Client(headers={"accept-language": "en"})
