"""An agency's own catalogue as a spreadsheet (CSV or XLSX): export it, edit it, import it back.

One row per procedure the agency offers, in the layout of ``docs/howto/agency-catalogue.md``:

| column | content |
| --- | --- |
| ``ma_thu_tuc`` | national procedure code ``d.dddddd`` (required) |
| ``ten_thu_tuc`` | name; required only for a procedure not in the national catalogue |
| ``linh_vuc`` | sector, as named in the catalogue; must exist (required for a new procedure) |
| ``cap_thuc_hien`` | levels: "Cấp bộ", "Cấp tỉnh", "Cấp xã", comma-separated (new procedures) |
| ``thoi_han`` | time limit as written: "5 ngày làm việc", "30 ngày", "Trong ngày", "Không quy định" (new) |
| ``phi_le_phi`` | fees as written: "Miễn phí", "Lệ phí : 8.000 Đồng" (new procedures) |
| ``thanh_phan_ho_so`` | components, one per line: "Tờ khai (1 bản chính, 0 bản sao)" (new procedures) |
| ``muc_do_truc_tuyen`` | "Toàn trình", "Một phần" or "Không" |
| ``tra_ket_qua_qua_buu_chinh`` | "Có" or "Không" |
| ``thanh_toan_truc_tuyen`` | "Có" or "Không" |
| ``huong_dan`` | instructions for applicants |

A row whose code is in the national catalogue configures the agency's offer of it (the national
content stays as published). A row with a code not yet known creates a local procedure, with
one version offered at the counter and online with the limit and fees given. The file loads
completely or not at all: every error names its row (as numbered in the spreadsheet, the header
being row 1) and its column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog import services
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeError, parse_fees
from motcua.catalog.importer import DEFAULT_VARIANT_CODE, DEFAULT_VARIANT_NAME
from motcua.catalog.models import (
    AgencyProcedure,
    ChannelOption,
    Component,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    Sector,
    Variant,
    stored_fees,
)
from motcua.catalog.time_limits import TimeLimitError, parse_time_limit
from motcua.core.vietnamese import collation_key, fold

COLUMNS = (
    "ma_thu_tuc",
    "ten_thu_tuc",
    "linh_vuc",
    "cap_thuc_hien",
    "thoi_han",
    "phi_le_phi",
    "thanh_phan_ho_so",
    "muc_do_truc_tuyen",
    "tra_ket_qua_qua_buu_chinh",
    "thanh_toan_truc_tuyen",
    "huong_dan",
)
REQUIRED_COLUMNS = frozenset({"ma_thu_tuc"})
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000

_ONLINE = {
    "toan trinh": OnlineLevel.FULL,
    "mot phan": OnlineLevel.PARTIAL,
    "khong": OnlineLevel.NONE,
    "": OnlineLevel.NONE,
}
_ONLINE_TEXT = {OnlineLevel.FULL: "Toàn trình", OnlineLevel.PARTIAL: "Một phần", OnlineLevel.NONE: "Không"}
_YES = {"co": True, "x": True, "1": True, "khong": False, "": False, "0": False}
_LEVELS = {"cap bo": Level.CENTRAL, "cap tinh": Level.PROVINCE, "cap huyen": Level.DISTRICT, "cap xa": Level.COMMUNE}
_LEVEL_TEXT = {
    Level.CENTRAL: "Cấp bộ",
    Level.PROVINCE: "Cấp tỉnh",
    Level.DISTRICT: "Cấp huyện",
    Level.COMMUNE: "Cấp xã",
}
_COMPONENT_RE = re.compile(
    r"^(?P<name>.*?)\s*\((?P<originals>\d+)\s*bản chính(?:\s*,\s*(?P<copies>\d+)\s*bản sao)?\)\s*$"
)
_CODE_RE = re.compile(r"^\d\.\d{6}$")


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, wrong columns, too many rows)."""


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


