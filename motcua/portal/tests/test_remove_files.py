"""Taking back a file given by mistake: in a draft, and in a supplement not yet sent; never once the agency has it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.accounts.tests.factories import make_citizen
from motcua.catalog.models import Component
from motcua.core.tests.english import english_client, english_messages  # noqa: F401 - the fixture, for pytest
from motcua.dossiers.attachments import AttachmentRefused, store_attachment, withdraw_attachment
from motcua.dossiers.checklist import get_checklist
from motcua.dossiers.models import Attachment, AttachmentPurpose, Dossier, DossierState
from motcua.workflow import services
from motcua.workflow.services import WorkflowError
from motcua.workflow.tests.factories import PDF, World, build_world, draft, make_dossier

pytestmark = pytest.mark.django_db


def upload(client: Client, dossier: Dossier, component: Component, name: str) -> Attachment:
    client.post(
        reverse("portal:upload", args=[dossier.pk, component.pk]),
        {"file": SimpleUploadedFile(name, PDF, content_type="application/pdf")},
        headers={"HX-Request": "true"},
    )
    return Attachment.objects.get(dossier=dossier, original_name=name)


def remove_url(dossier: Dossier, file: Attachment) -> str:
    return reverse("portal:remove_file", args=[dossier.pk, file.component_id, file.pk])


def required_components(world: World) -> list[Component]:
    return list(Component.objects.filter(version=world.version, is_required=True).order_by("position", "pk"))


def test_a_citizen_removes_a_wrong_file_from_the_draft_and_the_checklist_asks_for_it_again() -> None:
    client = english_client()
    world = build_world()
    dossier = draft(world)
    client.force_login(world.citizen)
    first, second = required_components(world)[:2]
    wrong = upload(client, dossier, first, "anh-nham.pdf")
    right = upload(client, dossier, first, "to-khai.pdf")
    only = upload(client, dossier, second, "giay-chung-sinh.pdf")

    page = client.get(reverse("portal:apply_documents", args=[dossier.pk])).content.decode()
    assert remove_url(dossier, wrong) in page and "Remove anh-nham.pdf" in page

    row = client.post(remove_url(dossier, wrong), headers={"HX-Request": "true"})
    html = row.content.decode()
    assert row.status_code == 200 and "to-khai.pdf" in html and "anh-nham.pdf" not in html
    wrong.refresh_from_db()
    assert wrong.is_withdrawn and wrong.file.storage.exists(str(wrong.file.name))  # kept, no longer counted
    assert client.post(remove_url(dossier, wrong), headers={"HX-Request": "true"}).status_code == 200  # twice = once

    response = client.post(remove_url(dossier, only), follow=True)
    assert "“giay-chung-sinh.pdf” has been removed." in response.content.decode()
    assert [file.pk for row in get_checklist(dossier) for file in row.files] == [right.pk]
    with pytest.raises(WorkflowError, match=second.name):
        services.submit(dossier_id=dossier.pk, user=world.citizen)


def test_once_submitted_the_files_stay_and_a_page_left_open_says_why() -> None:
    client = english_client()
    world = build_world()
    dossier = draft(world)
    client.force_login(world.citizen)
    files = [upload(client, dossier, component, f"{component.pk}.pdf") for component in required_components(world)]
    services.submit(dossier_id=dossier.pk, user=world.citizen)

    page = client.get(reverse("portal:my_dossier", args=[dossier.pk])).content.decode()
    assert "/go/" not in page  # no button to take a file back
    response = client.post(remove_url(dossier, files[0]), follow=True)
    assert "already been sent to the agency" in response.content.decode()
    htmx = client.post(remove_url(dossier, files[0]), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == reverse("portal:my_dossier", args=[dossier.pk])
    assert not Attachment.objects.filter(dossier=dossier, is_withdrawn=True).exists()
    with pytest.raises(AttachmentRefused):
        withdraw_attachment(dossier=dossier, attachment_id=files[0].pk)


def test_in_a_supplement_only_the_files_not_yet_sent_can_be_taken_back() -> None:
    client = english_client()
    world = build_world()
    dossier = make_dossier(world, "supplement_requested")
    client.force_login(world.citizen)
    component = required_components(world)[0]
    sent = Attachment.objects.filter(dossier=dossier, purpose=AttachmentPurpose.APPLICATION).first()
    assert sent is not None
    new = upload(client, dossier, component, "anh-ro.pdf")
    assert new.purpose == AttachmentPurpose.SUPPLEMENT

    page = client.get(reverse("portal:my_dossier", args=[dossier.pk])).content.decode()
    assert remove_url(dossier, new) in page and remove_url(dossier, sent) not in page
    refused = client.post(remove_url(dossier, sent), headers={"HX-Request": "true"})
    assert "already been sent to the agency" in refused.content.decode()
    client.post(remove_url(dossier, new), headers={"HX-Request": "true"})
    new.refresh_from_db()
    sent.refresh_from_db()
    assert new.is_withdrawn and not sent.is_withdrawn
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUPPLEMENT_REQUESTED


def test_no_one_else_can_remove_a_citizens_file() -> None:
    client = english_client()
    world = build_world()
    dossier = draft(world)
    component = required_components(world)[0]
    file = store_attachment(
        dossier=dossier, handle=io.BytesIO(PDF), name="to-khai.pdf", component_id=component.pk,
        uploaded_by_id=world.citizen.pk,
    )  # fmt: skip
    stranger = make_citizen("001099099999", phone="0987654321", email="k@example.vn")
    for who in (stranger, world.receiving):
        client.force_login(who)
        assert client.post(remove_url(dossier, file)).status_code == 404
    client.force_login(world.citizen)
    other_component = required_components(world)[1]
    wrong_row = reverse("portal:remove_file", args=[dossier.pk, other_component.pk, file.pk])
    assert client.post(wrong_row).status_code == 404
    assert client.get(remove_url(dossier, file)).status_code == 405
    file.refresh_from_db()
    assert not file.is_withdrawn


def test_a_file_of_a_document_not_on_the_checklist_is_not_found_not_an_error() -> None:
    from motcua.catalog.tests.factories import make_procedure

    client = english_client()
    world = build_world()
    dossier = draft(world)
    other = Component.objects.filter(version=make_procedure("1.000999", name="Thủ tục khác")).first()
    assert other is not None
    stray = store_attachment(dossier=dossier, handle=io.BytesIO(PDF), name="nham.pdf", component_id=other.pk)
    client.force_login(world.citizen)
    response = client.post(remove_url(dossier, stray), headers={"HX-Request": "true"})
    assert response.status_code == 404
    stray.refresh_from_db()
    assert not stray.is_withdrawn
