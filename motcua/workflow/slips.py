"""The standard slips of a dossier, filled from the dossier and its events (DOMAIN.md §6).

Each slip comes from the event that made it: the receipt (form 01) from the reception, the
supplement request (02) from the last request, the refusal (03), the apology and extension (04),
the stop notice (05); the process control sheet (06) from the hand-overs between units, the
register (07) from the dossiers a unit received in a period, and the transfer slip from an
inter-agency task (Decree 118/2025/NĐ-CP Art. 20.2.a). When the result is ready or returned
(Art. 22): the parcel's address label for a result sent by post, the hand-over slip for one
collected at the counter. ``SlipUnavailable`` says when the dossier has not reached the event a
slip records.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.fees import FeeItem
from motcua.catalog.models import Component, ResultDocument, fee_items
from motcua.catalog.templatetags.catalogue import fee_amount, time_limit
from motcua.catalog.time_limits import TimeLimit, TimeUnit
from motcua.dossiers.models import Attachment, DeliveryMethod, Dossier, DossierState
from motcua.dossiers.slips import data
from motcua.dossiers.slips.render import (
    render_address_label,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_register,
    render_result_handover,
    render_stop_notice,
    render_supplement,
    render_transfer_slip,
)
from motcua.workflow.models import DossierEvent, DossierStep, InterAgencyTask, StepState
from motcua.workflow.services.core import tracking_url
from motcua.workflow.transitions import Action

#: The states in which a result exists to be sent or handed over.
RESULT_STATES = (DossierState.RESULT_READY, DossierState.RETURNED)

_LOCALITY_PREFIX = re.compile(r"^(ủy ban nhân dân\s+)?(tỉnh|thành phố|phường|xã|đặc khu|quận|huyện|thị xã)\s+", re.I)


class SlipUnavailable(Exception):
    """The dossier has not reached the event the slip records."""


def receipt_pdf(dossier: Dossier) -> bytes:
    return render_receipt(receipt_for(dossier))


def receipt_for(dossier: Dossier) -> data.ReceiptSlip:
    """Form 01, from the reception (Decree 118/2025/NĐ-CP Art. 17)."""
    event = _last_event(dossier, Action.RECEIVE, Action.RECEIVE_AT_COUNTER, Action.PROVIDE_SUPPLEMENT)
    if dossier.received_at is None or event is None or not dossier.code:
        raise SlipUnavailable(_("The dossier has not been received yet."))
    limit = TimeLimit(dossier.time_limit_amount, TimeUnit(dossier.time_limit_unit))
    fees = fee_items(dossier.fee_items)
    return data.ReceiptSlip(
        issuing_unit=dossier.receiving_unit.name,
        parent_unit=_parent_name(dossier.receiving_unit),
        dossier_code=dossier.code,
        applicant=_party(dossier),
        procedure_name=dossier.procedure_version.name,
        documents=tuple(_documents(dossier)),
        sets=1,
        time_limit_text=time_limit(limit),
        received_at=dossier.received_at,
        appointment_at=dossier.appointment_at,
        return_place=_return_place(dossier),
        register_book=_("Register of %(year)d") % {"year": dossier.received_at.year},
        register_number=dossier.code.rsplit("-", 1)[-1],
        officer_name=event.actor_name,
        fees_text="; ".join(_fee_line(item) for item in fees) or _("Free"),
        tracking_url=tracking_url(dossier.code),
        lookup_secret=dossier.lookup_secret,
        place_name=place_of(dossier.competent_agency),
    )


def supplement_pdf(dossier: Dossier) -> bytes:
    """Form 02, from the last supplement request."""
    event = _required(dossier, Action.REQUEST_SUPPLEMENT, _("No supplement has been asked for this dossier."))
    missing = [str(item) for item in event.changes.get("missing", [])]
    return render_supplement(
        data.SupplementSlip(
            issuing_unit=_acting_unit_name(event, dossier),
            parent_unit=_parent_name(dossier.receiving_unit),
            applicant=_party(dossier),
            procedure_name=dossier.procedure_version.name,
            items=tuple(data.DocumentLine(name=item) for item in missing),
            reason=event.reason,
            help_contact=_contact(dossier.receiving_unit),
            officer_name=event.actor_name,
            issued_at=event.at,
            dossier_code=dossier.code or "",
            place_name=place_of(dossier.competent_agency),
        )
    )


def refusal_pdf(dossier: Dossier) -> bytes:
    """Form 03, from the refusal."""
    event = _required(dossier, Action.REFUSE, _("The dossier has not been refused."))
    return render_refusal(
        data.RefusalSlip(
            issuing_unit=_acting_unit_name(event, dossier),
            parent_unit=_parent_name(dossier.receiving_unit),
            applicant=_party(dossier),
            procedure_name=dossier.procedure_version.name,
            reasons=event.reason,
            help_contact=_contact(dossier.receiving_unit),
            officer_name=event.actor_name,
            issued_at=event.at,
            dossier_code=dossier.code or "",
            place_name=place_of(dossier.competent_agency),
        )
    )


def apology_pdf(dossier: Dossier) -> bytes:
    """Form 04, from the extension (Decree 118/2025/NĐ-CP Art. 19.6)."""
    event = _required(dossier, Action.EXTEND, _("The dossier has not been extended."))
    old, new = event.clock_effect["appointment_at"]
    if dossier.received_at is None:
        raise SlipUnavailable(_("The dossier has not been received yet."))
    return render_apology(
        data.ApologySlip(
            issuing_agency=dossier.competent_agency.name,
            parent_unit=_parent_name(dossier.competent_agency),
            addressee=_party(dossier),
            received_at=dossier.received_at,
            procedure_name=dossier.procedure_version.name,
            dossier_code=dossier.code or "",
            original_appointment=dt.datetime.fromisoformat(old),
            reason=event.reason,
            new_appointment=dt.datetime.fromisoformat(new),
            signer_title=_("Head of the agency"),
            signer_name=event.actor_name,
            issued_at=event.at,
            place_name=place_of(dossier.competent_agency),
        )
    )


def stop_notice_pdf(dossier: Dossier) -> bytes:
    """Form 05, from the stop (Decree 118/2025/NĐ-CP Art. 21)."""
    event = _required(dossier, Action.STOP, _("The procedure has not been stopped."))
    return render_stop_notice(
        data.StopNotice(
            issuing_agency=dossier.competent_agency.name,
            parent_unit=_parent_name(dossier.competent_agency),
            applicant=_party(dossier),
            dossier_code=dossier.code or "",
            procedure_name=dossier.procedure_version.name,
            reason=event.reason,
            stopped_at=event.at,
            signer_name=event.actor_name,
            place_name=place_of(dossier.competent_agency),
        )
    )


def control_sheet_pdf(dossier: Dossier) -> bytes:
    """Form 06: every hand-over from reception to the last step, with its result against its deadline."""
    if dossier.received_at is None:
        raise SlipUnavailable(_("The dossier has not been received yet."))
    return render_control_sheet(
        data.ControlSheet(
            issuing_unit=dossier.receiving_unit.name,
            parent_unit=_parent_name(dossier.receiving_unit),
            dossier_code=dossier.code or "",
            applicant=_party(dossier),
            procedure_name=dossier.procedure_version.name,
            received_at=dossier.received_at,
            due_at=dossier.legal_due_at,
            handovers=tuple(handovers_of(dossier)),
        )
    )


def handovers_of(dossier: Dossier) -> list[data.Handover]:
    """Reception → first stage, then each finished step → the next stage (or back to the desk)."""
    steps = list(
        DossierStep.objects.filter(dossier=dossier).select_related("unit", "finished_by").order_by("stage", "pk")
    )
    transfer = _last_event(dossier, Action.TRANSFER)
    rows: list[data.Handover] = []
    if transfer is not None:
        first = [step for step in steps if step.stage == 1]
        rows += [
            data.Handover(
                from_unit=dossier.receiving_unit.name,
                to_unit=step.unit.name,
                handed_at=transfer.at,
                giver=transfer.actor_name,
            )
            for step in first
        ]
    by_stage = {step.stage: step for step in steps}
    for step in steps:
        if step.state != StepState.DONE or step.finished_at is None:
            continue
        following = by_stage.get(step.stage + 1)
        rows.append(
            data.Handover(
                from_unit=step.unit.name,
                to_unit=following.unit.name if following else dossier.returning_unit.name,
                handed_at=step.finished_at,
                giver=step.finished_by.get_full_name() if step.finished_by else "",
                result=_step_result(step),
            )
        )
    return rows


def register_pdf(unit: Agency, period_from: dt.date, period_to: dt.date) -> bytes:
    """Form 07: the dossiers ``unit`` received in the period (inclusive), in the order received."""
    dossiers = (
        Dossier.objects.filter(
            receiving_unit=unit, received_at__date__gte=period_from, received_at__date__lte=period_to
        )
        .select_related("procedure_version", "receiving_unit", "returning_unit", "competent_agency")
        .order_by("received_at", "pk")
    )
    rows = []
    for dossier in dossiers:
        if dossier.received_at is None:  # excluded by the filter; narrows the type
            continue
        rows.append(
            data.RegisterRow(
                dossier_code=dossier.code or "",
                applicant_name=dossier.applicant_name,
                procedure_name=dossier.procedure_version.name,
                received_at=dossier.received_at,
                due_at=dossier.legal_due_at,
                handovers=tuple(handovers_of(dossier)),
                returned_at=dossier.returned_at,
                note=dossier.get_state_display(),
            )
        )
    return render_register(
        data.Register(
            issuing_unit=unit.name,
            parent_unit=_parent_name(unit),
            period_from=period_from,
            period_to=period_to,
            rows=tuple(rows),
        )
    )


def transfer_slip_pdf(task: InterAgencyTask) -> bytes:
    """The transfer slip of one agency's task (Decree 118/2025/NĐ-CP Art. 20.2.a)."""
    dossier = task.dossier
    event = _last_event(dossier, Action.FORWARD_TO_AGENCIES)
    return render_transfer_slip(
        data.TransferSlip(
            from_agency=task.requested_by_agency.name,
            to_agency=task.agency.name,
            dossier_code=dossier.code or "",
            procedure_name=dossier.procedure_version.name,
            applicant=_party(dossier),
            task=task.task,
            deadline=task.due_at,
            issued_at=task.started_at or (event.at if event else dossier.updated_at),
            officer_name=event.actor_name if event else "",
            order=task.order,
        )
    )