class CatalogueImportError(ValidationError):
    """Every problem found in the file; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__([str(error) for error in errors])


def read_rows(handle: IO[bytes], filename: str) -> list[dict[str, str]]:
    """The data rows of a CSV (UTF-8, with or without BOM) or XLSX file, as column → text."""
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise SpreadsheetError(_("This file is not an XLSX workbook.")) from error
        sheet = workbook.worksheets[0]
        table = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    elif filename.lower().endswith(".csv"):
        try:
            text = handle.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_("This CSV file is not UTF-8 text.")) from error
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise SpreadsheetError(_("Choose a .csv or .xlsx file."))
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    header = [cell.strip().lower() for cell in table[0]]
    missing = REQUIRED_COLUMNS - set(header)
    unknown = [name for name in header if name and name not in COLUMNS]
    if missing or unknown:
        raise SpreadsheetError(
            _("The columns do not match the layout: missing %(missing)s; unknown %(unknown)s.")
            % {"missing": ", ".join(sorted(missing)) or "—", "unknown": ", ".join(unknown) or "—"}
        )
    if len(table) - 1 > MAX_ROWS:
        raise SpreadsheetError(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
    return [
        {name: (row[index] if index < len(row) else "").strip() for index, name in enumerate(header) if name}
        for row in table[1:]
        if any(cell.strip() for cell in row)
    ]


@transaction.atomic
def import_catalogue(agency: Agency, rows: Iterable[Mapping[str, str]]) -> int:
    """Configure (or create) every procedure of ``rows`` for ``agency``; all rows or none."""
    errors: list[RowError] = []
    done = 0
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        try:
            code = _code(row, seen)
            with transaction.atomic():
                procedure = Procedure.objects.filter(code=code).first() or _create_local(code, row)
                services.configure_procedure(
                    agency=agency,
                    procedure=procedure,
                    online_level=_choice(row, "muc_do_truc_tuyen", _ONLINE),
                    offers_postal_return=_choice(row, "tra_ket_qua_qua_buu_chinh", _YES),
                    offers_online_payment=_choice(row, "thanh_toan_truc_tuyen", _YES),
                    instructions=row.get("huong_dan", ""),
                )
            done += 1
        except _RowProblem as problem:
            errors.append(RowError(number, problem.column, problem.message))
        except ValidationError as error:
            errors.extend(RowError(number, field, message) for field, message in _flatten(error))
    if errors:
        raise CatalogueImportError(errors)
    return done


def export_rows(agency: Agency) -> Iterator[list[str]]:
    """The header, then one row per procedure ``agency`` offers, in the import layout."""
    yield list(COLUMNS)
    configurations = (
        AgencyProcedure.objects.filter(agency=agency).select_related("procedure").order_by("procedure__code")
    )
    versions = {
        version.procedure_id: version
        for version in ProcedureVersion.objects.filter(
            procedure__in=[c.procedure_id for c in configurations], valid_to__isnull=True
        )
        .select_related("sector")
        .prefetch_related("channels", "components")
    }
    for configuration in configurations:
        version = versions.get(configuration.procedure_id)
        channels = list(version.channels.all()) if version else []
        yield [
            configuration.procedure.code,
            version.name if version else "",
            version.sector.name if version else "",
            ", ".join(_LEVEL_TEXT[Level(level)] for level in version.level_list if level in _LEVEL_TEXT)
            if version
            else "",
            str(channels[0].time_limit) if channels else "",
            channels[0].fee_text if channels else "",
            "\n".join(
                f"{component.name} ({component.originals} bản chính, {component.copies} bản sao)"
                for component in (version.components.all() if version else [])
            ),
            _ONLINE_TEXT[OnlineLevel(configuration.online_level)],
            "Có" if configuration.offers_postal_return else "Không",
            "Có" if configuration.offers_online_payment else "Không",
            configuration.instructions,
        ]


def write_csv(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def write_xlsx(rows: Iterable[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Danh mục thủ tục"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message
        super().__init__(message)


def _code(row: Mapping[str, str], seen: set[str]) -> str:
    code = row.get("ma_thu_tuc", "")
    if not _CODE_RE.match(code):
        raise _RowProblem("ma_thu_tuc", _("“%(code)s” is not a procedure code such as 1.000178.") % {"code": code})
    if code in seen:
        raise _RowProblem("ma_thu_tuc", _("Procedure %(code)s appears twice in the file.") % {"code": code})
    seen.add(code)
    return code


def _choice(row: Mapping[str, str], column: str, choices: Mapping[str, Any]) -> Any:
    value = fold(row.get(column, ""))
    if value not in choices:
        allowed = ", ".join(f"“{key}”" for key in choices if key)
        raise _RowProblem(
            column, _("“%(value)s” is not one of %(allowed)s.") % {"value": row[column], "allowed": allowed}
        )
    return choices[value]


def _create_local(code: str, row: Mapping[str, str]) -> Procedure:
    """A procedure not in the national catalogue: the row must describe it fully."""
    name = row.get("ten_thu_tuc", "")
    if not name:
        raise _RowProblem(
            "ten_thu_tuc", _("Procedure %(code)s is not in the catalogue: give its name.") % {"code": code}
        )
    sector = Sector.objects.filter(search_text=fold(row.get("linh_vuc", ""))).first()
    if sector is None:
        raise _RowProblem("linh_vuc", _("Unknown sector “%(name)s”.") % {"name": row.get("linh_vuc", "")})
    levels = []
    for part in filter(None, (fold(part) for part in row.get("cap_thuc_hien", "").split(","))):
        if part not in _LEVELS:
            raise _RowProblem("cap_thuc_hien", _("Unknown level “%(level)s”.") % {"level": part})
        levels.append(_LEVELS[part])
    try:
        limit = parse_time_limit(row.get("thoi_han", "") or "Không quy định")
    except TimeLimitError as error:
        raise _RowProblem(
            "thoi_han",
            _("“%(text)s” is not a time limit such as “5 ngày làm việc”.") % {"text": row.get("thoi_han", "")},
        ) from error
    try:
        fees = parse_fees(row.get("phi_le_phi", ""))
    except FeeError as error:
        raise _RowProblem(
            "phi_le_phi",
            _("“%(text)s” is not a fee such as “Lệ phí : 8.000 Đồng” or “Miễn phí”.")
            % {"text": row.get("phi_le_phi", "")},
        ) from error
    components = []
    for line in filter(None, (line.strip(" -;") for line in re.split(r"[\n;]", row.get("thanh_phan_ho_so", "")))):
        match = _COMPONENT_RE.match(line)
        components.append(
            (match.group("name"), int(match.group("originals")), int(match.group("copies") or 0))
            if match
            else (line, 1, 0)
        )
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        valid_from=timezone.localdate(),
        name=name,
        sector=sector,
        levels=ProcedureVersion.encode_levels(levels),
        source="local",
        search_text=fold(f"{code} {name} {sector.name}"),
        sort_name=collation_key(name),
    )
    for position, channel in enumerate((Channel.COUNTER, Channel.ONLINE)):
        option = ChannelOption(
            version=version,
            position=position,
            channel=channel,
            time_limit_text=row.get("thoi_han", ""),
            fee_text=row.get("phi_le_phi", ""),
            fees=stored_fees(fees),
        )
        option.set_time_limit(limit)
        option.save()
    Variant.objects.create(version=version, code=DEFAULT_VARIANT_CODE, name=DEFAULT_VARIANT_NAME, is_default=True)
    Component.objects.bulk_create(
        Component(version=version, position=position, name=name, originals=originals, copies=copies)
        for position, (name, originals, copies) in enumerate(components)
    )
    return procedure


def _flatten(error: ValidationError) -> Iterator[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                yield field, message
    else:
        for message in error.messages:
            yield "", message
