"""Signing in with any identifier a person knows: login name, email, phone, personal number or tax code.

Citizens rarely remember a login name: they sign in with their email, phone number or
personal identification number, businesses with their tax code, staff with their login
name. What was typed is normalised the way the account's identifiers were stored
(``identity.py``) and looked up in one query. When it names several accounts (a staff
login name that is also someone's phone number, a household business's tax code that is
its owner's personal number) the password decides, trying the login name first.

This is the password seam only. Signing in with the national electronic identity (VNeID,
OpenID Connect, which Decree 118/2025/NĐ-CP Art. 17 has reception rely on) will be another
backend beside this one, matching the personal identification number it returns.

``lockout_username`` gives django-axes one key per account, so that a password guesser
cannot escape the lockout by typing the same account's email, phone and number in turn,
or the number with and without spaces.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from motcua.accounts.identity import normalise_personal_id, normalise_phone, normalise_tax_code
from motcua.accounts.models import User

if TYPE_CHECKING:
    from django.http import HttpRequest

_DIGITS = re.compile(r"[0-9]+")

#: The most accounts one typed identifier can name (login name, email, phone, personal number, tax code).
_MAX_CANDIDATES = 5


def _identifier_condition(typed: str) -> Q | None:
    """Which accounts ``typed`` may name, each identifier compared in its stored form."""
    typed = typed.strip()
    if not typed:
        return None
    condition = Q(username=typed)
    if "@" in typed:
        condition |= Q(email=User.objects.normalize_email(typed))
        return condition
    personal_id = normalise_personal_id(typed)
    if len(personal_id) == 12 and _DIGITS.fullmatch(personal_id):
        condition |= Q(personal_id=personal_id) | Q(tax_code=personal_id)
    tax_code = normalise_tax_code(typed)
    if _DIGITS.fullmatch(tax_code.replace("-", "")):
        condition |= Q(tax_code=tax_code)
    phone = normalise_phone(typed)
    if phone.startswith("0") and _DIGITS.fullmatch(phone):
        condition |= Q(phone=phone)
    return condition


def find_accounts(typed: str) -> list[User]:
    """The accounts ``typed`` names, the one whose login name it is first (one query)."""
    condition = _identifier_condition(typed)
    if condition is None:
        return []
    candidates = list(User.objects.filter(condition).order_by("pk")[:_MAX_CANDIDATES])
    typed = typed.strip()
    return sorted(candidates, key=lambda user: user.username != typed)


class IdentifierBackend(ModelBackend):
    """``ModelBackend`` that accepts any of the account's identifiers in place of the login name."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        candidates = find_accounts(username)
        if not candidates:
            # Hash anyway, so that the time taken does not tell whether the identifier exists.
            User().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """django-axes' key for the account being tried (AXES_USERNAME_CALLABLE).

    The login name of the account the identifier names, so that every way of typing one
    account counts against one lockout; otherwise the identifier in its normalised form.
    """
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "")
    typed = str(typed).strip()
    cache: dict[str, str] = request.__dict__.setdefault("_motcua_lockout_usernames", {})
    if typed not in cache:
        candidates = find_accounts(typed)
        if candidates:
            cache[typed] = candidates[0].username
        elif "@" in typed:
            cache[typed] = User.objects.normalize_email(typed)
        else:
            cache[typed] = normalise_personal_id(typed)
    return cache[typed]
