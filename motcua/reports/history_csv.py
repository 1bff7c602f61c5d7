"""Reading and checking a CSV file of past dossiers (docs/howto/historical-import.md).

One row per past dossier: its code, the competent agency's electronic identifier code (Decision
20/2020/QĐ-TTg, valid on the reception day), the national procedure code, the channel (Decree
118/2025/NĐ-CP Art. 17: counter, online, post, or the national numbers 1, 2, 3), when it was
received, due, resolved and returned, how it ended, and the applicant's rating (1–3).

Every row is checked before anything is written: unknown or misspelt columns, bad dates or dates
outside 2000 … now, unknown agencies or procedures, codes used twice in the file and impossible
sequences (due, resolved or returned before received, returned before resolved, an ended dossier
without its end, an open one with one) are reported with their row numbers (the header is row 1,
as a spreadsheet numbers it). The verdict is the lifecycle's: late if resolved after the due
moment, early if on an earlier day, otherwise on time (``workflow.deadlines.verdict``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.agencies.models import AgencyCode
from motcua.catalog.channels import NATIONAL_NUMBERS, Channel
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.dossiers.models import DeliveryMethod, Verdict
from motcua.reports.models import ImportedStatus
from motcua.reports.models.history import LONG_RUNNING_DAYS
from motcua.reports.periods import EARLIEST_DAY
from motcua.workdays.workcalendar import VIETNAM_TZ

REQUIRED_COLUMNS = (
    "code",
    "agency_code",
    "procedure_code",
    "channel",
    "received",
    "due",
    "resolved",
    "returned",
    "status",
    "rating",
)
OPTIONAL_COLUMNS = ("delivery",)
#: Problems listed at most; the file is refused as soon as there are this many.
MAX_PROBLEMS = 100
_CHANNELS = {**{str(number): channel for channel, number in NATIONAL_NUMBERS.items()}, **{c: c for c in Channel.values}}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
# Plain strings, read once: the checks run for every row of files of millions of rows.
_STATUSES = frozenset(str(value) for value in ImportedStatus.values)
_IN_PROGRESS, _RETURNED = str(ImportedStatus.IN_PROGRESS), str(ImportedStatus.RETURNED)
_ENDED_STATUSES = _STATUSES - {_IN_PROGRESS}
_RATED_STATUSES = frozenset({str(ImportedStatus.RESOLVED), _RETURNED, str(ImportedStatus.REFUSED)})
_RESOLVED_STATUSES = frozenset({str(ImportedStatus.RESOLVED), _RETURNED})
_DELIVERIES = frozenset(str(value) for value in DeliveryMethod.values)
_LONG_RUNNING = dt.timedelta(days=LONG_RUNNING_DAYS)
_EARLIEST = dt.datetime.combine(EARLIEST_DAY, dt.time(0))
ROW_COLUMNS = (
    "code",
    "agency_id",
    "procedure_id",
    "sector_id",
    "channel",
    "received_at",
    "due_at",
    "resolved_at",
    "returned_at",
    "status",
    "verdict",
    "delivery",
    "rating",
    "is_long_running",
)
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ImportProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1; 0 for the file as a whole
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message} if self.row else self.message


class ImportRefused(Exception):
    """The file was not imported; ``problems`` says why, row by row."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems[:5]))
        self.problems = list(problems)


class Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, row: int, message: str) -> None:
        self.items.append(ImportProblem(row, message))
        if len(self.items) >= MAX_PROBLEMS:
            self.items.append(ImportProblem(0, _("Too many problems: the check stopped here.")))
            raise ImportRefused(self.items)


