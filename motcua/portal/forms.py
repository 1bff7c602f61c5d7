"""Forms of the public pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
