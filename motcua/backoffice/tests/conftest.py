"""These tests read messages in the source language (English)."""

from motcua.core.tests.english import client, english_messages

__all__ = ["client", "english_messages"]
