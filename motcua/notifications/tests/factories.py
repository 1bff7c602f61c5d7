"""Outbox payloads as the lifecycle writes them, with fixed values: the same data on every run.

``dossier_payload`` is a birth registration received at a commune's service centre on Friday
13 February 2026 at 08:15, appointment Friday 20 February at 16:30, result at the counter;
``staff_payload`` and ``agency_payload`` add what a reminder and an inter-agency task carry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.notifications import services, topics
from motcua.notifications.models import OutboxMessage
from motcua.notifications.payloads import VIETNAM_TIME

#: Friday 13 February 2026, 09:00 in Vietnam: "now" for every test.
NOW = dt.datetime(2026, 2, 13, 9, 0, tzinfo=VIETNAM_TIME)
CODE = "000.01.25.H25-260213-0001"
TRACKING_PATH = f"/tra-cuu/{CODE}/"
TRACKING_URL = f"https://dichvucong.phutho.gov.vn{TRACKING_PATH}"
SECRET = "K7M2Q9XA"
EMAIL = "an.nguyen@example.vn"
PHONE = "0912345678"


def dossier_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "dossier_id": 1,
        "code": CODE,
        "lookup_secret": SECRET,
        "procedure_name": "Đăng ký khai sinh",
        "applicant_name": "Nguyễn Văn An",
        "email": EMAIL,
        "phone": PHONE,
        "agency_name": "UBND phường Việt Trì",
        "receiving_unit_name": "Trung tâm Phục vụ hành chính công phường Việt Trì",
        "received_at": "2026-02-13T08:15:00+07:00",
        "appointment_at": "2026-02-20T16:30:00+07:00",
        "legal_due_at": "2026-02-20T16:30:00+07:00",
        "delivery_method": "counter",
        "tracking_path": TRACKING_PATH,
    }
    payload.update(changes)
    return payload


def staff_payload(**changes: Any) -> dict[str, Any]:
    payload = dossier_payload(
        staff_emails=["chuyenvien.tuphap@viettri.phutho.gov.vn", "truongphong.tuphap@viettri.phutho.gov.vn"],
        due_at="2026-02-20T16:30:00+07:00",
    )
    payload.update(changes)
    return payload


def agency_payload(**changes: Any) -> dict[str, Any]:
    payload = dossier_payload(
        agency_email="vanthu@bhxh.phutho.gov.vn",
        task="Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        due_at="2026-02-17T16:30:00+07:00",
    )
    payload.update(changes)
    return payload


def enqueue_message(
    topic: str = topics.DOSSIER_RECEIVED,
    *,
    key: str = f"dossier:1:received:{CODE}",
    payload: dict[str, Any] | None = None,
    available_at: dt.datetime = NOW,
) -> OutboxMessage:
    """Enqueue in a transaction of its own, as a lifecycle service would; the message must be new."""
    with transaction.atomic():
        message = services.enqueue(
            topic=topic, key=key, payload=dossier_payload() if payload is None else payload, available_at=available_at
        )
    assert message is not None
    return message
