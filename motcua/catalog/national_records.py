"""Reading the national catalogue's procedure records (``data/tthc/*.jsonl.gz``) into plain values.

Decree 63/2010/NĐ-CP Art. 8.2 (DOMAIN.md §7) lists what a published procedure states: channels,
each with its time limit and fees; dossier components with quantities and forms; applicants,
agencies, result (with its result-type code) and legal basis. Two collections are read, told apart
by shape: the portal pages of 2026 (flat strings, tables flattened to text: ``flattened_tables``)
and the Ministry of Defence's export (``metadata``, ``content``, ``tables``). What this module decides:

- A record is *fully parsed* when it has a channel row, every channel's time limit and fees are read
  and it lists a component. No record says it needs no dossier, so a record listing none has an
  issue like any other failure; each issue names the field and why. Legal-basis gaps are warnings.
- Gaps are filled from the record's own text, with a warning (``time_limits.read_limit_cell``): a bare
  number takes the unit the description or steps give it, else working days; "Không có thông tin"
  takes the first limit the description or steps state, else it is an issue. A fee of "Không có
  thông tin", an empty fee cell or a blank amount ("Phí :  Đồng") is read as free (``fees.read_fee_cell``).
- A component is optional (``is_required`` False) when its name says "nếu có" or starts with
  "Trường hợp" / "Đối với trường hợp", or its group heading does ("* Trường hợp ủy quyền:").
- Records that cannot be used at all (not a JSON object, no code of the form ``1.000178``, no name)
  become ``RecordError`` values: ``iter_procedures`` never raises for a bad record.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.catalog import flattened_tables as tables
from motcua.catalog import record_fields as fields
from motcua.catalog.channels import CATALOGUE_NAMES, Channel
from motcua.catalog.fees import FeeError, FeeItem, read_fee_cell
from motcua.catalog.time_limits import TimeLimit, TimeLimitError, read_limit_cell

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "tthc"


@dataclass(frozen=True, slots=True)
class ParseIssue:
    """Something the parser could not read fully: which field, and why (English, for the report)."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class ParsedChannel:
    channel: Channel
    time_limit: TimeLimit | None  # None when the text could not be read (an issue says why)
    time_limit_text: str  # as written, e.g. "15 Ngày làm việc"
    fees: tuple[FeeItem, ...] | None  # () free; None when unreadable (an issue says why)
    fee_text: str  # as written
    description: str


@dataclass(frozen=True, slots=True)
class ParsedComponent:
    group: str  # the heading the component stands under ("Giấy tờ phải nộp", …), "" if none
    name: str
    form_name: str  # the form's file name as published ("NA5.doc"), "" if none; several joined by "; "
    originals: int
    copies: int
    is_required: bool


@dataclass(frozen=True, slots=True)
class ParsedResult:
    name: str
    code: str  # result-type code such as "KQ.G01.00262", "" if none


@dataclass(frozen=True, slots=True)
class ParsedLegalBasis:
    title: str
    number: str  # "123/2015/NĐ-CP", "" if none
    issued_on: dt.date | None = None
    issuer: str = ""


@dataclass(frozen=True, slots=True)
class ParsedProcedure:
    code: str
    name: str
    decision: str
    levels: tuple[str, ...]  # of "central", "province", "district", "commune", "other"
    kind: str
    sector: str
    applicants: tuple[str, ...]
    competent_agency: str
    performing_agency: str
    delegated_agency: str
    coordinating_agency: str
    reception_address: str
    related_procedures: str
    steps: str
    requirements: str
    channels: tuple[ParsedChannel, ...]
    components: tuple[ParsedComponent, ...]
    results: tuple[ParsedResult, ...]
    legal_basis: tuple[ParsedLegalBasis, ...]
    source: str  # the file's catalogue group ("bo-tu-phap", "bqp")
    source_url: str
    #: What could not be read: any issue makes the record "not fully parsed" in the import report.
    issues: tuple[ParseIssue, ...] = field(default=())
    #: Assumptions the parser made that a person may want to check (not failures).
    warnings: tuple[ParseIssue, ...] = field(default=())

    @property
    def is_fully_parsed(self) -> bool:
        return not self.issues


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that cannot be read at all: where it is, its code when known, and why."""

    file: str
    line: int
    code: str
    message: str


class MalformedRecord(ValueError):
    """Raised by ``parse_record`` for a record that cannot be used (no valid code, no name, not a record)."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def iter_raw_records(paths: Iterable[Path]) -> Iterator[tuple[str, int, dict[str, Any] | RecordError]]:
    """(file name, line number, JSON object) for each non-blank line of the gzip JSONL files; a line that
    is not a JSON object (or a file that cannot be read further) comes as a RecordError in its place."""
    for path in paths:
        line_number = 0
        try:
            with gzip.open(path, "rb") as lines:
                for line_number, raw in enumerate(lines, start=1):
                    if not raw.strip():
                        continue
                    yield path.name, line_number, _decode(path.name, line_number, raw)
        except (OSError, EOFError) as error:
            yield path.name, line_number + 1, RecordError(path.name, line_number + 1, "", f"file unreadable: {error}")


