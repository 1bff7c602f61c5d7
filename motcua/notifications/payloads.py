"""Reading a message's payload: the snapshot of the dossier taken when the change was made.

Values are JSON (topics.py lists the keys); a missing key or a null means "not applicable", so
every reader here returns an empty value for it rather than failing. Moments are ISO 8601 with
an offset and are shown as Vietnamese readers write them, day first, in Vietnam time whatever
zone the server runs in (20/02/2026 16:30). Text is put on one line, so that a value typed
with line breaks cannot break a subject line or an SMS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

Payload = Mapping[str, Any]

#: Citizens read moments in Vietnam time, whatever TIME_ZONE the server runs with.
VIETNAM_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


def text(payload: Payload, key: str) -> str:
    """The value as one line of text; "" when it does not apply."""
    value = payload.get(key)
    return "" if value is None else " ".join(str(value).split())


def items(payload: Payload, key: str) -> list[str]:
    """A list of texts (one text counts as a list of one), each on one line, blanks left out."""
    value = payload.get(key) or []
    values = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else [value]
    return [line for line in (" ".join(str(item).split()) for item in values) if line]


def format_moment(value: object) -> str:
    """An ISO 8601 moment as "20/02/2026 16:30" in Vietnam time; "" for no moment, ValueError for a bad one."""
    if not isinstance(value, str) or not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM_TIME)
    return f"{moment.astimezone(VIETNAM_TIME):%d/%m/%Y %H:%M}"


def moment(payload: Payload, key: str) -> str:
    """The moment under ``key``, formatted as ``format_moment`` does."""
    return format_moment(payload.get(key))


def tracking_url(payload: Payload) -> str:
    """The public tracking page of the dossier: PUBLIC_BASE_URL followed by its tracking path."""
    path = text(payload, "tracking_path")
    return f"{settings.PUBLIC_BASE_URL}{path if path.startswith('/') else '/' + path}"


def unit(payload: Payload) -> str:
    """Where the citizen goes in person (the receiving unit), else the competent agency."""
    return text(payload, "receiving_unit_name") or text(payload, "agency_name")


def agency(payload: Payload) -> str:
    """Who decides (the competent agency), else the receiving unit."""
    return text(payload, "agency_name") or text(payload, "receiving_unit_name")
