"""What goes with a result when it is returned (Decree 118/2025/NĐ-CP Art. 22): local slips, no national form.

- The address label of a result sent by post, on **A6 landscape** (148 × 105 mm): the size of a
  parcel label (the 100 × 150 mm labels of thermal label printers and the adhesive pouches of the
  post office take it; four fit on an A4 sheet), and landscape leaves room for the sender and the
  recipient side by side as postal labels print them. It carries the sender (the returning unit),
  the recipient (the applicant, or the representative who receives for them), the dossier code
  as text and as a QR code (scanned at the desk when the parcel comes back undelivered), the
  procedure and the content "Kết quả giải quyết TTHC". It always fits one label: a long address
  or procedure name makes the type smaller, never a second page.
- Phiếu bàn giao kết quả, on A5 portrait like forms 01–05: the result handed over at the counter,
  when, by whom, to whom, with both signatures; printed before the hand-over, the time is left
  blank to be written by hand.

Times are written in Vietnam local time; a naive datetime raises ValueError.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from motcua.dossiers.slips.data import AddressLabel, Party, ResultHandoverSlip
from motcua.dossiers.slips.layout import (
    A5_PORTRAIT,
    A6_LANDSCAPE,
    NO_TIME_LIMIT,
    Cell,
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
from motcua.dossiers.slips.local_time import format_moment, place_and_date

LABEL_CONTENT = "Kết quả giải quyết TTHC"
LABEL_QR_SIZE = 24 * mm
#: A moment to be written by hand on a slip printed before it happens.
BLANK_MOMENT = "...... giờ ...... phút, ngày ....../....../.........."
BLANK_DATE_LINE = "......, ngày ...... tháng ...... năm .........."
# ReportLab's frame keeps 6 points of padding on each side inside the margins.
_FRAME_PADDING = 12


def render_address_label(label: AddressLabel) -> bytes:
    """The parcel's address label, one A6 landscape page whatever the length of the texts."""
    paper = A6_LANDSCAPE
    styles = styles_for(paper)
    recipient_lines = [f"NGƯỜI NHẬN: <font size={paper.font_size + 2}>{bold(label.recipient.name)}</font>"]
    if label.on_behalf_of:
        recipient_lines.append(f"Nhận thay cho: {markup(label.on_behalf_of)}")
    recipient_lines += _contact_lines(label.recipient)
    sender_lines = [f"NGƯỜI GỬI: {bold(label.sender.name)}", *_contact_lines(label.sender)]
    parties = Table(
        [[cell_lines(paper, sender_lines), cell_lines(paper, recipient_lines)]],
        colWidths=[paper.width * 0.42, paper.width * 0.58],
    )
    parties.setStyle(_boxed())
    about = [
        f"Mã hồ sơ: <font size={paper.font_size + 3}>{bold(label.dossier_code)}</font>",
        f"Thủ tục: {markup(label.procedure_name)}",
        f"Nội dung bưu gửi: {bold(LABEL_CONTENT)}",
    ]
    if label.postal_tracking_number:
        about.append(f"Số hiệu bưu gửi: {bold(label.postal_tracking_number)}")
    code = Table(
        [[qr_code(label.dossier_code, LABEL_QR_SIZE), cell_lines(paper, about)]],
        colWidths=[LABEL_QR_SIZE + 4 * mm, paper.width - LABEL_QR_SIZE - 4 * mm],
    )
    code.setStyle(_boxed())
    story: list[Flowable] = [Paragraph(bold(LABEL_CONTENT.upper()), styles.title), parties, Spacer(1, 2 * mm), code]
    height = paper.size[1] - paper.top - paper.bottom - _FRAME_PADDING
    fitted = KeepInFrame(paper.width, height, story, mode="shrink")
    return build_pdf(
        paper,
        [fitted],
        title=f"Nhãn bưu gửi kết quả {label.dossier_code}",
        subject="Nhãn bưu gửi, Nghị định 118/2025/NĐ-CP Điều 22",
        author=label.sender.name,
    )


def render_result_handover(slip: ResultHandoverSlip) -> bytes:
    """Phiếu bàn giao kết quả on A5 portrait, signed by the officer and the recipient."""
    paper = A5_PORTRAIT
    handed = BLANK_MOMENT if slip.handed_over_at is None else format_moment(slip.handed_over_at)
    dated = BLANK_DATE_LINE if slip.handed_over_at is None else place_and_date(slip.place_name, slip.handed_over_at)
    appointment = NO_TIME_LIMIT if slip.appointment_at is None else format_moment(slip.appointment_at)
    rows: list[list[Cell]] = [[str(number), name] for number, name in enumerate(slip.results, start=1)]
    story: list[Flowable] = [
        *letterhead(paper, issuing_unit=slip.issuing_unit, parent_unit=slip.parent_unit, dated_line=dated),
        *title_block(paper, "PHIẾU BÀN GIAO KẾT QUẢ", dossier_code=slip.dossier_code),
        line(paper, f"{markup(slip.issuing_unit)} bàn giao kết quả giải quyết hồ sơ cho: {bold(slip.applicant.name)}"),
        *party_details(paper, slip.applicant),
        *([field(paper, "Người nhận thay", slip.representative)] if slip.representative else []),
        field(paper, "Thủ tục hành chính", slip.procedure_name),
        field(paper, "Thời gian nhận hồ sơ", format_moment(slip.received_at)),
        field(paper, "Thời gian hẹn trả kết quả", appointment),
        line(paper, markup("Kết quả bàn giao gồm:")),
        grid_table(paper, ["STT", "Kết quả giải quyết"], rows, [0.9, 9.1], centred={0}),
        field(paper, "Thời gian bàn giao", handed, strong=slip.handed_over_at is not None),
        line(paper, italic("Người nhận đã kiểm tra và nhận đủ kết quả nêu trên.")),
        signatures(paper, Signature("NGƯỜI NHẬN KẾT QUẢ"), Signature("NGƯỜI BÀN GIAO", slip.officer_name)),
    ]
    return build_pdf(
        paper,
        story,
        title=f"Phiếu bàn giao kết quả {slip.dossier_code}",
        subject="Phiếu bàn giao kết quả, Nghị định 118/2025/NĐ-CP Điều 22",
        author=slip.issuing_unit,
    )


def _contact_lines(party: Party) -> list[str]:
    lines = [f"Địa chỉ: {markup(party.address)}"] if party.address else []
    if party.phone:
        lines.append(f"Điện thoại: {bold(party.phone)}")
    return lines


def _boxed() -> TableStyle:
    return TableStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
            ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )
