"""Intake and reception (Decree 118/2025/NĐ-CP Arts. 11, 14, 16–18): from draft to a received dossier.

- A draft records who applies for what, where (any one-stop unit of the province: Art. 14.2),
  by which channel, how the result goes back, and the fees and time limit of the variant and
  channel as they are that day.
- Submitting online needs every required component attached, and the fees paid first where the
  agency asks for it; it gives the dossier its code (Art. 28). A client's submission key makes
  retries and double clicks harmless: the same key gives back the same dossier.
- Reception (online acceptance within 8 working hours, or at the counter) starts the clock and
  sets the legal due moment and the appointment (Art. 17); the dossier's steps are copied from
  the agency's internal process.
- Guidance is given in one go: a supplement may be asked only once at reception (Art. 11.2.c,
  16), and is answered with every required document, as a submission is; a dossier that cannot
  be accepted is refused with reasons (form 03).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import ONE_STOP_KINDS, Agency
from motcua.agencies.queries import get_province_of
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem, total_vnd
from motcua.catalog.models import AgencyProcedure, Component, OnlineLevel, Variant, stored_fees
from motcua.catalog.queries import get_time_limit
from motcua.catalog.time_limits import TimeLimit, TimeUnit
from motcua.dossiers.models import (
    ApplicantKind,
    Attachment,
    DeliveryMethod,
    Dossier,
    DossierState,
    SupplementPhase,
)
from motcua.notifications import topics
from motcua.workflow import deadlines, steps
from motcua.workflow.calendars import calendar_for
from motcua.workflow.events import append_event
from motcua.workflow.models import PauseInterval, PauseReason
from motcua.workflow.services.core import (
    Acting,
    NotAllowed,
    Outcome,
    TransitionRefused,
    field_values,
    give_code,
    iso,
    record_event,
    run_transition,
    search_text_of,
)
from motcua.workflow.services.pauses import end_pause
from motcua.workflow.transitions import Action, Actor

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


@dataclass(frozen=True, slots=True)
class ReceivedDocument:
    """What the desk ticked for one component at the counter."""

    component_id: int
    originals: int = 0
    copies: int = 0


def new_lookup_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(8))


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
    _check_offer(agency_procedure, variant, channel, receiving_unit)
    _check_delivery(agency_procedure, delivery_method, delivery_address)
    if not applicant.name.strip() or not applicant.id_number.strip():
        raise TransitionRefused(_("Give the applicant's name and identification number."))
    version = variant.version
    limit, fees = _terms(variant, channel)
    dossier = Dossier(
        lookup_secret=new_lookup_secret(),
        procedure_version=version,
        variant=variant,
        agency_procedure=agency_procedure,
        channel=channel,
        receiving_unit=receiving_unit,
        competent_agency=agency_procedure.competent_agency or agency_procedure.agency,
        returning_unit=receiving_unit,
        applicant=applicant_user,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        representative_name=applicant.representative_name.strip(),
        representative_id_number=applicant.representative_id_number.strip(),
        representative_relation=applicant.representative_relation.strip(),
        form_answers=form_answers or {},
        fee_items=stored_fees(fees),
        fees_due=total_vnd(fees),
        delivery_method=delivery_method,
        delivery_address=delivery_address.strip(),
        time_limit_unit=limit.unit.value,
        time_limit_amount=limit.amount,
        applies_afternoon_cutoff=version.applies_afternoon_cutoff and channel != Channel.ONLINE,
    )
    dossier.search_text = search_text_of(dossier)
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
    append_event(
        dossier,
        action="create",
        at=now,
        actor=created_by,
        actor_name=created_by.get_full_name() if created_by is not None else "",
        actor_role=Actor.APPLICANT.value if created_by is not None and created_by == applicant_user else "",
        from_state="",
        to_state=DossierState.DRAFT,
    )
    dossier.save(update_fields=["event_count", "last_event_hash"])
    return dossier


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


def submit(
    *,
    dossier_id: int,
    user: User,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Submit a draft online; the same ``idempotency_key`` again returns the dossier already submitted."""
    if idempotency_key:
        done = _submitted_with(idempotency_key, user)
        if done is not None:
            return done

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        missing = missing_components(dossier)
        if missing:
            raise TransitionRefused(
                _("These documents are required and not attached: %(list)s.") % {"list": "; ".join(missing)}
            )
        if dossier.fees_outstanding and dossier.agency_procedure.requires_payment_before_submission:
            raise TransitionRefused(_("Pay the fees before submitting: this agency asks for them first."))
        dossier.idempotency_key = dossier.idempotency_key or idempotency_key or None
        dossier.submitted_at = at
        give_code(dossier, at)
        return Outcome(DossierState.SUBMITTED, changes={"code": [None, dossier.code]})

    try:
        return run_transition(
            dossier_id=dossier_id,
            action=Action.SUBMIT,
            user=user,
            change=change,
            expected_version=expected_version,
            now=now,
        )
    except (TransitionRefused, IntegrityError):
        # A concurrent retry with the same key may have submitted it a moment ago.
        if idempotency_key and (done := _submitted_with(idempotency_key, user)) is not None:
            return done
        raise


