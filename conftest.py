"""Fixtures for every test of the project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from motcua.workflow.calendars import forget_calendars


@pytest.fixture(autouse=True)
def fresh_process_caches() -> Iterator[None]:
    """Forget what a process keeps between requests (working-day calendars …).

    A test's database changes are rolled back, but a cache filled from them would outlive them
    and leak into the next test on the same worker.
    """
    forget_calendars()
    yield
    forget_calendars()