def address_label_pdf(dossier: Dossier) -> bytes:
    """The parcel's address label: from the returning unit to the applicant's delivery address (Art. 22)."""
    if dossier.delivery_method != DeliveryMethod.POST:
        raise SlipUnavailable(_("The result of this dossier is not sent by post."))
    if dossier.state not in RESULT_STATES or not dossier.code:
        raise SlipUnavailable(_("The result is not ready yet."))
    unit = dossier.returning_unit
    by_representative = bool(dossier.representative_name.strip())
    return render_address_label(
        data.AddressLabel(
            sender=data.Party(name=unit.name, address=unit.address, phone=unit.phone),
            recipient=data.Party(
                name=dossier.representative_name if by_representative else dossier.applicant_name,
                address=dossier.delivery_address or dossier.applicant_address,
                phone=dossier.applicant_phone,
            ),
            on_behalf_of=dossier.applicant_name if by_representative else "",
            dossier_code=dossier.code,
            procedure_name=dossier.procedure_version.name,
            postal_tracking_number=dossier.postal_tracking_number,
        )
    )


def result_handover_pdf(dossier: Dossier) -> bytes:
    """The hand-over of a result collected at the counter, to be signed by the officer and the recipient."""
    if dossier.delivery_method != DeliveryMethod.COUNTER:
        raise SlipUnavailable(_("The result of this dossier is not collected at the counter."))
    if dossier.state not in RESULT_STATES or dossier.received_at is None or not dossier.code:
        raise SlipUnavailable(_("The result is not ready yet."))
    returned = _last_event(dossier, Action.RETURN_RESULT) if dossier.state == DossierState.RETURNED else None
    results = ResultDocument.objects.filter(version_id=dossier.procedure_version_id).order_by("position", "pk")
    representative = dossier.representative_name.strip()
    if representative and dossier.representative_relation.strip():
        representative = f"{representative} ({dossier.representative_relation.strip()})"
    return render_result_handover(
        data.ResultHandoverSlip(
            issuing_unit=dossier.returning_unit.name,
            parent_unit=_parent_name(dossier.returning_unit),
            dossier_code=dossier.code,
            applicant=_party(dossier),
            procedure_name=dossier.procedure_version.name,
            results=tuple(result.name for result in results) or (_("The result of the procedure"),),
            received_at=dossier.received_at,
            appointment_at=dossier.appointment_at,
            handed_over_at=returned.at if returned else None,
            officer_name=returned.actor_name if returned else "",
            representative=representative,
            place_name=place_of(dossier.competent_agency),
        )
    )


