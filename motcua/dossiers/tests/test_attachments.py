"""Attachments: types by content, limits, hostile names, server-chosen names, fingerprints checked on read."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from motcua.dossiers.attachments import (
    AttachmentCorrupted,
    AttachmentRefused,
    Upload,
    open_verified,
    store_attachment,
    store_attachments,
)
from motcua.workflow.tests.factories import PDF, build_world, draft

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def office_file(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", *names):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def dossier(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return draft(build_world())


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "to-khai.pdf", "application/pdf"),
        (JPEG, "anh chụp giấy chứng sinh.JPG", "image/jpeg"),
        (PNG, "scan.png", "image/png"),
        (
            office_file("word/document.xml"),
            "don.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            office_file("xl/workbook.xml"),
            "bang-ke.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content(dossier, content: bytes, name: str, content_type: str) -> None:
    attachment = store_attachment(dossier=dossier, handle=io.BytesIO(content), name=name)
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.original_name == name
    # The stored name is the server's own, never the applicant's.
    stored_path = str(attachment.file.name)
    stored = stored_path.rsplit("/", 1)[-1]
    assert name not in stored_path and len(stored.split(".")[0]) == 32
    assert open_verified(attachment).read() == content


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"MZ\x90\x00 program", "giay-khai-sinh.pdf", "type"),  # a program claiming to be a PDF
        (PNG, "to-khai.pdf", "type_mismatch"),  # a picture named as a PDF
        (office_file("other.xml"), "x.docx", "type"),  # a ZIP that is not an Office document
        (b"PK\x03\x04 broken zip", "x.docx", "type"),
        (b"", "empty.pdf", "empty"),
        (PDF, "../../etc/passwd.pdf", "name_path"),
        (PDF, "a\\b.pdf", "name_path"),
        (PDF, "bad\x00name.pdf", "name_control"),
        (PDF, "x" * 296 + ".pdf", "name_long"),
        (PDF, "   ", "name_empty"),
    ],
)
def test_files_that_lie_or_carry_hostile_names_are_refused(dossier, content: bytes, name: str, code: str) -> None:
    with pytest.raises(AttachmentRefused) as error:
        store_attachment(dossier=dossier, handle=io.BytesIO(content), name=name)
    assert error.value.code == code
    assert not dossier.attachments.exists()


def test_size_limits_per_file_and_per_dossier(dossier, settings) -> None:
    settings.ATTACHMENT_MAX_MB = 1
    settings.DOSSIER_MAX_MB = 2
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(AttachmentRefused) as error:
        store_attachment(dossier=dossier, handle=io.BytesIO(big), name="lon.pdf")
    assert error.value.code == "file_too_large"
    almost = PDF + b"0" * (900 * 1024)
    store_attachment(dossier=dossier, handle=io.BytesIO(almost), name="1.pdf")
    store_attachment(dossier=dossier, handle=io.BytesIO(almost), name="2.pdf")
    with pytest.raises(AttachmentRefused) as error:
        store_attachment(dossier=dossier, handle=io.BytesIO(almost), name="3.pdf")
    assert error.value.code == "dossier_too_large"


def test_a_file_changed_on_the_storage_is_refused_on_read(dossier) -> None:
    attachment = store_attachment(dossier=dossier, handle=io.BytesIO(PDF), name="to-khai.pdf")
    with default_storage.open(str(attachment.file.name), "wb") as handle:
        handle.write(PDF + b"% tampered")
    with pytest.raises(AttachmentCorrupted):
        open_verified(attachment)


@pytest.fixture
def two_dossiers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    return draft(world), draft(world)


def stored_files(root) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file()]


def test_files_kept_together_are_checked_as_one_and_a_hostile_name_keeps_none(two_dossiers, tmp_path) -> None:
    dossier, other = two_dossiers
    uploads = [
        Upload(dossier, io.BytesIO(PDF), "to-khai.pdf"),
        Upload(other, io.BytesIO(PDF), "../../etc/passwd.pdf"),
    ]
    with pytest.raises(AttachmentRefused) as error:
        store_attachments(uploads=uploads)
    assert error.value.code == "name_path" and "../../etc/passwd.pdf" in error.value.message
    assert not dossier.attachments.exists() and not other.attachments.exists()
    assert stored_files(tmp_path) == []

    kept = store_attachments(
        uploads=[Upload(dossier, io.BytesIO(PDF), "tờ khai.pdf"), Upload(other, io.BytesIO(JPEG), "ảnh.jpg")]
    )
    assert [(a.dossier_id, a.original_name, a.content_type) for a in kept] == [
        (dossier.pk, "tờ khai.pdf", "application/pdf"),
        (other.pk, "ảnh.jpg", "image/jpeg"),
    ]
    assert all(attachment.pk for attachment in kept)
    assert open_verified(dossier.attachments.get()).read() == PDF
    assert open_verified(other.attachments.get()).read() == JPEG
    assert "tờ khai" not in str(kept[0].file.name)


def test_files_kept_together_count_against_the_dossier_limit(dossier, settings) -> None:
    settings.ATTACHMENT_MAX_MB = 1
    settings.DOSSIER_MAX_MB = 2
    almost = PDF + b"0" * (900 * 1024)
    store_attachment(dossier=dossier, handle=io.BytesIO(almost), name="1.pdf")
    with pytest.raises(AttachmentRefused) as error:
        store_attachments(uploads=[Upload(dossier, io.BytesIO(almost), f"{n}.pdf") for n in (2, 3)])
    assert error.value.code == "dossier_too_large"
    assert dossier.attachments.count() == 1
