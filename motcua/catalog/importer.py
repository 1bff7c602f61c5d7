"""Importing the national catalogue's records: create or update each procedure, idempotently.

Each record is written in its own transaction, so an import stopped halfway leaves every
procedure either as it was or fully updated, never half-written. A record whose content
(everything the parser read, fingerprinted with SHA-256) equals the current version's is left
alone, so a second import of the same files changes nothing. Changed content becomes a new
version valid from the import day; the previous version ends the day before, and dossiers
received under it keep pointing at it (Decree 63/2010/NĐ-CP Art. 8.2 publishes procedures
by decision: a new decision is a new version). A version first published today is replaced in
place instead, since no day separates the two.

Nothing is dropped silently: records that cannot be read at all, and records read with
problems (a channel without a readable time limit or fee, no component), are listed in the
report with the reasons; the latter are still imported, with their problems kept on the
version for an administrator to review.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.catalog.models import (
    ChannelOption,
    Component,
    Procedure,
    ProcedureStatus,
    ProcedureVersion,
    ResultDocument,
    Sector,
    Variant,
    stored_fees,
)
from motcua.catalog.national_records import ParsedProcedure, RecordError, iter_procedures
from motcua.catalog.time_limits import NO_LIMIT
from motcua.core.vietnamese import collation_key, fold

#: The code and name of the variant every version has.
DEFAULT_VARIANT_CODE = "chung"
DEFAULT_VARIANT_NAME = "Trường hợp chung"

# "nếu tiếp nhận hồ sơ sau 15 giờ" in the steps: the procedure applies the paper-transfer cut-off.
_CUTOFF_RE = re.compile(r"sau\s+15\s*(?:giờ|h\b|:00)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NotFullyParsed:
    code: str
    name: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: int = 0
    #: Assumptions by the part of the record they concern ("time_limit", "fees", "components" …).
    warnings_by_field: dict[str, int] = field(default_factory=dict)
    failed: list[RecordError] = field(default_factory=list)
    not_fully_parsed: list[NotFullyParsed] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def fully_parsed(self) -> int:
        return self.imported - len(self.not_fully_parsed)

    @property
    def fully_parsed_share(self) -> float:
        """Fully parsed records among every record read (failed ones count against it)."""
        return self.fully_parsed / self.read if self.read else 0.0


def count_records(paths: Iterable[Path]) -> int:
    """Lines in the gzip files (one record each), for a progress bar's total."""
    total = 0
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            total += sum(1 for line in lines if line.strip())
    return total


def content_hash(parsed: ParsedProcedure) -> str:
    """A fingerprint of everything read from the record (issues and warnings included)."""
    payload = json.dumps(dataclasses.asdict(parsed), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def import_national_records(
    paths: Iterable[Path] | None = None,
    *,
    today: dt.date,
    on_record: Callable[[], None] | None = None,
) -> ImportReport:
    """Import every record of ``paths`` (default: the shipped files); ``on_record`` ticks a progress bar."""
    report = ImportReport()
    sectors = {sector.name: sector for sector in Sector.objects.all()}
    for item in iter_procedures(paths):
        report.read += 1
        if isinstance(item, RecordError):
            report.failed.append(item)
        else:
            outcome = import_procedure(item, today=today, sectors=sectors)
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.warnings += len(item.warnings)
            for warning in item.warnings:
                part = warning.field.rsplit(".", 1)[-1].split("[", 1)[0]
                report.warnings_by_field[part] = report.warnings_by_field.get(part, 0) + 1
            if not item.is_fully_parsed:
                report.not_fully_parsed.append(
                    NotFullyParsed(
                        code=item.code,
                        name=item.name,
                        reasons=tuple(f"{issue.field}: {issue.message}" for issue in item.issues),
                    )
                )
        if on_record is not None:
            on_record()
    return report


@transaction.atomic
def import_procedure(parsed: ParsedProcedure, *, today: dt.date, sectors: dict[str, Sector] | None = None) -> str:
    """Create or update one procedure from ``parsed``; returns "created", "updated" or "unchanged"."""
    fingerprint = content_hash(parsed)
    procedure, created = Procedure.objects.select_for_update().get_or_create(code=parsed.code)
    current = procedure.versions.filter(valid_to__isnull=True).first()
    if current is not None and current.content_hash == fingerprint:
        return "unchanged"
    sector = _sector(parsed.sector, sectors)
    if procedure.status == ProcedureStatus.ABOLISHED:
        # Published again in the national catalogue: in force again.
        procedure.status = ProcedureStatus.PUBLISHED
        procedure.save(update_fields=["status", "updated_at"])
    carried: list[tuple[Variant, list[Component]]] = []
    forms: dict[tuple[str, str], str] = {}
    number = 1
    if current is not None:
        # Read before the current version may be replaced (its rows go with it).
        carried = [
            (variant, list(variant.components.all())) for variant in current.variants.all() if not variant.is_default
        ]
        forms = {
            (component.name, component.form_name): component.form_file.name or ""
            for component in current.components.exclude(form_file="")
        }
        number = current.number
        if current.valid_from < today:
            current.valid_to = today - dt.timedelta(days=1)
            current.save(update_fields=["valid_to", "updated_at"])
            number += 1
        else:
            current.delete()
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=number, valid_from=today, sector=sector, **_version_fields(parsed, fingerprint)
    )
    _write_children(version, parsed, carried, forms)
    return "created" if created or current is None else "updated"


