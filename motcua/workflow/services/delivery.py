"""Results and fees: attaching the result, returning it (Art. 22), recording payments (Art. 24).

- The result file is attached by whoever holds the last step (or a leader of the competent
  agency) before or after approval; a result returned online needs one.
- The result is returned at the time, place and channel on the receipt (Decree 118/2025/NĐ-CP
  Art. 22): handed over at the counter, posted (the postal tracking number is recorded), or made
  available online for download.
- A payment (cash, transfer or online, Art. 24) is recorded against the fees due; paying more than
  is due is refused, and paying the same receipt twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.utils.translation import gettext as _

from motcua.accounts.models import StaffRoleName, User
from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.models import Attachment, AttachmentPurpose, DeliveryMethod, Dossier, DossierState
from motcua.notifications import topics
from motcua.workflow.models import DossierStep
from motcua.workflow.services.core import (
    Acting,
    Change,
    NotAllowed,
    Outcome,
    TransitionRefused,
    holds,
    record_event,
)
from motcua.workflow.services.runner import run_transition
from motcua.workflow.transitions import Action, Actor

#: When a result file can be attached: at the last step, or once approved.
RESULT_STATES = (DossierState.IN_PROGRESS, DossierState.RESULT_READY)


def attach_result(
    *, dossier_id: int, user: User, handle: IO[bytes], name: str, now: dt.datetime | None = None
) -> Attachment:
    """Attach the signed result file; only while the dossier is at its last step or ready for return."""
    dossier = Dossier.objects.select_related("competent_agency").get(pk=dossier_id)
    if dossier.state not in RESULT_STATES:
        raise TransitionRefused(_("A result is attached when the dossier reaches its decision."))
    last = DossierStep.objects.filter(dossier=dossier).order_by("-stage").select_related("unit").first()
    allowed = holds(user, StaffRoleName.AGENCY_LEADER, dossier.competent_agency) or (
        last is not None and holds(user, last.role, last.unit)
    )
    if not allowed:
        raise NotAllowed(_("Only the holder of the last step or a leader of the agency attaches the result."))
    stored: list[Attachment] = []

    def change(locked: Dossier, at: dt.datetime) -> dict[str, Any]:
        if locked.state not in RESULT_STATES:  # refused or stopped since it was read
            raise TransitionRefused(_("A result is attached when the dossier reaches its decision."))
        attachment = store_attachment(
            dossier=locked, handle=handle, name=name, purpose=AttachmentPurpose.RESULT, uploaded_by_id=user.pk
        )
        stored.append(attachment)
        return {"result_file": attachment.original_name, "sha256": attachment.sha256}

    record_event(
        dossier_id=dossier_id,
        action="attach_result",
        user=user,
        change=change,
        unit=last.unit if last else None,
        now=now,
    )
    return stored[0]


def return_result(
    *,
    dossier_id: int,
    user: User,
    postal_tracking_number: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Hand the result over by the channel the applicant chose."""
    return run_transition(
        dossier_id=dossier_id,
        action=Action.RETURN_RESULT,
        user=user,
        change=return_change(postal_tracking_number),
        expected_version=expected_version,
        now=now,
    )


def return_change(postal_tracking_number: str = "") -> Change:
    """What returning does to a locked dossier whose result is ready: it ends, handed over (Art. 22)."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        changes: dict[str, Any] = {"delivery": dossier.delivery_method}
        if dossier.delivery_method == DeliveryMethod.POST:
            if not postal_tracking_number.strip():
                raise TransitionRefused(_("Give the postal tracking number of the parcel."))
            dossier.postal_tracking_number = postal_tracking_number.strip()
            changes["postal_tracking_number"] = dossier.postal_tracking_number
        if (
            dossier.delivery_method == DeliveryMethod.ONLINE
            and not Attachment.objects.filter(
                dossier=dossier, purpose=AttachmentPurpose.RESULT, is_withdrawn=False
            ).exists()
        ):
            raise TransitionRefused(_("Attach the signed result file before returning it online."))
        dossier.returned_at = at
        dossier.ended_at = at
        return Outcome(DossierState.RETURNED, changes=changes, messages=[(topics.DOSSIER_RETURNED, {})])

    return change


def record_payment(
    *, dossier_id: int, amount: int, reference: str, user: User | None, now: dt.datetime | None = None
) -> Dossier:
    """Record a payment of ``amount`` đồng with the payer's receipt ``reference`` (idempotent on it)."""
    if amount <= 0:
        raise TransitionRefused(_("A payment is a positive amount."))
    if not reference.strip():
        raise TransitionRefused(_("A payment needs its receipt or transaction reference."))
    dossier = Dossier.objects.get(pk=dossier_id)
    if reference in dossier.form_answers.get("payments", {}):
        return dossier  # the same receipt again (a repeated callback): nothing changes

    def change(locked: Dossier, at: dt.datetime) -> dict[str, Any] | None:
        payments = dict(locked.form_answers.get("payments", {}))
        if reference in payments:
            return None  # the same receipt, recorded a moment ago by a concurrent callback
        if locked.fees_paid + amount > locked.fees_due:
            raise TransitionRefused(
                _("This payment of %(amount)s đồng is more than the %(due)s đồng still due.")
                % {"amount": f"{amount:,}".replace(",", "."), "due": f"{locked.fees_outstanding:,}".replace(",", ".")}
            )
        payments[reference] = {"amount": amount, "at": at.isoformat()}
        locked.form_answers = {**locked.form_answers, "payments": payments}
        locked.fees_paid += amount
        if locked.fees_paid == locked.fees_due:
            locked.fees_paid_at = at
        return {"paid": amount, "reference": reference, "fees_paid": locked.fees_paid}

    actor = Actor.APPLICANT if user is not None and user.pk == dossier.applicant_id else None
    return record_event(dossier_id=dossier_id, action="record_payment", user=user, change=change, actor=actor, now=now)
