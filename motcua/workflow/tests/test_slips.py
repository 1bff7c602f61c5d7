"""The standard slips filled from real dossiers: the PDF text carries the dossier's fields."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from motcua.workflow import services, slips
from motcua.workflow.models import InterAgencyMode, InterAgencyTask
from motcua.workflow.services import TaskSpec
from motcua.workflow.tests.factories import MONDAY, at, build_world, make_dossier

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_receipt_carries_the_code_applicant_documents_appointment_and_tracking_link() -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "received")
    text = text_of(slips.receipt_pdf(dossier))
    assert dossier.code is not None
    for expected in [
        dossier.code,
        "Nguyễn Thị Lan",
        "Thủ tục đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "ngày 09/03/2026",  # received Monday
        "ngày 16/03/2026",  # appointment: five working days later
        f"/tra-cuu/{dossier.code}/",
        dossier.lookup_secret,
        "Liên 1",
        "Liên 2",
        "Việt Trì",
    ]:
        assert expected in text, expected


def test_refused_slip_lists_the_reasons_and_supplement_slip_what_is_missing() -> None:
    world = build_world()
    refused = make_dossier(world, "refused")
    assert "Không thuộc thẩm quyền" in text_of(slips.refusal_pdf(refused))
    waiting = make_dossier(world, "supplement_requested")
    text = text_of(slips.supplement_pdf(waiting))
    assert "Giấy chứng sinh" in text
    assert "Ảnh chụp mờ" in text
    with pytest.raises(slips.SlipUnavailable):
        slips.refusal_pdf(waiting)


def test_the_apology_shows_both_appointments_and_the_stop_notice_the_reason() -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "in_progress")
    services.extend(
        dossier_id=dossier.pk,
        user=world.leader,
        new_appointment=at(18, 3, 2026, 17),
        reason="Chờ xác minh nơi sinh",
        now=at(13, 3, 2026),
    )
    dossier.refresh_from_db()
    text = text_of(slips.apology_pdf(dossier))
    assert "16/03/2026" in text and "18/03/2026" in text and "Chờ xác minh nơi sinh" in text
    stopped = make_dossier(world, "stopped")
    assert "Không còn nhu cầu" in text_of(slips.stop_notice_pdf(stopped))


def test_the_control_sheet_lists_every_handover_and_the_register_every_dossier() -> None:
    world = build_world()
    returned = make_dossier(world, "returned")
    text = text_of(slips.control_sheet_pdf(returned))
    assert "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân" in text
    assert "Ủy ban nhân dân phường Việt Trì" in text
    make_dossier(world, "received")
    register = text_of(slips.register_pdf(world.tree.c1_centre, MONDAY.date(), MONDAY.date() + dt.timedelta(days=1)))
    assert "Tổng số: 2 hồ sơ" in register


def test_the_transfer_slip_names_the_task_and_its_deadline() -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "in_progress")
    services.forward_to_agencies(
        dossier_id=dossier.pk,
        user=world.specialist,
        mode=InterAgencyMode.DIFFERENT_LEVEL,
        tasks=[TaskSpec(world.tree.p_department, "Xác minh thông tin hộ tịch", 8)],
        now=at(9, 3, 2026, 10),
    )
    task = InterAgencyTask.objects.get()
    text = text_of(slips.transfer_slip_pdf(task))
    assert "Sở Tư pháp" in text and "Xác minh thông tin hộ tịch" in text and "10/03/2026" in text