def receive(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Accept an online dossier at the desk: the clock starts (Art. 17)."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        return _start_clock(dossier, at)

    return run_transition(
        dossier_id=dossier_id,
        action=Action.RECEIVE,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def receive_at_counter(
    *,
    dossier_id: int,
    user: User,
    documents: Sequence[ReceivedDocument],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive a paper dossier at the counter with the documents the desk checked (Art. 17)."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        components = _components_of(dossier)
        _record_documents(dossier, documents, {component.pk for component in components})
        missing = _missing(dossier, components)
        if missing:
            raise TransitionRefused(
                _("Required documents are missing: %(list)s. Ask for a supplement instead.")
                % {"list": "; ".join(missing)}
            )
        give_code(dossier, at)
        dossier.submitted_at = at
        return _start_clock(dossier, at)

    return run_transition(
        dossier_id=dossier_id,
        action=Action.RECEIVE_AT_COUNTER,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def request_supplement(
    *,
    dossier_id: int,
    user: User,
    reason: str,
    missing: Sequence[str],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to complete the dossier, at reception (once) or after appraisal (Art. 19.5)."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the dossier must be supplemented."))
    if not [item for item in missing if item.strip()]:
        raise TransitionRefused(_("List what the applicant must add: all of it, in one go (Art. 16)."))

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        clock_effect: dict[str, Any] = {}
        if dossier.state in (DossierState.DRAFT, DossierState.SUBMITTED):
            if dossier.reception_supplements:
                raise TransitionRefused(
                    _(
                        "A supplement was already asked at reception: everything missing must be asked in one go "
                        "(Decree 118/2025/NĐ-CP Art. 11.2.c). Receive or refuse the dossier."
                    )
                )
            dossier.reception_supplements += 1
            dossier.supplement_phase = SupplementPhase.RECEPTION
            give_code(dossier, at)
        else:
            cal = calendar_for(dossier.competent_agency_id)
            if dossier.clock_started_at is None:
                raise AssertionError("a dossier in progress has a started clock")
            deadline = deadlines.supplement_notice_deadline(cal, dossier.clock_started_at)
            if at > deadline:
                raise TransitionRefused(
                    _(
                        "A supplement after appraisal must be asked within 3 working days of reception "
                        "(Decree 118/2025/NĐ-CP Art. 19.5); that was until %(deadline)s."
                    )
                    % {"deadline": timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")}
                )
            dossier.processing_supplements += 1
            dossier.supplement_phase = SupplementPhase.PROCESSING
            dossier.paused_at = at
            PauseInterval.objects.create(dossier=dossier, reason=PauseReason.SUPPLEMENT, started_at=at)
            clock_effect = {"paused_at": at.isoformat(), "restart_on_supplement": True}
        dossier.supplement_requested_at = at
        cleaned = [item.strip() for item in missing if item.strip()]
        return Outcome(
            DossierState.SUPPLEMENT_REQUESTED,
            reason=reason.strip(),
            clock_effect=clock_effect,
            changes={"missing": cleaned},
            messages=[(topics.DOSSIER_SUPPLEMENT_REQUESTED, {"reason": reason.strip(), "missing": cleaned})],
        )

    return run_transition(
        dossier_id=dossier_id,
        action=Action.REQUEST_SUPPLEMENT,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def provide_supplement(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """The applicant (online, or at the desk) has completed the dossier.

    Asked at reception: back to the desk (online) or received at once (at the counter), and only
    with every required document (Art. 17: the clock starts on the complete dossier). Asked after
    appraisal: processing resumes and the time limit restarts from zero (Art. 19.5), counted as a
    reception at that moment.
    """

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        phase = dossier.supplement_phase
        dossier.supplement_phase = SupplementPhase.NONE
        if phase == SupplementPhase.RECEPTION:
            missing = missing_components(dossier)
            if missing:
                raise TransitionRefused(
                    _("Required documents are still missing: %(list)s.") % {"list": "; ".join(missing)}
                )
            if acting.actor is Actor.RECEIVING_OFFICER:
                dossier.submitted_at = dossier.submitted_at or at
                return _start_clock(dossier, at)
            dossier.submitted_at = at
            return Outcome(DossierState.SUBMITTED)
        cal = calendar_for(dossier.competent_agency_id)
        paused = end_pause(dossier, at)
        old_due = dossier.legal_due_at
        started = deadlines.clock_starts_at(cal, at)
        dossier.clock_started_at = started
        dossier.legal_due_at = deadlines.legal_due(cal, started, _limit(dossier))
        dossier.appointment_at = dossier.legal_due_at
        steps.restart_active_steps(dossier, cal, at)
        return Outcome(
            DossierState.IN_PROGRESS,
            clock_effect={
                **paused,
                "restarted_at": started.isoformat(),
                "legal_due_at": [iso(old_due), iso(dossier.legal_due_at)],
            },
        )

    return run_transition(
        dossier_id=dossier_id,
        action=Action.PROVIDE_SUPPLEMENT,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def transfer(
    *, dossier_id: int, user: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """Hand the received dossier to processing: the first stage's steps are in hand (Art. 18)."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        started = steps.start_stage(dossier, 1, calendar_for(dossier.competent_agency_id), at)
        return Outcome(DossierState.IN_PROGRESS, to_stage=1, changes={"steps": [step.name for step in started]})

    return run_transition(
        dossier_id=dossier_id,
        action=Action.TRANSFER,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


def withdraw(
    *,
    dossier_id: int,
    user: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant takes back a draft or a dossier not yet received."""

    def change(dossier: Dossier, acting: Acting, at: dt.datetime) -> Outcome:
        dossier.ended_at = at
        return Outcome(DossierState.WITHDRAWN, reason=reason.strip())

    return run_transition(
        dossier_id=dossier_id,
        action=Action.WITHDRAW,
        user=user,
        change=change,
        expected_version=expected_version,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class _ComponentState:
    pk: int
    name: str
    is_required: bool
    variant_id: int | None
    is_attached: bool


def missing_components(dossier: Dossier) -> list[str]:
    """Names of the required components with neither a file attached nor a paper copy ticked at the desk."""
    return _missing(dossier, _components_of(dossier, required_only=True))


def _components_of(dossier: Dossier, *, required_only: bool = False) -> list[_ComponentState]:
    """The components of the dossier's version, in order, each saying whether a file is attached (one query).

    With ``required_only``, only the required ones of the dossier's variant and the common ones.
    """
    components = Component.objects.filter(version_id=dossier.procedure_version_id)
    if required_only:
        components = components.filter(is_required=True).filter(
            Q(variant__isnull=True) | Q(variant_id=dossier.variant_id)
        )
    attached = Attachment.objects.filter(dossier_id=dossier.pk, is_withdrawn=False, component_id=OuterRef("pk"))
    rows = (
        components.annotate(is_attached=Exists(attached))
        .order_by("position", "pk")
        .values_list("pk", "name", "is_required", "variant_id", "is_attached")
    )
    return [_ComponentState(*row) for row in rows]


def _missing(dossier: Dossier, components: Sequence[_ComponentState]) -> list[str]:
    """Names of the required ``components`` of the dossier's variant neither attached nor ticked."""
    ticked = {int(key) for key, counts in dossier.form_answers.get("received_documents", {}).items() if any(counts)}
    return [
        component.name
        for component in components
        if component.is_required
        and component.variant_id in (None, dossier.variant_id)
        and not component.is_attached
        and component.pk not in ticked
    ]


def _record_documents(dossier: Dossier, documents: Sequence[ReceivedDocument], known: set[int]) -> None:
    for document in documents:
        if document.component_id not in known:
            raise TransitionRefused(_("A ticked document is not a component of this procedure."))
        if document.originals < 0 or document.copies < 0:
            raise TransitionRefused(_("The number of originals and copies cannot be negative."))
    dossier.form_answers = {
        **dossier.form_answers,
        "received_documents": {str(d.component_id): [d.originals, d.copies] for d in documents},
    }


def _start_clock(dossier: Dossier, at: dt.datetime) -> Outcome:
    """Reception: the clock starts, the due moment and appointment are set, the steps copied."""
    cal = calendar_for(dossier.competent_agency_id)
    started = deadlines.clock_starts_at(cal, at, afternoon_cutoff=dossier.applies_afternoon_cutoff)
    dossier.received_at = at
    dossier.clock_started_at = started
    dossier.legal_due_at = deadlines.legal_due(
        cal, at, _limit(dossier), afternoon_cutoff=dossier.applies_afternoon_cutoff
    )
    dossier.appointment_at = dossier.legal_due_at
    steps.copy_process(dossier)
    return Outcome(
        DossierState.RECEIVED,
        clock_effect={"started_at": started.isoformat(), "legal_due_at": iso(dossier.legal_due_at)},
        messages=[(topics.DOSSIER_RECEIVED, {})],
    )


def _submitted_with(key: str, user: User) -> Dossier | None:
    found = Dossier.objects.filter(idempotency_key=key).first()
    if found is None or found.state == DossierState.DRAFT:
        return None
    if found.applicant_id != user.pk:
        raise TransitionRefused(_("This submission key belongs to another dossier."))
    return found


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


def _limit(dossier: Dossier) -> TimeLimit:
    return TimeLimit(dossier.time_limit_amount, TimeUnit(dossier.time_limit_unit))