def _decode(file: str, line: int, raw: bytes) -> dict[str, Any] | RecordError:
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return RecordError(file, line, "", f"line is not UTF-8 text ({error.reason} at byte {error.start})")
    except json.JSONDecodeError as error:
        return RecordError(file, line, "", f"line is not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(value, dict):
        return RecordError(file, line, "", f"line holds a JSON {type(value).__name__}, not an object")
    return value


def iter_procedures(paths: Iterable[Path] | None = None) -> Iterator[ParsedProcedure | RecordError]:
    """Every record of ``paths`` (default: every ``*.jsonl.gz`` in DATA_DIR, sorted), parsed or refused."""
    for file, line, record in iter_raw_records(sorted(DATA_DIR.glob("*.jsonl.gz")) if paths is None else paths):
        if isinstance(record, RecordError):
            yield record
            continue
        try:
            yield parse_record(record, source_file=file)
        except MalformedRecord as error:
            yield RecordError(file, line, error.code, error.message)


def parse_record(record: dict[str, Any], *, source_file: str) -> ParsedProcedure:
    """One record of either collection (told apart by its shape); MalformedRecord when it is unusable.
    ``source_file`` names the file in messages."""
    notes = _Notes()
    try:
        if "metadata" in record:
            return _procedure(_parse_structured(record, notes), notes)
        if "ma_thu_tuc" in record:
            return _procedure(_parse_portal(record, notes), notes)
    except fields.FieldError as error:
        code = record.get("ma_thu_tuc") or record.get("thu_tuc_id") or ""
        raise MalformedRecord(str(error), code=code if isinstance(code, str) else "") from error
    raise MalformedRecord(f"neither a portal record (ma_thu_tuc) nor a structured one (metadata) in {source_file}")


_CODE_RE = re.compile(r"\d\.\d{6}")


class _Notes:
    """Issues and warnings gathered while one record is read."""

    def __init__(self) -> None:
        self.issues: list[ParseIssue] = []
        self.warnings: list[ParseIssue] = []

    def issue(self, where: str, message: str) -> None:
        self.issues.append(ParseIssue(where, message))

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(ParseIssue(where, message))


def _parse_portal(record: dict[str, Any], notes: _Notes) -> dict[str, Any]:
    """The values of a portal record: flat strings, the tables flattened to text."""
    steps = fields.text(record, "trinh_tu_thuc_hien")
    component_text = fields.text(record, "thanh_phan_ho_so")
    if tables.COMPONENT_HEADER not in component_text:
        recovered = tables.sections_from_page(fields.text(record, "raw_text"), steps)
        if recovered is not None:
            steps, component_text = recovered
            notes.warn("components", "the components field held the end of the steps; both read from the page text")
    rows, leading = tables.split_channel_rows(fields.text(record, "cach_thuc_thuc_hien"))
    if leading:
        notes.warn("channels", f"text before the first channel row was not read: “{leading[:80]}”")
    for index, row in enumerate(rows):
        if row.is_time_glued_to_fee:
            notes.warn(
                f"channels[{index}].time_limit",
                f"time limit and fee are written together; read “{row.time_text}” and “{row.fee_text[:40]}”",
            )
    return {
        "code": fields.text(record, "ma_thu_tuc"),
        "name": fields.text(record, "ten_thu_tuc"),
        "decision": fields.text(record, "so_quyet_dinh"),
        "levels": fields.text(record, "cap_thuc_hien"),
        "kind": fields.text(record, "loai_thu_tuc"),
        "sector": fields.text(record, "linh_vuc"),
        "applicants": fields.split_list(fields.text(record, "doi_tuong_thuc_hien")),
        "competent_agency": fields.text(record, "co_quan_co_tham_quyen"),
        "performing_agency": fields.text(record, "co_quan_thuc_hien"),
        "delegated_agency": fields.text(record, "co_quan_duoc_uy_quyen"),
        "coordinating_agency": fields.text(record, "co_quan_phoi_hop"),
        "reception_address": fields.text(record, "dia_chi_tiep_nhan"),
        "related_procedures": fields.text(record, "thu_tuc_lien_quan"),
        "steps": steps,
        "requirements": fields.text(record, "yeu_cau_dieu_kien"),
        "channels": rows,
        "components": tables.split_components(component_text),
        "results": [ParsedResult(*result) for result in tables.split_results(fields.text(record, "ket_qua_xu_ly"))],
        "legal_basis": [
            ParsedLegalBasis(title, number)
            for title, number in tables.split_legal_basis(fields.text(record, "can_cu_phap_ly").lstrip(" :"))
        ],
        "source": fields.text(record, "source_group") or "dvcqg",
        "source_url": fields.text(record, "detail_url"),
    }


def _parse_structured(record: dict[str, Any], notes: _Notes) -> dict[str, Any]:
    """The values of a record of the Ministry of Defence's export: metadata, content and named cells."""
    metadata, content, table = (fields.mapping(record, key) for key in ("metadata", "content", "tables"))

    def cell(row: dict[str, Any], key: str) -> str:
        # Limit and fee cells keep "Không có thông tin": reading them says what it means for each.
        return fields.text(row, key, keep_no_information=True)

    channels = [
        tables.ChannelRow(
            fields.text(row, "hinh_thuc"),
            cell(row, "thoi_han_giai_quyet"),
            cell(row, "phi_le_phi"),
            fields.text(row, "mo_ta"),
        )
        for row in fields.rows(table, "hinh_thuc_nop")
    ]
    if not channels and fields.text(content, "cách_thức_thực_hiện"):
        channels, _leading = tables.split_channel_rows(fields.text(content, "cách_thức_thực_hiện"))
    components = []
    for row in fields.rows(table, "thanh_phan_ho_so"):
        note = fields.text(row, "ghi_chu")
        originals, copies = (fields.count_in_note(note, label) for label in ("Bản chính", "Bản sao"))
        name, form = tables.clean_name(fields.text(row, "ten_giay_to")), fields.text(row, "so_luong")
        has_quantity = originals is not None or copies is not None
        forms = (form,) if form else ()
        components.append(tables.ComponentRow("", name, forms, originals or 0, copies or 0, has_quantity))
    legal_basis = []
    for index, row in enumerate(fields.rows(table, "can_cu_phap_ly")):
        try:
            issued_on = fields.date(fields.text(row, "ngay_ban_hanh"))
        except ValueError as error:
            issued_on = None
            notes.warn(f"legal_basis[{index}]", f"issue date unreadable: {error}")
        title, number, issuer = (fields.text(row, key) for key in ("trich_yeu", "so_ky_hieu", "co_quan_ban_hanh"))
        legal_basis.append(ParsedLegalBasis(title, number, issued_on, issuer))
    result = fields.text(content, "kết_quả_thực_hiện")
    return {
        "code": fields.text(metadata, "mã_thủ_tục") or fields.text(record, "thu_tuc_id"),
        "name": fields.text(metadata, "tên_thủ_tục"),
        "decision": fields.text(metadata, "số_quyết_định"),
        "levels": fields.text(metadata, "cấp_thực_hiện"),
        "kind": fields.text(metadata, "loại_thủ_tục"),
        "sector": fields.text(metadata, "lĩnh_vực"),
        "applicants": fields.split_list(fields.text(content, "đối_tượng_thực_hiện")),
        "competent_agency": fields.text(content, "cơ_quan_có_thẩm_quyền"),
        "performing_agency": fields.text(content, "cơ_quan_thực_hiện"),
        "delegated_agency": fields.text(content, "cơ_quan_được_ủy_quyền"),
        "coordinating_agency": fields.text(content, "cơ_quan_phối_hợp"),
        "reception_address": fields.text(content, "địa_chỉ_tiếp_nhận_hs"),
        "related_procedures": "",
        "steps": fields.text(content, "trình_tự_thực_hiện"),
        "requirements": fields.text(content, "yêu_cầu_điều_kiện_thực_hiện"),
        "channels": channels,
        "components": components,
        "results": [ParsedResult(result, "")] if result else [],
        "legal_basis": legal_basis,
        "source": "bqp",
        "source_url": "",
    }


def _procedure(values: dict[str, Any], notes: _Notes) -> ParsedProcedure:
    """The record's values checked and read the same way whatever the format; issues and warnings attached."""
    code, name = values.pop("code"), values.pop("name")
    if not code:
        raise MalformedRecord("no procedure code")
    if not _CODE_RE.fullmatch(code):
        raise MalformedRecord(f"procedure code “{code[:40]}” is not of the form 1.000178", code=code[:40])
    if not name:
        raise MalformedRecord("no procedure name", code=code)
    levels, unknown_levels = fields.levels(values.pop("levels"))
    for level in unknown_levels:
        notes.warn("levels", f"unknown level “{level}”")
    rows = values.pop("channels")
    channels = [_channel(index, row, values["steps"], notes) for index, row in enumerate(rows)]
    if not rows:
        notes.issue("channels", "no channel row (Trực tiếp, Trực tuyến, Dịch vụ bưu chính) could be read")
    components = _components(values.pop("components"), notes)
    if not components:
        notes.issue("components", "no dossier component is listed")
    if not values["results"]:
        notes.warn("results", "no result document is stated")
    if not values["legal_basis"]:
        notes.warn("legal_basis", "no legal basis is stated")
    for index, basis in enumerate(values["legal_basis"]):
        if not basis.number:
            notes.warn(f"legal_basis[{index}]", f"no document number found in “{basis.title[:80]}”")
    return ParsedProcedure(
        code=code,
        name=name,
        levels=tuple(levels),
        applicants=tuple(values.pop("applicants")),
        channels=tuple(channel for channel in channels if channel is not None),
        components=tuple(components),
        results=tuple(values.pop("results")),
        legal_basis=tuple(values.pop("legal_basis")),
        issues=tuple(notes.issues),
        warnings=tuple(notes.warnings),
        **values,
    )


def _channel(index: int, row: tables.ChannelRow, steps: str, notes: _Notes) -> ParsedChannel | None:
    """One channel row with its limit and fees read; None (with an issue) when the channel is unknown."""
    where = f"channels[{index}]"
    time_text, fee_text, description = row.time_text, row.fee_text, row.description
    channel = CATALOGUE_NAMES.get(" ".join(row.channel_name.split()))
    if channel is None:
        notes.issue(where, f"unknown channel “{row.channel_name}” (expected {', '.join(CATALOGUE_NAMES)})")
        return None
    limit: TimeLimit | None = None
    try:
        limit, assumed = read_limit_cell(time_text, (("description", description), ("steps", steps)))
    except TimeLimitError as error:
        notes.issue(f"{where}.time_limit", f"cannot read the time limit: {error}")
    else:
        if assumed:
            notes.warn(f"{where}.time_limit", assumed)
    fees: tuple[FeeItem, ...] | None = None
    try:
        fees, assumed = read_fee_cell(fee_text)
    except FeeError as error:
        notes.issue(f"{where}.fees", f"cannot read the fees: {error}")
    else:
        if assumed:
            notes.warn(f"{where}.fees", assumed)
    return ParsedChannel(channel, limit, time_text, fees, fee_text, description)


def _components(rows: list[tables.ComponentRow], notes: _Notes) -> list[ParsedComponent]:
    components: list[ParsedComponent] = []
    for row in rows:
        if not row.name:
            quantity = f"{row.originals} originals, {row.copies} copies"
            notes.warn("components", f"a quantity ({quantity}) has no name; left out")
            continue
        if not row.has_quantity:
            where = f"components[{len(components)}]"
            notes.warn(where, f"no quantity for “{row.name[:60]}”; read as 0 originals and 0 copies")
        form_name = "; ".join(row.form_names)
        is_required = not fields.is_conditional(row.name, row.group)
        components.append(ParsedComponent(row.group, row.name, form_name, row.originals, row.copies, is_required))
    return components
