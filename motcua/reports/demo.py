"""Past years for the demo province, so that the statistics pages have something to show.

``load_history(province, communes, years=2)`` writes a CSV file of past dossiers in the layout of
docs/howto/historical-import.md and imports it through the real import (``services.history``):
the province's departments and vertical agencies handle the province-level procedures of their
sectors, the given communes the procedures they offer; a dossier arrives on a working day, most
are resolved early, some on the due day, a few late, refused or stopped; the recent ones are still
open; a third of the applicants rate the service. Everything is drawn from a seeded random
generator, so the same history comes out every time. A second call finds the import and adds
nothing. Only agencies with an electronic identifier code take part, from the day it is valid (the import
needs it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from motcua.agencies.models import Agency, AgencyCode
from motcua.catalog.models import AgencyProcedure, ProcedureVersion
from motcua.reports.history_csv import REQUIRED_COLUMNS
from motcua.reports.models import ImportBatch
from motcua.reports.services.history import import_history
from motcua.workdays.workcalendar import VIETNAM_TZ

FILE_NAME = "demo-history.csv"
SEED = 766
#: Dossiers a day, on average, at a commune and at a provincial department.
PER_DAY_COMMUNE, PER_DAY_DEPARTMENT = 12, 4
#: Procedures at most per agency (the first ones carry most of the dossiers).
MOST_PROCEDURES = 12
#: Sectors of each provincial body's province-level procedures (names as the national catalogue writes them).
DEPARTMENT_SECTORS: dict[str, tuple[str, ...]] = {
    "Sở Tư pháp": ("Công chứng", "Luật sư", "Lý lịch tư pháp", "Quốc tịch", "Trợ giúp pháp lý", "Đấu giá tài sản"),
    "Sở Xây dựng": ("Đường bộ", "Nhà ở và công sở", "Hoạt động xây dựng", "Sát hạch, cấp giấy phép lái xe"),
    "Sở NN&MT": ("Đất đai", "Địa chất và khoáng sản", "Thủy sản", "Thú y", "Tài nguyên nước", "Môi trường"),
    "Sở Tài chính": ("Thành lập và hoạt động của doanh nghiệp", "Đầu tư tại Việt nam", "Quản lý công sản"),
    "Sở Nội vụ": ("Chính sách", "Người có công", "Tổ chức, cán bộ"),
    "Sở KH&CN": ("Khoa học công nghệ", "Khoa học và Công nghệ"),
    "Công an tỉnh": ("Quản lý xuất nhập cảnh", "Cấp, quản lý căn cước", "Phòng cháy, chữa cháy"),
    "Thuế tỉnh": ("Thuế",),
    "BHXH tỉnh": ("Thực hiện chính sách BHXH", "Chi trả các chế độ BHXH", "Thực hiện chính sách BHYT"),
}


@dataclass(frozen=True, slots=True)
class Desk:
    code: str  # the agency's identifier code
    procedures: tuple[str, ...]  # procedure codes, most used first
    per_day: int
    since: dt.date  # the code's first valid day: no dossier before it


def load_history(province: Agency, communes: Sequence[Agency], years: int = 2, *, today: dt.date | None = None) -> int:
    """Import ``years`` of past dossiers for ``province``'s bodies and ``communes``; returns how many (0 if done)."""
    if ImportBatch.objects.filter(file_name=FILE_NAME).exists():
        return 0
    today = today or timezone.localdate()
    desks = _desks(province, communes, today)
    if not desks:
        return 0
    content = _history_csv(desks, today - dt.timedelta(days=365 * years), today)
    batch = import_history(content=content, file_name=FILE_NAME, user=None, now=timezone.now())
    return batch.rows


