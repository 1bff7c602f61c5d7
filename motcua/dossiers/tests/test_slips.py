"""The printed slips: every field shown with its diacritics, paper sizes, local times, literal text.

Pure tests (no database): each slip is rendered to PDF and read back with pypdf. Text extraction
may break lines anywhere, so page text is compared with whitespace collapsed to single spaces.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfbase.ttfonts import TTFont

from motcua.dossiers.slips.data import (
    ApologySlip,
    ControlSheet,
    DocumentLine,
    Handover,
    Party,
    ReceiptSlip,
    RefusalSlip,
    Register,
    RegisterRow,
    StopNotice,
    SupplementSlip,
    TransferSlip,
)
from motcua.dossiers.slips.fonts import FONT_DIR, FONT_FILES
from motcua.dossiers.slips.render import (
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_register,
    render_stop_notice,
    render_supplement,
    render_transfer_slip,
)

UTC = dt.UTC
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
A4_LANDSCAPE = landscape(A4)

# 2026-02-13 02:30 UTC is 09:30 in Vietnam (UTC+7).
RECEIVED_AT = dt.datetime(2026, 2, 13, 2, 30, tzinfo=UTC)
RECEIVED_TEXT = "09 giờ 30 phút, ngày 13/02/2026"
APPOINTMENT_AT = dt.datetime(2026, 2, 18, 17, 0, tzinfo=VIETNAM)
APPOINTMENT_TEXT = "17 giờ 00 phút, ngày 18/02/2026"
TRACKING_URL = "https://motcua.viettri.gov.vn/tra-cuu/H35.39-260213-0001"

APPLICANT = Party(
    name="Nguyễn Thị Ánh Tuyết",
    address="Số 12, đường Hùng Vương, Phường Việt Trì, tỉnh Phú Thọ",
    phone="0912 345 678",
    email="anhtuyet@example.vn",
    id_number="025190001234",
)
DOCUMENTS = (
    DocumentLine("Tờ khai đăng ký khai sinh", originals=1),
    DocumentLine("Giấy chứng sinh", originals=1, note="do Bệnh viện Đa khoa tỉnh cấp"),
    DocumentLine("Giấy chứng nhận kết hôn của cha, mẹ", copies=1),
)
HANDOVERS = (
    Handover(
        from_unit="Bộ phận Một cửa",
        to_unit="Công chức Tư pháp - Hộ tịch",
        handed_at=dt.datetime(2026, 2, 13, 3, 0, tzinfo=UTC),
        giver="Trần Văn Đức",
        receiver="Phạm Thị Ngọc Ưng",
        result="on_time",
    ),
    Handover(
        from_unit="Công chức Tư pháp - Hộ tịch",
        to_unit="Lãnh đạo Ủy ban nhân dân",
        handed_at=dt.datetime(2026, 2, 16, 2, 0, tzinfo=UTC),
        giver="Phạm Thị Ngọc Ưng",
        receiver="Lê Thị Hương",
        result="early",
        note="Trình ký giấy khai sinh",
    ),
    Handover(
        from_unit="Lãnh đạo Ủy ban nhân dân",
        to_unit="Bộ phận Một cửa",
        handed_at=dt.datetime(2026, 2, 19, 2, 0, tzinfo=UTC),
        giver="Lê Thị Hương",
        receiver="Trần Văn Đức",
        result="late",
        note="Chậm một ngày do chờ xác minh",
    ),
)


def make_receipt(**changes: Any) -> ReceiptSlip:
    slip = ReceiptSlip(
        issuing_unit="Bộ phận Một cửa Phường Việt Trì",
        parent_unit="Ủy ban nhân dân tỉnh Phú Thọ",
        dossier_code="H35.39-260213-0001",
        applicant=APPLICANT,
        procedure_name="Đăng ký khai sinh",
        documents=DOCUMENTS,
        sets=1,
        time_limit_text="03 ngày làm việc",
        received_at=RECEIVED_AT,
        appointment_at=APPOINTMENT_AT,
        return_place="Bộ phận Một cửa Phường Việt Trì, số 1 đường Trần Phú",
        register_book="01/2026",
        register_number="0001",
        officer_name="Trần Văn Đức",
        fees_text="Lệ phí: 8.000 đồng",
        tracking_url=TRACKING_URL,
        lookup_secret="K7Q2-M9XD",
        place_name="Việt Trì",
    )
    return dataclasses.replace(slip, **changes)


def make_supplement(**changes: Any) -> SupplementSlip:
    slip = SupplementSlip(
        issuing_unit="Bộ phận Một cửa Phường Việt Trì",
        parent_unit="UBND PHƯỜNG VIỆT TRÌ",
        applicant=APPLICANT,
        procedure_name="Đăng ký khai sinh",
        items=(DocumentLine("Giấy chứng sinh", originals=1, note="bản được cấp lại, không tẩy xóa"),),
        reason="Giấy chứng sinh đã nộp bị tẩy xóa phần họ tên người mẹ.",
        help_contact="Bộ phận Một cửa, điện thoại 0210 3846 123",
        officer_name="Trần Văn Đức",
        issued_at=RECEIVED_AT,
        dossier_code="H35.39-260213-0001",
        place_name="Việt Trì",
    )
    return dataclasses.replace(slip, **changes)


def make_refusal(**changes: Any) -> RefusalSlip:
    slip = RefusalSlip(
        issuing_unit="Bộ phận Một cửa Phường Việt Trì",
        parent_unit="UBND PHƯỜNG VIỆT TRÌ",
        applicant=APPLICANT,
        procedure_name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        reasons="Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường; đề nghị nộp tại Sở Xây dựng.",
        help_contact="Công chức Địa chính - Xây dựng, điện thoại 0210 3846 125",
        officer_name="Trần Văn Đức",
        issued_at=RECEIVED_AT,
        place_name="Việt Trì",
    )
    return dataclasses.replace(slip, **changes)


def make_apology(**changes: Any) -> ApologySlip:
    slip = ApologySlip(
        issuing_agency="Ủy ban nhân dân Phường Việt Trì",
        parent_unit="TỈNH PHÚ THỌ",
        addressee=APPLICANT,
        received_at=RECEIVED_AT,
        procedure_name="Đăng ký khai sinh",
        dossier_code="H35.39-260213-0001",
        original_appointment=APPOINTMENT_AT,
        reason="Cần xác minh nơi sinh tại Ủy ban nhân dân xã Hưng Hóa.",
        new_appointment=dt.datetime(2026, 2, 24, 3, 0, tzinfo=UTC),
        signer_title="Chủ tịch",
        signer_name="Lê Thị Hương",
        issued_at=dt.datetime(2026, 2, 18, 3, 0, tzinfo=UTC),
        place_name="Việt Trì",
    )
    return dataclasses.replace(slip, **changes)


def make_stop_notice(**changes: Any) -> StopNotice:
    slip = StopNotice(
        issuing_agency="Ủy ban nhân dân Phường Việt Trì",
        parent_unit="TỈNH PHÚ THỌ",
        applicant=APPLICANT,
        dossier_code="H35.39-260213-0001",
        procedure_name="Đăng ký khai sinh",
        reason="Người nộp hồ sơ có văn bản đề nghị rút hồ sơ.",
        stopped_at=dt.datetime(2026, 2, 16, 1, 15, tzinfo=UTC),
        signer_name="Lê Thị Hương",
        place_name="Việt Trì",
    )
    return dataclasses.replace(slip, **changes)


def make_control_sheet(**changes: Any) -> ControlSheet:
    sheet = ControlSheet(
        issuing_unit="Bộ phận Một cửa Phường Việt Trì",
        parent_unit="UBND PHƯỜNG VIỆT TRÌ",
        dossier_code="H35.39-260213-0001",
        applicant=APPLICANT,
        procedure_name="Đăng ký khai sinh",
        received_at=RECEIVED_AT,
        due_at=APPOINTMENT_AT,
        handovers=HANDOVERS,
    )
    return dataclasses.replace(sheet, **changes)


def make_register_row(number: int, **changes: Any) -> RegisterRow:
    row = RegisterRow(
        dossier_code=f"H35.39-260213-{number:04d}",
        applicant_name="Nguyễn Thị Ánh Tuyết",
        procedure_name="Đăng ký khai sinh",
        received_at=RECEIVED_AT,
        due_at=APPOINTMENT_AT,
        handovers=HANDOVERS[:1],
        returned_at=dt.datetime(2026, 2, 18, 8, 0, tzinfo=UTC),
        note="Đã trả kết quả",
    )
    return dataclasses.replace(row, **changes)


def make_register(size: int = 3, **changes: Any) -> Register:
    register = Register(
        issuing_unit="Bộ phận Một cửa Phường Việt Trì",
        parent_unit="UBND PHƯỜNG VIỆT TRÌ",
        period_from=dt.date(2026, 2, 1),
        period_to=dt.date(2026, 2, 28),
        rows=tuple(make_register_row(number) for number in range(1, size + 1)),
    )
    return dataclasses.replace(register, **changes)


def make_transfer_slip(**changes: Any) -> TransferSlip:
    slip = TransferSlip(
        from_agency="Ủy ban nhân dân Phường Việt Trì",
        to_agency="Sở Tư pháp tỉnh Phú Thọ",
        dossier_code="H35.39-260213-0001",
        procedure_name="Đăng ký khai sinh có yếu tố nước ngoài",
        applicant=APPLICANT,
        task="Thẩm định hồ sơ, ghi vào Sổ đăng ký khai sinh và trả kết quả cho phường",
        deadline=dt.datetime(2026, 2, 20, 10, 0, tzinfo=UTC),
        issued_at=dt.datetime(2026, 2, 13, 3, 0, tzinfo=UTC),
        officer_name="Trần Văn Đức",
        order=2,
    )
    return dataclasses.replace(slip, **changes)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page with runs of whitespace (including line breaks) collapsed."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def assert_page_size(pdf: bytes, size: tuple[float, float]) -> None:
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=1)


def assert_shows(text: str, *expected: str) -> None:
    missing = [value for value in expected if " ".join(value.split()) not in text]
    assert not missing, f"not on the slip: {missing}"


def applicant_fields() -> tuple[str, ...]:
    return (APPLICANT.name, APPLICANT.address, APPLICANT.phone, APPLICANT.email, APPLICANT.id_number)


LETTERHEAD = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


# --- The vendored font -----------------------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(FONT_FILES.values()))
def test_vendored_font_has_every_vietnamese_letter(filename: str) -> None:
    face = TTFont(f"test-{filename}", str(FONT_DIR / filename)).face
    letters = "ẠẶẬẸỆỊỌỘỢỤỰỴđĐơƠưƯ" + "àảãáạăằẳẵắặâầẩẫấậèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"
    missing = [letter for letter in letters + letters.upper() if ord(letter) not in face.charToGlyph]
    assert not missing


def test_the_font_licence_and_its_source_are_vendored_beside_it() -> None:
    assert "Bitstream" in (FONT_DIR / "LICENSE").read_text()
    assert "dejavu-fonts-ttf" in (FONT_DIR / "README.md").read_text()


# --- Form 01: receipt and appointment ---------------------------------------------------------


def test_receipt_is_two_a5_pages_one_per_copy() -> None:
    pdf = render_receipt(make_receipt())

    pages = page_texts(pdf)
    assert len(pages) == 2
    assert_page_size(pdf, A5)
    assert "Liên 1: Lưu" in pages[0]
    assert "Liên 2" not in pages[0]
    assert "Liên 2: Giao người nộp hồ sơ" in pages[1]
    assert "Liên 1" not in pages[1]


def test_a_receipt_of_seven_documents_still_fits_one_page_per_copy() -> None:
    documents = tuple(
        DocumentLine(f"Giấy tờ số {number} của hồ sơ đăng ký khai sinh", originals=1) for number in range(7)
    )

    assert len(page_texts(render_receipt(make_receipt(documents=documents)))) == 2


def test_a_long_document_list_continues_with_the_table_header_repeated() -> None:
    documents = tuple(DocumentLine(f"Giấy tờ số {number:02d}", originals=1) for number in range(40))

    pages = page_texts(render_receipt(make_receipt(documents=documents)))

    assert len(pages) > 2
    assert all("Tên giấy tờ" in text for text in pages if "Giấy tờ số" in text)
    assert sum("Liên 2: Giao người nộp hồ sơ" in text for text in pages) == 1


def test_receipt_shows_every_field_with_its_diacritics_on_each_copy() -> None:
    slip = make_receipt()

    for text in page_texts(render_receipt(slip)):
        assert_shows(
            text,
            "Mẫu số 01",
            "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
            "BỘ PHẬN MỘT CỬA PHƯỜNG VIỆT TRÌ",
            *LETTERHEAD,
            "Việt Trì, ngày 13 tháng 02 năm 2026",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Mã hồ sơ: H35.39-260213-0001",
            *applicant_fields(),
            "Đăng ký khai sinh",
            "STT",
            "Tên giấy tờ",
            "Bản chính",
            "Bản sao",
            "Tờ khai đăng ký khai sinh",
            "Giấy chứng sinh",
            "do Bệnh viện Đa khoa tỉnh cấp",
            "Giấy chứng nhận kết hôn của cha, mẹ",
            "Số bộ hồ sơ: 1",
            "03 ngày làm việc",
            f"Thời gian nhận hồ sơ: {RECEIVED_TEXT}",
            f"Thời gian trả kết quả: {APPOINTMENT_TEXT}",
            "Bộ phận Một cửa Phường Việt Trì, số 1 đường Trần Phú",
            "Quyển số: 01/2026, Số thứ tự: 0001",
            "Lệ phí: 8.000 đồng",
            "Mã tra cứu: K7Q2-M9XD",
            "NGƯỜI NỘP HỒ SƠ",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "Trần Văn Đức",
        )
        # The address may wrap anywhere, so it is compared without whitespace.
        assert TRACKING_URL in "".join(text.split())


def test_receipt_shows_times_in_vietnam_time_whatever_zone_they_carry() -> None:
    new_york = ZoneInfo("America/New_York")
    slip = make_receipt(
        received_at=RECEIVED_AT.astimezone(new_york),  # 21:30 the day before in New York
        appointment_at=dt.datetime(2026, 2, 18, 10, 0, tzinfo=UTC),
    )

    text = all_text(render_receipt(slip))

    assert_shows(text, RECEIVED_TEXT, APPOINTMENT_TEXT, "ngày 13 tháng 02 năm 2026")
    assert "21 giờ 30 phút" not in text


def test_receipt_without_a_tracking_page_prints_neither_address_nor_code() -> None:
    text = all_text(render_receipt(make_receipt(tracking_url="", lookup_secret="")))

    assert "Tra cứu" not in text
    assert "Mã tra cứu" not in text


def test_receipt_without_a_time_limit_says_so() -> None:
    text = all_text(render_receipt(make_receipt(appointment_at=None)))

    assert_shows(text, "Thời gian trả kết quả: Không quy định")


def test_date_line_without_a_place_starts_with_the_date() -> None:
    text = all_text(render_receipt(make_receipt(place_name="")))

    assert_shows(text, "Ngày 13 tháng 02 năm 2026")
    assert ", ngày 13 tháng 02" not in text


def test_receipt_metadata_names_the_slip_and_motcua() -> None:
    metadata = PdfReader(io.BytesIO(render_receipt(make_receipt()))).metadata

    assert metadata is not None
    assert metadata.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả H35.39-260213-0001"
    assert metadata.creator == "MotCua"


def test_the_same_slip_renders_to_the_same_bytes() -> None:
    assert render_receipt(make_receipt()) == render_receipt(make_receipt())


# --- Forms 02–05 ------------------------------------------------------------------------------


def test_supplement_request_shows_what_to_add_why_and_whom_to_ask() -> None:
    pdf = render_supplement(make_supplement())

    assert len(page_texts(pdf)) == 1
    assert_page_size(pdf, A5)
    assert_shows(
        all_text(pdf),
        "Mẫu số 02",
        "UBND PHƯỜNG VIỆT TRÌ",
        "BỘ PHẬN MỘT CỬA PHƯỜNG VIỆT TRÌ",
        *LETTERHEAD,
        "Việt Trì, ngày 13 tháng 02 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mã hồ sơ: H35.39-260213-0001",
        *applicant_fields(),
        "Đăng ký khai sinh",
        "Giấy chứng sinh",
        "bản được cấp lại, không tẩy xóa",
        "Lý do: Giấy chứng sinh đã nộp bị tẩy xóa phần họ tên người mẹ.",
        "Bộ phận Một cửa, điện thoại 0210 3846 123",
        RECEIVED_TEXT,
        "NGƯỜI HƯỚNG DẪN",
        "Trần Văn Đức",
    )


def test_refusal_shows_the_reasons_and_omits_a_missing_dossier_code() -> None:
    pdf = render_refusal(make_refusal())

    text = all_text(pdf)
    assert_page_size(pdf, A5)
    assert_shows(
        text,
        "Mẫu số 03",
        *LETTERHEAD,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        *applicant_fields(),
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường; đề nghị nộp tại Sở Xây dựng.",
        "Công chức Địa chính - Xây dựng, điện thoại 0210 3846 125",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Đức",
    )
    assert "Mã hồ sơ" not in text


def test_apology_shows_the_old_and_the_new_appointment() -> None:
    pdf = render_apology(make_apology())

    assert_page_size(pdf, A5)
    assert_shows(
        all_text(pdf),
        "Mẫu số 04",
        "TỈNH PHÚ THỌ",
        "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ",
        *LETTERHEAD,
        "Việt Trì, ngày 18 tháng 02 năm 2026",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: H35.39-260213-0001",
        "Kính gửi: Nguyễn Thị Ánh Tuyết",
        APPLICANT.address,
        "Đăng ký khai sinh",
        f"Thời gian nhận hồ sơ: {RECEIVED_TEXT}",
        f"Thời gian hẹn trả kết quả: {APPOINTMENT_TEXT}",
        "Lý do: Cần xác minh nơi sinh tại Ủy ban nhân dân xã Hưng Hóa.",
        "10 giờ 00 phút, ngày 24/02/2026",
        "CHỦ TỊCH",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Lê Thị Hương",
    )


def test_stop_notice_shows_when_and_why() -> None:
    pdf = render_stop_notice(make_stop_notice())

    assert_page_size(pdf, A5)
    assert_shows(
        all_text(pdf),
        "Mẫu số 05",
        *LETTERHEAD,
        "Việt Trì, ngày 16 tháng 02 năm 2026",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: H35.39-260213-0001",
        *applicant_fields(),
        "Đăng ký khai sinh",
        "08 giờ 15 phút, ngày 16/02/2026",
        "Lý do: Người nộp hồ sơ có văn bản đề nghị rút hồ sơ.",
        "Lê Thị Hương",
    )


# --- Form 06, form 07, transfer slip ----------------------------------------------------------


def test_control_sheet_lists_each_handover_with_its_result() -> None:
    pdf = render_control_sheet(make_control_sheet())

    assert_page_size(pdf, A4)
    assert_shows(
        all_text(pdf),
        "Mẫu số 06",
        *LETTERHEAD,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mã hồ sơ: H35.39-260213-0001",
        *applicant_fields(),
        "Đăng ký khai sinh",
        f"Thời gian nhận hồ sơ: {RECEIVED_TEXT}",
        f"Thời gian hẹn trả kết quả: {APPOINTMENT_TEXT}",
        "Công chức Tư pháp - Hộ tịch",
        "Lãnh đạo Ủy ban nhân dân",
        "Phạm Thị Ngọc Ưng",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Trình ký giấy khai sinh",
        "Chậm một ngày do chờ xác minh",
        "10:00 13/02/2026",  # 03:00 UTC
    )


def test_control_sheet_refuses_an_unknown_result() -> None:
    sheet = make_control_sheet(handovers=(dataclasses.replace(HANDOVERS[0], result="soon"),))

    with pytest.raises(ValueError, match="soon"):
        render_control_sheet(sheet)


def test_control_sheet_without_a_due_time_or_handovers() -> None:
    text = all_text(render_control_sheet(make_control_sheet(due_at=None, handovers=())))

    assert_shows(text, "Thời gian hẹn trả kết quả: Không quy định", "Chưa có lần giao, nhận hồ sơ nào.")


def test_register_is_a4_landscape_with_the_period_and_every_row() -> None:
    pdf = render_register(make_register(3))

    assert_page_size(pdf, A4_LANDSCAPE)
    assert_shows(
        all_text(pdf),
        "Mẫu số 07",
        *LETTERHEAD,
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01/02/2026 đến ngày 28/02/2026",
        "H35.39-260213-0001",
        "H35.39-260213-0003",
        "Nguyễn Thị Ánh Tuyết",
        "Bộ phận Một cửa",
        "Công chức Tư pháp - Hộ tịch",
        "Đúng hạn",
        "15:00 18/02/2026",  # returned at 08:00 UTC
        "Đã trả kết quả",
        "Tổng số: 3 hồ sơ.",
    )


def test_a_300_row_register_continues_over_pages_with_the_header_on_each() -> None:
    pdf = render_register(make_register(300))

    pages = page_texts(pdf)
    assert len(pages) > 3
    assert_page_size(pdf, A4_LANDSCAPE)
    for text in pages:
        assert_shows(text, "STT", "Mã hồ sơ", "Thủ tục hành chính", "Giao, nhận hồ sơ giữa các đơn vị", "Ghi chú")
    assert_shows(pages[0], "H35.39-260213-0001")
    assert_shows(pages[-1], "H35.39-260213-0300", "Tổng số: 300 hồ sơ.")


def test_transfer_slip_states_the_task_and_the_deadline_of_the_receiving_agency() -> None:
    pdf = render_transfer_slip(make_transfer_slip())

    assert_page_size(pdf, A4)
    assert_shows(
        all_text(pdf),
        "ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ",
        *LETTERHEAD,
        "Ngày 13 tháng 02 năm 2026",
        "PHIẾU CHUYỂN XỬ LÝ HỒ SƠ",
        "Mã hồ sơ: H35.39-260213-0001",
        "Kính gửi: Sở Tư pháp tỉnh Phú Thọ",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        *applicant_fields(),
        "Thứ tự xử lý: 2",
        "Thẩm định hồ sơ, ghi vào Sổ đăng ký khai sinh và trả kết quả cho phường",
        "Thời hạn xử lý: 17 giờ 00 phút, ngày 20/02/2026",
        "Thời gian chuyển: 10 giờ 00 phút, ngày 13/02/2026",
        "NGƯỜI CHUYỂN HỒ SƠ",
        "Trần Văn Đức",
    )


def test_transfer_slip_without_a_deadline_says_so() -> None:
    text = all_text(render_transfer_slip(make_transfer_slip(deadline=None)))

    assert_shows(text, "Thời hạn xử lý: Không quy định")


# --- Every slip: literal text, long text, naive datetimes --------------------------------------

Renderer = Callable[[Any], bytes]


def every_slip(text: str) -> list[tuple[Renderer, Any]]:
    """Every slip with ``text`` in each field an applicant or an officer types freely."""
    party = dataclasses.replace(APPLICANT, name=text, address=text)
    documents = (DocumentLine(text, originals=1, note=text),)
    handovers = (dataclasses.replace(HANDOVERS[0], giver=text, note=text),)
    row = make_register_row(1, applicant_name=text, note=text, handovers=handovers)
    return [
        (render_receipt, make_receipt(applicant=party, documents=documents, return_place=text)),
        (render_supplement, make_supplement(applicant=party, items=documents, reason=text)),
        (render_refusal, make_refusal(applicant=party, reasons=text)),
        (render_apology, make_apology(addressee=party, reason=text)),
        (render_stop_notice, make_stop_notice(applicant=party, reason=text)),
        (render_control_sheet, make_control_sheet(applicant=party, handovers=handovers)),
        (render_register, make_register(0, rows=(row,))),
        (render_transfer_slip, make_transfer_slip(applicant=party, task=text)),
    ]


SLIP_NAMES = ["receipt", "supplement", "refusal", "apology", "stop", "control", "register", "transfer"]
MARKUP = "A & B <Co> <b>không đậm</b> &amp; <br/> <font size=40>to</font>"


@pytest.mark.parametrize(("render", "slip"), every_slip(MARKUP), ids=SLIP_NAMES)
def test_text_that_looks_like_markup_is_printed_literally(render: Renderer, slip: Any) -> None:
    text = all_text(render(slip))

    assert_shows(text, MARKUP)


def test_an_applicant_name_with_markup_characters_is_printed_literally() -> None:
    party = dataclasses.replace(APPLICANT, name="A & B <Co>")

    text = all_text(render_receipt(make_receipt(applicant=party)))

    assert_shows(text, "tiếp nhận hồ sơ của: A & B <Co>")


LONG_TEXT = " ".join(f"Nội dung dài số {n:03d} của người dân ở Phường Việt Trì, đường Hùng Vương." for n in range(30))


@pytest.mark.parametrize(("render", "slip"), every_slip(LONG_TEXT), ids=SLIP_NAMES)
def test_a_2000_character_text_wraps_and_is_printed_whole(render: Renderer, slip: Any) -> None:
    assert len(LONG_TEXT) >= 2000

    words = Counter(all_text(render(slip)).split())

    # Compared word by word: a table row that continues on the next page interleaves its cells
    # with the repeated header in the extracted text, but no word of the text may be missing.
    assert not Counter(LONG_TEXT.split()) - words


def test_a_2000_character_word_without_spaces_is_split_over_lines() -> None:
    word = "Đ" * 2000

    text = all_text(render_supplement(make_supplement(reason=word)))

    assert "".join(text.split()).count("Đ") >= 2000


def test_decomposed_input_is_printed_as_composed_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    party = dataclasses.replace(APPLICANT, name=decomposed)

    text = all_text(render_receipt(make_receipt(applicant=party)))

    assert_shows(text, "Nguyễn Thị Ánh Tuyết")


NAIVE = dt.datetime(2026, 2, 13, 9, 30)


@pytest.mark.parametrize(
    ("render", "slip"),
    [
        (render_receipt, make_receipt(received_at=NAIVE)),
        (render_receipt, make_receipt(appointment_at=NAIVE)),
        (render_supplement, make_supplement(issued_at=NAIVE)),
        (render_refusal, make_refusal(issued_at=NAIVE)),
        (render_apology, make_apology(new_appointment=NAIVE)),
        (render_stop_notice, make_stop_notice(stopped_at=NAIVE)),
        (render_control_sheet, make_control_sheet(handovers=(dataclasses.replace(HANDOVERS[0], handed_at=NAIVE),))),
        (render_register, make_register(0, rows=(make_register_row(1, returned_at=NAIVE),))),
        (render_transfer_slip, make_transfer_slip(deadline=NAIVE)),
    ],
    ids=["receipt", "appointment", "supplement", "refusal", "apology", "stop", "control", "register", "transfer"],
)
def test_naive_datetimes_are_refused(render: Renderer, slip: Any) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        render(slip)
