"""Agencies (cơ quan) and their tree.

One table holds every organisational unit the system knows: ministries and their
units, provinces, the districts kept for history, communes (xã, phường, đặc khu),
departments, the one-stop units (Public Administration Service Centres, ministry
reception units) with their reception points and counters. The tree has any depth.

Each row keeps its ancestors' ids in ``path`` (a materialised path such as
``/12/340/``), so "everything under X" and "everything above X" are single
indexed queries on the whole tree, never a query per node. ``search_text`` keeps a
folded copy of the names (no diacritics, lower case) so that "uy ban viet tri" finds
"Ủy ban nhân dân phường Việt Trì".

Administrative units change (the 2025 reorganisation merged provinces and
abolished districts, Resolution 202/2025/QH15), so units carry effective dates
and a successor link instead of being deleted: old dossiers keep pointing at the
unit that existed when they were received.

Electronic identifier codes (mã định danh điện tử, Decision 20/2020/QĐ-TTg as
amended by Decision 09/2025/QĐ-TTg) are data with validity dates, one row each in
``AgencyCode``; nothing in the code knows any province's code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import connections, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _

from motcua.agencies.identifiers import validate_identifier_code
from motcua.core.models import TimeStampedModel
from motcua.core.vietnamese import COLLATION_KEY_LENGTH, collation_key, fold

if TYPE_CHECKING:
    from collections.abc import Iterable


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or ministry-level body")
    MINISTRY_UNIT = "ministry_unit", _("Ministry unit (general department, department, bureau)")
    PROVINCE = "province", _("Provincial People's Committee")
    DISTRICT = "district", _("District People's Committee (historical)")
    COMMUNE = "commune", _("Commune People's Committee")
    DEPARTMENT = "department", _("Specialised department")
    VERTICAL_UNIT = "vertical_unit", _("Vertically-organised agency (police, tax, social insurance)")
    SERVICE_CENTRE = "service_centre", _("Public Administration Service Centre")
    RECEPTION_UNIT = "reception_unit", _("Reception and result-return unit")
    RECEPTION_POINT = "reception_point", _("Reception point")
    COUNTER = "counter", _("Counter")


class AgencyLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class DivisionType(models.TextChoices):
    """The kind of locality an administrative division is (vietnam-provinces' terms)."""

    NONE = "", _("Not a locality")
    CENTRAL_CITY = "central_city", _("Centrally-run city")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special administrative zone")


#: Kinds that receive dossiers from the public: the one-stop units and their desks.
ONE_STOP_KINDS = frozenset(
    {AgencyKind.SERVICE_CENTRE, AgencyKind.RECEPTION_UNIT, AgencyKind.RECEPTION_POINT, AgencyKind.COUNTER}
)
#: Kinds that are localities' governments and so carry an administrative-division code.
LOCALITY_KINDS = frozenset({AgencyKind.PROVINCE, AgencyKind.DISTRICT, AgencyKind.COMMUNE})


#: Up to this many roots, subtree_of looks each one up in the path index.
_INDEXED_ROOTS = 8


class AgencyQuerySet(models.QuerySet["Agency"]):
    def effective(self, on: dt.date) -> AgencyQuerySet:
        """Units in existence on ``on``: started on or before it and not yet ended."""
        return self.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on)).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )

    def below(self, agency: Agency) -> AgencyQuerySet:
        """Everything under ``agency`` at any depth (not the agency itself), in one query."""
        return self.filter(self._below(agency))

    def subtree_of(self, roots: Iterable[Agency]) -> AgencyQuerySet:
        """The given agencies and everything below them, in one query."""
        outermost: list[Agency] = []
        # A root inside another root's subtree adds nothing but a condition to evaluate.
        for root in sorted(roots, key=lambda agency: agency.depth):
            if not any(root.is_within(kept) for kept in outermost):
                outermost.append(root)
        condition = Q(pk__in=[root.pk for root in outermost])
        if len(outermost) <= _INDEXED_ROOTS:
            for root in outermost:
                condition |= self._below(root)
            return self.filter(condition)
        # Many roots: one pass over the table comparing each path's first characters
        # with the roots' prefixes (grouped by length) beats one index range per root.
        prefixes: dict[int, list[str]] = defaultdict(list)
        for root in outermost:
            prefixes[len(root.subtree_prefix)].append(root.subtree_prefix)
        for length, group in prefixes.items():
            condition |= Q(In(Substr("path", 1, length), group))
        return self.filter(condition)

    def _below(self, agency: Agency) -> Q:
        prefix = agency.subtree_prefix
        if connections[self.db].vendor == "sqlite":
            # SQLite's LIKE is case-insensitive and so cannot use the path index; the
            # equivalent range can ("/" is followed by "0" in byte order).
            return Q(path__gte=prefix, path__lt=prefix[:-1] + "0")
        # PostgreSQL's LIKE 'prefix%' uses the varchar_pattern_ops index Django adds,
        # whatever the database's collation; a range would follow a linguistic collation.
        return Q(path__startswith=prefix)

    def with_current_code(self, on: dt.date) -> AgencyQuerySet:
        """Annotate ``current_code``: the identifier code valid on ``on`` (None if none), in the same query."""
        codes = AgencyCode.objects.filter(agency=OuterRef("pk")).valid_on(on)
        return self.annotate(
            current_code=Subquery(codes.order_by(F("valid_from").desc(nulls_last=True)).values("code")[:1])
        )


