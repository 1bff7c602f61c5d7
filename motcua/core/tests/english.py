"""Fixtures for tests that read messages in the source language (English).

The UI defaults to Vietnamese; domain tests assert the English msgids, so their
conftest imports these. The Vietnamese wording is tested in portal/ and tests/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """A browser that asks for English pages."""
    return Client(headers={"accept-language": "en"})
