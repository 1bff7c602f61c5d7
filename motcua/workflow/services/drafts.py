"""Drafts (Decree 118/2025/NĐ-CP Arts. 11, 14): who applies for what, where, and how the result goes back.

A draft records the applicant, the procedure and case, the one-stop unit that receives it (any
unit of the province: Art. 14.2), the channel, how the result is returned, and the fees and time
limit of the case and channel as they are that day. It is refused when the agency does not offer
the procedure (or not by that channel), when the unit is outside the province, or when the
result cannot go back the way asked. The applicant may change their draft until it is submitted.

``start_drafts`` creates many at once, for an import of dossiers submitted elsewhere (the
national portal's synchronisation is still to be written): the same checks, read once per
offer, and three statements for the batch.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import ONE_STOP_KINDS, Agency
from motcua.agencies.queries import get_province_of
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem, total_vnd
from motcua.catalog.models import AgencyProcedure, OnlineLevel, Variant, stored_fees
from motcua.catalog.queries import get_time_limit
from motcua.catalog.time_limits import TimeLimit
from motcua.core.bulk import insert_rows, update_rows
from motcua.dossiers.models import ApplicantKind, DeliveryMethod, Dossier, DossierState
from motcua.workflow.batch import Batch
from motcua.workflow.events import append_event, next_event
from motcua.workflow.services.core import NotAllowed, TransitionRefused, field_values, record_event, search_text_of
from motcua.workflow.services.runner import MAX_BATCH
from motcua.workflow.transitions import Actor

#: Lookup codes avoid letters and digits that are read alike (0/O, 1/I/L).
_SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # noqa: S105 - an alphabet, not a secret


@dataclass(frozen=True, slots=True)
class ApplicantDetails:
    name: str
    id_number: str
    kind: str = ApplicantKind.CITIZEN
    address: str = ""
    phone: str = ""
    email: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_relation: str = ""


def new_lookup_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(8))


@dataclass(frozen=True, slots=True)
class Draft:
    """What a new dossier records: who applies for what, where, by which channel, how the result goes back."""

    agency_procedure: AgencyProcedure
    variant: Variant
    channel: str
    receiving_unit: Agency
    applicant: ApplicantDetails
    applicant_user: User | None
    created_by: User | None
    delivery_method: str = DeliveryMethod.COUNTER
    delivery_address: str = ""
    form_answers: dict[str, Any] | None = None


@transaction.atomic
def start_draft(
    *,
    agency_procedure: AgencyProcedure,
    variant: Variant,
    channel: str,
    receiving_unit: Agency,
    applicant: ApplicantDetails,
    applicant_user: User | None,
    created_by: User | None,
    delivery_method: str = DeliveryMethod.COUNTER,
    delivery_address: str = "",
    form_answers: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """A new draft dossier; refuses what the agency does not offer or the law does not allow.

    With ``idempotency_key`` (a one-time form token, an API request key), the same key again
    returns the dossier it created, even when both requests arrive at the same instant.
    """
    now = now or timezone.now()
    if idempotency_key and (existing := Dossier.objects.filter(idempotency_key=idempotency_key).first()):
        return existing
    draft = Draft(
        agency_procedure, variant, channel, receiving_unit, applicant, applicant_user, created_by,
        delivery_method, delivery_address, form_answers,
    )  # fmt: skip
    dossier = _new_dossier(draft, Batch(()))
    dossier.idempotency_key = idempotency_key or None
    if idempotency_key:
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin's key leaves the transaction usable
                dossier.save()
        except IntegrityError:
            if existing := Dossier.objects.filter(idempotency_key=idempotency_key).first():
                return existing  # the same request, a moment earlier
            raise
    else:
        dossier.save()
    append_event(dossier, **_creation(draft, now))
    dossier.save(update_fields=["event_count", "last_event_hash"])
    return dossier


def start_drafts(*, drafts: Sequence[Draft], now: dt.datetime | None = None) -> list[Dossier]:
    """Many new drafts in one transaction, in a few statements (for an import of dossiers submitted elsewhere).

    The checks of ``start_draft`` apply to each, read once per offer; one refused refuses the
    whole batch, its message saying which draft (``TransitionRefused``), and nothing is written.
    """
    now = now or timezone.now()
    if len(drafts) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} drafts in one transaction")
    batch = Batch(())
    dossiers = []
    for number, draft in enumerate(drafts, start=1):
        try:
            dossiers.append(_new_dossier(draft, batch))
        except TransitionRefused as error:
            raise TransitionRefused(
                _("Dossier %(n)d of %(total)d: %(reason)s") % {"n": number, "total": len(drafts), "reason": error}
            ) from error
    with transaction.atomic():
        insert_rows(dossiers)
        insert_rows(
            [next_event(dossier, **_creation(draft, now)) for dossier, draft in zip(dossiers, drafts, strict=True)]
        )
        update_rows(dossiers, ["event_count", "last_event_hash"])
    return dossiers


def _new_dossier(draft: Draft, batch: Batch) -> Dossier:
    """The unsaved draft dossier, after the checks (each offer's read once per batch)."""
    agency_procedure, variant, channel, unit = (
        draft.agency_procedure,
        draft.variant,
        draft.channel,
        draft.receiving_unit,
    )
    batch.memo(
        ("offer", agency_procedure.pk, variant.pk, channel, unit.pk),
        lambda: _check_offer(agency_procedure, variant, channel, unit),
    )
    _check_delivery(agency_procedure, draft.delivery_method, draft.delivery_address)
    applicant = draft.applicant
    if not applicant.name.strip() or not applicant.id_number.strip():
        raise TransitionRefused(_("Give the applicant's name and identification number."))
    version = variant.version
    limit, fees = batch.memo(("terms", variant.pk, channel), lambda: _terms(variant, channel))
    dossier = Dossier(
        lookup_secret=new_lookup_secret(),
        procedure_version=version,
        variant=variant,
        agency_procedure=agency_procedure,
        channel=channel,
        receiving_unit=unit,
        competent_agency=agency_procedure.competent_agency or agency_procedure.agency,
        returning_unit=unit,
        applicant=draft.applicant_user,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        representative_name=applicant.representative_name.strip(),
        representative_id_number=applicant.representative_id_number.strip(),
        representative_relation=applicant.representative_relation.strip(),
        form_answers=draft.form_answers or {},
        fee_items=stored_fees(fees),
        fees_due=total_vnd(fees),
        delivery_method=draft.delivery_method,
        delivery_address=draft.delivery_address.strip(),
        time_limit_unit=limit.unit.value,
        time_limit_amount=limit.amount,
        applies_afternoon_cutoff=version.applies_afternoon_cutoff and channel != Channel.ONLINE,
    )
    dossier.search_text = search_text_of(dossier)
    return dossier


def _creation(draft: Draft, now: dt.datetime) -> dict[str, Any]:
    """The fields of a draft's first event."""
    by = draft.created_by
    return {
        "action": "create",
        "at": now,
        "actor": by,
        "actor_name": by.get_full_name() if by is not None else "",
        "actor_role": Actor.APPLICANT.value if by is not None and by == draft.applicant_user else "",
        "from_state": "",
        "to_state": DossierState.DRAFT,
    }


def update_draft(
    *,
    dossier_id: int,
    user: User,
    receiving_unit: Agency | None = None,
    variant: Variant | None = None,
    applicant: ApplicantDetails | None = None,
    delivery_method: str | None = None,
    delivery_address: str | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant changes their own draft (the arguments left None stay as they are).

    The same checks as ``start_draft`` apply; a new case takes that case's fees and time limit.
    Nothing is written when nothing changed.
    """
    dossier = Dossier.objects.select_related("agency_procedure", "variant__version").get(pk=dossier_id)
    if dossier.applicant_id != user.pk:
        raise NotAllowed(_("Only the applicant changes their draft."))
    if dossier.state != DossierState.DRAFT:
        raise TransitionRefused(_("This dossier has been submitted: it can no longer be changed."))
    unit = receiving_unit or dossier.receiving_unit
    case = variant or dossier.variant
    method = dossier.delivery_method if delivery_method is None else delivery_method
    address = dossier.delivery_address if delivery_address is None else delivery_address
    _check_offer(dossier.agency_procedure, case, dossier.channel, unit)
    _check_delivery(dossier.agency_procedure, method, address if method == DeliveryMethod.POST else "")
    if applicant is not None and (not applicant.name.strip() or not applicant.id_number.strip()):
        raise TransitionRefused(_("Give the applicant's name and identification number."))

    def change(locked: Dossier, at: dt.datetime) -> dict[str, Any]:
        if locked.state != DossierState.DRAFT:
            raise TransitionRefused(_("This dossier has been submitted: it can no longer be changed."))
        before = field_values(locked)
        locked.receiving_unit = unit
        locked.returning_unit = unit
        if case.pk != locked.variant_id:
            limit, fees = _terms(case, locked.channel)
            locked.variant = case
            locked.fee_items = stored_fees(fees)
            locked.fees_due = total_vnd(fees)
            locked.time_limit_unit, locked.time_limit_amount = limit.unit.value, limit.amount
        locked.delivery_method = method
        locked.delivery_address = address.strip() if method == DeliveryMethod.POST else ""
        if applicant is not None:
            locked.applicant_kind = applicant.kind
            locked.applicant_name = applicant.name.strip()
            locked.applicant_id_number = applicant.id_number.strip()
            locked.applicant_address = applicant.address.strip()
            locked.applicant_phone = applicant.phone.strip()
            locked.applicant_email = applicant.email.strip()
            locked.representative_name = applicant.representative_name.strip()
            locked.representative_id_number = applicant.representative_id_number.strip()
            locked.representative_relation = applicant.representative_relation.strip()
            locked.search_text = search_text_of(locked)
        after = field_values(locked)
        return {
            name: [before[name], after[name]] for name in after if before[name] != after[name] and name != "search_text"
        }

    if not _draft_differs(dossier, unit, case, method, address, applicant):
        return dossier
    return record_event(
        dossier_id=dossier_id, action="update_draft", user=user, change=change, actor=Actor.APPLICANT, now=now
    )


def _draft_differs(
    dossier: Dossier, unit: Agency, case: Variant, method: str, address: str, applicant: ApplicantDetails | None
) -> bool:
    if (unit.pk, case.pk, method) != (dossier.receiving_unit_id, dossier.variant_id, dossier.delivery_method):
        return True
    if method == DeliveryMethod.POST and address.strip() != dossier.delivery_address:
        return True
    if applicant is None:
        return False
    typed = (
        applicant.kind, applicant.name, applicant.id_number, applicant.address, applicant.phone, applicant.email,
        applicant.representative_name, applicant.representative_id_number, applicant.representative_relation,
    )  # fmt: skip
    stored = (
        dossier.applicant_kind, dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_address,
        dossier.applicant_phone, dossier.applicant_email, dossier.representative_name,
        dossier.representative_id_number, dossier.representative_relation,
    )  # fmt: skip
    return tuple(value.strip() for value in typed) != stored


def _terms(variant: Variant, channel: str) -> tuple[TimeLimit, tuple[FeeItem, ...]]:
    """The time limit and fees of ``variant`` by ``channel``: the variant's own, else the channel's."""
    channels = list(variant.version.channels.all())
    limit = get_time_limit(variant, channel, channels)
    fees = variant.own_fee_items
    if fees is None:
        fees = next(
            (row.fee_items for row in channels if row.channel == channel), channels[0].fee_items if channels else ()
        )
    return limit, fees


def _check_offer(agency_procedure: AgencyProcedure, variant: Variant, channel: str, receiving_unit: Agency) -> None:
    if not agency_procedure.is_active:
        raise TransitionRefused(
            _("%(agency)s does not offer this procedure now.") % {"agency": agency_procedure.agency}
        )
    if variant.version.procedure_id != agency_procedure.procedure_id or variant.version.valid_to is not None:
        raise TransitionRefused(_("This case does not belong to the procedure in force."))
    if channel not in Channel.values:
        raise TransitionRefused(_("Unknown channel “%(channel)s”.") % {"channel": channel})
    if channel == Channel.ONLINE and agency_procedure.online_level == OnlineLevel.NONE:
        raise TransitionRefused(_("This procedure cannot be submitted online here."))
    if receiving_unit.kind not in ONE_STOP_KINDS:
        raise TransitionRefused(
            _("Dossiers are received at a one-stop unit, not at %(unit)s.") % {"unit": receiving_unit}
        )
    agency = agency_procedure.agency
    province = get_province_of(agency)
    # Decree 118/2025/NĐ-CP Art. 14.2: any one-stop unit of the province receives its procedures.
    inside = receiving_unit.is_within(province) if province is not None else receiving_unit.is_within(agency)
    if not inside:
        raise TransitionRefused(
            _("%(unit)s cannot receive dossiers for %(agency)s: it is outside the province.")
            % {"unit": receiving_unit, "agency": agency}
        )


def _check_delivery(agency_procedure: AgencyProcedure, method: str, address: str) -> None:
    if method not in DeliveryMethod.values:
        raise TransitionRefused(_("Unknown way of returning the result."))
    if method == DeliveryMethod.POST:
        if not agency_procedure.offers_postal_return:
            raise TransitionRefused(_("This agency does not send this procedure's results by post."))
        if not address.strip():
            raise TransitionRefused(_("Give the address the result should be posted to."))