class Agency(TimeStampedModel):
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Ancestor ids, root first, each followed by "/": "/1/7/" for the agency 7 under 1.
    # Maintained by services.py; never edited by hand.
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    # Folded copy of name and short name for accent-insensitive search; set by
    # services.py and the division loader from ``folded_names``.
    search_text = models.CharField(_("search text"), max_length=400, editable=False, blank=True, default="")
    # The name's Vietnamese collation key (``core.vietnamese.collation_key``): lists of agencies
    # sort on it, since the database's own collation puts "Âu Cơ" after "Việt Trì".
    sort_name = models.CharField(_("sort key"), max_length=COLLATION_KEY_LENGTH, editable=False, blank=True, default="")

    division_type = models.CharField(
        _("division type"), max_length=20, choices=DivisionType.choices, blank=True, default=DivisionType.NONE
    )
    division_code = models.CharField(
        _("administrative-division code"),
        max_length=10,
        blank=True,
        help_text=_("The General Statistics Office code of the province, district or commune this agency governs."),
    )

    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)

    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The unit that took over this one's work after a merger or reorganisation."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "division_code"],
                condition=~Q(division_code=""),
                name="agency_unique_division_code_per_kind",
                violation_error_message=_("Another agency of this kind already has this administrative-division code."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="agency_effective_period_ordered",
                violation_error_message=_("The end of the effective period must not be before its start."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("pk")),
                name="agency_not_own_successor",
                violation_error_message=_("An agency cannot be its own successor."),
            ),
        ]
        indexes = [
            models.Index(fields=["parent", "kind"], name="agency_parent_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subtree_prefix(self) -> str:
        """The ``path`` prefix shared by this agency and all its descendants."""
        return f"{self.path}{self.pk}/"

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, root: Agency) -> bool:
        """Whether this agency is ``root`` or one of its units, at any depth (no query)."""
        return self.pk == root.pk or self.path.startswith(root.subtree_prefix)

    @property
    def folded_names(self) -> str:
        """What ``search_text`` should hold: name and short name without diacritics."""
        return fold(f"{self.name} {self.short_name}")

    def derive_columns(self) -> None:
        """Set the columns kept from the names: ``search_text`` and ``sort_name``."""
        self.search_text = self.folded_names
        self.sort_name = collation_key(self.name)

    @property
    def is_one_stop(self) -> bool:
        return self.kind in ONE_STOP_KINDS

    def is_effective_on(self, on: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_to is None or on <= self.effective_to
        )


class AgencyCodeQuerySet(models.QuerySet["AgencyCode"]):
    def valid_on(self, on: dt.date) -> AgencyCodeQuerySet:
        """Codes whose validity period contains ``on`` (open ends count as unbounded)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class AgencyCode(TimeStampedModel):
    """An electronic identifier code held by an agency for a period (Decision 20/2020/QĐ-TTg)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("identifier code"), max_length=35, unique=True, validators=[validate_identifier_code])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = AgencyCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("electronic identifier code")
        verbose_name_plural = _("electronic identifier codes")
        ordering = ["agency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(valid_to__isnull=True),
                name="agencycode_one_current_per_agency",
                violation_error_message=_("This agency already has a current identifier code; end it first."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agencycode_validity_ordered",
                violation_error_message=_("The end of the validity period must not be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.code
