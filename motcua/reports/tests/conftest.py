"""These tests read messages in the source language (English); ``march`` is the fixed dataset of
``test_standard_report``."""

import pytest

from motcua.core.tests.english import client, english_messages
from motcua.reports.tests.scenarios import build_march
from motcua.workflow.tests.factories import World

__all__ = ["client", "english_messages", "march"]


@pytest.fixture
def march() -> World:
    return build_march()
