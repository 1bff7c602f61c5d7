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
