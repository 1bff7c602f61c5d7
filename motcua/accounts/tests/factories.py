"""People for tests, made through the services so that they pass the same checks as real ones.

``make_staff`` and ``make_citizen`` take only what a test cares about; ``make_officer`` adds a
membership and a role in one call. Every value is fixed or derived from the arguments, so
the same data comes out on every run.
"""

from __future__ import annotations

import datetime as dt

from motcua.accounts import services
from motcua.accounts.models import StaffRoleName, User
from motcua.agencies.models import Agency

PASSWORD = "mat-khau-thu-nghiem-2026"


def make_staff(username: str, *, full_name: str = "", password: str = PASSWORD) -> User:
    return services.create_staff(
        username=username,
        full_name=full_name or f"Cán bộ {username}",
        email=f"{username}@example.gov.vn",
        password=password,
    )


def make_officer(username: str, *, agency: Agency, role: StaffRoleName, jurisdiction: Agency | None = None) -> User:
    user = make_staff(username)
    services.add_membership(user=user, agency=agency, position=str(role.label))
    services.grant_role(user=user, agency=agency, role=role, jurisdiction=jurisdiction)
    # A fresh object, as a new request would load it: nothing cached from the set-up.
    return User.objects.get(pk=user.pk)


def make_citizen(
    personal_id: str = "001099012345",
    *,
    born_on: dt.date = dt.date(1999, 3, 2),
    phone: str = "0912345678",
    email: str = "lan.nguyen@example.vn",
    password: str = PASSWORD,
) -> User:
    return services.register_citizen(
        personal_id=personal_id,
        full_name="Nguyễn Thị Lan",
        date_of_birth=born_on,
        phone=phone,
        email=email,
        password=password,
    )
