"""Forms of the officers' pages: the queue filter, one form per lifecycle action, the counter intake.

Each action form carries the dossier version the page showed (``expected_version``), so that the
lifecycle refuses to act on a dossier someone else changed meanwhile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Component, Variant
from motcua.dossiers.models import Attachment, DeliveryMethod
from motcua.workflow.models import InterAgencyMode
from motcua.workflow.services import TaskSpec
from motcua.workflow.transitions import Action


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by code, name or personal ID number"), required=False, max_length=100)
    after = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)


class ActionForm(forms.Form):
    """An action without fields: only the version the page showed."""

    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class RefuseForm(ActionForm):
    reasons = forms.CharField(label=_("Reasons for the refusal"), max_length=4000, widget=forms.Textarea)


class SupplementForm(ActionForm):
    reason = forms.CharField(label=_("Why the dossier must be supplemented"), max_length=2000, widget=forms.Textarea)
    missing = forms.CharField(
        label=_("Missing or incorrect documents"),
        help_text=_("One per line: everything, in one go."),
        max_length=4000,
        widget=forms.Textarea,
    )

    def clean_missing(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["missing"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("List at least one document."))
        return lines


class SendBackForm(ActionForm):
    to_stage = forms.IntegerField(label=_("Back to stage"), min_value=1, max_value=50)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


#: Agencies one forwarding may ask at most (rows of the form).
FORWARD_ROWS = 4


@dataclass(frozen=True)
class ForwardRow:
    """One agency of a forwarding as the form shows it: its number and its three fields."""

    number: int
    agency: forms.BoundField
    task: forms.BoundField
    budget_hours: forms.BoundField


class ForwardToAgenciesForm(ActionForm):
    """Work for other agencies (Decree 118/2025/NĐ-CP Art. 20): one agency at another level, or
    several of the same level, one after another in the order given (Art. 20.2.a) or all at once
    with the lead agency chosen (Art. 20.3)."""

    mode = forms.ChoiceField(label=_("How"), choices=InterAgencyMode.choices)
    lead = forms.TypedChoiceField(
        label=_("Lead agency (in parallel)"),
        choices=[(number, number) for number in range(1, FORWARD_ROWS + 1)],
        coerce=int,
        initial=1,
        required=False,
        empty_value=None,
        help_text=_("The number of the agency that leads when they work at the same time."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, FORWARD_ROWS + 1):
            numbered = {"number": number}
            self.fields[f"agency_{number}"] = forms.ModelChoiceField(
                label=_("Agency asked (%(number)d)") % numbered,
                queryset=agencies if agencies is not None else Agency.objects.none(),
                required=number == 1,
            )
            self.fields[f"task_{number}"] = forms.CharField(
                label=_("What agency %(number)d must do") % numbered, max_length=2000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"budget_hours_{number}"] = forms.IntegerField(
                label=_("Working hours given to agency %(number)d") % numbered,
                min_value=1, max_value=2000, required=False,
            )  # fmt: skip

    def rows(self) -> list[ForwardRow]:
        return [
            ForwardRow(number, self[f"agency_{number}"], self[f"task_{number}"], self[f"budget_hours_{number}"])
            for number in range(1, FORWARD_ROWS + 1)
        ]

    @property
    def shows_more_rows(self) -> bool:
        """Whether the rows after the first are shown open: something was typed in them."""
        extra = [f"{name}_{n}" for n in range(2, FORWARD_ROWS + 1) for name in ("agency", "task", "budget_hours")]
        return self.is_bound and (any(self.data.get(self.add_prefix(name)) for name in extra) or "lead" in self.errors)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        tasks: list[TaskSpec] = []
        seen: set[int] = set()
        lead = cleaned.get("lead") or 1
        for number in range(1, FORWARD_ROWS + 1):
            agency = cleaned.get(f"agency_{number}")
            task = (cleaned.get(f"task_{number}") or "").strip()
            hours = cleaned.get(f"budget_hours_{number}")
            if agency is None:
                if task or hours:
                    self.add_error(f"agency_{number}", _("Choose the agency for this task."))
                continue
            if agency.pk in seen:
                self.add_error(f"agency_{number}", _("This agency is already asked above."))
            seen.add(agency.pk)
            if not task:
                self.add_error(f"task_{number}", _("Say what this agency must do."))
            if hours is None:
                self.add_error(f"budget_hours_{number}", _("Give this agency its working hours."))
            if task and hours is not None:
                tasks.append(TaskSpec(agency, task, hours, is_lead=number == lead))
        if len(tasks) == 1:
            tasks = [dataclasses.replace(tasks[0], is_lead=True)]  # an agency asked alone leads its task
        elif cleaned.get("mode") == InterAgencyMode.PARALLEL and not any(t.is_lead for t in tasks):
            self.add_error("lead", _("Choose the lead among the agencies asked."))
        cleaned["tasks"] = tasks
        return cleaned


class AnswerForm(ActionForm):
    answer = forms.CharField(label=_("The agency's answer"), max_length=4000, widget=forms.Textarea)


class ExtendForm(ActionForm):
    new_appointment = forms.DateTimeField(
        label=_("New appointment"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason for the delay (the apology)"), max_length=2000, widget=forms.Textarea)


class ReturnForm(ActionForm):
    """Returning the result; a result sent by post needs the parcel's tracking number (Art. 22)."""

    postal_tracking_number = forms.CharField(
        label=_("Postal tracking number"),
        max_length=50,
        help_text=_("As printed on the post office's receipt for the parcel."),
        error_messages={"required": _("Give the postal tracking number of the parcel.")},
    )

    def __init__(self, *args: Any, by_post: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not by_post:  # handed over at the counter or made available online: no parcel
            del self.fields["postal_tracking_number"]


class ResultFileForm(forms.Form):
    """The signed result, attached before it is returned (online, it is what the applicant downloads)."""

    file = forms.FileField(
        label=_("Signed result file"),
        error_messages={"required": _("Choose the signed result file."), "empty": _("The file is empty.")},
    )


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.RECEIVE: ActionForm,
    Action.TRANSFER: ActionForm,
    Action.RESUME: ActionForm,
    Action.PROVIDE_SUPPLEMENT: ActionForm,
    Action.FORWARD: NoteForm,
    Action.APPROVE: NoteForm,
    Action.PAUSE: ReasonForm,
    Action.STOP: ReasonForm,
    Action.REFUSE: RefuseForm,
    Action.REQUEST_SUPPLEMENT: SupplementForm,
    Action.SEND_BACK: SendBackForm,
    Action.FORWARD_TO_AGENCIES: ForwardToAgenciesForm,
    Action.ANSWER_TASK: AnswerForm,
    Action.EXTEND: ExtendForm,
    Action.RETURN_RESULT: ReturnForm,
}


