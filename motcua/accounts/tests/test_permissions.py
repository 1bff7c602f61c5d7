"""Who may do what, where: the role × agency × capability matrix, written out by hand.

The roles are held in the commune C1 of the shared test tree (motcua.agencies.tests.factories),
so that every relation is there: its parent province P, its own department (a child), its
sister commune C2, and Q, another province.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts import services
from motcua.accounts.models import StaffMembership, StaffRoleName, User
from motcua.accounts.permissions import ROLE_GRANTS, Capability, agencies_where, can, capabilities_in, roles_of
from motcua.accounts.tests.factories import make_officer, make_staff
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory, Tree, build_tree

if TYPE_CHECKING:
    from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db

R, P, A, AP, AD, RD = (
    Capability.RECEIVE,
    Capability.PROCESS,
    Capability.ASSIGN,
    Capability.APPROVE,
    Capability.ADMINISTER,
    Capability.READ,
)
TARGETS = ("own", "parent", "child", "sibling", "other")

#: role → (what it may do, in which of the targets). Written from the rules in the brief,
#: not computed from permissions.ROLE_GRANTS, so that a change to the table shows here.
EXPECTED: dict[StaffRoleName, tuple[set[Capability], set[str]]] = {
    StaffRoleName.RECEIVING_OFFICER: ({R, RD}, {"own"}),
    StaffRoleName.SPECIALIST: ({P, RD}, {"own"}),
    StaffRoleName.DEPARTMENT_HEAD: ({P, A, RD}, {"own"}),
    StaffRoleName.AGENCY_LEADER: ({AP, A, RD}, {"own", "child"}),
    StaffRoleName.AGENCY_ADMIN: ({AD, RD}, {"own", "child"}),
    StaffRoleName.INSPECTOR: ({RD}, {"own", "child"}),  # no jurisdiction named: their own agency
    StaffRoleName.SYSTEM_ADMIN: (set(Capability), set(TARGETS)),
}


@pytest.fixture
def tree() -> Tree:
    return build_tree()


def _target(tree: Tree, name: str) -> Agency:
    return {"own": tree.c1, "parent": tree.p, "child": tree.c1_department, "sibling": tree.c2, "other": tree.q}[name]


def test_the_table_covers_every_role() -> None:
    assert set(ROLE_GRANTS) == set(StaffRoleName) == set(EXPECTED)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", list(StaffRoleName))
def test_matrix(tree: Tree, role: StaffRoleName, target: str) -> None:
    user = make_officer("canbo", agency=tree.c1, role=role)
    agency = _target(tree, target)
    capabilities, reach = EXPECTED[role]
    expected = capabilities if target in reach else set()

    assert {capability for capability in Capability if can(user, capability, agency)} == expected
    assert capabilities_in(user, agency) == expected
    # agencies_where agrees with can, capability by capability.
    for capability in Capability:
        assert agencies_where(user, capability).filter(pk=agency.pk).exists() == (capability in expected), capability


def test_an_inspector_over_a_province_reads_all_its_communes_and_nothing_else(tree: Tree) -> None:
    # Posted at the provincial Department of Justice, inspecting the whole province.
    inspector = make_officer("thanhtra", agency=tree.p_department, role=StaffRoleName.INSPECTOR, jurisdiction=tree.p)

    readable = set(agencies_where(inspector, Capability.READ))

    assert readable == set(Agency.objects.subtree_of([tree.p]))
    assert {tree.p, tree.c1, tree.c1_counter, tree.c2_centre, tree.p_department} <= readable
    assert not readable & {tree.q, tree.q1, tree.q1_centre, tree.m}
    assert can(inspector, Capability.READ, tree.c2_centre)
    assert not can(inspector, Capability.READ, tree.q1)
    assert not can(inspector, Capability.PROCESS, tree.c1)


def test_an_inspector_over_a_commune_does_not_read_the_province_above(tree: Tree) -> None:
    inspector = make_officer("thanhtra", agency=tree.p_department, role=StaffRoleName.INSPECTOR, jurisdiction=tree.c1)
    assert can(inspector, Capability.READ, tree.c1_counter)
    assert not can(inspector, Capability.READ, tree.p)
    # Their own agency is not in the jurisdiction they were given.
    assert not can(inspector, Capability.READ, tree.p_department)


def test_roles_in_several_agencies_add_up(tree: Tree) -> None:
    user = make_officer("canbo", agency=tree.c1_centre, role=StaffRoleName.RECEIVING_OFFICER)
    services.add_membership(user=user, agency=tree.q1, position="Biệt phái")
    services.grant_role(user=user, agency=tree.q1, role=StaffRoleName.AGENCY_LEADER)

    assert set(agencies_where(user, Capability.RECEIVE)) == {tree.c1_centre}
    assert set(agencies_where(user, Capability.APPROVE)) == {tree.q1, tree.q1_centre}
    assert set(agencies_where(user, Capability.READ)) == {tree.c1_centre, tree.q1, tree.q1_centre}


def test_a_system_administrator_reaches_every_agency(tree: Tree) -> None:
    admin = make_officer("quantri", agency=tree.c1, role=StaffRoleName.SYSTEM_ADMIN)
    assert agencies_where(admin, Capability.APPROVE).count() == Agency.objects.count()


def test_an_inactive_membership_grants_nothing(tree: Tree) -> None:
    user = make_officer("canbo", agency=tree.c1, role=StaffRoleName.AGENCY_LEADER)
    services.deactivate_membership(user=user, agency=tree.c1)
    user = User.objects.get(pk=user.pk)

    assert roles_of(user) == ()
    assert not can(user, Capability.READ, tree.c1)
    assert not agencies_where(user, Capability.READ).exists()

    services.reactivate_membership(user=user, agency=tree.c1)
    assert can(user, Capability.APPROVE, tree.c1_department)


def test_an_inactive_account_grants_nothing(tree: Tree) -> None:
    user = make_officer("canbo", agency=tree.c1, role=StaffRoleName.SYSTEM_ADMIN)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user = User.objects.get(pk=user.pk)

    assert not can(user, Capability.READ, tree.c1)
    assert not agencies_where(user, Capability.READ).exists()


def test_an_account_that_is_no_longer_staff_grants_nothing(tree: Tree) -> None:
    user = make_officer("canbo", agency=tree.c1, role=StaffRoleName.AGENCY_LEADER)
    User.objects.filter(pk=user.pk).update(kind="citizen")
    user = User.objects.get(pk=user.pk)
    assert not can(user, Capability.READ, tree.c1)


def test_an_anonymous_visitor_and_a_staff_member_without_roles_can_do_nothing(tree: Tree) -> None:
    bare = make_staff("moi")
    services.add_membership(user=bare, agency=tree.c1)
    for user in (AnonymousUser(), User.objects.get(pk=bare.pk)):
        assert not any(can(user, capability, tree.c1) for capability in Capability)
        assert not agencies_where(user, Capability.READ).exists()


def test_granting_a_role_is_seen_at_once_by_the_same_user_object(tree: Tree) -> None:
    user = make_staff("canbo")
    services.add_membership(user=user, agency=tree.c1)
    assert not can(user, Capability.RECEIVE, tree.c1)  # the (empty) roles are now kept on the object

    services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.RECEIVING_OFFICER)
    assert can(user, Capability.RECEIVE, tree.c1)

    services.revoke_role(user=user, agency=tree.c1, role=StaffRoleName.RECEIVING_OFFICER)
    assert not can(user, Capability.RECEIVE, tree.c1)


def test_agencies_where_reads_the_roles_once_and_filters_in_one_query(
    tree: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    user = make_officer("canbo", agency=tree.c1, role=StaffRoleName.AGENCY_LEADER)
    services.add_membership(user=user, agency=tree.p_department)
    services.grant_role(user=user, agency=tree.p_department, role=StaffRoleName.SPECIALIST)
    user = User.objects.get(pk=user.pk)

    with django_assert_num_queries(1):  # the roles; the queryset itself is lazy
        readable = agencies_where(user, Capability.READ)
    with django_assert_num_queries(1):
        assert set(readable) == {tree.c1, tree.c1_centre, tree.c1_point, tree.c1_counter, tree.c1_department} | {
            tree.p_department
        }
    with django_assert_num_queries(0):  # the roles are kept on the user object for the request
        agencies_where(user, Capability.APPROVE)
        assert can(user, Capability.APPROVE, tree.c1_counter)
        assert not can(user, Capability.APPROVE, tree.p_department)
    # Usable as a subquery: one query in all.
    with django_assert_num_queries(1):
        assert StaffMembership.objects.filter(agency__in=agencies_where(user, Capability.READ)).count() == 2


def test_agencies_where_stays_one_query_with_many_roles(
    tree: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # Twelve separate provinces: more roots than subtree_of looks up one by one in the path index.
    provinces = [AgencyFactory.create(province=True) for _ in range(12)]
    user = make_staff("thanhtra")
    for agency in provinces:
        services.add_membership(user=user, agency=agency)
        services.grant_role(user=user, agency=agency, role=StaffRoleName.INSPECTOR)
    services.add_membership(user=user, agency=tree.c1)
    services.grant_role(user=user, agency=tree.c1, role=StaffRoleName.INSPECTOR, jurisdiction=tree.p)
    user = User.objects.get(pk=user.pk)
    everything = set(provinces) | set(Agency.objects.subtree_of([tree.p]))

    with django_assert_num_queries(2):  # the roles, then the agencies
        assert set(agencies_where(user, Capability.READ)) == everything
