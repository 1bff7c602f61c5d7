"""Fixtures for tests that read messages in the source language (English).

The UI defaults to Vietnamese; domain tests assert the English msgids, so their
conftest imports these. The Vietnamese wording is tested in portal/ and tests/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with translation.override("en"):
        yield


def english_client() -> Client:
    """A browser whose visitor chose English with the language switch (core/language.py)."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def client() -> Client:
    return english_client()
