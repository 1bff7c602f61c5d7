"""Files of a dossier: what is accepted, how it is named and stored, and how it is read back.

- Types are decided by content, never by the name or the browser's claim: PDF, JPEG, PNG, TIFF
  (scans), DOCX and XLSX (Office Open XML, checked inside the ZIP) are accepted; the name's
  extension must agree with the content, so a program renamed ``giay-khai-sinh.pdf`` is refused.
- Sizes: at most ``ATTACHMENT_MAX_MB`` per file and ``DOSSIER_MAX_MB`` per dossier (settings).
- Names: the original name is kept for display only, after refusing names that try to climb
  folders (``../``), carry NUL or control characters, or run past 150 characters; the stored
  name is a random one chosen by the server.
- Integrity: SHA-256 is computed on upload and checked on every read (``open_verified``); a file
  changed on the storage behind the system's back is refused, not served.
- Taking a file back: the applicant may remove a file given by mistake while it is still theirs
  alone, in a draft or among the files of a supplement not yet sent (``can_withdraw``). The row
  and the file are kept, marked withdrawn, and no longer count: nothing given is ever erased,
  and what reached the agency can no longer be taken back.

Files go through Django's storage API (local disk by default, S3-compatible when configured),
so nothing here knows where they live. Personal data law (Law 91/2025/QH15) is why downloads
go only through access-checked views, never a public URL.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from motcua.core.bulk import insert_rows
from motcua.dossiers.models import Attachment, AttachmentPurpose, Dossier, DossierState

MAX_NAME_LENGTH = 150
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
PNG = FileType("image/png", (".png",), "PNG")
TIFF = FileType("image/tiff", (".tif", ".tiff"), "TIFF")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "DOCX")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "XLSX")
ALLOWED = (PDF, JPEG, PNG, TIFF, DOCX, XLSX)


class AttachmentRefused(ValidationError):
    """A file the dossier cannot take; the message says why in words an applicant understands."""


class AttachmentCorrupted(Exception):
    """A stored file whose content no longer matches the fingerprint taken at upload."""


def detect_type(head: bytes, handle: IO[bytes]) -> FileType | None:
    """The accepted type the content is, or None. ``head`` is the first bytes; ``handle`` the whole file."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"PK\x03\x04"):
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def clean_name(name: str) -> str:
    """The original name, checked for display; AttachmentRefused if it is hostile or too long."""
    if "\x00" in name or any(unicodedata.category(char) == "Cc" for char in name):
        raise AttachmentRefused(_("The file name contains characters that are not allowed."), code="name_control")
    if "/" in name or "\\" in name or name.strip() in {".", ".."}:
        raise AttachmentRefused(_("The file name must not contain folders (“/” or “\\”)."), code="name_path")
    cleaned = unicodedata.normalize("NFC", name.strip())
    if not cleaned:
        raise AttachmentRefused(_("The file has no name."), code="name_empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise AttachmentRefused(
            _("The file name is too long: at most %(n)d characters.") % {"n": MAX_NAME_LENGTH}, code="name_long"
        )
    return cleaned


def store_attachment(
    *,
    dossier: Dossier,
    handle: IO[bytes],
    name: str,
    purpose: str = AttachmentPurpose.APPLICATION,
    component_id: int | None = None,
    uploaded_by_id: int | None = None,
) -> Attachment:
    """Check ``handle`` and keep it with ``dossier``; AttachmentRefused (with the reason) if it cannot be taken."""
    upload = Upload(dossier, handle, name, purpose, component_id, uploaded_by_id)
    attachment, content, extension = _inspected(upload)
    used = Attachment.objects.filter(dossier=dossier, is_withdrawn=False).aggregate(total=Sum("size"))["total"] or 0
    _check_total(used + attachment.size)
    _keep(attachment, content, extension)
    attachment.save()
    return attachment


@dataclass(frozen=True, slots=True)
class Upload:
    """One file to keep with a dossier (``store_attachments``)."""

    dossier: Dossier
    handle: IO[bytes]
    name: str
    purpose: str = AttachmentPurpose.APPLICATION
    component_id: int | None = None
    uploaded_by_id: int | None = None


def store_attachments(*, uploads: Sequence[Upload]) -> list[Attachment]:
    """Check and keep many files (the documents of many dossiers at once): one query, one INSERT per 500.

    Every check of ``store_attachment`` applies, the dossier's total counting the batch's other
    files; one file refused refuses them all (AttachmentRefused naming the file) and nothing is
    kept. The rows are written in one transaction; if that fails, the files stored are removed.
    """
    inspected = []
    for upload in uploads:
        try:
            inspected.append(_inspected(upload))
        except AttachmentRefused as error:
            raise AttachmentRefused(f"{upload.name[:MAX_NAME_LENGTH]}: {error.message}", code=error.code) from error
    dossier_ids = {upload.dossier.pk for upload in uploads}
    used = dict(
        Attachment.objects.filter(dossier_id__in=dossier_ids, is_withdrawn=False)
        .values("dossier_id")
        .annotate(total=Sum("size"))
        .values_list("dossier_id", "total")
    )
    for attachment, _content, _extension in inspected:
        used[attachment.dossier_id] = used.get(attachment.dossier_id, 0) + attachment.size
        _check_total(used[attachment.dossier_id])
    kept: list[Attachment] = []
    try:
        for attachment, content, extension in inspected:
            _keep(attachment, content, extension)
            kept.append(attachment)
        with transaction.atomic():
            return insert_rows(kept)
    except Exception:
        for attachment in kept:
            attachment.file.delete(save=False)  # nothing refers to them: the rows were not written
        raise


