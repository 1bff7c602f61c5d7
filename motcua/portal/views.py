"""Public pages: the home page and signing in and out.

Views stay thin: they read through the domain apps' queries and render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.portal import queries
from motcua.portal.forms import SignInForm


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
