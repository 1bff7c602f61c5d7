"""The agency admin through the test client, as a superuser: the tree, search, and edits that keep paths right."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.agencies import services
from motcua.agencies.divisions import load_divisions
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.agencies.tests.factories import Tree, assert_paths_consistent, build_tree
from motcua.core.tests.admin_forms import admin_form_data as _form_data

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:agencies_agency_changelist"


@pytest.fixture
def tree() -> Tree:
    tree = build_tree()
    services.assign_identifier_code(agency=tree.c1, code="000.01.25.H25", valid_from=dt.date(2025, 7, 1))
    return tree


@pytest.fixture
def admin(client: Client, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_superuser(username="quantri", email="quantri@example.vn", password="x")
    client.force_login(user)
    return client


def _change_url(agency: Agency) -> str:
    return reverse("admin:agencies_agency_change", args=[agency.pk])


def _listed_names(response: Response) -> list[str]:
    return [agency.name for agency in response.context["cl"].result_list]


def test_the_list_shows_the_tree_in_order_with_indentation(admin: Client, tree: Tree) -> None:
    response = admin.get(reverse(CHANGELIST))

    assert response.status_code == 200
    names = _listed_names(response)
    # Each agency right after its parent, each subtree together.
    assert names.index(tree.c1.name) < names.index(tree.c1_centre.name) < names.index(tree.c1_point.name)
    assert names.index(tree.c1_point.name) + 1 == names.index(tree.c1_counter.name)
    assert names.index(tree.q.name) + 1 == names.index(tree.q1.name)
    assert 'style="padding-left: 6.0em"' in response.content.decode()  # the counter, four levels down
    assert "000.01.25.H25" in response.content.decode()


def test_the_list_costs_the_same_queries_whatever_the_size_of_the_tree(admin: Client, tree: Tree) -> None:
    url = reverse(CHANGELIST)
    admin.get(url)
    with CaptureQueriesContext(connection) as small:
        admin.get(url)
    load_divisions(province_codes=["11"])
    with CaptureQueriesContext(connection) as large:
        response = admin.get(url)

    assert response.context["cl"].result_count == 15 + 2 + 2 * 45
    assert len(large.captured_queries) == len(small.captured_queries) <= 10


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("viet tri", {"c1", "c1_centre"}),  # no diacritics
        ("Việt Trì", {"c1", "c1_centre"}),  # with them
        ("TRUNG TAM viet", {"c1_centre"}),  # every word must match
        ("07900", {"c1"}),  # division code
        ("000.01.25.h25", {"c1"}),  # identifier code, any case
    ],
)
def test_search_ignores_diacritics_and_finds_codes(admin: Client, tree: Tree, term: str, expected: set[str]) -> None:
    response = admin.get(reverse(CHANGELIST), {"q": term})
    assert set(_listed_names(response)) == {getattr(tree, name).name for name in expected}


def test_the_within_filter_lists_one_subtree(admin: Client, tree: Tree) -> None:
    response = admin.get(reverse(CHANGELIST), {"within": tree.c1_centre.pk})
    assert set(_listed_names(response)) == {tree.c1_centre.name, tree.c1_point.name, tree.c1_counter.name}

    response = admin.get(reverse(CHANGELIST), {"within": "not-a-number"})
    assert response.status_code == 200
    assert _listed_names(response) == []


def test_the_parent_autocomplete_searches_without_diacritics(admin: Client, tree: Tree) -> None:
    response = admin.get(
        reverse("admin:autocomplete"),
        {"app_label": "agencies", "model_name": "agency", "field_name": "parent", "term": "hy cuong"},
    )
    assert response.status_code == 200
    assert {row["text"] for row in response.json()["results"]} == {tree.c2.name, tree.c2_centre.name}


def test_the_change_page_shows_the_place_in_the_tree_and_the_codes(admin: Client, tree: Tree) -> None:
    response = admin.get(_change_url(tree.c1))
    content = response.content.decode()
    assert response.status_code == 200
    assert f"{tree.p.name} › {tree.c1.name}" in content
    assert "000.01.25.H25" in content


def test_adding_an_agency_puts_it_under_its_parent_with_its_code(admin: Client, tree: Tree) -> None:
    page = admin.get(reverse("admin:agencies_agency_add"))
    data = _form_data(
        page,
        name="Quầy số 2",
        short_name="Quầy 2",
        kind=AgencyKind.COUNTER,
        level=AgencyLevel.COMMUNE,
        parent=tree.c1_point.pk,
        new_code="000.02.25.H25",
        new_code_valid_from="2025-07-01",
    )

    response = admin.post(reverse("admin:agencies_agency_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    counter = Agency.objects.get(name="Quầy số 2")
    assert counter.path == tree.c1_counter.path
    assert counter.depth == 4
    assert counter.search_text == "quay so 2 quay 2"
    assert list(counter.codes.values_list("code", "valid_from")) == [("000.02.25.H25", dt.date(2025, 7, 1))]


def test_changing_the_parent_moves_the_whole_subtree(admin: Client, tree: Tree) -> None:
    page = admin.get(_change_url(tree.c1))

    response = admin.post(_change_url(tree.c1), _form_data(page, parent=tree.q.pk, name="Ủy ban nhân dân phường Mới"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    moved = Agency.objects.get(pk=tree.c1.pk)
    assert (moved.parent, moved.name) == (tree.q, "Ủy ban nhân dân phường Mới")
    assert Agency.objects.get(pk=tree.c1_counter.pk).path.startswith(f"/{tree.q.pk}/{tree.c1.pk}/")
    assert_paths_consistent()


def test_a_cycle_is_a_form_error_and_nothing_changes(admin: Client, tree: Tree) -> None:
    before = list(Agency.objects.values_list("pk", "parent", "path", "name"))
    page = admin.get(_change_url(tree.c1))

    response = admin.post(_change_url(tree.c1), _form_data(page, parent=tree.c1_counter.pk, name="Đổi tên"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["parent"]] == ["cycle"]
    assert list(Agency.objects.values_list("pk", "parent", "path", "name")) == before


def test_a_division_code_on_a_department_is_a_form_error(admin: Client, tree: Tree) -> None:
    page = admin.get(_change_url(tree.p_department))

    response = admin.post(_change_url(tree.p_department), _form_data(page, division_code="99"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["division_code"]] == ["not_locality"]
    assert Agency.objects.get(pk=tree.p_department.pk).division_code == ""


@pytest.mark.parametrize(
    ("code", "valid_from", "field", "error_code"),
    [
        ("000.01.25.H25", "2026-01-01", "new_code", "duplicate"),  # held by C1 already
        ("00.00.00.H29", "2026-01-01", "new_code", "malformed_state_body"),
        ("000.09.25.H25", "", "new_code_valid_from", "overlap"),  # C1 has a current code: say when
    ],
)
def test_a_bad_new_code_is_a_form_error(
    admin: Client, tree: Tree, code: str, valid_from: str, field: str, error_code: str
) -> None:
    page = admin.get(_change_url(tree.c1))

    response = admin.post(_change_url(tree.c1), _form_data(page, new_code=code, new_code_valid_from=valid_from))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert error_code in [error.code for error in errors[field]]
    assert list(tree.c1.codes.values_list("code", flat=True)) == ["000.01.25.H25"]


def test_a_new_code_ends_the_current_one(admin: Client, tree: Tree) -> None:
    page = admin.get(_change_url(tree.c1))

    response = admin.post(
        _change_url(tree.c1), _form_data(page, new_code="000.09.25.H25", new_code_valid_from="2026-01-01")
    )

    assert response.status_code == 302
    assert list(tree.c1.codes.order_by("valid_from").values_list("code", "valid_to")) == [
        ("000.01.25.H25", dt.date(2025, 12, 31)),
        ("000.09.25.H25", None),
    ]
