"""The sheets that travel with the dossier between units, and the register of the desk.

- Form 06 Phiếu kiểm soát quá trình giải quyết hồ sơ (Circular 03/2025/TT-VPCP), A4 portrait: one
  row per hand-over with both signatures and whether the step finished early, on time or late.
- Form 07 Sổ theo dõi hồ sơ, A4 landscape: one row per dossier of the period; a long register
  continues over as many pages as it needs with the column headings repeated.
- Phiếu chuyển xử lý (Decree 118/2025/NĐ-CP Art. 20.2.a), A4 portrait: what one agency of an
  inter-agency procedure must do and by when.

Times are written in Vietnam local time; a naive datetime raises ValueError.
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Flowable

from motcua.dossiers.slips.data import ControlSheet, Handover, Register, RegisterRow, TransferSlip
from motcua.dossiers.slips.layout import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    NO_TIME_LIMIT,
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
    signatures,
    title_block,
)
from motcua.dossiers.slips.local_time import format_clock, format_day, format_moment, format_short, place_and_date

CIRCULAR = "Thông tư 03/2025/TT-VPCP"

#: Form 06's result column: was the step finished before, on or after its own time limit.
HANDOVER_RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "": ""}


def render_control_sheet(sheet: ControlSheet) -> bytes:
    """Form 06 on A4 portrait."""
    paper = A4_PORTRAIT
    due = NO_TIME_LIMIT if sheet.due_at is None else format_moment(sheet.due_at)
    rows: list[list[Cell]] = [
        [
            str(number),
            cell_lines(paper, [f"Giao: {bold(handover.from_unit)}", f"Nhận: {bold(handover.to_unit)}"]),
            _moment_cell(paper, handover.handed_at),
            handover.giver,
            handover.receiver,
            result_label(handover.result),
            handover.note,
        ]
        for number, handover in enumerate(sheet.handovers, start=1)
    ]
    story: list[Flowable] = [
        *letterhead(paper, issuing_unit=sheet.issuing_unit, parent_unit=sheet.parent_unit, form_number="Mẫu số 06"),
        *title_block(
            paper,
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            dossier_code=sheet.dossier_code,
            notes=["(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)"],
        ),
        field(paper, "Tổ chức, cá nhân", sheet.applicant.name, strong=True),
        *party_details(paper, sheet.applicant),
        field(paper, "Thủ tục hành chính", sheet.procedure_name),
        field(paper, "Thời gian nhận hồ sơ", format_moment(sheet.received_at)),
        field(paper, "Thời gian hẹn trả kết quả", due),
        grid_table(
            paper,
            ["STT", "Giao, nhận hồ sơ", "Thời gian giao, nhận", "Người giao", "Người nhận", "Kết quả", "Ghi chú"],
            rows,
            [0.7, 3.4, 1.9, 1.8, 1.8, 1.4, 1.9],
            centred={0, 2, 5},
        ),
    ]
    if not rows:
        story.append(line(paper, italic("Chưa có lần giao, nhận hồ sơ nào.")))
    return build_pdf(
        paper,
        story,
        title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ {sheet.dossier_code}",
        subject=f"Mẫu số 06, {CIRCULAR}",
        author=sheet.issuing_unit,
        page_numbers=True,
    )


def render_register(register: Register) -> bytes:
    """Form 07 on A4 landscape: the register of the period, as many pages as it needs."""
    paper = A4_LANDSCAPE
    period = f"Từ ngày {format_day(register.period_from)} đến ngày {format_day(register.period_to)}"
    rows = [_register_row(paper, number, row) for number, row in enumerate(register.rows, start=1)]
    story: list[Flowable] = [
        *letterhead(
            paper, issuing_unit=register.issuing_unit, parent_unit=register.parent_unit, form_number="Mẫu số 07"
        ),
        *title_block(paper, "SỔ THEO DÕI HỒ SƠ", notes=[period]),
        grid_table(
            paper,
            [
                "STT",
                "Mã hồ sơ",
                "Tổ chức, cá nhân",
                "Thủ tục hành chính",
                "Nhận hồ sơ",
                "Hẹn trả kết quả",
                "Giao, nhận hồ sơ giữa các đơn vị",
                "Trả kết quả",
                "Ký nhận",
                "Ghi chú",
            ],
            rows,
            [0.7, 3.0, 2.4, 2.8, 1.6, 1.6, 5.2, 1.6, 1.2, 1.4],
            centred={0, 4, 5, 7},
        ),
        line(paper, f"Tổng số: {bold(str(len(rows)))} hồ sơ."),
    ]
    return build_pdf(
        paper,
        story,
        title=f"Sổ theo dõi hồ sơ {period.lower()}",
        subject=f"Mẫu số 07, {CIRCULAR}",
        author=register.issuing_unit,
        page_numbers=True,
    )


def render_transfer_slip(slip: TransferSlip) -> bytes:
    """The inter-agency transfer slip on A4 portrait (Decree 118/2025/NĐ-CP Art. 20.2.a)."""
    paper = A4_PORTRAIT
    deadline = NO_TIME_LIMIT if slip.deadline is None else format_moment(slip.deadline)
    story: list[Flowable] = [
        *letterhead(paper, issuing_unit=slip.from_agency, dated_line=place_and_date("", slip.issued_at)),
        *title_block(paper, "PHIẾU CHUYỂN XỬ LÝ HỒ SƠ", dossier_code=slip.dossier_code),
        line(paper, f"Kính gửi: {bold(slip.to_agency)}"),
        line(
            paper,
            f"{markup(slip.from_agency)} chuyển hồ sơ sau đây để {markup(slip.to_agency)} xử lý "
            "theo quy trình liên thông:",
        ),
        field(paper, "Cơ quan chuyển", slip.from_agency),
        field(paper, "Cơ quan nhận", slip.to_agency),
        field(paper, "Thủ tục hành chính", slip.procedure_name),
        field(paper, "Tổ chức, cá nhân", slip.applicant.name, strong=True),
        *party_details(paper, slip.applicant),
        field(paper, "Thứ tự xử lý", str(slip.order)),
        field(paper, "Nội dung công việc", slip.task),
        field(paper, "Thời hạn xử lý", deadline, strong=True),
        field(paper, "Thời gian chuyển", format_moment(slip.issued_at)),
        signatures(paper, Signature("NGƯỜI NHẬN HỒ SƠ"), Signature("NGƯỜI CHUYỂN HỒ SƠ", slip.officer_name)),
    ]
    return build_pdf(
        paper,
        story,
        title=f"Phiếu chuyển xử lý hồ sơ {slip.dossier_code}",
        subject="Phiếu chuyển xử lý, Nghị định 118/2025/NĐ-CP Điều 20",
        author=slip.from_agency,
    )


def result_label(result: str) -> str:
    """Form 06's wording of a hand-over result; an unknown value is a programming error."""
    try:
        return HANDOVER_RESULTS[result]
    except KeyError:
        raise ValueError(f"unknown hand-over result {result!r}; expected one of {sorted(HANDOVER_RESULTS)}") from None