def _inspected(upload: Upload) -> tuple[Attachment, bytes, str]:
    """The attachment ``upload`` makes (not saved, no file yet), its content and the extension to store it
    under, or AttachmentRefused."""
    handle = upload.handle
    original = clean_name(upload.name)
    per_file = settings.ATTACHMENT_MAX_MB * 1024 * 1024
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    head = handle.read(16)
    handle.seek(0)
    while chunk := handle.read(_CHUNK):
        size += len(chunk)
        if size > per_file:
            raise AttachmentRefused(
                _("The file is larger than %(n)d MB.") % {"n": settings.ATTACHMENT_MAX_MB}, code="file_too_large"
            )
        digest.update(chunk)
    if size == 0:
        raise AttachmentRefused(_("The file is empty."), code="empty")
    kind = detect_type(head, handle)
    if kind is None:
        allowed = ", ".join(file_type.label for file_type in ALLOWED)
        raise AttachmentRefused(
            _("This kind of file is not accepted. Send it as one of: %(allowed)s.") % {"allowed": allowed},
            code="type",
        )
    extension = "." + original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if not extension:
        raise AttachmentRefused(
            _("The file's name has no type; its content is %(kind)s: name it with %(ext)s.")
            % {"kind": kind.label, "ext": kind.extensions[0]},
            code="type_mismatch",
        )
    if extension not in kind.extensions:
        raise AttachmentRefused(
            _("The file's name says “%(ext)s” but its content is %(kind)s; rename it or choose the right file.")
            % {"ext": extension, "kind": kind.label},
            code="type_mismatch",
        )
    handle.seek(0)
    attachment = Attachment(
        dossier=upload.dossier,
        component_id=upload.component_id,
        purpose=upload.purpose,
        original_name=original,
        content_type=kind.content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by_id=upload.uploaded_by_id,
    )
    return attachment, handle.read(), kind.extensions[0]


def _check_total(total: int) -> None:
    if total > settings.DOSSIER_MAX_MB * 1024 * 1024:
        raise AttachmentRefused(
            _("The dossier's files would exceed %(n)d MB in total.") % {"n": settings.DOSSIER_MAX_MB},
            code="dossier_too_large",
        )


def _keep(attachment: Attachment, content: bytes, extension: str) -> None:
    """Store the file under a name the server chooses (never the one sent)."""
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)


def can_withdraw(dossier: Dossier, attachment: Attachment) -> bool:
    """Whether the applicant may still take ``attachment`` back: a draft's own file, or one sent
    for the supplement asked now and not yet handed in (the agency has seen neither)."""
    if attachment.is_withdrawn or attachment.dossier_id != dossier.pk:
        return False
    if dossier.state == DossierState.DRAFT:
        return attachment.purpose == AttachmentPurpose.APPLICATION
    if dossier.state == DossierState.SUPPLEMENT_REQUESTED:
        asked = dossier.supplement_requested_at
        sent_now = attachment.purpose == AttachmentPurpose.SUPPLEMENT
        return sent_now and asked is not None and attachment.uploaded_at >= asked
    return False


def withdraw_attachment(*, dossier: Dossier, attachment_id: int) -> Attachment:
    """Take a file back (``can_withdraw``); AttachmentRefused once it has gone to the agency.

    The dossier row is locked first, as submitting locks it: a file is either taken back before
    the submission checks the documents, or refused after it.
    """
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().only("state", "supplement_requested_at").get(pk=dossier.pk)
        attachment = Attachment.objects.filter(dossier_id=locked.pk, pk=attachment_id).first()
        if attachment is not None and attachment.is_withdrawn:
            return attachment  # taken back already (a double click): the same as once
        if attachment is None or not can_withdraw(locked, attachment):
            raise AttachmentRefused(
                _("This file has already been sent to the agency, so it can no longer be removed."), code="sent"
            )
        attachment.is_withdrawn = True
        attachment.save(update_fields=["is_withdrawn"])
    return attachment


def open_verified(attachment: Attachment) -> io.BytesIO:
    """The file's content, after checking it still matches its SHA-256; AttachmentCorrupted otherwise."""
    with attachment.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise AttachmentCorrupted(f"Attachment {attachment.pk} of dossier {attachment.dossier_id} has been altered.")
    return io.BytesIO(content)
