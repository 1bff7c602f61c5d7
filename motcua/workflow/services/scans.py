"""Scans of the paper documents handed over at the counter (Decree 118/2025/NĐ-CP Art. 17.1).

At the counter the desk checks the papers, scans them and keeps the scans with the dossier, so that
it travels electronically from then on. The scans are attached to the draft while the documents
are checked, by a receiving officer of the desk, each for one component of the dossier's case.
Every file goes through ``dossiers.attachments`` (type by content, sizes, server-chosen names,
SHA-256); a file refused is said with its reason and the others are kept. The files kept in one
go are one event; a batch of which nothing is kept records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from motcua.accounts.models import StaffRoleName, User
from motcua.catalog.channels import Channel
from motcua.dossiers.attachments import AttachmentRefused, store_attachment
from motcua.dossiers.checklist import get_checklist
from motcua.dossiers.models import Attachment, AttachmentPurpose, Dossier, DossierState
from motcua.workflow.services.core import NotAllowed, TransitionRefused, holds, record_event
from motcua.workflow.transitions import Actor


@dataclass(frozen=True, slots=True)
class Scan:
    """One scanned file for one component."""

    component_id: int
    handle: IO[bytes]
    name: str


@dataclass(frozen=True, slots=True)
class ScansAttached:
    """The dossier after the batch, the files kept, and the reasons of those refused, by component."""

    dossier: Dossier
    stored: list[Attachment] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)


class _NothingKept(Exception):
    """Every file was refused: the event is rolled back."""


def attach_scans(
    *,
    dossier_id: int,
    user: User,
    scans: Sequence[Scan],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ScansAttached:
    """Keep the scans of a paper dossier being checked at the counter; refused files are reported, not raised."""
    dossier = Dossier.objects.select_related("receiving_unit").get(pk=dossier_id)
    if not holds(user, StaffRoleName.RECEIVING_OFFICER, dossier.receiving_unit, one_stop=True):
        raise NotAllowed(_("Only a receiving officer of the desk attaches the scans of the papers."))
    components = {row.component.pk for row in get_checklist(dossier, purposes=())}
    if any(scan.component_id not in components for scan in scans):
        raise TransitionRefused(_("A scan is not for a document of this procedure."))
    stored: list[Attachment] = []
    refused: dict[int, list[str]] = {}

    def change(locked: Dossier, at: dt.datetime) -> dict[str, Any]:
        if locked.state != DossierState.DRAFT or locked.channel != Channel.COUNTER:
            raise TransitionRefused(_("Scans are attached while the papers are checked at the counter."))
        for scan in scans:
            try:
                attachment = store_attachment(
                    dossier=locked,
                    handle=scan.handle,
                    name=scan.name,
                    purpose=AttachmentPurpose.SCAN,
                    component_id=scan.component_id,
                    uploaded_by_id=user.pk,
                )
            except AttachmentRefused as refusal:
                refused.setdefault(scan.component_id, []).append(
                    _("%(name)s: %(reason)s") % {"name": scan.name, "reason": refusal.messages[0]}
                )
            else:
                stored.append(attachment)
        if not stored:
            raise _NothingKept
        return {
            "scans": [
                {"component": item.component_id, "name": item.original_name, "sha256": item.sha256} for item in stored
            ]
        }

    if not scans:
        return ScansAttached(dossier)
    try:
        dossier = record_event(
            dossier_id=dossier_id,
            action="attach_scans",
            user=user,
            change=change,
            actor=Actor.RECEIVING_OFFICER,
            unit=dossier.receiving_unit,
            expected_version=expected_version,
            now=now,
        )
    except _NothingKept:
        stored.clear()
        dossier.refresh_from_db()
    return ScansAttached(dossier, stored, refused)
