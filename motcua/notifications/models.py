"""The outbox: what others must hear about, written in the same transaction as the change.

A service that changes a dossier writes an ``OutboxMessage`` in its own transaction, so a
message exists if and only if the change was committed; a worker (``manage.py
run_outbox_worker``) delivers it afterwards, at least once, retrying with backoff, and records
every attempt as a ``Delivery``. ``key`` makes enqueueing idempotent: the same fact (the same
reminder for the same due moment, the same event) is never queued twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def pending(self) -> OutboxMessageQuerySet:
        """Messages still to deliver: neither delivered nor given up."""
        return self.filter(delivered_at__isnull=True, failed_at__isnull=True)

    def due(self, *, at: dt.datetime) -> OutboxMessageQuerySet:
        """Pending messages whose next attempt is at or before ``at``, oldest first."""
        return self.pending().filter(available_at__lte=at).order_by("available_at", "pk")


class OutboxMessage(models.Model):
    topic = models.CharField(_("topic"), max_length=60)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    available_at = models.DateTimeField(_("next attempt at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["available_at", "pk"]
        indexes = [
            models.Index(
                fields=["available_at"],
                name="outbox_pending",
                condition=Q(delivered_at__isnull=True, failed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(failed_at__isnull=True),
                name="outbox_delivered_or_given_up",
                violation_error_message=_("A message is either delivered or given up, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    AGENCY = "agency", _("Agency mailbox")


class Delivery(models.Model):
    """One attempt to deliver one message by one channel, successful or not."""

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=255)
    attempted_at = models.DateTimeField(_("attempted at"), auto_now_add=True)
    succeeded = models.BooleanField(_("succeeded"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["message", "attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {'ok' if self.succeeded else 'failed'}"
