"""Load the current administrative divisions as agencies, idempotently.

Since 1 July 2025 local government has two tiers (Resolution 202/2025/QH15 and the
commune-arrangement resolutions): 34 provinces (6 centrally-run cities, 28 provinces)
and 3,321 communes (xã, phường, đặc khu), read from the ``vietnam-provinces``
package. Each becomes a People's Committee, and each People's Committee gets its
Public Administration Service Centre, the one-stop unit of Decree 118/2025/NĐ-CP.

Names follow the capitalisation rules of Decree 30/2020/NĐ-CP (Appendix II): the
kind of unit is written in lower case before the proper name, "Ủy ban nhân dân
thành phố Hà Nội", "Ủy ban nhân dân phường Việt Trì".

A locality is recognised by (kind, division code), a centre by (parent, kind), so a
second run renames what the package renamed and creates nothing else. The load is a
few bulk statements per province, all in one transaction: all of it or none of it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm
from vietnam_provinces import Province, VietNamDivisionType, Ward

from motcua.agencies import services
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel, DivisionType

if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import TextIO

_DIVISION_TYPES = {
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: DivisionType.CENTRAL_CITY,
    VietNamDivisionType.TINH: DivisionType.PROVINCE,
    VietNamDivisionType.PHUONG: DivisionType.WARD,
    VietNamDivisionType.XA: DivisionType.COMMUNE,
    VietNamDivisionType.DAC_KHU: DivisionType.SPECIAL_ZONE,
}
# The word for each kind of unit as written before its proper name.
_UNIT_WORDS = {
    DivisionType.CENTRAL_CITY: "thành phố",
    DivisionType.PROVINCE: "tỉnh",
    DivisionType.WARD: "phường",
    DivisionType.COMMUNE: "xã",
    DivisionType.SPECIAL_ZONE: "đặc khu",
}
# Fields the loader owns on the agencies it made; everything else is the administrators'.
_SYNCED_FIELDS = ("name", "short_name", "level", "division_type", "search_text", "sort_name")


@dataclasses.dataclass(frozen=True)
class Division:
    """One province or commune as the package describes it."""

    code: str
    name: str
    division_type: DivisionType
    province_code: str = ""

    @property
    def unit_name(self) -> str:
        """The unit's name with its kind in lower case: "tỉnh Cao Bằng", "phường Việt Trì"."""
        word = _UNIT_WORDS[self.division_type]
        proper = self.name
        if proper.lower().startswith(word + " "):
            proper = proper[len(word) + 1 :]
        return f"{word} {proper}"


