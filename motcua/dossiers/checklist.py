"""The documents a dossier asks for, each with the files given for it: the applicant's checklist online
and the desk's at the counter.

A dossier's components are those of its procedure version common to every case plus those of its
own case (variant) (Decree 63/2010/NĐ-CP Art. 8.2: the published list of documents). Online the
files counted are those the applicant uploaded (with the application or a supplement); at the
counter those the desk scanned from the papers handed over (Decree 118/2025/NĐ-CP Art. 17).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q

from motcua.catalog.models import Component
from motcua.dossiers.attachments import can_withdraw
from motcua.dossiers.models import Attachment, AttachmentPurpose, Dossier

#: The files an applicant gives online.
APPLICANT_FILES = (AttachmentPurpose.APPLICATION, AttachmentPurpose.SUPPLEMENT)


@dataclass(frozen=True)
class ComponentRow:
    """One document of the checklist, with the files already given for it."""

    component: Component
    files: list[Attachment]
    #: The files the applicant may still take back (``attachments.can_withdraw``).
    removable: frozenset[int] = frozenset()

    @property
    def is_done(self) -> bool:
        return bool(self.files)


def get_checklist(dossier: Dossier, *, purposes: Collection[str] = APPLICANT_FILES) -> list[ComponentRow]:
    """The components of the dossier's case, in order, each with its files of ``purposes`` (two queries)."""
    components = (
        Component.objects.filter(version_id=dossier.procedure_version_id)
        .filter(Q(variant__isnull=True) | Q(variant_id=dossier.variant_id))
        .order_by("position", "pk")
    )
    files: dict[int | None, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        dossier=dossier, is_withdrawn=False, purpose__in=list(purposes)
    ).order_by("uploaded_at", "pk"):
        files.setdefault(attachment.component_id, []).append(attachment)
    return [
        ComponentRow(
            component,
            given := files.get(component.pk, []),
            frozenset(file.pk for file in given if can_withdraw(dossier, file)),
        )
        for component in components
    ]