def _sector(name: str, cache: dict[str, Sector] | None) -> Sector:
    name = " ".join(name.split()) or "Chưa phân loại"
    if cache is not None and name in cache:
        return cache[name]
    sector, _created = Sector.objects.get_or_create(
        name=name, defaults={"search_text": fold(name), "sort_name": collation_key(name)}
    )
    if cache is not None:
        cache[name] = sector
    return sector


def _version_fields(parsed: ParsedProcedure, fingerprint: str) -> dict[str, object]:
    return {
        "name": parsed.name,
        "levels": ProcedureVersion.encode_levels(parsed.levels),
        "kind": parsed.kind[:255],
        "decision": parsed.decision[:255],
        "applicants": list(parsed.applicants),
        "competent_agency": parsed.competent_agency,
        "performing_agency": parsed.performing_agency,
        "delegated_agency": parsed.delegated_agency,
        "coordinating_agency": parsed.coordinating_agency,
        "reception_address": parsed.reception_address,
        "related_procedures": parsed.related_procedures,
        "steps": parsed.steps,
        "requirements": parsed.requirements,
        "legal_basis": [
            {
                "title": basis.title,
                "number": basis.number,
                "issued_on": basis.issued_on.isoformat() if basis.issued_on else "",
                "issuer": basis.issuer,
            }
            for basis in parsed.legal_basis
        ],
        "applies_afternoon_cutoff": bool(_CUTOFF_RE.search(parsed.steps)),
        "source": parsed.source[:50],
        "source_url": parsed.source_url[:500],
        "content_hash": fingerprint,
        "parse_issues": [{"field": i.field, "message": i.message} for i in parsed.issues],
        "parse_warnings": [{"field": w.field, "message": w.message} for w in parsed.warnings],
        "search_text": fold(f"{parsed.code} {parsed.name} {parsed.sector}"),
        "sort_name": collation_key(parsed.name),
    }


def _write_children(
    version: ProcedureVersion,
    parsed: ParsedProcedure,
    carried: list[tuple[Variant, list[Component]]],
    forms: dict[tuple[str, str], str],
) -> None:
    channels = []
    for position, row in enumerate(parsed.channels):
        option = ChannelOption(
            version=version,
            position=position,
            channel=row.channel,
            time_limit_text=row.time_limit_text[:255],
            fee_text=row.fee_text,
            fees=stored_fees(row.fees or ()),
            description=row.description,
        )
        option.set_time_limit(row.time_limit or NO_LIMIT)
        channels.append(option)
    ChannelOption.objects.bulk_create(channels)
    Variant.objects.create(version=version, code=DEFAULT_VARIANT_CODE, name=DEFAULT_VARIANT_NAME, is_default=True)
    Component.objects.bulk_create(
        Component(
            version=version,
            position=position,
            group=component.group[:500],
            name=component.name,
            form_name=component.form_name[:255],
            form_file=forms.get((component.name, component.form_name), ""),
            originals=component.originals,
            copies=component.copies,
            is_required=component.is_required,
        )
        for position, component in enumerate(parsed.components)
    )
    ResultDocument.objects.bulk_create(
        ResultDocument(version=version, position=position, name=result.name, result_type_code=result.code[:40])
        for position, result in enumerate(parsed.results)
    )
    for variant, own_components in carried:
        # Variants an administrator added carry over to the new version with their own components.
        variant.pk = None
        variant._state.adding = True
        variant.version = version
        variant.save()
        for component in own_components:
            component.pk = None
            component._state.adding = True
            component.version = version
            component.variant = variant
        Component.objects.bulk_create(own_components)
