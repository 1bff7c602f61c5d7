"""The outbox admin through the test client: read-only pages, filters, and "retry now"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from motcua.notifications import topics
from motcua.notifications.models import OutboxMessage
from motcua.notifications.services import deliver_due
from motcua.notifications.sms import FakeSmsGateway
from motcua.notifications.tests.factories import CODE, NOW, PHONE, dossier_payload, enqueue_message, staff_payload

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_outboxmessage_changelist")


@pytest.fixture
def admin(client: Client, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_superuser(username="quantri", email="quantri@example.vn", password="x")
    client.force_login(user)
    return client


@pytest.fixture
def given_up(sms: FakeSmsGateway) -> OutboxMessage:
    """A reception message whose SMS failed until it was given up; the email went out."""
    message = enqueue_message()
    sms.fail_for(PHONE)
    deliver_due(now=NOW, sms_gateway=sms)
    OutboxMessage.objects.filter(pk=message.pk).update(failed_at=NOW)
    message.refresh_from_db()
    return message


def test_the_list_shows_each_message_and_filters_by_state_and_topic(admin: Client, given_up: OutboxMessage) -> None:
    enqueue_message(topics.DOSSIER_DUE_SOON, key="due-soon:1", payload=staff_payload())

    listing = admin.get(CHANGELIST)
    only_given_up = admin.get(CHANGELIST, {"state": "given_up"})
    only_reminders = admin.get(CHANGELIST, {"topic": topics.DOSSIER_DUE_SOON})

    assert listing.status_code == 200
    assert [m.key for m in listing.context["cl"].result_list] == ["due-soon:1", given_up.key]
    assert "Given up" in listing.content.decode()
    assert "sms 0912***678: SmsError" in listing.content.decode()
    assert [m.key for m in only_given_up.context["cl"].result_list] == [given_up.key]
    assert [m.key for m in only_reminders.context["cl"].result_list] == ["due-soon:1"]


def test_a_message_page_is_read_only_and_shows_its_deliveries(admin: Client, given_up: OutboxMessage) -> None:
    page = admin.get(reverse("admin:notifications_outboxmessage_change", args=[given_up.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert CODE in content
    assert "an.nguyen@example.vn" in content
    assert "the gateway refuses" in content
    assert not page.context["has_change_permission"]
    assert admin.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    assert admin.get(reverse("admin:notifications_outboxmessage_delete", args=[given_up.pk])).status_code == 403


def test_retry_now_makes_the_selected_messages_due_and_the_worker_delivers_them(
    admin: Client, given_up: OutboxMessage, sms: FakeSmsGateway
) -> None:
    sms.reset()
    before = timezone.now()

    response = admin.post(CHANGELIST, {"action": "retry_now", "_selected_action": [given_up.pk]}, follow=True)

    assert "1 message will be retried at the worker&#x27;s next pass." in response.content.decode()
    given_up.refresh_from_db()
    assert given_up.failed_at is None
    assert before <= given_up.available_at <= timezone.now()
    deliver_due(now=timezone.now(), sms_gateway=sms)
    given_up.refresh_from_db()
    assert given_up.delivered_at is not None
    assert [s.phone for s in sms.sent] == [PHONE]


def test_retry_now_needs_the_change_permission(client: Client, django_user_model: Any, given_up: OutboxMessage) -> None:
    viewer = django_user_model.objects.create_user(username="xem", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(viewer)

    listing = client.get(CHANGELIST)
    client.post(CHANGELIST, {"action": "retry_now", "_selected_action": [given_up.pk]})

    assert listing.status_code == 200
    assert "retry_now" not in listing.content.decode()
    given_up.refresh_from_db()
    assert given_up.failed_at == NOW


def test_a_delivered_message_is_not_made_due_again(admin: Client, sms: FakeSmsGateway) -> None:
    message = enqueue_message(payload=dossier_payload(phone=""))
    deliver_due(now=NOW, sms_gateway=sms)

    response = admin.post(CHANGELIST, {"action": "retry_now", "_selected_action": [message.pk]}, follow=True)

    assert "0 messages will be retried" in response.content.decode()
    message.refresh_from_db()
    assert (message.delivered_at, message.available_at) == (NOW, NOW)
