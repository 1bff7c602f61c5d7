"""Use cases that change how agencies run procedures: configuration, variants, internal processes.

- An agency offers a national procedure with its own settings (``configure_procedure``): a
  competent agency other than itself, the online level (Decree 42/2022/NĐ-CP), postal return,
  online payment, and whether fees are paid before an online submission (only if they can be
  paid online at all).
- A variant ("trường hợp") of a version may have its own time limit and fees, typed as the
  catalogue writes them ("5 ngày làm việc", "Lệ phí : 8.000 Đồng") and parsed here.
- An internal process (``save_process``) is checked before it is stored: stages numbered without
  gaps, roles that act on dossiers, units that exist, and budgets that fit the legal time limit
  of every channel the variant is offered by (``processes.check_budget``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencyCode
from motcua.catalog import processes
from motcua.catalog.fees import FeeError, parse_fees
from motcua.catalog.models import (
    AgencyProcedure,
    InternalProcess,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    Variant,
    stored_fees,
)
from motcua.catalog.processes import ProcessError, StepSpec
from motcua.catalog.queries import get_time_limit
from motcua.catalog.time_limits import TimeLimitError, parse_time_limit


@transaction.atomic
def configure_procedure(
    *,
    agency: Agency,
    procedure: Procedure,
    online_level: str = OnlineLevel.NONE,
    competent_agency: Agency | None = None,
    offers_postal_return: bool = False,
    offers_online_payment: bool = False,
    requires_payment_before_submission: bool = False,
    instructions: str = "",
    is_active: bool = True,
) -> AgencyProcedure:
    """Offer ``procedure`` at ``agency`` with these settings, or change them if it is offered already."""
    if online_level not in OnlineLevel.values:
        raise ValidationError({"online_level": _("“%(value)s” is not an online level.") % {"value": online_level}})
    if requires_payment_before_submission and not offers_online_payment:
        raise ValidationError(
            {
                "requires_payment_before_submission": _(
                    "Fees can be required before submission only when they can be paid online."
                )
            }
        )
    configuration, _created = AgencyProcedure.objects.select_for_update().get_or_create(
        agency=agency, procedure=procedure
    )
    configuration.online_level = online_level
    configuration.competent_agency = competent_agency if competent_agency != agency else None
    configuration.offers_postal_return = offers_postal_return
    configuration.offers_online_payment = offers_online_payment
    configuration.requires_payment_before_submission = requires_payment_before_submission
    configuration.instructions = instructions.strip()
    configuration.is_active = is_active
    configuration.save()
    return configuration


@transaction.atomic
def add_variant(
    *, version: ProcedureVersion, code: str, name: str, time_limit_text: str = "", fee_text: str | None = None
) -> Variant:
    """Add a variant to ``version``; empty ``time_limit_text`` and ``fee_text`` None keep the version's."""
    if not name.strip():
        raise ValidationError({"name": _("Give the variant a name.")})
    variant = Variant(version=version, code=code, name=name.strip(), position=version.variants.count())
    set_variant_terms(variant, time_limit_text=time_limit_text, fee_text=fee_text)
    variant.full_clean()
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as error:
        raise ValidationError({"code": _("This version already has a variant with this code.")}) from error
    return variant


def set_variant_terms(variant: Variant, *, time_limit_text: str, fee_text: str | None) -> None:
    """Parse the variant's own limit and fees onto it (not saved); ValidationError by field when unreadable."""
    if time_limit_text.strip():
        try:
            limit = parse_time_limit(time_limit_text)
        except TimeLimitError as error:
            raise ValidationError(
                {
                    "time_limit_amount": _("“%(text)s” is not a time limit such as “5 ngày làm việc”.")
                    % {"text": time_limit_text}
                }
            ) from error
        variant.time_limit_unit, variant.time_limit_amount = limit.unit.value, limit.amount
    else:
        variant.time_limit_unit, variant.time_limit_amount = "", None
    if fee_text is None:
        variant.fee_text, variant.fees = "", None
        return
    try:
        items = parse_fees(fee_text)
    except FeeError as error:
        raise ValidationError(
            {
                "fee_text": _("“%(text)s” is not a fee such as “Lệ phí : 8.000 Đồng” or “Miễn phí”.")
                % {"text": fee_text[:80]}
            }
        ) from error
    variant.fee_text, variant.fees = fee_text.strip(), stored_fees(items)


def check_process(*, agency_procedure: AgencyProcedure, variant_code: str, steps: Sequence[StepSpec]) -> None:
    """Raise ValidationError unless ``steps`` can serve as the process of this variant at this agency."""
    try:
        processes.check_steps(steps)
    except ProcessError as error:
        raise ValidationError({"steps": error.message}) from error
    unit_ids = {step.unit_id for step in steps}
    found = set(Agency.objects.filter(pk__in=unit_ids).values_list("pk", flat=True))
    if unit_ids - found:
        raise ValidationError(
            {"steps": _("Unknown unit %(ids)s.") % {"ids": ", ".join(map(str, sorted(unit_ids - found)))}}
        )
    version = agency_procedure.procedure.versions.filter(valid_to__isnull=True).first()
    if version is None:
        raise ValidationError(_("Procedure %(code)s has no version in force.") % {"code": agency_procedure.procedure})
    variants = {variant.code: variant for variant in version.variants.all()}
    variant = variants.get(variant_code) if variant_code else next((v for v in variants.values() if v.is_default), None)
    if variant is None:
        raise ValidationError(
            {
                "variant_code": _("Procedure %(code)s has no variant “%(variant)s”.")
                % {"code": agency_procedure.procedure, "variant": variant_code}
            }
        )
    channels = list(version.channels.all())
    for channel in {row.channel for row in channels} or {""}:
        try:
            processes.check_budget(steps, get_time_limit(variant, channel, channels))
        except ProcessError as error:
            raise ValidationError({"steps": error.message}) from error


