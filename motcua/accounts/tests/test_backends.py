"""Signing in: any identifier of the account, the lockout after repeated failures, Argon2 hashing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from axes.utils import reset
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client, override_settings

from config.settings import base
from motcua.accounts import services
from motcua.accounts.backends import lockout_username
from motcua.accounts.models import User
from motcua.accounts.tests.factories import PASSWORD, make_citizen, make_staff

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

BACKEND = "motcua.accounts.backends.IdentifierBackend"
AXES_BACKEND = "axes.backends.AxesStandaloneBackend"
ADMIN_LOGIN = "/quan-tri/login/"


def _sign_in(identifier: str, password: str = PASSWORD) -> User | None:
    with override_settings(AUTHENTICATION_BACKENDS=[BACKEND]):
        user = authenticate(None, username=identifier, password=password)
    assert user is None or isinstance(user, User)
    return user


@pytest.fixture
def citizen() -> User:
    return make_citizen("001099012345", phone="0912345678", email="lan.nguyen@example.vn")


@pytest.mark.parametrize(
    "identifier",
    [
        "001099012345",  # the login name, which for a citizen is the personal number
        "001 099 012 345",  # the personal number as printed on the card
        "001.099.012.345",
        "lan.nguyen@example.vn",
        " Lan.Nguyen@Example.VN ",
        "0912345678",
        "+84 912 345 678",
        "0912.345.678",
    ],
)
def test_a_citizen_signs_in_with_any_of_their_identifiers(citizen: User, identifier: str) -> None:
    assert _sign_in(identifier) == citizen


def test_staff_sign_in_with_their_login_name_and_businesses_with_their_tax_code() -> None:
    officer = make_staff("tiepnhan")
    business = services.register_business(
        tax_code="0100112437", organisation_name="Công ty A", email="a@example.vn", password=PASSWORD
    )
    assert _sign_in("tiepnhan") == officer
    assert _sign_in("tiepnhan@example.gov.vn") == officer
    assert _sign_in("0100 112 437") == business
    assert _sign_in("mst-0100112437") == business


@pytest.mark.parametrize(
    ("identifier", "password"),
    [
        ("001099012345", "wrong password"),
        ("nobody@example.vn", PASSWORD),
        ("0999999999", PASSWORD),
        ("", PASSWORD),
        ("   ", PASSWORD),
    ],
)
def test_wrong_password_or_unknown_identifier_signs_nobody_in(citizen: User, identifier: str, password: str) -> None:
    assert _sign_in(identifier, password) is None


def test_a_deactivated_account_cannot_sign_in(citizen: User) -> None:
    User.objects.filter(pk=citizen.pk).update(is_active=False)
    assert _sign_in("lan.nguyen@example.vn") is None


def test_when_an_identifier_names_two_accounts_the_password_decides(citizen: User) -> None:
    # A household business's tax code is its owner's personal number.
    business = services.register_business(
        tax_code="001099012345",
        organisation_name="Hộ kinh doanh Lan",
        phone="0987654321",
        password="khac-mat-khau-2026",
    )
    assert _sign_in("001099012345") == citizen
    assert _sign_in("001099012345", "khac-mat-khau-2026") == business


# Login throttling through the admin's sign-in page (django-axes: 5 failures per login name and address).


def _post_login(client: Client, username: str, password: str) -> Response:
    return client.post(ADMIN_LOGIN, {"username": username, "password": password, "next": "/quan-tri/"})


@pytest.fixture
def administrator() -> User:
    user = make_staff("quantri")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return User.objects.get(pk=user.pk)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_signs_in_after_fewer_than_five_failures(administrator: User) -> None:
    client = Client()
    for _ in range(4):
        assert _post_login(client, "quantri", "wrong password").status_code == 200
    response = _post_login(client, "quantri", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_after_five_failures_even_the_right_password_is_refused(administrator: User) -> None:
    client = Client()
    for _ in range(5):
        _post_login(client, "quantri", "wrong password")

    response = _post_login(client, "quantri", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)

    # Until the lockout is lifted (by the cool-off time, or by an administrator).
    reset(username="quantri")
    assert _post_login(client, "quantri", PASSWORD).status_code == 302
    assert _signed_in(client)


@override_settings(
    AUTHENTICATION_BACKENDS=[AXES_BACKEND, BACKEND],
    AXES_USERNAME_CALLABLE="motcua.accounts.backends.lockout_username",
)
def test_the_lockout_counts_every_identifier_of_one_account_together(administrator: User) -> None:
    User.objects.filter(pk=administrator.pk).update(phone="0912345678")
    client = Client()
    # Five tries, each typing the account differently: one account, one counter.
    for typed in ("quantri", "QUANTRI@example.gov.vn", "0912345678", "0912 345 678", "+84912345678"):
        _post_login(client, typed, "wrong password")

    response = _post_login(client, "quantri@example.gov.vn", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


@override_settings(AUTHENTICATION_BACKENDS=[AXES_BACKEND, BACKEND])
def test_staff_sign_in_to_the_admin_with_their_email(administrator: User) -> None:
    client = Client()
    assert _post_login(client, "QuanTri@example.gov.vn", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_lockout_username_gives_one_key_per_account(citizen: User, rf: object) -> None:
    request = rf.post(ADMIN_LOGIN, {})  # type: ignore[attr-defined]
    keys = {lockout_username(request, {"username": typed}) for typed in ("0912 345 678", "LAN.nguyen@example.vn")}
    assert keys == {"001099012345"}
    # Identifiers of no account still collapse the ways of typing them.
    assert lockout_username(request, {"username": "009 999 999 999"}) == "009999999999"
    assert lockout_username(request, {"username": "No.One@Example.VN"}) == "no.one@example.vn"


# Password hashing


def test_production_hashes_passwords_with_argon2() -> None:
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password(PASSWORD)
        assert encoded.startswith("argon2$")
        assert check_password(PASSWORD, encoded)
        assert not check_password("wrong password", encoded)


def test_a_hash_made_by_an_older_hasher_moves_to_argon2_at_the_next_sign_in(citizen: User) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        citizen.set_password(PASSWORD)
        citizen.save()
    assert citizen.password.startswith("pbkdf2_sha256$")

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert _sign_in("001099012345") == citizen
    assert User.objects.get(pk=citizen.pk).password.startswith("argon2$")
