"""Internal processes as plain values: their time budgets, and their JSON form.

An internal process (quy trình nội bộ) spends the legal time limit: each step has a budget in
working hours or days, steps of one stage run in parallel (Decree 118/2025/NĐ-CP Art. 20.3:
electronic same-level inter-agency work goes to every agency at once) and the stage lasts as
long as its longest step, so the process takes the sum over stages of each stage's longest
budget. That sum must not exceed the limit (Decree 118/2025/NĐ-CP Art. 19: the dossier is
resolved within the published time limit; the internal process only divides it).

The JSON form lets an agency export a process and import it elsewhere (another commune, a
new installation): units are named by their electronic identifier code where they have one,
otherwise by name, never by database id alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.time_limits import HOURS_PER_WORKING_DAY, TimeLimit, format_time_limit

JSON_FORMAT = "motcua.internal-process/1"
BUDGET_UNITS = ("working_hours", "working_days")
#: The roles that act on a step; administrators and inspectors do not process dossiers.
ACTING_ROLES = ("receiving_officer", "specialist", "department_head", "agency_leader")


class ProcessError(ValueError):
    """A process that cannot be used; ``field`` names what is wrong (``steps[2].budget`` …)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")
        self.message = message


@dataclass(frozen=True, slots=True)
class StepSpec:
    stage: int
    name: str
    unit_id: int
    role: str
    budget_amount: int
    budget_unit: str
    task: str = ""

    @property
    def budget_hours(self) -> int:
        return budget_hours(self.budget_amount, self.budget_unit)


def budget_hours(amount: int, unit: str) -> int:
    return amount * HOURS_PER_WORKING_DAY if unit == "working_days" else amount


def process_hours(steps: Iterable[StepSpec]) -> int:
    """Working hours the process takes: per stage its longest step, summed over stages."""
    longest: dict[int, int] = {}
    for step in steps:
        longest[step.stage] = max(longest.get(step.stage, 0), step.budget_hours)
    return sum(longest.values())


def check_steps(steps: Sequence[StepSpec]) -> None:
    """Refuse an empty process, gaps between stages, unknown roles or units, and empty budgets."""
    if not steps:
        raise ProcessError("steps", _("A process needs at least one step."))
    for index, step in enumerate(steps):
        where = f"steps[{index}]"
        if not step.name.strip():
            raise ProcessError(f"{where}.name", _("Every step needs a name."))
        if step.stage < 1:
            raise ProcessError(f"{where}.stage", _("Stages are numbered from 1."))
        if step.role not in ACTING_ROLES:
            raise ProcessError(
                f"{where}.role", _("“%(role)s” is not a role that acts on dossiers.") % {"role": step.role}
            )
        if step.budget_unit not in BUDGET_UNITS:
            raise ProcessError(
                f"{where}.budget_unit",
                _("“%(unit)s” is not working_hours or working_days.") % {"unit": step.budget_unit},
            )
        if step.budget_amount < 1:
            raise ProcessError(f"{where}.budget_amount", _("A step needs a budget of at least one hour or day."))
    stages = sorted({step.stage for step in steps})
    if stages != list(range(1, len(stages) + 1)):
        raise ProcessError(
            "steps",
            _("Stages must run 1, 2, 3 … without gaps (found %(stages)s).") % {"stages": ", ".join(map(str, stages))},
        )


def check_budget(steps: Sequence[StepSpec], limit: TimeLimit) -> None:
    """Refuse a process that takes longer than ``limit`` (no check when there is no limit)."""
    allowed = limit.working_hours_at_most()
    if allowed is None:
        return
    used = process_hours(steps)
    if used > allowed:
        raise ProcessError(
            "steps",
            _("The steps take %(used)s but the time limit is %(limit)s (%(allowed)s).")
            % {"used": describe_hours(used), "limit": format_time_limit(limit), "allowed": describe_hours(allowed)},
        )


