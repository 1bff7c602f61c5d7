"""Fixtures for every test of the project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from motcua.workflow.calendars import forget_calendars


@pytest.fixture(autouse=True, scope="session")
def uploads_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Files the tests upload go to a throw-away folder, never to the demo's ``var/media``."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def fresh_process_caches() -> Iterator[None]:
    """Forget what a process keeps between requests (working-day calendars …).

    A test's database changes are rolled back, but a cache filled from them would outlive them
    and leak into the next test on the same worker.
    """
    forget_calendars()
    yield
    forget_calendars()
