"""Paying a dossier's fees online (Decree 118/2025/NĐ-CP Art. 24) through a payment provider.

A ``PaymentProvider`` sends the citizen to the bank's page and later tells the portal how it
ended, by a callback that may come late, twice, or after the citizen is back. A callback is
trusted only when the provider vouches for it (``read_callback``); a success is then recorded
with ``workflow.services.record_payment`` under the provider's own transaction reference, so a
repeated callback changes nothing (record_payment is idempotent on the reference).

The built-in ``SandboxProvider`` is a simulated bank inside the portal (success, failure,
cancel, late callback), for demonstrations and tests; its messages are signed with the site's
secret key. A real gateway (VNPT Pay, the national payment platform) implements the same
protocol and is chosen by ``PAYMENT_PROVIDER``.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.portal.application import own_dossier
from motcua.workflow import services
from motcua.workflow.services import WorkflowError


class Outcome(enum.StrEnum):
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """What the provider says about one payment."""

    dossier_id: int
    amount: int
    reference: str
    outcome: Outcome


class PaymentProvider(Protocol):
    def start(self, *, dossier: Dossier, amount: int, return_url: str) -> str:
        """The address of the provider's page where the citizen pays ``amount`` đồng."""

    def read_callback(self, request: HttpRequest) -> PaymentResult | None:
        """The result the provider vouches for in this callback request, or None if it is not genuine."""


_SALT = "motcua.portal.payments.sandbox"


class SandboxProvider:
    """A simulated bank inside the portal: the orders and callbacks are signed, nothing is stored."""

    def start(self, *, dossier: Dossier, amount: int, return_url: str) -> str:
        order = signing.dumps(
            {"dossier": dossier.pk, "amount": amount, "reference": f"SB-{uuid.uuid4().hex[:16]}", "return": return_url},
            salt=_SALT,
        )
        return reverse("portal:sandbox_bank") + f"?order={order}"

    def read_callback(self, request: HttpRequest) -> PaymentResult | None:
        try:
            data = signing.loads(request.POST.get("message", ""), salt=_SALT + ".callback")
            return PaymentResult(
                int(data["dossier"]), int(data["amount"]), str(data["reference"]), Outcome(data["outcome"])
            )
        except (signing.BadSignature, KeyError, ValueError, TypeError):
            return None

    @staticmethod
    def callback_message(order: dict[str, object], outcome: Outcome) -> str:
        return signing.dumps({**order, "outcome": outcome.value}, salt=_SALT + ".callback")


def get_provider() -> PaymentProvider:
    path = getattr(settings, "PAYMENT_PROVIDER", "motcua.portal.payments.SandboxProvider")
    provider: PaymentProvider = import_string(path)()
    return provider


def reconcile(result: PaymentResult) -> Dossier | None:
    """Record a successful payment once; a failure, a cancel or a repeat changes nothing."""
    if result.outcome is not Outcome.PAID:
        return None
    return services.record_payment(
        dossier_id=result.dossier_id, amount=result.amount, reference=result.reference, user=None
    )


@require_POST
@login_required
def pay(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Send the citizen to the provider to pay what is still due."""
    dossier = own_dossier(request, dossier_id)
    if dossier.fees_outstanding <= 0 or not dossier.agency_procedure.offers_online_payment:
        return redirect(_back(dossier))
    return_url = reverse("portal:payment_return", args=[dossier.pk])
    return redirect(get_provider().start(dossier=dossier, amount=dossier.fees_outstanding, return_url=return_url))


def _back(dossier: Dossier) -> str:
    if dossier.state == "draft":
        return reverse("portal:apply_check", args=[dossier.pk])
    return reverse("portal:my_dossier", args=[dossier.pk])


@login_required
def payment_return(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Where the bank sends the citizen back; the callback (not this page) records the payment."""
    dossier = own_dossier(request, dossier_id)
    outcome = request.GET.get("ket-qua", "")
    if dossier.fees_outstanding == 0:
        messages.success(request, _("Your payment has been received."))
    elif outcome == Outcome.CANCELLED:
        messages.info(request, _("You cancelled the payment. Nothing was charged."))
    elif outcome == Outcome.FAILED:
        messages.error(request, _("The bank refused the payment. Nothing was charged; you may try again."))
    else:
        messages.info(request, _("The bank has not confirmed your payment yet. Reload this page in a few minutes."))
    return redirect(_back(dossier))


@csrf_exempt  # a server-to-server call from the provider, authenticated by its signature
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    result = get_provider().read_callback(request)
    if result is None:
        return HttpResponse("invalid", status=400, content_type="text/plain")
    try:
        reconcile(result)
    except (WorkflowError, Dossier.DoesNotExist):
        return HttpResponse("refused", status=409, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_bank(request: HttpRequest) -> HttpResponse:
    """The simulated bank page: the citizen chooses how the payment ends."""
    try:
        order = signing.loads(request.GET.get("order", ""), salt=_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    dossier = own_dossier(request, int(order["dossier"]))
    context = {"order": order, "dossier": dossier}
    if request.method == "GET":
        return render(request, "portal/sandbox_bank.html", context)
    choice = request.POST.get("choice", "")
    if choice in (Outcome.PAID, Outcome.FAILED, Outcome.CANCELLED):
        outcome = Outcome(choice)
        # The bank calls back before sending the citizen back (what usually happens).
        result = SandboxProvider().read_callback(_signed_post(SandboxProvider.callback_message(order, outcome)))
        if result is not None:
            try:
                reconcile(result)
            except WorkflowError as error:
                messages.error(request, error.message)
        return redirect(f"{order['return']}?ket-qua={outcome.value}")
    if choice == "late":
        # The citizen comes back first; the callback arrives later (see the late-callback link).
        context["late_message"] = SandboxProvider.callback_message(order, Outcome.PAID)
        return render(request, "portal/sandbox_bank.html", context)
    return render(request, "portal/sandbox_bank.html", context, status=400)


class _SignedPost:
    def __init__(self, message: str) -> None:
        self.POST = {"message": message}


def _signed_post(message: str) -> HttpRequest:
    return _SignedPost(message)  # type: ignore[return-value]
