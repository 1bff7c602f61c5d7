"""How the slips write moments and dates: always in Vietnam's local time (Asia/Ho_Chi_Minh).

The receipt states the time a dossier was received and the appointment "giờ … phút, ngày …"
(Circular 03/2025/TT-VPCP, form 01; Decree 118/2025/NĐ-CP Art. 17): the citizen reads them as
wall-clock times at the desk, so a moment is converted to Vietnam time whatever zone it carries.
A naive datetime is a programming error (its zone is unknown) and is refused with a ValueError.
The place-and-date line follows Decree 30/2020/NĐ-CP: "Việt Trì, ngày 05 tháng 02 năm 2026".
"""

from __future__ import annotations

import datetime as dt

from motcua.workdays.clock import NaiveDatetimeError
from motcua.workdays.workcalendar import VIETNAM_TZ


def to_vietnam_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Asia/Ho_Chi_Minh; raise NaiveDatetimeError (a ValueError) if it has no zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(moment)
    return moment.astimezone(VIETNAM_TZ)


def format_moment(moment: dt.datetime) -> str:
    """The wording of the receipt and the appointment: "09 giờ 30 phút, ngày 13/02/2026"."""
    local = to_vietnam_time(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def format_short(moment: dt.datetime) -> str:
    """A moment in a register line: "09:30 13/02/2026"."""
    local = to_vietnam_time(moment)
    return f"{local:%H:%M %d/%m/%Y}"


def format_clock(moment: dt.datetime) -> str:
    """The hour and minute alone, "09:30", set above the day in a narrow table cell."""
    return f"{to_vietnam_time(moment):%H:%M}"


def format_day(day: dt.date) -> str:
    """The day as "13/02/2026"; a datetime is first converted to Vietnam time."""
    if isinstance(day, dt.datetime):
        day = to_vietnam_time(day).date()
    return f"{day:%d/%m/%Y}"


def place_and_date(place_name: str, moment: dt.datetime) -> str:
    """The line "Việt Trì, ngày 13 tháng 02 năm 2026", or "Ngày 13 tháng 02 năm 2026" without a place."""
    local = to_vietnam_time(moment)
    date_text = f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"
    place = place_name.strip()
    return f"{place}, {date_text}" if place else date_text[0].upper() + date_text[1:]
