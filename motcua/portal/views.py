"""Public pages: the home page, registering, and signing in and out.

Views stay thin: they read through the domain apps' queries and render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.services import register_citizen
from motcua.portal import queries
from motcua.portal.forms import RegistrationForm, SignInForm


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "coverage": queries.get_coverage(),
        "workplaces": queries.list_workplaces(request.user) if request.user.is_authenticated else [],
    }
    return render(request, "portal/home.html", context)


class SignInView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, str] | None
) -> HttpResponse:
    """What django-axes shows after too many failed sign-ins (AXES_LOCKOUT_CALLABLE)."""
    cooloff_minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "portal/locked_out.html", {"cooloff_minutes": cooloff_minutes}, status=429)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """A citizen opens an account, then is signed in.

    Password accounts are the first way in; the national electronic identity (VNeID, OpenID
    Connect) will be another authentication backend beside ``accounts.backends.IdentifierBackend``
    that finds or opens the account by the personal identification number it returns, so this
    page and the sign-in page stay as they are.
    """
    if request.user.is_authenticated:
        return redirect("portal:my_dossiers")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = register_citizen(
                personal_id=data["personal_id"],
                full_name=data["full_name"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                password=data["password"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error)
        else:
            login(request, user, backend="motcua.accounts.backends.IdentifierBackend")
            messages.success(request, _("Your account is ready. You are signed in."))
            return redirect("portal:my_dossiers")
    return render(request, "portal/register.html", {"form": form})