def place_of(agency: Agency) -> str:
    """The place name of a locality's agency: "Ủy ban nhân dân phường Việt Trì" → "Việt Trì"."""
    return _LOCALITY_PREFIX.sub("", agency.name).strip() if _LOCALITY_PREFIX.match(agency.name) else ""


def _fee_line(item: FeeItem) -> str:
    return _("%(kind)s: %(amount)s") % {"kind": item.kind or _("Fee"), "amount": fee_amount(item)}


def _party(dossier: Dossier) -> data.Party:
    return data.Party(
        name=dossier.applicant_name,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        id_number=dossier.applicant_id_number,
    )


def _documents(dossier: Dossier) -> list[data.DocumentLine]:
    """The documents received: ticked at the counter, or attached online (electronic copies)."""
    components = {c.pk: c for c in Component.objects.filter(version=dossier.procedure_version).order_by("position")}
    ticked = dossier.form_answers.get("received_documents", {})
    if ticked:
        return [
            data.DocumentLine(name=components[int(pk)].name, originals=counts[0], copies=counts[1])
            for pk, counts in ticked.items()
            if int(pk) in components and any(counts)
        ]
    attached = Attachment.objects.filter(dossier=dossier, is_withdrawn=False, component__isnull=False)
    seen: dict[int, int] = {}
    for component_id in attached.values_list("component_id", flat=True):
        if component_id is not None:  # excluded by the filter; narrows the type
            seen[component_id] = seen.get(component_id, 0) + 1
    return [
        data.DocumentLine(name=components[pk].name, copies=count, note=_("electronic copy"))
        for pk, count in seen.items()
        if pk in components
    ]


