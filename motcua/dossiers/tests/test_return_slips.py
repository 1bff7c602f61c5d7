"""The slips of the return of results: the parcel's address label and the counter hand-over slip.

Pure tests (no database): each slip is rendered to PDF and read back with pypdf, whitespace
collapsed (text extraction may break lines anywhere).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5, A6, landscape

from motcua.dossiers.slips.data import AddressLabel, Party, ResultHandoverSlip
from motcua.dossiers.slips.render import render_address_label, render_result_handover
from motcua.dossiers.tests.test_slips import all_text, assert_page_size, assert_shows

UTC = dt.UTC
SENDER = Party(
    name="Trung tâm Phục vụ hành chính công phường Việt Trì",
    address="Số 1 đường Trần Phú, phường Việt Trì, tỉnh Phú Thọ",
    phone="0210 3846 123",
)
RECIPIENT = Party(
    name="Nguyễn Thị Ánh Tuyết",
    address="Số 12, đường Hùng Vương, khu 5, phường Thanh Miếu, tỉnh Phú Thọ",
    phone="0912 345 678",
)
CODE = "H35.39-260213-0001"
PROCEDURE = "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"


def make_label(**changes: Any) -> AddressLabel:
    values: dict[str, Any] = {
        "sender": SENDER,
        "recipient": RECIPIENT,
        "dossier_code": CODE,
        "procedure_name": PROCEDURE,
    }
    return AddressLabel(**{**values, **changes})


def make_handover(**changes: Any) -> ResultHandoverSlip:
    values: dict[str, Any] = {
        "issuing_unit": SENDER.name,
        "parent_unit": "Ủy ban nhân dân phường Việt Trì",
        "dossier_code": CODE,
        "applicant": RECIPIENT,
        "procedure_name": PROCEDURE,
        "results": ("Giấy khai sinh (bản chính)", "Trích lục khai sinh (bản sao)"),
        "received_at": dt.datetime(2026, 2, 13, 2, 30, tzinfo=UTC),  # 09:30 in Vietnam
        "appointment_at": dt.datetime(2026, 2, 18, 10, 0, tzinfo=UTC),  # 17:00 in Vietnam
        "handed_over_at": dt.datetime(2026, 2, 18, 8, 15, tzinfo=UTC),  # 15:15 in Vietnam
        "officer_name": "Trần Văn Đức",
        "place_name": "Việt Trì",
    }
    return ResultHandoverSlip(**{**values, **changes})


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_label_is_one_a6_landscape_page_with_sender_recipient_code_procedure_and_content() -> None:
    pdf = render_address_label(make_label(postal_tracking_number="EB123456789VN"))

    assert pages(pdf) == 1
    assert_page_size(pdf, landscape(A6))
    assert_shows(
        all_text(pdf),
        "KẾT QUẢ GIẢI QUYẾT TTHC",
        "NGƯỜI GỬI: Trung tâm Phục vụ hành chính công phường Việt Trì",
        "Số 1 đường Trần Phú, phường Việt Trì, tỉnh Phú Thọ",
        "0210 3846 123",
        "NGƯỜI NHẬN: Nguyễn Thị Ánh Tuyết",
        "Số 12, đường Hùng Vương, khu 5, phường Thanh Miếu, tỉnh Phú Thọ",
        "0912 345 678",
        f"Mã hồ sơ: {CODE}",
        f"Thủ tục: {PROCEDURE}",
        "Nội dung bưu gửi: Kết quả giải quyết TTHC",
        "Số hiệu bưu gửi: EB123456789VN",
    )


def test_the_label_carries_the_code_as_a_qr_code_drawn_on_the_page() -> None:
    with_code = render_address_label(make_label())
    without_tracking_line = all_text(with_code)

    # The QR code is vector art (no text): a longer code draws more modules, so the page content grows.
    longer = render_address_label(make_label(dossier_code=CODE + "-PHỤ-LỤC-0000000000000000"))
    content = PdfReader(io.BytesIO(with_code)).pages[0].get_contents()
    longer_content = PdfReader(io.BytesIO(longer)).pages[0].get_contents()
    assert content is not None and longer_content is not None
    assert len(longer_content.get_data()) > len(content.get_data())
    assert "Số hiệu bưu gửi" not in without_tracking_line  # no number yet: no empty line


def test_a_representative_receives_on_behalf_of_the_applicant() -> None:
    text = all_text(render_address_label(make_label(recipient=Party("Lê Văn Ước"), on_behalf_of=RECIPIENT.name)))

    assert_shows(text, "NGƯỜI NHẬN: Lê Văn Ước", "Nhận thay cho: Nguyễn Thị Ánh Tuyết")


def test_a_very_long_address_and_procedure_still_fit_one_label() -> None:
    long_address = "Thôn Đồng Xuân, xóm Gốc Gạo, ngõ 12 ngách 34 hẻm 56, " * 8
    long_procedure = "Thủ tục cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác " * 5
    pdf = render_address_label(
        make_label(recipient=Party(RECIPIENT.name, address=long_address), procedure_name=long_procedure)
    )

    assert pages(pdf) == 1
    text = all_text(pdf)
    assert "Thôn Đồng Xuân" in text and "tài sản khác" in text and CODE in text


def test_label_text_that_looks_like_markup_is_printed_literally() -> None:
    text = all_text(render_address_label(make_label(recipient=Party("Công ty <b>A & B</b>"))))

    assert "Công ty <b>A & B</b>" in text


def test_the_handover_slip_is_a5_with_code_applicant_results_time_and_both_signatures() -> None:
    pdf = render_result_handover(make_handover(representative="Lê Văn Ước (chồng)"))

    assert pages(pdf) == 1
    assert_page_size(pdf, A5)
    assert_shows(
        all_text(pdf),
        "PHIẾU BÀN GIAO KẾT QUẢ",
        f"Mã hồ sơ: {CODE}",
        "Việt Trì, ngày 18 tháng 02 năm 2026",
        "bàn giao kết quả giải quyết hồ sơ cho: Nguyễn Thị Ánh Tuyết",
        "Người nhận thay: Lê Văn Ước (chồng)",
        f"Thủ tục hành chính: {PROCEDURE}",
        "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 13/02/2026",
        "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 18/02/2026",
        "Giấy khai sinh (bản chính)",
        "Trích lục khai sinh (bản sao)",
        "Thời gian bàn giao: 15 giờ 15 phút, ngày 18/02/2026",
        "NGƯỜI NHẬN KẾT QUẢ",
        "NGƯỜI BÀN GIAO",
        "Trần Văn Đức",
    )


def test_a_handover_slip_printed_before_the_handover_leaves_the_time_to_write_by_hand() -> None:
    text = all_text(render_result_handover(make_handover(handed_over_at=None, officer_name="")))

    assert "Thời gian bàn giao: ...... giờ ...... phút" in text
    assert "ngày ...... tháng ...... năm" in text


@pytest.mark.parametrize("render", [render_address_label, render_result_handover])
def test_the_slip_names_itself_in_the_pdf_metadata(render: Any) -> None:
    slip = make_label() if render is render_address_label else make_handover()
    metadata = PdfReader(io.BytesIO(render(slip))).metadata
    assert metadata is not None
    assert CODE in str(metadata.title)
    assert metadata.creator == "MotCua"


def test_a_naive_handover_time_is_refused() -> None:
    with pytest.raises(ValueError):
        render_result_handover(make_handover(handed_over_at=dt.datetime(2026, 2, 18, 15, 15)))
