"""Render the standard slips to PDF bytes: one public function per slip of ``data``.

The forms are those of Circular 03/2025/TT-VPCP: 01 receipt and appointment (Decree 118/2025/NĐ-CP
Art. 17), 02 supplement request and 03 refusal (Art. 17), 04 apology and extension (Art. 19.6),
05 stop notice (Art. 21), 06 process control sheet, 07 register, and the inter-agency transfer slip
(Art. 20.2.a). ``applicant_slips`` draws 01–05 on A5, ``internal_sheets`` 06, 07 and the transfer
slip on A4, ``return_slips`` the parcel's address label and the counter hand-over of the result
(Art. 22); ``layout`` holds what they share. Every function raises ValueError for a naive datetime.
"""

from __future__ import annotations

from motcua.dossiers.slips.applicant_slips import (
    render_apology,
    render_receipt,
    render_refusal,
    render_stop_notice,
    render_supplement,
)
from motcua.dossiers.slips.internal_sheets import render_control_sheet, render_register, render_transfer_slip
from motcua.dossiers.slips.return_slips import render_address_label, render_result_handover

__all__ = [
    "render_address_label",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_register",
    "render_result_handover",
    "render_stop_notice",
    "render_supplement",
    "render_transfer_slip",
]