def describe_hours(hours: int) -> str:
    """``12`` → "1 working day 4 working hours" (in the user's language)."""
    days, rest = divmod(hours, HOURS_PER_WORKING_DAY)
    day_text = ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
    hour_text = ngettext("%(n)d working hour", "%(n)d working hours", rest) % {"n": rest}
    if not rest:
        return day_text
    if not days:
        return hour_text
    return f"{day_text} {hour_text}"


def to_json(
    *,
    procedure_code: str,
    agency: Mapping[str, Any],
    variant_code: str,
    name: str,
    note: str,
    steps: Iterable[tuple[StepSpec, Mapping[str, Any]]],
) -> dict[str, Any]:
    """The exported form; ``agency`` and each step's unit are ``{"code": …, "name": …}``."""
    return {
        "format": JSON_FORMAT,
        "procedure": procedure_code,
        "agency": dict(agency),
        "variant": variant_code,
        "name": name,
        "note": note,
        "steps": [
            {
                "stage": step.stage,
                "name": step.name,
                "unit": dict(unit),
                "role": step.role,
                "budget": {"amount": step.budget_amount, "unit": step.budget_unit},
                "task": step.task,
            }
            for step, unit in steps
        ],
    }


@dataclass(frozen=True, slots=True)
class ImportedStep:
    """A step read from JSON, its unit still a reference to resolve."""

    stage: int
    name: str
    unit: Mapping[str, str]
    role: str
    budget_amount: int
    budget_unit: str
    task: str


@dataclass(frozen=True, slots=True)
class ImportedProcess:
    procedure_code: str
    agency: Mapping[str, str]
    variant_code: str
    name: str
    note: str
    steps: tuple[ImportedStep, ...]


def from_json(data: Any) -> ImportedProcess:
    """Read the exported form, refusing anything else with the field at fault."""
    if not isinstance(data, dict):
        raise ProcessError("$", _("The file does not hold a process (a JSON object)."))
    if data.get("format") != JSON_FORMAT:
        raise ProcessError(
            "format",
            _("Expected “%(expected)s”, found “%(found)s”.") % {"expected": JSON_FORMAT, "found": data.get("format")},
        )
    steps_data = data.get("steps")
    if not isinstance(steps_data, list):
        raise ProcessError("steps", _("The steps must be a list."))
    steps = []
    for index, raw in enumerate(steps_data):
        where = f"steps[{index}]"
        if not isinstance(raw, dict):
            raise ProcessError(where, _("Each step must be an object."))
        budget = raw.get("budget")
        if not isinstance(budget, dict):
            raise ProcessError(f"{where}.budget", _('Give the budget as {"amount": 2, "unit": "working_days"}.'))
        steps.append(
            ImportedStep(
                stage=_integer(raw.get("stage"), f"{where}.stage"),
                name=_text(raw.get("name"), f"{where}.name"),
                unit=_reference(raw.get("unit"), f"{where}.unit"),
                role=_text(raw.get("role"), f"{where}.role"),
                budget_amount=_integer(budget.get("amount"), f"{where}.budget.amount"),
                budget_unit=_text(budget.get("unit"), f"{where}.budget.unit"),
                task=str(raw.get("task") or ""),
            )
        )
    return ImportedProcess(
        procedure_code=_text(data.get("procedure"), "procedure"),
        agency=_reference(data.get("agency"), "agency"),
        variant_code=str(data.get("variant") or ""),
        name=_text(data.get("name"), "name"),
        note=str(data.get("note") or ""),
        steps=tuple(steps),
    )


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProcessError(field, _("This text is missing."))
    return value.strip()


def _integer(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProcessError(field, _("Expected a whole number, found “%(value)s”.") % {"value": value})
    return value


def _reference(value: Any, field: str) -> Mapping[str, str]:
    if not isinstance(value, dict) or not (value.get("code") or value.get("name")):
        raise ProcessError(field, _("Name the unit by its identifier code or its name."))
    return {"code": str(value.get("code") or ""), "name": str(value.get("name") or "")}
