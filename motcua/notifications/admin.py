"""Django admin for the outbox: read-only, with "retry now" for messages that failed.

Messages and deliveries are a record of what was said to whom: nobody adds, edits or deletes
them here. What an operator may do, once the cause is fixed (a mail server back, a gateway
paid), is make undelivered messages due again, given-up ones included; that goes through
``services.retry_messages`` and needs the change permission on outbox messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.notifications import services
from motcua.notifications.models import Delivery, OutboxMessage

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest


class DeliveryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Delivery
    fields = ("attempted_at", "channel", "recipient", "succeeded", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [
            ("pending", str(_("Waiting"))),
            ("retrying", str(_("Waiting after a failure"))),
            ("delivered", str(_("Delivered"))),
            ("given_up", str(_("Given up"))),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
        value = self.value()
        if value == "pending":
            return queryset.filter(delivered_at__isnull=True, failed_at__isnull=True)
        if value == "retrying":
            return queryset.filter(delivered_at__isnull=True, failed_at__isnull=True).filter(~Q(last_error=""))
        if value == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        if value == "given_up":
            return queryset.filter(failed_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("topic", "key", "created_at", "attempts", "state", "available_at", "short_error")
    list_filter = ("topic", StateFilter)
    search_fields = ("key",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    inlines = (DeliveryInline,)
    actions = ("retry_now",)
    fields = (
        "topic",
        "key",
        "payload",
        "created_at",
        "available_at",
        "attempts",
        "delivered_at",
        "failed_at",
        "last_error",
    )
    readonly_fields = fields

    @admin.display(description=_("state"))
    def state(self, message: OutboxMessage) -> str:
        if message.delivered_at is not None:
            return str(_("Delivered"))
        if message.failed_at is not None:
            return str(_("Given up"))
        return str(_("Waiting"))

    @admin.display(description=_("last error"))
    def short_error(self, message: OutboxMessage) -> str:
        return Truncator(message.last_error).chars(80)

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = services.retry_messages(message_ids=queryset.values_list("pk", flat=True), now=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be retried at the worker's next pass.",
                "%(count)d messages will be retried at the worker's next pass.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outboxmessage")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