def _return_place(dossier: Dossier) -> str:
    if dossier.delivery_method == DeliveryMethod.POST:
        return _("By post to %(address)s") % {"address": dossier.delivery_address}
    if dossier.delivery_method == DeliveryMethod.ONLINE:
        return _("Online, on the tracking page")
    return dossier.returning_unit.name


def _parent_name(unit: Agency) -> str:
    if unit.parent_id is None:
        return ""
    parent = Agency.objects.filter(pk=unit.parent_id).values_list("name", flat=True).first()
    return parent or ""


def _contact(unit: Agency) -> str:
    return ", ".join(part for part in (unit.name, unit.phone, unit.email) if part)


def _acting_unit_name(event: DossierEvent, dossier: Dossier) -> str:
    if event.actor_unit_id is not None:
        return Agency.objects.get(pk=event.actor_unit_id).name
    return dossier.receiving_unit.name


def _last_event(dossier: Dossier, *actions: Action) -> DossierEvent | None:
    return (
        DossierEvent.objects.filter(dossier=dossier, action__in=[action.value for action in actions])
        .order_by("-seq")
        .first()
    )


def _required(dossier: Dossier, action: Action, message: str) -> DossierEvent:
    event = _last_event(dossier, action)
    if event is None:
        raise SlipUnavailable(message)
    return event


def _step_result(step: DossierStep) -> str:
    if step.due_at is None or step.finished_at is None:
        return ""
    if step.finished_at > step.due_at:
        return "late"
    finished, due = timezone.localtime(step.finished_at).date(), timezone.localtime(step.due_at).date()
    return "early" if finished < due else "on_time"