# Counter intake --------------------------------------------------------------------------------


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Find the procedure by name or code"), required=False, max_length=200)


class ApplicantForm(forms.Form):
    """Who applies, at which desk, for which case of the procedure, and how the result goes back."""

    receiving_unit = forms.ModelChoiceField(label=_("Receiving desk"), queryset=Agency.objects.none())
    variant = forms.ModelChoiceField(label=_("Case"), queryset=Variant.objects.none())
    name = forms.CharField(label=_("Applicant's full name"), max_length=255)
    id_number = forms.RegexField(
        label=_("Personal identification number"),
        regex=r"^[0-9A-Za-z]{6,20}$",
        error_messages={"invalid": _("Enter 6 to 20 letters or digits, as printed on the identity card.")},
    )
    phone = forms.RegexField(
        label=_("Phone"),
        required=False,
        regex=r"^\+?[0-9 ]{8,15}$",
        error_messages={"invalid": _("Enter a phone number of 8 to 15 digits.")},
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=500)
    delivery_method = forms.ChoiceField(
        label=_("Result delivery"), choices=DeliveryMethod.choices, initial=DeliveryMethod.COUNTER
    )
    delivery_address = forms.CharField(label=_("Delivery address (by post)"), required=False, max_length=500)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, desks: QuerySet[Agency], variants: QuerySet[Variant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = desks  # type: ignore[attr-defined]
        self.fields["variant"].queryset = variants  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("delivery_method") == DeliveryMethod.POST and not (data.get("delivery_address") or "").strip():
            self.add_error("delivery_address", _("Give the address the result should be posted to."))
        return data


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name (the scans of one document); cleans to a list, maybe empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        handles = data if isinstance(data, list | tuple) else [data] if data else []
        if not handles and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(handle, initial) for handle in handles]


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of the counter check: the component, its counts, its scans to add and those attached."""

    component: Component
    originals: forms.BoundField
    copies: forms.BoundField
    scans: forms.BoundField
    files: list[Attachment]


class DocumentsForm(forms.Form):
    """What the desk received for each component (originals and copies, scans), then the decision."""

    RECEIVE, SUPPLEMENT, REFUSE = "receive", "supplement", "refuse"

    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[
            (RECEIVE, _("Receive")),
            (SUPPLEMENT, _("Ask for a supplement")),
            (REFUSE, _("Refuse")),
        ],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason (supplement or refusal)"), required=False, max_length=2000, widget=forms.Textarea
    )
    missing = forms.CharField(
        label=_("Missing documents (supplement)"),
        help_text=_("One per line."),
        required=False,
        max_length=4000,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, components: Iterable[Component], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.components = list(components)
        for component in self.components:
            self.fields[f"originals_{component.pk}"] = forms.IntegerField(
                label=_("Originals"), required=False, min_value=0, max_value=99, initial=0
            )
            self.fields[f"copies_{component.pk}"] = forms.IntegerField(
                label=_("Copies"), required=False, min_value=0, max_value=99, initial=0
            )
            self.fields[f"scans_{component.pk}"] = MultipleFileField(
                label=_("Scans of “%(document)s”") % {"document": Truncator(component.name).chars(60)},
                required=False,
                error_messages={"empty": _("The file is empty.")},
            )

    def component_rows(self, files: Mapping[int, list[Attachment]]) -> list[DocumentRow]:
        """Each component with its fields and the scans already attached (``files`` by component)."""
        return [
            DocumentRow(
                c, self[f"originals_{c.pk}"], self[f"copies_{c.pk}"], self[f"scans_{c.pk}"], files.get(c.pk, [])
            )
            for c in self.components
        ]

    def scans(self) -> list[tuple[int, UploadedFile]]:
        """(component, file) for each file chosen, among the components whose files passed the form."""
        return [
            (component.pk, handle)
            for component in self.components
            for handle in self.cleaned_data.get(f"scans_{component.pk}") or []
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision in (self.SUPPLEMENT, self.REFUSE) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason: the applicant must know it."))
        if decision == self.SUPPLEMENT and not (data.get("missing") or "").strip():
            self.add_error("missing", _("List what the applicant must add."))
        return data

    def counts(self) -> list[tuple[int, int, int]]:
        """(component, originals, copies) for each component with anything received."""
        found = []
        for component in self.components:
            originals = self.cleaned_data.get(f"originals_{component.pk}") or 0
            copies = self.cleaned_data.get(f"copies_{component.pk}") or 0
            if originals or copies:
                found.append((component.pk, originals, copies))
        return found
