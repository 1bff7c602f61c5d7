"""What each standard slip shows, as plain values (no database): the renderers draw these.

The slips are the forms of Circular 03/2025/TT-VPCP (replacing Circular 01/2018/TT-VPCP), see
DOMAIN.md §6: 01 receipt and appointment, 02 supplement request, 03 refusal, 04 apology and
extension, 05 stop notice, 06 process control sheet, 07 register, and the inter-agency transfer
slip of Decree 118/2025/NĐ-CP Art. 20.2.a; for the return of results (Art. 22) the parcel's address
label and the counter hand-over slip, both local. The lifecycle builds these values from a dossier
and its events; the renderers in this package turn them into PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Party:
    """An applicant or an addressee as the slip names them."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""  # personal ID, tax code or passport number, already masked where the slip is public


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """A document of the dossier with the number of originals and copies received or missing."""

    name: str
    originals: int = 0
    copies: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Handover:
    """One hand-over of the dossier between units (form 06 rows, form 07 columns)."""

    from_unit: str
    to_unit: str
    handed_at: dt.datetime
    giver: str = ""
    receiver: str = ""
    result: str = ""  # "early", "on_time", "late" or "" (not yet known)
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptSlip:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (A5, two copies: Liên 1 lưu, Liên 2 giao người nộp)."""

    issuing_unit: str
    parent_unit: str  # the line above the issuing unit, e.g. "UBND PHƯỜNG VIỆT TRÌ"
    dossier_code: str
    applicant: Party
    procedure_name: str
    documents: tuple[DocumentLine, ...]
    sets: int
    time_limit_text: str  # "5 ngày làm việc"
    received_at: dt.datetime
    appointment_at: dt.datetime | None  # None: the procedure has no time limit
    return_place: str
    register_book: str
    register_number: str
    officer_name: str
    fees_text: str  # "Lệ phí: 8.000 đồng" or "Miễn phí"
    tracking_url: str  # the public tracking page, printed and encoded in the QR code
    lookup_secret: str  # the second factor the tracking page asks for
    place_name: str = ""  # "Việt Trì" for the "Việt Trì, ngày … tháng … năm …" line


@dataclass(frozen=True, slots=True)
class SupplementSlip:
    """Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (A5)."""

    issuing_unit: str
    parent_unit: str
    applicant: Party
    procedure_name: str
    items: tuple[DocumentLine, ...]
    reason: str
    help_contact: str
    officer_name: str
    issued_at: dt.datetime
    dossier_code: str = ""
    place_name: str = ""


@dataclass(frozen=True, slots=True)
class RefusalSlip:
    """Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ (A5)."""

    issuing_unit: str
    parent_unit: str
    applicant: Party
    procedure_name: str
    reasons: str
    help_contact: str
    officer_name: str
    issued_at: dt.datetime
    dossier_code: str = ""
    place_name: str = ""


@dataclass(frozen=True, slots=True)
class ApologySlip:
    """Form 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (A5)."""

    issuing_agency: str
    parent_unit: str
    addressee: Party
    received_at: dt.datetime
    procedure_name: str
    dossier_code: str
    original_appointment: dt.datetime
    reason: str
    new_appointment: dt.datetime
    signer_title: str
    signer_name: str
    issued_at: dt.datetime
    place_name: str = ""


@dataclass(frozen=True, slots=True)
class StopNotice:
    """Form 05: Thông báo dừng giải quyết hồ sơ (A5)."""

    issuing_agency: str
    parent_unit: str
    applicant: Party
    dossier_code: str
    procedure_name: str
    reason: str
    stopped_at: dt.datetime
    signer_name: str = ""
    place_name: str = ""


@dataclass(frozen=True, slots=True)
class ControlSheet:
    """Form 06: Phiếu kiểm soát quá trình giải quyết hồ sơ (A4)."""

    issuing_unit: str
    parent_unit: str
    dossier_code: str
    applicant: Party
    procedure_name: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    handovers: tuple[Handover, ...]


@dataclass(frozen=True, slots=True)
class RegisterRow:
    dossier_code: str
    applicant_name: str
    procedure_name: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    handovers: tuple[Handover, ...] = field(default=())
    returned_at: dt.datetime | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Register:
    """Form 07: Sổ theo dõi hồ sơ (A4 landscape), one row per dossier of the period."""

    issuing_unit: str
    parent_unit: str
    period_from: dt.date
    period_to: dt.date
    rows: tuple[RegisterRow, ...]


@dataclass(frozen=True, slots=True)
class TransferSlip:
    """Phiếu chuyển xử lý (Decree 118/2025/NĐ-CP Art. 20.2.a): task and deadline of one agency (A4)."""

    from_agency: str
    to_agency: str
    dossier_code: str
    procedure_name: str
    applicant: Party
    task: str
    deadline: dt.datetime | None
    issued_at: dt.datetime
    officer_name: str
    order: int = 1  # position in a sequential same-level chain; 1 for parallel or different-level work


@dataclass(frozen=True, slots=True)
class AddressLabel:
    """The label on the parcel of a result sent by post (Decree 118/2025/NĐ-CP Art. 22), A6 landscape."""

    sender: Party  # the returning unit: name, address, phone
    recipient: Party  # the applicant, or the representative who receives for them
    dossier_code: str
    procedure_name: str
    on_behalf_of: str = ""  # the applicant's name when a representative receives the parcel
    postal_tracking_number: str = ""  # known once the post office has accepted the parcel


@dataclass(frozen=True, slots=True)
class ResultHandoverSlip:
    """Phiếu bàn giao kết quả: the result handed over at the counter, signed by both sides (A5)."""

    issuing_unit: str
    parent_unit: str
    dossier_code: str
    applicant: Party
    procedure_name: str
    results: tuple[str, ...]  # the result documents handed over
    received_at: dt.datetime
    appointment_at: dt.datetime | None
    handed_over_at: dt.datetime | None  # None: printed before the hand-over, the time is written by hand
    officer_name: str = ""
    representative: str = ""  # "Trần Văn B (con trai)" when someone receives for the applicant
    place_name: str = ""