def read_rows(content: bytes, problems: Problems, now: dt.datetime) -> list[tuple[int, Row]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(0, _("The file is not UTF-8 text: save it as “CSV UTF-8”."))
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        problems.add(0, _("The file is empty."))
        return []
    columns = [name.strip().lower() for name in header]
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if unknown or missing or repeated:
        for name in unknown:
            problems.add(1, _("Unknown column “%(name)s”.") % {"name": name})
        for name in missing:
            problems.add(1, _("Missing column “%(name)s”.") % {"name": name})
        for name in repeated:
            problems.add(1, _("Column “%(name)s” appears twice.") % {"name": name})
        return []
    checker = _RowChecker(columns, problems, now)
    rows: list[tuple[int, Row]] = []
    number = 1
    try:
        for number, fields in enumerate(reader, start=2):
            if not any(fields):  # a blank line
                continue
            row = checker.check(number, fields)
            if row is not None:
                rows.append((number, row))
    except csv.Error as error:
        problems.add(number + 1, _("The line cannot be read as CSV (%(error)s).") % {"error": error})
    return rows


class _RowChecker:
    def __init__(self, columns: list[str], problems: Problems, now: dt.datetime) -> None:
        self.names = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
        self.pick = operator.itemgetter(
            *(columns.index(name) if name in columns else len(columns) for name in self.names)
        )
        self.width = len(columns)
        self.problems = problems
        self.now = now.astimezone(VIETNAM_TZ).replace(tzinfo=None)
        self.seen: dict[str, int] = {}
        self.agencies = _agency_codes()
        self.procedures = _procedures()

    def check(self, number: int, fields: list[str]) -> Row | None:
        add = self.problems.add
        if len(fields) != self.width:
            add(
                number,
                _("%(found)d values where the header has %(expected)d.")
                % {"found": len(fields), "expected": self.width},
            )
            return None

        fields.append("")  # what an optional column left out holds
        (
            code, agency_code, procedure_code, channel_text, received_text, due_text, resolved_text, returned_text,
            status_text, rating_text, delivery_text,
        ) = map(str.strip, self.pick(fields))  # fmt: skip

        before = len(self.problems.items)
        if not code or len(code) > 60:
            add(number, _("The dossier code is empty or longer than 60 characters."))
        elif code in self.seen:
            add(number, _("Dossier code %(code)s is already on row %(row)d.") % {"code": code, "row": self.seen[code]})
        else:
            self.seen[code] = number
        received = self._moment(number, "received", received_text) if received_text else None
        if received is None and not received_text:
            add(number, _("The “%(column)s” date is missing.") % {"column": "received"})
        due = self._moment(number, "due", due_text) if due_text else None
        resolved = self._moment(number, "resolved", resolved_text) if resolved_text else None
        returned = self._moment(number, "returned", returned_text) if returned_text else None
        channel = _CHANNELS.get(channel_text.lower())
        if channel is None:
            add(
                number,
                _("Unknown channel “%(value)s”: use counter, online, post (or 1, 2, 3).") % {"value": channel_text},
            )
        status = status_text.lower()
        if status not in _STATUSES:
            add(number, _("Unknown status “%(value)s”.") % {"value": status_text})
        delivery = delivery_text.lower()
        if delivery and delivery not in _DELIVERIES:
            add(number, _("Unknown delivery “%(value)s”: use counter, post or online.") % {"value": delivery_text})
        rating = self._rating(number, rating_text, status) if rating_text else None
        agency_id = self._agency(number, agency_code, received)
        procedure = self._procedure(number, procedure_code, received)
        if received is not None:
            self._sequence(number, status, received, due, resolved, returned)
        if len(self.problems.items) > before or received is None or procedure is None or agency_id is None:
            return None
        verdict = _verdict(resolved, due) if status in _RESOLVED_STATUSES else ""
        long_running = resolved is None or resolved - received > _LONG_RUNNING
        return (
            code, agency_id, procedure[0], procedure[1], channel, received, due, resolved, returned, status, verdict,
            delivery, rating, long_running,
        )  # fmt: skip

    def _moment(self, number: int, name: str, text: str) -> dt.datetime | None:
        try:  # the usual case first: ISO 8601 without an offset, Vietnamese time
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is not None:
                moment = moment.astimezone(VIETNAM_TZ).replace(tzinfo=None)
        except ValueError:
            parsed = parse_moment(text)
            if parsed is None:
                self.problems.add(
                    number,
                    _("“%(value)s” in “%(column)s” is not a date: write 2024-03-05 08:30 or 05/03/2024 08:30.")
                    % {"value": text, "column": name},
                )
                return None
            moment = parsed
        if moment < _EARLIEST or (moment > self.now and name != "due"):
            self.problems.add(
                number, _("“%(value)s” in “%(column)s” is outside 2000 … today.") % {"value": text, "column": name}
            )
            return None
        return moment

    def _rating(self, number: int, text: str, status: str) -> int | None:
        if not text:
            return None
        if text not in ("1", "2", "3"):
            self.problems.add(number, _("The rating is 1 (not satisfied), 2 (satisfied) or 3 (very satisfied)."))
            return None
        if status not in _RATED_STATUSES:
            self.problems.add(number, _("Only a dossier with a result or a refusal can be rated."))
        return int(text)

    def _agency(self, number: int, code: str, received: dt.datetime | None) -> int | None:
        validity = self.agencies.get(code.upper())
        if not validity:
            self.problems.add(number, _("Unknown agency identifier code “%(code)s”.") % {"code": code})
            return None
        day = received.date() if received is not None else None
        for start, end, agency_id in validity:
            if day is None or ((start is None or start <= day) and (end is None or day <= end)):
                return agency_id
        self.problems.add(number, _("Agency code “%(code)s” was not valid on the reception day.") % {"code": code})
        return None

    def _procedure(self, number: int, code: str, received: dt.datetime | None) -> tuple[int, int] | None:
        if not _PROCEDURE_CODE.match(code):
            self.problems.add(number, _("“%(code)s” is not a procedure code such as 1.000178.") % {"code": code})
            return None
        versions = self.procedures.get(code)
        if not versions:
            self.problems.add(number, _("Unknown procedure code %(code)s.") % {"code": code})
            return None
        day = received.date() if received is not None else None
        for start, end, procedure_id, sector_id in versions:
            if day is not None and start <= day and (end is None or day <= end):
                return procedure_id, sector_id
        return versions[0][2], versions[0][3]  # the latest version's sector

    def _sequence(
        self,
        number: int,
        status: str,
        received: dt.datetime,
        due: dt.datetime | None,
        resolved: dt.datetime | None,
        returned: dt.datetime | None,
    ) -> None:
        add = self.problems.add
        if due is not None and due < received:
            add(number, _("Due before it was received."))
        if resolved is not None and resolved < received:
            add(number, _("Resolved before it was received."))
        if returned is not None and resolved is not None and returned < resolved:
            add(number, _("Returned before it was resolved."))
        if returned is not None and returned < received:
            add(number, _("Returned before it was received."))
        if status == _IN_PROGRESS and (resolved is not None or returned is not None):
            add(number, _("A dossier in progress has no “resolved” or “returned” date."))
        if status in _ENDED_STATUSES and resolved is None:
            add(number, _("A dossier that is “%(status)s” needs its “resolved” date.") % {"status": status})
        if status == _RETURNED and returned is None:
            add(number, _("A returned dossier needs its “returned” date."))
        if returned is not None and status != _RETURNED:
            add(number, _("Only a returned dossier has a “returned” date."))


def parse_moment(text: str) -> dt.datetime | None:
    """A moment written ISO 8601 (2024-03-05, 2024-03-05 08:30, with or without offset) or 05/03/2024 [08:30],
    as Vietnamese wall-clock time without a zone (what a moment without an offset means; a date
    alone is the start of that day). Rows are checked on these naive moments, which compare fast."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        match = _DMY.match(text)
        if match is None:
            return None
        day, month, year, hour, minute, second = (int(part) if part else 0 for part in match.groups())
        try:
            moment = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return moment if moment.tzinfo is None else moment.astimezone(VIETNAM_TZ).replace(tzinfo=None)


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A naive Vietnamese moment of ``parse_moment`` with its zone."""
    return moment.replace(tzinfo=VIETNAM_TZ) if moment is not None else None


def _verdict(resolved: dt.datetime | None, due: dt.datetime | None) -> str:
    """The lifecycle's verdict (``workflow.deadlines.verdict``) on the Vietnamese calendar."""
    if resolved is None or due is None:
        return Verdict.ON_TIME
    if resolved > due:
        return Verdict.LATE
    if resolved.date() < due.date():
        return Verdict.EARLY
    return Verdict.ON_TIME


def _agency_codes() -> dict[str, list[tuple[dt.date | None, dt.date | None, int]]]:
    codes: dict[str, list[tuple[dt.date | None, dt.date | None, int]]] = defaultdict(list)
    for code, start, end, agency_id in AgencyCode.objects.values_list("code", "valid_from", "valid_to", "agency_id"):
        codes[code.upper()].append((start, end, agency_id))
    return codes


def _procedures() -> dict[str, list[tuple[dt.date, dt.date | None, int, int]]]:
    """Procedure code → its versions (validity, procedure, sector), the latest first."""
    procedures: dict[str, list[tuple[dt.date, dt.date | None, int, int]]] = defaultdict(list)
    codes = dict(Procedure.objects.values_list("pk", "code"))
    rows = ProcedureVersion.objects.order_by("procedure_id", "-number").values_list(
        "procedure_id", "valid_from", "valid_to", "sector_id"
    )
    for procedure_id, start, end, sector_id in rows:
        procedures[codes[procedure_id]].append((start, end, procedure_id, sector_id))
    return procedures