@dataclasses.dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_divisions(province_codes: Collection[str] | None = None) -> tuple[list[Division], list[Division]]:
    """The package's provinces and their communes, limited to ``province_codes`` when given.

    Codes may be given as "1" or "01"; an unknown code is refused with the list of valid ones.
    """
    provinces = [Division(f"{p.code.value:02d}", p.name, _DIVISION_TYPES[p.division_type]) for p in Province.iter_all()]
    if province_codes is not None:
        known = {division.code for division in provinces}
        wanted = {_normalise_province_code(code) for code in province_codes}
        unknown = sorted(wanted - known)
        if unknown:
            raise ValidationError(
                _("Unknown province code(s): %(unknown)s. The current codes are %(known)s."),
                code="unknown_province",
                params={"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))},
            )
        provinces = [division for division in provinces if division.code in wanted]
    selected = {division.code for division in provinces}
    communes = [
        Division(f"{w.code.value:05d}", w.name, _DIVISION_TYPES[w.division_type], f"{w.province_code.value:02d}")
        for w in Ward.iter_all()
    ]
    return provinces, [division for division in communes if division.province_code in selected]


def _normalise_province_code(code: str) -> str:
    text = str(code).strip()
    return f"{int(text):02d}" if text.isdigit() else text


def load_divisions(*, province_codes: Collection[str] | None = None, progress: TextIO | None = None) -> LoadReport:
    """Create or update the People's Committees and service centres of the chosen provinces (default: all).

    ``progress``, when given, receives a progress bar (one step per province).
    """
    provinces, communes = read_divisions(province_codes)
    communes_by_province: dict[str, list[Division]] = defaultdict(list)
    for commune in communes:
        communes_by_province[commune.province_code].append(commune)
    with transaction.atomic():
        loader = _Loader()
        province_agencies = loader.sync_localities(provinces, AgencyKind.PROVINCE, AgencyLevel.PROVINCE, parent=None)
        for division in tqdm(provinces, desc=_("Provinces"), file=progress, disable=progress is None):
            province = province_agencies[division.code]
            its_communes = communes_by_province[division.code]
            commune_agencies = loader.sync_localities(
                its_communes, AgencyKind.COMMUNE, AgencyLevel.COMMUNE, parent=province
            )
            loader.sync_centres([(province, division), *((commune_agencies[c.code], c) for c in its_communes)])
    return loader.report


class _Loader:
    """Holds what the database already has, so that the load reads it once, not once per row."""

    def __init__(self) -> None:
        self.report = LoadReport()
        self.moved: set[int] = set()
        self.localities = {
            (agency.kind, agency.division_code): agency
            for agency in Agency.objects.filter(kind__in=[AgencyKind.PROVINCE, AgencyKind.COMMUNE]).exclude(
                division_code=""
            )
        }
        self.centres: dict[int, Agency] = {}
        centres = Agency.objects.filter(
            kind=AgencyKind.SERVICE_CENTRE, parent__kind__in=[AgencyKind.PROVINCE, AgencyKind.COMMUNE]
        ).order_by("-pk")
        for centre in centres:
            # Should someone have added a second centre by hand, the oldest is the loader's.
            if centre.parent_id is not None:
                self.centres[centre.parent_id] = centre

    def sync_localities(
        self, divisions: list[Division], kind: AgencyKind, level: AgencyLevel, *, parent: Agency | None
    ) -> dict[str, Agency]:
        """The People's Committees of ``divisions``, created or updated, keyed by division code."""
        pairs: list[tuple[Agency | None, Agency]] = []
        for division in divisions:
            existing = self.localities.get((kind, division.code))
            if existing is not None and parent is not None and existing.parent_id != parent.pk:
                # The package now puts the commune in another province: move it with its subtree.
                existing = services.move_agency(agency=existing, new_parent=parent)
                self.moved.add(existing.pk)
            wanted = Agency(
                name=f"Ủy ban nhân dân {division.unit_name}",
                short_name=f"UBND {division.unit_name}",
                kind=kind,
                level=level,
                division_type=division.division_type,
                division_code=division.code,
                parent=parent,
            )
            pairs.append((existing, wanted))
        result: dict[str, Agency] = {}
        for agency in self._save(pairs):
            result[agency.division_code] = agency
            self.localities[(kind, agency.division_code)] = agency
        return result

    def sync_centres(self, localities: list[tuple[Agency, Division]]) -> None:
        """Give each People's Committee its Public Administration Service Centre."""
        pairs: list[tuple[Agency | None, Agency]] = []
        for locality, division in localities:
            wanted = Agency(
                name=f"Trung tâm Phục vụ hành chính công {division.unit_name}",
                short_name=f"TTPVHCC {division.unit_name}",
                kind=AgencyKind.SERVICE_CENTRE,
                level=locality.level,
                division_type=DivisionType.NONE,
                parent=locality,
            )
            pairs.append((self.centres.get(locality.pk), wanted))
        for centre in self._save(pairs):
            if centre.parent_id is not None:
                self.centres[centre.parent_id] = centre

    def _save(self, pairs: list[tuple[Agency | None, Agency]]) -> list[Agency]:
        """Create the missing agencies and update the changed ones, in bulk; return them all."""
        now = timezone.now()
        result: list[Agency] = []
        new: list[Agency] = []
        changed: list[Agency] = []
        for existing, wanted in pairs:
            wanted.derive_columns()
            if existing is None:
                wanted.path, wanted.depth = services.path_below(wanted.parent)
                new.append(wanted)
                continue
            differences = [name for name in _SYNCED_FIELDS if getattr(existing, name) != getattr(wanted, name)]
            for name in differences:
                setattr(existing, name, getattr(wanted, name))
            if differences:
                existing.updated_at = now
                changed.append(existing)
            elif existing.pk in self.moved:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            result.append(existing)
        if new:
            # SQLite (3.35+) and PostgreSQL both return the new ids, which the children's paths need.
            Agency.objects.bulk_create(new)
            self.report.created += len(new)
            result.extend(new)
        if changed:
            Agency.objects.bulk_update(changed, [*_SYNCED_FIELDS, "updated_at"])
            self.report.updated += len(changed)
        return result
