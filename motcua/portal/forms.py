"""Forms of the public pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import DeliveryMethod
from motcua.feedback.models import Level as RatingLevel


class SignInForm(AuthenticationForm):
    """Sign in with a user name, email, phone number or personal identification number."""

    username = forms.CharField(
        label=_("Email, phone number, personal ID number or user name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The sign-in details are not right. Check them and try again (letters in the password are case sensitive)."
        ),
        "inactive": _("This account has been deactivated. Contact the agency that manages it."),
    }


class CatalogueSearchForm(forms.Form):
    """The public catalogue's search box and filters; every field may stay empty."""

    q = forms.CharField(label=_("Search procedures"), required=False, max_length=200)
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Level"), required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    online = forms.ChoiceField(label=_("Online service"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)

    def __init__(
        self,
        data: dict[str, str] | None,
        *,
        sectors: list[tuple[int, str]],
        levels: list[tuple[str, str]],
        agencies: list[tuple[int, str]],
        online_levels: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        everything = ("", _("All"))
        self.fields["sector"].choices = [everything, *sectors]  # type: ignore[attr-defined]
        self.fields["level"].choices = [everything, *levels]  # type: ignore[attr-defined]
        self.fields["agency"].choices = [everything, *agencies]  # type: ignore[attr-defined]
        self.fields["online"].choices = [everything, *online_levels]  # type: ignore[attr-defined]


class TrackingForm(forms.Form):
    """The public lookup: the dossier code and the lookup code, both printed on the receipt."""

    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("As printed on your receipt, for example 000.01.25.H25-260309-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    lookup_secret = forms.CharField(
        label=_("Lookup code"),
        max_length=20,
        help_text=_("The short code printed beside the QR code on your receipt and sent to you by SMS or email."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ReceivingUnitForm(forms.Form):
    """Where the citizen lodges the dossier: any one-stop unit of the province (Decree 118/2025 Art. 14.2)."""

    unit = forms.TypedChoiceField(
        label=_("Where do you want to lodge your dossier?"),
        coerce=int,
        help_text=_("Any public administration service centre of the province takes this procedure."),
        error_messages={
            "required": _("Choose where to lodge your dossier."),
            "invalid_choice": _("Choose a unit from the list."),
        },
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class VariantForm(forms.Form):
    variant = forms.TypedChoiceField(
        label=_("Which case is yours?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the case that fits you."),
            "invalid_choice": _("Choose one of the cases."),
        },
    )

    def __init__(self, *args: Any, variants: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = variants  # type: ignore[attr-defined]


class ApplicantForm(forms.Form):
    """Who the dossier is for; prefilled from the account, and editable."""

    name = forms.CharField(label=_("Full name"), max_length=255, error_messages={"required": _("Enter the full name.")})
    id_number = forms.CharField(
        label=_("Personal identification number"),
        max_length=20,
        help_text=_("The 12 digits on the citizen identity card."),
        error_messages={"required": _("Enter the personal identification number.")},
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=15, required=False)
    email = forms.EmailField(
        label=_("Email"), required=False, error_messages={"invalid": _("Enter an email address like name@example.vn.")}
    )
    representative_name = forms.CharField(
        label=_("Your name, if you apply on someone else's behalf"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Your personal identification number, if you apply on someone else's behalf"),
        max_length=20,
        required=False,
    )
    representative_relation = forms.CharField(
        label=_("You act as"),
        max_length=100,
        required=False,
        help_text=_("For example: mother, father, authorised person."),
    )

    def clean_id_number(self) -> str:
        value = "".join(self.cleaned_data["id_number"].split())
        if not value.isdigit() or len(value) not in (9, 12):
            raise forms.ValidationError(
                _("A personal identification number has 12 digits (an old identity card has 9).")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        acting = [data.get("representative_name"), data.get("representative_id_number")]
        if any(acting) and not all(acting):
            self.add_error(
                "representative_name" if not acting[0] else "representative_id_number",
                _("To apply on someone else's behalf, give both your name and your identification number."),
            )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Choose a file"),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to receive the result.")},
    )
    address = forms.CharField(
        label=_("Postal address for the result"),
        max_length=500,
        required=False,
        help_text=_("Only if you chose to receive it by post."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, methods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = methods  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == DeliveryMethod.POST and not (data.get("address") or "").strip():
            self.add_error("address", _("Enter the address the result should be posted to."))
        return data


class SubmitForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class StopForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want to stop?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you want to stop the procedure.")},
    )


_LEVELS = [(str(value), label) for value, label in RatingLevel.choices]


class RatingForm(forms.Form):
    """The applicant's rating (Decree 118/2025/NĐ-CP Art. 33), with the items of ``feedback.models``."""

    timeliness = forms.TypedChoiceField(
        label=_("Time to the result, against the time limit"), choices=_LEVELS, coerce=int, widget=forms.RadioSelect
    )
    procedure_accuracy = forms.TypedChoiceField(
        label=_("The published procedure matched what you were asked"),
        choices=_LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    staff_attitude = forms.TypedChoiceField(
        label=_("Attitude of the staff"), choices=_LEVELS, coerce=int, widget=forms.RadioSelect
    )
    result_lawfulness = forms.TypedChoiceField(
        label=_("The result and its costs were lawful"), choices=_LEVELS, coerce=int, widget=forms.RadioSelect
    )
    online_service = forms.TypedChoiceField(
        label=_("Quality of the online service"),
        choices=_LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    complaint_handling = forms.TypedChoiceField(
        label=_("Handling of your complaint (only if you made one)"),
        choices=_LEVELS,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    agencies_contacted = forms.IntegerField(
        label=_("How many agencies did you have to contact?"), min_value=1, max_value=50, initial=1
    )
    contacts_needed = forms.IntegerField(
        label=_("How many times did you have to contact them?"), min_value=1, max_value=50, initial=1
    )
    extra_costs_asked = forms.BooleanField(
        label=_("You were asked to pay more than the published fees"), required=False
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, online: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not online:
            del self.fields["online_service"]
        for name in ("timeliness", "procedure_accuracy", "staff_attitude", "result_lawfulness"):
            self.fields[name].error_messages["required"] = _("Choose one of the three answers.")


class RegistrationForm(forms.Form):
    """A citizen's account; the checks themselves are ``accounts.services.register_citizen``'s."""

    personal_id = forms.CharField(
        label=_("Personal identification number"),
        max_length=20,
        help_text=_("The 12 digits on your citizen identity card; you will sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("For example 02/03/1999."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as day/month/year, for example 02/03/1999.")},
        widget=forms.DateInput(attrs={"autocomplete": "bday"}),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; a short sentence is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords are not the same."))
        return data
