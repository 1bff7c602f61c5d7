"""The people pages of the Django admin, through the test client as a superuser.

Every refusal of the services shows as a form error on the page (status 200), nothing saved.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts import services
from motcua.accounts.models import StaffMembership, StaffRole, StaffRoleName, User, UserKind
from motcua.accounts.tests.factories import PASSWORD, make_citizen, make_officer, make_staff
from motcua.agencies.tests.factories import Tree, build_tree
from motcua.core.tests.admin_forms import admin_form_data as _form_data

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

USER_ADD = "admin:accounts_user_add"
MEMBERSHIP_ADD = "admin:accounts_staffmembership_add"


@pytest.fixture
def tree() -> Tree:
    return build_tree()


@pytest.fixture
def admin(client: Client) -> Client:
    user = User.objects.create_superuser(username="quantri", email="quantri@example.vn", password="x")
    client.force_login(user)
    return client


def _errors(response: Response) -> dict[str, list[str]]:
    return dict(response.context["adminform"].form.errors)


def _inline_errors(response: Response) -> list[dict[str, list[str]]]:
    return [dict(form.errors) for inline in response.context["inline_admin_formsets"] for form in inline.formset]


def _new_citizen(**changes: Any) -> dict[str, Any]:
    return {
        "username": "congdan",
        "kind": UserKind.CITIZEN,
        "full_name": "Nguyễn Thị Lan",
        "email": "Lan.Nguyen@Example.VN",
        "phone": "+84 912 345 678",
        "personal_id": "001 099 012 345",
        "date_of_birth": "1999-03-02",
        "tax_code": "",
        "organisation_name": "",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | changes


# Accounts


def test_adding_a_citizen_stores_the_identifiers_normalised(admin: Client) -> None:
    response = admin.post(reverse(USER_ADD), _new_citizen())

    assert response.status_code == 302, _errors(response)
    user = User.objects.get(username="congdan")
    assert (user.personal_id, user.phone, user.email) == ("001099012345", "0912345678", "lan.nguyen@example.vn")
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": "1998-03-02"}, "personal_id"),  # the number says 1999
        ({"personal_id": "003099012345"}, "personal_id"),  # no such province code
        ({"personal_id": ""}, "personal_id"),  # a citizen needs one
        ({"phone": "12345"}, "phone"),
        ({"kind": UserKind.BUSINESS, "tax_code": "0100112438"}, "tax_code"),  # check digit
        ({"kind": UserKind.BUSINESS, "tax_code": ""}, "tax_code"),
        ({"kind": UserKind.STAFF, "email": ""}, "email"),
    ],
)
def test_adding_an_account_with_bad_details_shows_form_errors(
    admin: Client, changes: dict[str, Any], field: str
) -> None:
    response = admin.post(reverse(USER_ADD), _new_citizen(**changes))

    assert response.status_code == 200
    assert field in _errors(response)
    assert not User.objects.filter(username="congdan").exists()


def test_an_identifier_already_used_is_a_form_error_however_it_is_typed(admin: Client) -> None:
    make_citizen("079203000001", born_on=dt.date(2003, 1, 1), phone="0912 345 678")
    response = admin.post(reverse(USER_ADD), _new_citizen(email="LAN.NGUYEN@example.vn"))

    assert response.status_code == 200
    assert set(_errors(response)) == {"email", "phone"}


def test_search_finds_a_personal_number_typed_with_spaces_and_filters_by_kind(admin: Client, tree: Tree) -> None:
    citizen = make_citizen()
    officer = make_staff("tiepnhan", full_name="Trần Văn Minh")
    changelist = reverse("admin:accounts_user_changelist")

    assert list(admin.get(changelist, {"q": "001 099 012"}).context["cl"].result_list) == [citizen]
    assert list(admin.get(changelist, {"q": "0912.345"}).context["cl"].result_list) == [citizen]
    assert list(admin.get(changelist, {"q": "Minh"}).context["cl"].result_list) == [officer]
    kinds = {user.kind for user in admin.get(changelist, {"kind__exact": "staff"}).context["cl"].result_list}
    assert kinds == {UserKind.STAFF}


def test_a_staff_members_page_lists_their_memberships_with_links(admin: Client, tree: Tree) -> None:
    officer = make_officer("tiepnhan", agency=tree.c1_centre, role=StaffRoleName.RECEIVING_OFFICER)
    membership = StaffMembership.objects.get(user=officer)

    response = admin.get(reverse("admin:accounts_user_change", args=[officer.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert tree.c1_centre.name in page
    assert str(StaffRoleName.RECEIVING_OFFICER.label) in page
    assert reverse("admin:accounts_staffmembership_change", args=[membership.pk]) in page
    assert reverse(MEMBERSHIP_ADD) + f"?user={officer.pk}" in page


def test_a_staff_members_page_saves_with_the_memberships_shown(admin: Client, tree: Tree) -> None:
    officer = make_officer("tiepnhan", agency=tree.c1_centre, role=StaffRoleName.RECEIVING_OFFICER)
    url = reverse("admin:accounts_user_change", args=[officer.pk])

    response = admin.post(url, _form_data(admin.get(url), full_name="Nguyễn Thị Lan Anh", phone="0912 000 111"))

    assert response.status_code == 302, _errors(response)
    officer.refresh_from_db()
    assert (officer.full_name, officer.phone) == ("Nguyễn Thị Lan Anh", "0912000111")
    assert StaffRole.objects.filter(membership__user=officer).count() == 1


def test_a_citizens_page_has_no_memberships(admin: Client) -> None:
    citizen = make_citizen()
    response = admin.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"] == []


def test_editing_a_citizen_checks_the_number_against_the_new_birth_date(admin: Client) -> None:
    citizen = make_citizen()
    url = reverse("admin:accounts_user_change", args=[citizen.pk])

    response = admin.post(url, _form_data(admin.get(url), date_of_birth="2001-01-01"))

    assert response.status_code == 200
    assert "personal_id" in _errors(response)
    assert User.objects.get(pk=citizen.pk).date_of_birth.year == 1999  # type: ignore[union-attr]


# Memberships and roles


def _new_membership(admin: Client, user: User, agency_pk: int, **changes: Any) -> dict[str, Any]:
    page = admin.get(reverse(MEMBERSHIP_ADD))
    return _form_data(page, user=user.pk, agency=agency_pk, position="Chuyên viên", is_active="on", **changes)


def test_adding_a_membership_with_roles(admin: Client, tree: Tree) -> None:
    officer = make_staff("thanhtra")
    data = _new_membership(
        admin, officer, tree.p_department.pk, **{"roles-0-role": "inspector", "roles-0-jurisdiction": tree.p.pk}
    )

    response = admin.post(reverse(MEMBERSHIP_ADD), data)

    assert response.status_code == 302, (_errors(response), _inline_errors(response))
    role = StaffRole.objects.get(membership__user=officer)
    assert (role.role, role.membership.agency, role.jurisdiction) == ("inspector", tree.p_department, tree.p)


def test_a_jurisdiction_on_a_role_that_is_not_an_inspectors_is_a_form_error(admin: Client, tree: Tree) -> None:
    officer = make_staff("chuyenvien")
    data = _new_membership(
        admin, officer, tree.c1.pk, **{"roles-0-role": "specialist", "roles-0-jurisdiction": tree.p.pk}
    )

    response = admin.post(reverse(MEMBERSHIP_ADD), data)

    assert response.status_code == 200
    assert "jurisdiction" in _inline_errors(response)[0]
    assert not StaffMembership.objects.exists()


def test_a_citizen_cannot_be_made_a_member_of_an_agency(admin: Client, tree: Tree) -> None:
    citizen = make_citizen()
    response = admin.post(reverse(MEMBERSHIP_ADD), _new_membership(admin, citizen, tree.c1.pk))

    assert response.status_code == 200
    assert "user" in _errors(response)
    assert not StaffMembership.objects.exists()


def test_a_second_membership_of_the_same_agency_is_a_form_error(admin: Client, tree: Tree) -> None:
    officer = make_officer("chuyenvien", agency=tree.c1, role=StaffRoleName.SPECIALIST)
    response = admin.post(reverse(MEMBERSHIP_ADD), _new_membership(admin, officer, tree.c1.pk))

    assert response.status_code == 200
    assert _errors(response)
    assert StaffMembership.objects.count() == 1


def test_deactivating_a_membership_keeps_its_roles_and_no_role_can_be_added_while_inactive(
    admin: Client, tree: Tree
) -> None:
    officer = make_officer("lanhdao", agency=tree.c1, role=StaffRoleName.AGENCY_LEADER)
    membership = StaffMembership.objects.get(user=officer)
    url = reverse("admin:accounts_staffmembership_change", args=[membership.pk])

    response = admin.post(url, _form_data(admin.get(url), is_active=""))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.roles.count() == 1

    response = admin.post(url, _form_data(admin.get(url), **{"roles-1-role": "specialist"}))
    assert response.status_code == 200
    assert any("membership" in " ".join(errors.get("__all__", [])) for errors in _inline_errors(response))
    assert membership.roles.count() == 1


def test_roles_can_be_changed_and_removed_inline(admin: Client, tree: Tree) -> None:
    officer = make_officer("chuyenvien", agency=tree.c1, role=StaffRoleName.SPECIALIST)
    membership = StaffMembership.objects.get(user=officer)
    url = reverse("admin:accounts_staffmembership_change", args=[membership.pk])

    response = admin.post(url, _form_data(admin.get(url), **{"roles-0-role": "department_head"}))
    assert response.status_code == 302
    assert list(membership.roles.values_list("role", flat=True)) == ["department_head"]

    response = admin.post(url, _form_data(admin.get(url), **{"roles-0-DELETE": "on"}))
    assert response.status_code == 302
    assert not membership.roles.exists()


def test_the_membership_list_costs_the_same_queries_for_more_rows(admin: Client, tree: Tree) -> None:
    changelist = reverse("admin:accounts_staffmembership_changelist")
    make_officer("a", agency=tree.c1, role=StaffRoleName.SPECIALIST)
    admin.get(changelist)
    with CaptureQueriesContext(connection) as few:
        admin.get(changelist)
    for index, agency in enumerate([tree.c2, tree.q1, tree.p_department, tree.c1_centre]):
        user = make_officer(f"b{index}", agency=agency, role=StaffRoleName.AGENCY_LEADER)
        services.grant_role(user=user, agency=agency, role=StaffRoleName.AGENCY_ADMIN)
    with CaptureQueriesContext(connection) as many:
        response = admin.get(changelist)

    assert response.context["cl"].result_count == 5
    assert len(many.captured_queries) == len(few.captured_queries)