@transaction.atomic
def save_process(
    *,
    agency_procedure: AgencyProcedure,
    variant_code: str,
    name: str,
    steps: Sequence[StepSpec],
    note: str = "",
) -> InternalProcess:
    """Create or replace the internal process of a variant (``""``: every variant without its own).

    Dossiers already received keep the steps they were given at reception.
    """
    if not name.strip():
        raise ValidationError({"name": _("Give the process a name.")})
    check_process(agency_procedure=agency_procedure, variant_code=variant_code, steps=steps)
    process, _created = InternalProcess.objects.select_for_update().get_or_create(
        agency_procedure=agency_procedure, variant_code=variant_code, defaults={"name": name.strip()}
    )
    process.name, process.note = name.strip(), note.strip()
    process.save()
    process.steps.all().delete()
    ProcessStep.objects.bulk_create(
        ProcessStep(
            process=process,
            stage=step.stage,
            name=step.name.strip(),
            unit_id=step.unit_id,
            role=step.role,
            budget_amount=step.budget_amount,
            budget_unit=step.budget_unit,
            task=step.task.strip(),
        )
        for step in steps
    )
    return process


def export_process(process: InternalProcess) -> dict[str, Any]:
    """The process in the JSON form of ``processes.to_json`` (units by identifier code and name)."""
    agency_procedure = process.agency_procedure
    steps = list(process.steps.select_related("unit"))
    units = {step.unit for step in steps} | {agency_procedure.agency}
    codes = dict(AgencyCode.objects.filter(agency__in=units, valid_to__isnull=True).values_list("agency_id", "code"))

    def reference(agency: Agency) -> dict[str, str]:
        return {"code": codes.get(agency.pk, ""), "name": agency.name}

    return processes.to_json(
        procedure_code=agency_procedure.procedure.code,
        agency=reference(agency_procedure.agency),
        variant_code=process.variant_code,
        name=process.name,
        note=process.note,
        steps=[
            (
                StepSpec(
                    stage=step.stage,
                    name=step.name,
                    unit_id=step.unit_id,
                    role=step.role,
                    budget_amount=step.budget_amount,
                    budget_unit=step.budget_unit,
                    task=step.task,
                ),
                reference(step.unit),
            )
            for step in steps
        ],
    )


@transaction.atomic
def import_process(data: Any, *, agency: Agency | None = None) -> InternalProcess:
    """Store a process from its JSON form, for the agency it names (or ``agency``, to reuse it elsewhere).

    Units are found by identifier code, else by exact name (inside the agency first). Every
    problem is a ValidationError naming the field (``steps[1].unit`` …); nothing is written then.
    """
    try:
        imported = processes.from_json(data)
    except ProcessError as error:
        raise ValidationError({error.field: error.message}) from error
    target = agency or _resolve_agency(imported.agency, "agency", within=None)
    configuration = AgencyProcedure.objects.filter(agency=target, procedure__code=imported.procedure_code).first()
    if configuration is None:
        raise ValidationError(
            {
                "procedure": _("%(agency)s does not offer procedure %(code)s; configure it first.")
                % {"agency": target, "code": imported.procedure_code}
            }
        )
    steps = [
        StepSpec(
            stage=step.stage,
            name=step.name,
            unit_id=_resolve_agency(step.unit, f"steps[{index}].unit", within=target).pk,
            role=step.role,
            budget_amount=step.budget_amount,
            budget_unit=step.budget_unit,
            task=step.task,
        )
        for index, step in enumerate(imported.steps)
    ]
    return save_process(
        agency_procedure=configuration,
        variant_code=imported.variant_code,
        name=imported.name,
        steps=steps,
        note=imported.note,
    )


@transaction.atomic
def import_processes(data: Any) -> list[InternalProcess]:
    """Store one process or a list of them (as ``export_process`` writes them): all of them or none."""
    items = data if isinstance(data, list) else [data]
    saved = []
    for index, item in enumerate(items):
        try:
            saved.append(import_process(item))
        except ValidationError as error:
            if len(items) == 1:
                raise
            raise ValidationError(
                [_("Process %(n)d: %(message)s") % {"n": index + 1, "message": message} for message in error.messages]
            ) from error
    return saved


def _resolve_agency(reference: Any, field: str, *, within: Agency | None) -> Agency:
    code, name = reference.get("code", ""), reference.get("name", "")
    if code:
        found = AgencyCode.objects.filter(code=code).select_related("agency").first()
        if found is not None:
            return found.agency
    candidates = list(Agency.objects.filter(name=name)[:20]) if name else []
    if within is not None:
        inside = [agency for agency in candidates if agency.is_within(within)]
        candidates = inside or candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError({field: _("No agency has the code or name “%(ref)s”.") % {"ref": code or name}})
    raise ValidationError(
        {field: _("Several agencies are named “%(name)s”; give the identifier code.") % {"name": name}}
    )