def _desks(province: Agency, communes: Sequence[Agency], today: dt.date) -> list[Desk]:
    codes = {
        agency_id: (code, valid_from or dt.date.min)
        for agency_id, code, valid_from in AgencyCode.objects.filter(
            agency__in=[province, *communes, *Agency.objects.filter(parent=province)]
        )
        .valid_on(today)
        .values_list("agency_id", "code", "valid_from")
    }
    desks = []
    for department in Agency.objects.filter(parent=province, pk__in=codes).order_by("name"):
        sectors = DEPARTMENT_SECTORS.get(department.short_name, ())
        versions = (
            ProcedureVersion.objects.current()
            .at_level("province")
            .filter(sector__name__in=sectors)
            .order_by("procedure__code")
            .values_list("procedure__code", flat=True)
        )
        procedures = tuple(versions[:MOST_PROCEDURES])
        if procedures:
            desks.append(Desk(codes[department.pk][0], procedures, PER_DAY_DEPARTMENT, codes[department.pk][1]))
    for commune in communes:
        offered = (
            AgencyProcedure.objects.filter(agency=commune, is_active=True)
            .order_by("procedure__code")
            .values_list("procedure__code", flat=True)
        )
        procedures = tuple(offered[:MOST_PROCEDURES])
        if procedures and commune.pk in codes:
            desks.append(Desk(codes[commune.pk][0], procedures, PER_DAY_COMMUNE, codes[commune.pk][1]))
    return desks


def _history_csv(desks: Sequence[Desk], first: dt.date, today: dt.date) -> bytes:
    chance = random.Random(SEED)  # noqa: S311 - demonstration data, not security
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*REQUIRED_COLUMNS, "delivery"])
    day = first
    while day < today:
        if day.weekday() < 5:
            for desk in desks:
                if day < desk.since:
                    continue
                weights = [1 / (rank + 1) for rank in range(len(desk.procedures))]
                for number in range(chance.randint(desk.per_day // 2, desk.per_day * 3 // 2)):
                    procedure = chance.choices(desk.procedures, weights)[0]
                    writer.writerow(_dossier(chance, desk, procedure, day, number, today))
        day += dt.timedelta(days=1)
    return buffer.getvalue().encode()


def _dossier(chance: random.Random, desk: Desk, procedure: str, day: dt.date, number: int, today: dt.date) -> list[str]:
    """One past dossier; what would happen from ``today`` on has not happened: the dossier is still open."""
    received = dt.datetime.combine(day, dt.time(7, 30), tzinfo=VIETNAM_TZ) + dt.timedelta(
        minutes=chance.randint(0, 540)
    )
    limit = chance.choice((3, 5, 7, 10, 15))
    due = dt.datetime.combine(_working_days_after(day, limit), dt.time(17), tzinfo=VIETNAM_TZ)
    online = chance.random() < 0.25 + 0.3 * (day - dt.date(day.year, 1, 1)).days / 365
    channel = "online" if online else ("post" if chance.random() < 0.03 else "counter")
    outcome = chance.random()
    if outcome < 0.85:
        resolved = due - dt.timedelta(days=chance.randint(1, max(1, limit)), hours=chance.randint(0, 5))
        resolved = max(resolved, received + dt.timedelta(hours=2))
    elif outcome < 0.94:
        resolved = due - dt.timedelta(hours=chance.randint(1, 6))
    elif outcome < 0.975:
        resolved = due + dt.timedelta(days=chance.randint(1, 6))
    else:
        resolved = received + dt.timedelta(days=chance.randint(1, limit))
    status = "returned"
    if outcome >= 0.975:
        status = "refused" if outcome < 0.99 else "stopped"
    returned = resolved + dt.timedelta(hours=chance.randint(1, 48))
    cutoff = dt.datetime.combine(today, dt.time(0), tzinfo=VIETNAM_TZ)
    if resolved >= cutoff:
        status, resolved_text, returned_text = "in_progress", "", ""
    else:
        if status == "returned" and returned >= cutoff:
            status = "resolved"
        resolved_text = resolved.strftime("%Y-%m-%d %H:%M")
        returned_text = returned.strftime("%Y-%m-%d %H:%M") if status == "returned" else ""
    rating = ""
    if status in ("returned", "refused") and chance.random() < 0.33:
        rating = str(chance.choices((1, 2, 3), (3, 45, 52))[0])
    delivery = ("online" if online and chance.random() < 0.6 else "counter") if status == "returned" else ""
    return [
        f"LS-{desk.code}-{day:%y%m%d}-{number + 1:04d}",
        desk.code,
        procedure,
        channel,
        received.strftime("%Y-%m-%d %H:%M"),
        due.strftime("%Y-%m-%d %H:%M"),
        resolved_text,
        returned_text,
        status,
        rating,
        delivery,
    ]


def _working_days_after(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