def _register_row(paper: Paper, number: int, row: RegisterRow) -> list[Cell]:
    return [
        str(number),
        row.dossier_code,
        row.applicant_name,
        row.procedure_name,
        _moment_cell(paper, row.received_at),
        NO_TIME_LIMIT if row.due_at is None else _moment_cell(paper, row.due_at),
        cell_lines(paper, [_handover_text(handover) for handover in row.handovers]),
        "" if row.returned_at is None else _moment_cell(paper, row.returned_at),
        "",
        row.note,
    ]


def _moment_cell(paper: Paper, moment: dt.datetime) -> Flowable:
    """A moment in a narrow cell: the time above the day, so that neither breaks."""
    return cell_lines(paper, [format_clock(moment), format_day(moment)], centred=True)


def _handover_text(handover: Handover) -> str:
    """One hand-over in a register cell: "09:30 13/02/2026: Một cửa (giver) → Tư pháp (receiver), Đúng hạn. note"."""
    giver = f" ({markup(handover.giver)})" if handover.giver else ""
    receiver = f" ({markup(handover.receiver)})" if handover.receiver else ""
    result = result_label(handover.result)
    text = f"{format_short(handover.handed_at)}: {markup(handover.from_unit)}{giver}"
    text += f" → {markup(handover.to_unit)}{receiver}"
    if result:
        text += f", {italic(result)}"
    if handover.note:
        text += f". {markup(handover.note)}"
    return text
