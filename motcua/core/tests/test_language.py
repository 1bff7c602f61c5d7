"""Pages speak Vietnamese whatever the browser asks for, until the visitor picks English."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client: Client) -> None:
    page = client.get("/tra-cuu/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in page.content.decode() and "Tra cứu hồ sơ" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/tra-cuu/"})
    page = client.get("/tra-cuu/", HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en">' in page.content.decode() and "Track a dossier" in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_in_the_cookie_falls_back_to_vietnamese(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    assert '<html lang="vi">' in client.get("/tra-cuu/").content.decode()
