"""Registering people and managing staff: what is stored, and every refusal with nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts import services
from motcua.accounts.models import StaffMembership, StaffRole, StaffRoleName, User, UserKind
from motcua.accounts.tests.factories import PASSWORD, make_citizen, make_staff
from motcua.agencies.tests.factories import Tree, build_tree

pytestmark = pytest.mark.django_db

BORN = dt.date(1999, 3, 2)


@pytest.fixture
def tree() -> Tree:
    return build_tree()


def _codes(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str | None]]:
    """field → error codes, from a ValidationError keyed by field."""
    return {field: [error.code for error in errors] for field, errors in caught.value.error_dict.items()}


def _citizen(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "personal_id": "001099012345",
        "full_name": "Nguyễn Thị Lan",
        "date_of_birth": BORN,
        "phone": "0912345678",
        "email": "lan.nguyen@example.vn",
        "password": PASSWORD,
    }
    return values | changes


# Citizens


def test_register_citizen_stores_identifiers_in_their_normal_form() -> None:
    user = services.register_citizen(
        **_citizen(
            personal_id="001 099.012 345",
            full_name="  Nguyễn   Thị Lan ",
            phone="+84 912 345 678",
            email="Lan.Nguyen@Example.VN",
        )
    )

    stored = User.objects.get(pk=user.pk)
    assert stored.kind == UserKind.CITIZEN
    assert (stored.username, stored.personal_id) == ("001099012345", "001099012345")
    assert stored.full_name == "Nguyễn Thị Lan"
    assert (stored.phone, stored.email) == ("0912345678", "lan.nguyen@example.vn")
    assert stored.check_password(PASSWORD)
    assert not stored.is_staff


def test_a_citizen_may_give_only_a_phone_or_only_an_email() -> None:
    services.register_citizen(**_citizen(email=""))
    services.register_citizen(**_citizen(personal_id="079203000001", date_of_birth=dt.date(2003, 1, 1), phone=""))
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"personal_id": "00109901234"}, "personal_id", "personal_id_format"),
        ({"personal_id": "00109901234X"}, "personal_id", "personal_id_format"),
        ({"personal_id": "003099012345"}, "personal_id", "personal_id_province"),
        ({"personal_id": ""}, "personal_id", "required"),
        ({"date_of_birth": dt.date(1998, 3, 2)}, "personal_id", "personal_id_birth"),
        # A number of the right shape for the 24th century, with a birth date not yet reached.
        ({"personal_id": "001890012345", "date_of_birth": dt.date(2390, 1, 1)}, "date_of_birth", "future_birth"),
        ({"full_name": "   "}, "full_name", "required"),
        ({"phone": "", "email": ""}, "email", "contact_required"),
        ({"phone": "912345678"}, "phone", "phone_format"),
        ({"email": "lan.nguyen@"}, "email", "invalid"),
        ({"password": "12345678"}, "password", "password_too_short"),
        ({"password": "password123"}, "password", "password_too_common"),
    ],
)
def test_register_citizen_refuses_bad_input_and_saves_nothing(changes: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.register_citizen(**_citizen(**changes))
    assert code in _codes(caught)[field]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personal_id": "001.099.012.345", "phone": "0987654321", "email": "other@example.vn"}, "personal_id"),
        ({"personal_id": "079203000001", "date_of_birth": dt.date(2003, 1, 1), "email": "x@example.vn"}, "phone"),
        (
            {
                "personal_id": "079203000001",
                "date_of_birth": dt.date(2003, 1, 1),
                "phone": "",
                "email": "LAN.nguyen@example.vn",
            },
            "email",
        ),
    ],
)
def test_register_citizen_refuses_an_identifier_already_taken_however_it_is_typed(
    changes: dict[str, Any], field: str
) -> None:
    make_citizen()
    with pytest.raises(ValidationError) as caught:
        services.register_citizen(**_citizen(**changes))
    assert list(_codes(caught)) == [field]  # one clear message, not one per column
    assert User.objects.count() == 1


def test_register_citizen_reports_a_staff_login_name_equal_to_the_number_as_the_number_taken() -> None:
    make_staff("001099012345")
    with pytest.raises(ValidationError) as caught:
        services.register_citizen(**_citizen())
    assert _codes(caught) == {"personal_id": ["unique"]}


def test_register_citizen_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        services.register_citizen(**_citizen(date_of_birth=dt.date(1998, 1, 1), phone="12", password="123"))
    assert {"personal_id", "phone", "password"} <= set(_codes(caught))


# Businesses


def test_register_business_with_a_tax_code() -> None:
    user = services.register_business(
        tax_code="0100 112 437",
        organisation_name="Ngân hàng TMCP Ngoại thương Việt Nam",
        full_name="Trần Văn Minh",
        email="lienhe@example.vn",
        password=PASSWORD,
    )
    assert (user.kind, user.tax_code, user.username) == (UserKind.BUSINESS, "0100112437", "mst-0100112437")
    branch = services.register_business(
        tax_code="0100112437-001", organisation_name="Chi nhánh Hà Nội", phone="02438251234", password=PASSWORD
    )
    assert branch.tax_code == "0100112437-001"


def test_a_household_business_may_share_its_owners_personal_number() -> None:
    owner = make_citizen()
    business = services.register_business(
        tax_code=owner.personal_id or "", organisation_name="Hộ kinh doanh Lan", phone="0987654321", password=PASSWORD
    )
    assert business.tax_code == owner.personal_id


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"tax_code": "0100112438"}, "tax_code", "tax_code_check_digit"),
        ({"tax_code": "01001124"}, "tax_code", "tax_code_format"),
        ({"tax_code": ""}, "tax_code", "tax_code_required"),
        ({"organisation_name": " "}, "organisation_name", "required"),
        ({"email": "", "phone": ""}, "email", "contact_required"),
    ],
)
def test_register_business_refuses_bad_input(changes: dict[str, Any], field: str, code: str) -> None:
    values = {"tax_code": "0100112437", "organisation_name": "Công ty A", "email": "a@example.vn"} | changes
    with pytest.raises(ValidationError) as caught:
        services.register_business(password=PASSWORD, **values)
    assert code in _codes(caught)[field]
    assert not User.objects.exists()


def test_register_business_refuses_a_tax_code_already_registered() -> None:
    services.register_business(tax_code="0100112437", organisation_name="A", email="a@example.vn", password=PASSWORD)
    with pytest.raises(ValidationError) as caught:
        services.register_business(
            tax_code="0100112437", organisation_name="B", email="b@example.vn", password=PASSWORD
        )
    assert _codes(caught) == {"tax_code": ["unique"]}


# Staff, memberships and roles


def test_create_staff() -> None:
    user = services.create_staff(
        username="tiepnhan", full_name="Nguyễn Thị Lan", email="Lan@UBND.gov.vn", password=PASSWORD
    )
    assert (user.kind, user.email, user.is_staff) == (UserKind.STAFF, "lan@ubnd.gov.vn", False)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"username": "tiepnhan"}, "username", "unique"),
        ({"username": "tiếp nhận!"}, "username", "invalid"),
        ({"email": ""}, "email", "required"),
        ({"email": "TIEPNHAN@example.gov.vn"}, "email", "unique"),
        ({"full_name": ""}, "full_name", "required"),
    ],
)
def test_create_staff_refuses_bad_input(changes: dict[str, Any], field: str, code: str) -> None:
    make_staff("tiepnhan")
    values = {"username": "chuyenvien", "full_name": "Trần Văn Minh", "email": "minh@example.gov.vn"} | changes
    with pytest.raises(ValidationError) as caught:
        services.create_staff(password=PASSWORD, **values)
    assert code in _codes(caught)[field]
    assert User.objects.count() == 1


def test_add_membership_and_grant_roles(tree: Tree) -> None:
    user = make_staff("canbo")
    membership = services.add_membership(user=user, agency=tree.c1_centre, position="  Chuyên viên  ")
    services.grant_role(user=user, agency=tree.c1_centre, role=StaffRoleName.RECEIVING_OFFICER)
    services.grant_role(user=user, agency=tree.c1_centre, role="specialist")

    assert membership.position == "Chuyên viên"
    assert set(membership.roles.values_list("role", flat=True)) == {"receiving_officer", "specialist"}


def test_an_inspector_names_a_jurisdiction(tree: Tree) -> None:
    user = make_staff("thanhtra")
    services.add_membership(user=user, agency=tree.p_department)
    role = services.grant_role(user=user, agency=tree.p_department, role=StaffRoleName.INSPECTOR, jurisdiction=tree.p)
    assert role.jurisdiction == tree.p


def test_only_staff_accounts_belong_to_agencies(tree: Tree) -> None:
    citizen = make_citizen()
    with pytest.raises(ValidationError) as caught:
        services.add_membership(user=citizen, agency=tree.c1)
    assert _codes(caught) == {"user": ["not_staff"]}
    with pytest.raises(ValidationError) as caught:
        services.grant_role(user=citizen, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    assert _codes(caught) == {"user": ["not_staff"]}
    assert not StaffMembership.objects.exists()


def test_a_deactivated_account_gets_no_membership_or_role(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    user.is_active = False
    user.save()
    for call in (
        lambda: services.add_membership(user=user, agency=tree.c2),
        lambda: services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST),
        lambda: services.reactivate_membership(user=user, agency=tree.c1),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert _codes(caught) == {"user": ["inactive_user"]}
    assert StaffMembership.objects.count() == 1
    assert not StaffRole.objects.exists()


def test_add_membership_refuses_a_second_membership_of_the_same_agency(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    with pytest.raises(ValidationError) as caught:
        services.add_membership(user=user, agency=tree.c1)
    assert _codes(caught) == {"agency": ["already_member"]}
    services.deactivate_membership(user=user, agency=tree.c1)
    with pytest.raises(ValidationError) as caught:
        services.add_membership(user=user, agency=tree.c1)
    assert "reactivate" in caught.value.messages[0]


def test_grant_role_refuses_an_agency_the_person_does_not_belong_to(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(user=user, agency=tree.c2, role=StaffRoleName.SPECIALIST)
    assert _codes(caught) == {"agency": ["not_member"]}
    assert tree.c2.name in caught.value.messages[0]
    assert not StaffRole.objects.exists()


def test_grant_role_refuses_an_inactive_membership(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    services.deactivate_membership(user=user, agency=tree.c1)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    assert _codes(caught) == {"agency": ["membership_inactive"]}
    assert not StaffRole.objects.exists()


@pytest.mark.parametrize("role", [name for name in StaffRoleName if name != StaffRoleName.INSPECTOR])
def test_grant_role_refuses_a_jurisdiction_for_anyone_but_an_inspector(tree: Tree, role: StaffRoleName) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(user=user, agency=tree.c1, role=role, jurisdiction=tree.p)
    assert _codes(caught) == {"jurisdiction": ["jurisdiction_not_inspector"]}
    assert not StaffRole.objects.exists()


def test_grant_role_refuses_an_unknown_role_and_a_role_already_held(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(user=user, agency=tree.c1, role="mayor")
    assert _codes(caught) == {"role": ["unknown_role"]}
    services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    with pytest.raises(ValidationError) as caught:
        services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    assert _codes(caught) == {"role": ["already_held"]}
    assert StaffRole.objects.count() == 1


def test_revoke_role(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    services.revoke_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    assert not StaffRole.objects.exists()

    with pytest.raises(ValidationError) as caught:
        services.revoke_role(user=user, agency=tree.c1, role=StaffRoleName.SPECIALIST)
    assert _codes(caught) == {"role": ["not_held"]}
    with pytest.raises(ValidationError) as caught:
        services.revoke_role(user=user, agency=tree.c2, role=StaffRoleName.SPECIALIST)
    assert _codes(caught) == {"agency": ["not_member"]}


def test_deactivating_keeps_the_roles_on_record_and_reactivating_restores_them(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.AGENCY_LEADER)

    membership = services.deactivate_membership(user=user, agency=tree.c1)
    assert not membership.is_active
    assert membership.roles.count() == 1
    assert services.deactivate_membership(user=user, agency=tree.c1).is_active is False  # twice is harmless

    assert services.reactivate_membership(user=user, agency=tree.c1).is_active
    with pytest.raises(ValidationError) as caught:
        services.deactivate_membership(user=user, agency=tree.c2)
    assert _codes(caught) == {"agency": ["not_member"]}
