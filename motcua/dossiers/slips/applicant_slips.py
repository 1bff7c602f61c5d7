"""The slips handed to the applicant, forms 01–05 of Circular 03/2025/TT-VPCP, on A5 portrait.

- 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Decree 118/2025/NĐ-CP Art. 17): two copies, one page
  each, "Liên 1: Lưu" kept by the desk and "Liên 2: Giao người nộp hồ sơ" handed over; locally a QR
  code of the tracking page, its address and the lookup secret the page asks for.
- 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ and 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ (Art. 17).
- 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ (Art. 19.6), signed by the head
  of the agency that is late.
- 05 Thông báo dừng giải quyết hồ sơ (Art. 21).

Times are written in Vietnam local time ("09 giờ 30 phút, ngày 13/02/2026"); a naive datetime raises
ValueError before anything is drawn.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph

from motcua.dossiers.slips.data import (
    ApologySlip,
    DocumentLine,
    Party,
    ReceiptSlip,
    RefusalSlip,
    StopNotice,
    SupplementSlip,
)
from motcua.dossiers.slips.layout import (
    A5_PORTRAIT,
    NO_TIME_LIMIT,
    SIGN_NAME_AND_SEAL,
    Cell,
    Paper,
    Signature,
    bold,
    build_pdf,
    cell_lines,
    field,
    grid_table,
    italic,
    letterhead,
    line,
    markup,
    party_details,
    qr_code,
    signatures,
    styles_for,
    title_block,
)
from motcua.dossiers.slips.local_time import format_day, format_moment, place_and_date

PAPER = A5_PORTRAIT
CIRCULAR = "Thông tư 03/2025/TT-VPCP"
RECEIPT_COPIES = ("Liên 1: Lưu", "Liên 2: Giao người nộp hồ sơ")
QR_SIZE = 21 * mm


def render_receipt(slip: ReceiptSlip) -> bytes:
    """Form 01 on A5: the same receipt twice, one page per copy."""
    story: list[Flowable] = []
    for copy_label in RECEIPT_COPIES:
        if story:
            story.append(PageBreak())
        story += _receipt_copy(slip, copy_label)
    return build_pdf(
        PAPER,
        story,
        title=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {slip.dossier_code}",
        subject=f"Mẫu số 01, {CIRCULAR}",
        author=slip.issuing_unit,
    )


def render_supplement(slip: SupplementSlip) -> bytes:
    """Form 02 on A5: what the applicant must add or correct, why, and whom to ask."""
    story = [
        *letterhead(
            PAPER,
            issuing_unit=slip.issuing_unit,
            parent_unit=slip.parent_unit,
            form_number="Mẫu số 02",
            dated_line=place_and_date(slip.place_name, slip.issued_at),
        ),
        *title_block(PAPER, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", dossier_code=slip.dossier_code),
        *_received_from(PAPER, slip.issuing_unit, slip.applicant),
        field(PAPER, "Nội dung yêu cầu giải quyết", slip.procedure_name),
        line(
            PAPER,
            markup(
                "Sau khi xem xét thành phần hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"
            ),
        ),
        _document_table(PAPER, slip.items, name_header="Giấy tờ, nội dung cần bổ sung, hoàn thiện"),
        field(PAPER, "Lý do", slip.reason),
        field(PAPER, "Thời gian yêu cầu", format_moment(slip.issued_at)),
        line(
            PAPER,
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
            f"{bold(slip.help_contact)} để được hướng dẫn.",
        ),
        signatures(PAPER, None, Signature("NGƯỜI HƯỚNG DẪN", slip.officer_name)),
    ]
    return build_pdf(
        PAPER,
        story,
        title=_with_code("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", slip.dossier_code),
        subject=f"Mẫu số 02, {CIRCULAR}",
        author=slip.issuing_unit,
    )


def render_refusal(slip: RefusalSlip) -> bytes:
    """Form 03 on A5: the dossier is not accepted, with the reasons and whom to ask."""
    story = [
        *letterhead(
            PAPER,
            issuing_unit=slip.issuing_unit,
            parent_unit=slip.parent_unit,
            form_number="Mẫu số 03",
            dated_line=place_and_date(slip.place_name, slip.issued_at),
        ),
        *title_block(PAPER, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", dossier_code=slip.dossier_code),
        *_received_from(PAPER, slip.issuing_unit, slip.applicant),
        field(PAPER, "Nội dung yêu cầu giải quyết", slip.procedure_name),
        line(
            PAPER,
            f"Qua xem xét, {markup(slip.issuing_unit)} từ chối tiếp nhận, giải quyết hồ sơ này "
            "với lý do cụ thể như sau:",
        ),
        line(PAPER, markup(slip.reasons)),
        field(PAPER, "Thời gian từ chối", format_moment(slip.issued_at)),
        line(PAPER, f"Nếu có vướng mắc, Ông/Bà liên hệ {bold(slip.help_contact)} để được hướng dẫn."),
        line(PAPER, markup("Xin thông báo để Ông/Bà được biết và thực hiện./.")),
        signatures(PAPER, None, Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", slip.officer_name)),
    ]
    return build_pdf(
        PAPER,
        story,
        title=_with_code("Phiếu từ chối tiếp nhận giải quyết hồ sơ", slip.dossier_code),
        subject=f"Mẫu số 03, {CIRCULAR}",
        author=slip.issuing_unit,
    )


def render_apology(slip: ApologySlip) -> bytes:
    """Form 04 on A5: the late agency apologises and asks for a new appointment (Art. 19.6)."""
    agency = markup(slip.issuing_agency)
    story = [
        *letterhead(
            PAPER,
            issuing_unit=slip.issuing_agency,
            parent_unit=slip.parent_unit,
            form_number="Mẫu số 04",
            dated_line=place_and_date(slip.place_name, slip.issued_at),
        ),
        *title_block(
            PAPER, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ", dossier_code=slip.dossier_code
        ),
        Paragraph(f"Kính gửi: {bold(slip.addressee.name)}", styles_for(PAPER).centre),
        *party_details(PAPER, slip.addressee),
        line(
            PAPER,
            f"Ngày {format_day(slip.received_at)}, {agency} tiếp nhận hồ sơ đề nghị giải quyết "
            f"thủ tục hành chính: {bold(slip.procedure_name)}.",
        ),
        field(PAPER, "Thời gian nhận hồ sơ", format_moment(slip.received_at)),
        field(PAPER, "Thời gian hẹn trả kết quả", format_moment(slip.original_appointment)),
        line(PAPER, f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng hẹn."),
        field(PAPER, "Lý do", slip.reason),
        line(
            PAPER,
            f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. {agency} xin lỗi Ông/Bà "
            "và đề nghị gia hạn thời gian trả kết quả giải quyết hồ sơ đến: "
            f"{bold(format_moment(slip.new_appointment))}.",
        ),
        line(PAPER, markup("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.")),
        signatures(PAPER, None, Signature(slip.signer_title, slip.signer_name, SIGN_NAME_AND_SEAL)),
    ]
    return build_pdf(
        PAPER,
        story,
        title=f"Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ {slip.dossier_code}",
        subject=f"Mẫu số 04, {CIRCULAR}",
        author=slip.issuing_agency,
    )


def render_stop_notice(slip: StopNotice) -> bytes:
    """Form 05 on A5: the agency stops handling the dossier from a moment, for a reason (Art. 21)."""
    story = [
        *letterhead(
            PAPER,
            issuing_unit=slip.issuing_agency,
            parent_unit=slip.parent_unit,
            form_number="Mẫu số 05",
            dated_line=place_and_date(slip.place_name, slip.stopped_at),
        ),
        *title_block(PAPER, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", dossier_code=slip.dossier_code),
        Paragraph(f"Kính gửi: {bold(slip.applicant.name)}", styles_for(PAPER).centre),
        *party_details(PAPER, slip.applicant),
        field(PAPER, "Thủ tục hành chính", slip.procedure_name),
        line(
            PAPER,
            f"{markup(slip.issuing_agency)} thông báo dừng giải quyết hồ sơ nêu trên "
            f"kể từ {bold(format_moment(slip.stopped_at))}.",
        ),
        field(PAPER, "Lý do", slip.reason),
        line(PAPER, markup("Xin thông báo để Ông/Bà được biết./.")),
        signatures(PAPER, None, Signature("CƠ QUAN GIẢI QUYẾT HỒ SƠ", slip.signer_name, SIGN_NAME_AND_SEAL)),
    ]
    return build_pdf(
        PAPER,
        story,
        title=f"Thông báo dừng giải quyết hồ sơ {slip.dossier_code}",
        subject=f"Mẫu số 05, {CIRCULAR}",
        author=slip.issuing_agency,
    )


def _receipt_copy(slip: ReceiptSlip, copy_label: str) -> list[Flowable]:
    appointment = NO_TIME_LIMIT if slip.appointment_at is None else format_moment(slip.appointment_at)
    # A dossier without a public tracking page (none configured) gets neither the address nor the code.
    tracking_line = (
        [line(PAPER, f"Tra cứu tình trạng hồ sơ tại: {markup(slip.tracking_url)}")] if slip.tracking_url else []
    )
    tracking_code = _tracking_code(PAPER, slip.tracking_url, slip.lookup_secret) if slip.tracking_url else None
    return [
        *letterhead(
            PAPER,
            issuing_unit=slip.issuing_unit,
            parent_unit=slip.parent_unit,
            form_number="Mẫu số 01",
            dated_line=place_and_date(slip.place_name, slip.received_at),
        ),
        *title_block(
            PAPER, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", dossier_code=slip.dossier_code, notes=[f"({copy_label})"]
        ),
        *_received_from(PAPER, slip.issuing_unit, slip.applicant),
        field(PAPER, "Nội dung yêu cầu giải quyết", slip.procedure_name),
        line(PAPER, markup("1. Thành phần hồ sơ nộp gồm:")),
        _document_table(PAPER, slip.documents, name_header="Tên giấy tờ"),
        field(PAPER, "2. Số bộ hồ sơ", str(slip.sets)),
        field(PAPER, "3. Thời gian giải quyết hồ sơ theo quy định", slip.time_limit_text),
        field(PAPER, "4. Thời gian nhận hồ sơ", format_moment(slip.received_at)),
        field(PAPER, "5. Thời gian trả kết quả", appointment, strong=True),
        field(PAPER, "6. Nơi trả kết quả", slip.return_place),
        line(PAPER, "7. " + markup(slip.fees_text)),
        line(
            PAPER,
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {markup(slip.register_book)}, Số thứ tự: {markup(slip.register_number)}",
        ),
        *tracking_line,
        signatures(
            PAPER,
            Signature("NGƯỜI NỘP HỒ SƠ"),
            Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", slip.officer_name),
            aside=tracking_code,
            aside_width=QR_SIZE + 6 * mm,
        ),
    ]


def _received_from(paper: Paper, unit: str, applicant: Party) -> list[Flowable]:
    return [
        line(paper, f"{markup(unit)} tiếp nhận hồ sơ của: {bold(applicant.name)}"),
        *party_details(paper, applicant),
    ]


def _document_table(paper: Paper, documents: tuple[DocumentLine, ...], *, name_header: str) -> Flowable:
    rows: list[list[Cell]] = [
        [
            str(number),
            cell_lines(paper, [markup(document.name), *([italic(document.note)] if document.note else [])]),
            str(document.originals),
            str(document.copies),
        ]
        for number, document in enumerate(documents, start=1)
    ]
    return grid_table(
        paper, ["STT", name_header, "Bản chính", "Bản sao"], rows, [0.9, 6.2, 1.5, 1.4], centred={0, 2, 3}
    )


def _tracking_code(paper: Paper, tracking_url: str, lookup_secret: str) -> list[Flowable]:
    """The QR code of the tracking page over the lookup secret the page asks for."""
    return [
        qr_code(tracking_url, QR_SIZE),
        cell_lines(paper, [markup("Mã tra cứu:"), bold(lookup_secret)], centred=True),
    ]


def _with_code(title: str, dossier_code: str) -> str:
    return f"{title} {dossier_code}".strip()
