"""Reads over the tree, each with its number of queries pinned: none grows with the tree."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from motcua.agencies import queries, services
from motcua.agencies.divisions import load_divisions
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.agencies.tests.factories import Tree, build_tree
from motcua.core.vietnamese import sort_key

if TYPE_CHECKING:
    from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> Tree:
    return build_tree()


def _names(agencies: object) -> list[str]:
    return [agency.name for agency in agencies]  # type: ignore[attr-defined]


def test_ancestors_come_root_first_in_one_query(tree: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        ancestors = list(queries.get_ancestors(tree.c1_counter))
    assert ancestors == [tree.p, tree.c1, tree.c1_centre, tree.c1_point]


def test_a_root_has_no_ancestors_and_costs_no_query(
    tree: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        assert list(queries.get_ancestors(tree.p)) == []


def test_descendants_at_every_depth_in_one_query(tree: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        below = list(queries.get_descendants(tree.c1))
    assert set(below) == {tree.c1_centre, tree.c1_point, tree.c1_counter, tree.c1_department}
    assert [agency.depth for agency in below] == sorted(agency.depth for agency in below)

    with django_assert_num_queries(1):
        with_self = list(queries.get_descendants(tree.c1, include_self=True))
    assert with_self[0] == tree.c1
    assert set(with_self[1:]) == set(below)

    assert list(queries.get_descendants(tree.c1_counter)) == []


def test_children_by_name(tree: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        children = list(queries.list_children(tree.p))
    expected = sorted([tree.p_centre, tree.p_department, tree.c1, tree.c2], key=lambda agency: sort_key(agency.name))
    assert children == expected
    assert set(queries.list_children(None)) == {tree.p, tree.q, tree.m}


def test_subtree_ids_are_the_jurisdiction(tree: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        ids = queries.get_subtree_ids([tree.c1])
    assert set(ids) == {tree.c1.pk, tree.c1_centre.pk, tree.c1_point.pk, tree.c1_counter.pk, tree.c1_department.pk}

    with django_assert_num_queries(1):
        ids = queries.get_subtree_ids([tree.c2, tree.q])
    assert set(ids) == {tree.c2.pk, tree.c2_centre.pk, tree.q.pk, tree.q1.pk, tree.q1_centre.pk}

    with django_assert_num_queries(0):
        assert queries.get_subtree_ids([]) == []


def test_subtree_ids_on_a_date_leave_out_closed_units(tree: Tree) -> None:
    services.close_agency(agency=tree.c1_point, effective_to=dt.date(2025, 6, 30), successor=tree.c1_centre)

    on_july = set(queries.get_subtree_ids([tree.c1], on=dt.date(2025, 7, 1)))
    on_june = set(queries.get_subtree_ids([tree.c1], on=dt.date(2025, 6, 30)))

    assert tree.c1_point.pk in on_june
    assert tree.c1_point.pk not in on_july
    # Only the closed unit itself goes; its counter has its own dates.
    assert on_june - on_july == {tree.c1_point.pk}


def test_one_stop_units_cover_the_whole_province(tree: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    # Reception is boundary-free inside a province (Decree 118/2025 Art. 14.2): the units
    # of every commune count, not those of another province or of a ministry.
    with django_assert_num_queries(1):
        units = list(queries.list_one_stop_units(tree.p))
        parents = [unit.parent for unit in units]
    assert set(units) == {tree.p_centre, tree.c1_centre, tree.c1_point, tree.c1_counter, tree.c2_centre}
    assert units[0] == tree.p_centre
    assert tree.c1_centre in parents


def test_province_of_any_unit(tree: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(1):
        assert queries.get_province_of(tree.c1_counter) == tree.p
    with django_assert_num_queries(0):
        assert queries.get_province_of(tree.q) == tree.q
    assert queries.get_province_of(tree.m_reception) is None
    assert queries.get_province_of(tree.m) is None


@pytest.fixture
def coded(tree: Tree) -> Tree:
    # P held one code until the 2025 reorganisation and another since; C1 one code throughout.
    services.assign_identifier_code(agency=tree.p, code="000.00.00.H27", valid_from=dt.date(2020, 1, 1))
    services.assign_identifier_code(agency=tree.p, code="000.00.00.H25", valid_from=dt.date(2025, 7, 1))
    services.assign_identifier_code(agency=tree.c1, code="000.01.25.H25", valid_from=None)
    return tree


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2019, 12, 31), None),  # before its first code
        (dt.date(2020, 1, 1), "000.00.00.H27"),
        (dt.date(2025, 6, 30), "000.00.00.H27"),  # the day the first code ended
        (dt.date(2025, 7, 1), "000.00.00.H25"),
    ],
)
def test_current_code_on_a_date(
    coded: Tree, on: dt.date, expected: str | None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        assert queries.current_code(coded.p, on=on) == expected


def test_codes_of_many_agencies_in_one_query(coded: Tree, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    everyone = list(Agency.objects.all())
    with django_assert_num_queries(1):
        codes = queries.get_current_codes(everyone, on=dt.date(2025, 7, 1))
    assert codes == {coded.p.pk: "000.00.00.H25", coded.c1.pk: "000.01.25.H25"}

    with django_assert_num_queries(1):
        annotated = dict(Agency.objects.with_current_code(dt.date(2024, 1, 1)).values_list("pk", "current_code"))  # type: ignore[misc]
    assert annotated[coded.p.pk] == "000.00.00.H27"
    assert annotated[coded.c1.pk] == "000.01.25.H25"
    assert annotated[coded.q.pk] is None


def test_query_counts_do_not_grow_with_a_whole_province(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    load_divisions(province_codes=["12"])
    province = Agency.objects.get(kind=AgencyKind.PROVINCE)
    commune_centre = Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE, depth=2).first()
    assert commune_centre is not None

    with django_assert_num_queries(1):
        assert len(queries.get_subtree_ids([province])) == 78
    with django_assert_num_queries(1):
        assert len(list(queries.list_one_stop_units(province))) == 39
    with django_assert_num_queries(1):
        assert len(list(queries.get_descendants(province))) == 77
    with django_assert_num_queries(1):
        assert queries.get_province_of(commune_centre) == province
    with django_assert_num_queries(1):
        assert _names(queries.get_ancestors(commune_centre))[0] == "Ủy ban nhân dân tỉnh Lai Châu"


def test_many_roots_give_the_same_subtrees_as_one_by_one(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    load_divisions(province_codes=["12", "11"])
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE, division_code__lt="03500"))
    centres = list(Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE, depth=2)[:5])
    roots = communes + centres  # well over the few roots looked up one by one; centres sit inside communes
    assert len(communes) > 10

    with django_assert_num_queries(1):
        together = set(queries.get_subtree_ids(roots))

    one_by_one = set().union(*(queries.get_subtree_ids([root]) for root in roots))
    assert together == one_by_one
    assert len(together) == 2 * len(communes) + sum(1 for centre in centres if centre.parent not in communes)


def test_is_within_needs_no_query(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    tree = build_tree()
    with django_assert_num_queries(0):
        assert tree.c1_counter.is_within(tree.p)
        assert tree.c1_counter.is_within(tree.c1_counter)
        assert not tree.c1_counter.is_within(tree.c2)
        assert not tree.p.is_within(tree.c1)


def test_agencies_are_listed_in_vietnamese_alphabetical_order() -> None:
    # Byte order would put "Âu Cơ" and "Đông Thành" after every plain letter; Vietnamese order is
    # a ă â b c d đ e … u ư v x y, and "phường" before "xã".
    province = services.create_agency(
        parent=None, name="Ủy ban nhân dân tỉnh Thử", kind=AgencyKind.PROVINCE, level=AgencyLevel.PROVINCE
    )
    for name in ("xã Đông Thành", "phường Việt Trì", "xã Dân Chủ", "phường Âu Cơ", "phường Bạch Hạc", "phường Ân Thi"):
        services.create_agency(
            parent=province, name=f"Ủy ban nhân dân {name}", kind=AgencyKind.COMMUNE, level=AgencyLevel.COMMUNE
        )
    assert [agency.name.removeprefix("Ủy ban nhân dân ") for agency in queries.list_children(province)] == [
        "phường Ân Thi", "phường Âu Cơ", "phường Bạch Hạc", "phường Việt Trì", "xã Dân Chủ", "xã Đông Thành",
    ]  # fmt: skip
    renamed = Agency.objects.get(name="Ủy ban nhân dân xã Đông Thành")
    services.update_agency(agency=renamed, name="Ủy ban nhân dân phường Ba Vì")
    assert [a.name for a in queries.list_children(province)][2] == "Ủy ban nhân dân phường Ba Vì"


def test_the_division_loader_gives_its_agencies_their_sort_keys() -> None:
    load_divisions(province_codes=["12"])
    province = Agency.objects.get(kind=AgencyKind.PROVINCE)
    names = [agency.name for agency in queries.list_children(province) if agency.kind == AgencyKind.COMMUNE]
    assert len(names) > 30 and names == sorted(names, key=sort_key)
