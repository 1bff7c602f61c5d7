"""Use cases on agencies: creating, moving subtrees, refusing cycles, closing, identifier codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies import services
from motcua.agencies.models import Agency, AgencyCode, AgencyKind, AgencyLevel
from motcua.agencies.tests.factories import AgencyFactory, assert_paths_consistent, build_tree

pytestmark = pytest.mark.django_db

JULY_2025 = dt.date(2025, 7, 1)


def _stored_paths() -> dict[int, tuple[str, int, int | None]]:
    return {
        pk: (path, depth, parent)
        for pk, path, depth, parent in Agency.objects.values_list("pk", "path", "depth", "parent")
    }


def test_create_agency_places_it_under_its_parent() -> None:
    province = services.create_agency(
        parent=None,
        name="Ủy ban nhân dân tỉnh Phú Thọ",
        short_name="UBND tỉnh",
        kind=AgencyKind.PROVINCE,
        level=AgencyLevel.PROVINCE,
    )
    department = services.create_agency(
        parent=province, name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT, level=AgencyLevel.PROVINCE
    )

    assert (province.path, province.depth) == ("/", 0)
    assert (department.path, department.depth) == (f"/{province.pk}/", 1)
    assert Agency.objects.get(pk=department.pk).parent == province
    assert province.search_text == "uy ban nhan dan tinh phu tho ubnd tinh"


def test_create_agency_refuses_a_division_code_on_a_department_and_writes_nothing() -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_agency(
            parent=None, name="Sở Y tế", kind=AgencyKind.DEPARTMENT, level=AgencyLevel.PROVINCE, division_code="25"
        )
    assert "division_code" in caught.value.message_dict
    assert not Agency.objects.exists()


def test_create_agency_refuses_a_duplicate_division_code() -> None:
    AgencyFactory.create(province=True, division_code="25")
    with pytest.raises(ValidationError):
        AgencyFactory.create(province=True, division_code="25")
    assert Agency.objects.count() == 1


def test_update_agency_renames_and_refreshes_the_search_text() -> None:
    agency = AgencyFactory.create(name="Sở Nội vụ")
    services.update_agency(agency=agency, name="Sở Đổi Tên", short_name="SĐT")
    stored = Agency.objects.get(pk=agency.pk)
    assert stored.name == "Sở Đổi Tên"
    assert stored.search_text == "so doi ten sdt"


def test_update_agency_refuses_the_agency_as_its_own_successor() -> None:
    agency = AgencyFactory.create()
    with pytest.raises(ValidationError) as caught:
        services.update_agency(agency=agency, successor=agency)
    assert "successor" in caught.value.message_dict


def test_moving_an_agency_rewrites_the_path_and_depth_of_its_whole_subtree() -> None:
    tree = build_tree()

    # Commune C1 with its centre, reception point and counter goes from province P to Q.
    services.move_agency(agency=tree.c1, new_parent=tree.q)

    counter = Agency.objects.get(pk=tree.c1_counter.pk)
    assert counter.path == f"/{tree.q.pk}/{tree.c1.pk}/{tree.c1_centre.pk}/{tree.c1_point.pk}/"
    assert counter.depth == 4
    assert Agency.objects.get(pk=tree.c1.pk).parent == tree.q
    assert_paths_consistent()


def test_moving_a_subtree_up_to_the_root_and_down_again_changes_depths() -> None:
    tree = build_tree()

    services.move_agency(agency=tree.c1_point, new_parent=None)
    assert Agency.objects.get(pk=tree.c1_point.pk).depth == 0
    assert Agency.objects.get(pk=tree.c1_counter.pk).path == f"/{tree.c1_point.pk}/"

    services.move_agency(agency=tree.c1_point, new_parent=tree.q1_centre)
    assert Agency.objects.get(pk=tree.c1_counter.pk).depth == 4
    assert_paths_consistent()


@pytest.mark.parametrize("target", ["c1", "c1_centre", "c1_counter"])
def test_a_move_under_itself_or_its_own_unit_is_refused_and_nothing_is_written(target: str) -> None:
    tree = build_tree()
    before = _stored_paths()

    with pytest.raises(ValidationError) as caught:
        services.move_agency(agency=tree.c1, new_parent=getattr(tree, target))

    assert caught.value.error_dict["parent"][0].code == "cycle"
    assert _stored_paths() == before


def test_close_agency_records_the_end_and_the_successor() -> None:
    tree = build_tree()

    services.close_agency(agency=tree.c2, effective_to=dt.date(2025, 6, 30), successor=tree.c1)

    closed = Agency.objects.get(pk=tree.c2.pk)
    assert closed.effective_to == dt.date(2025, 6, 30)
    assert closed.successor == tree.c1
    assert list(tree.c1.predecessors.all()) == [closed]
    assert closed in Agency.objects.effective(dt.date(2025, 6, 30))
    assert closed not in Agency.objects.effective(JULY_2025)


def test_close_agency_refuses_itself_as_successor_and_an_end_before_the_start() -> None:
    agency = AgencyFactory.create(effective_from=JULY_2025)

    with pytest.raises(ValidationError) as self_successor:
        services.close_agency(agency=agency, effective_to=dt.date(2025, 12, 31), successor=agency)
    assert "successor" in self_successor.value.message_dict

    with pytest.raises(ValidationError):
        services.close_agency(agency=agency, effective_to=dt.date(2025, 6, 30))
    assert Agency.objects.get(pk=agency.pk).effective_to is None


def test_assign_identifier_code_stores_it_normalised() -> None:
    agency = AgencyFactory.create()

    code = services.assign_identifier_code(agency=agency, code=" 000.00.00.h25 ", valid_from=JULY_2025)

    assert code.code == "000.00.00.H25"
    assert list(agency.codes.values_list("code", "valid_from", "valid_to")) == [("000.00.00.H25", JULY_2025, None)]


def test_a_second_current_code_ends_the_previous_one_the_day_before() -> None:
    agency = AgencyFactory.create()
    services.assign_identifier_code(agency=agency, code="000.00.00.H25", valid_from=dt.date(2020, 1, 1))

    services.assign_identifier_code(agency=agency, code="000.00.01.H25", valid_from=JULY_2025)

    assert list(agency.codes.order_by("valid_from").values_list("code", "valid_from", "valid_to")) == [
        ("000.00.00.H25", dt.date(2020, 1, 1), dt.date(2025, 6, 30)),
        ("000.00.01.H25", JULY_2025, None),
    ]


def test_a_code_held_by_any_agency_is_refused() -> None:
    first, second = AgencyFactory.create(), AgencyFactory.create()
    services.assign_identifier_code(agency=first, code="000.00.00.H25", valid_from=JULY_2025)

    with pytest.raises(ValidationError) as caught:
        services.assign_identifier_code(agency=second, code="000.00.00.h25", valid_from=JULY_2025)

    assert caught.value.error_dict["code"][0].code == "duplicate"
    assert "000.00.00.H25" in caught.value.messages[0]
    assert not second.codes.exists()


@pytest.mark.parametrize("code", ["00.00.00.H29", "000.00.00.H29.", "A" * 36, ""])
def test_a_malformed_code_is_refused_on_the_code_field(code: str) -> None:
    agency = AgencyFactory.create()
    with pytest.raises(ValidationError) as caught:
        services.assign_identifier_code(agency=agency, code=code, valid_from=JULY_2025)
    assert list(caught.value.message_dict) == ["code"]
    assert not AgencyCode.objects.exists()


@pytest.mark.parametrize("valid_from", [None, dt.date(2020, 1, 1), dt.date(2019, 12, 31)])
def test_a_new_code_must_start_after_the_current_one_and_nothing_changes_otherwise(valid_from: dt.date | None) -> None:
    agency = AgencyFactory.create()
    services.assign_identifier_code(agency=agency, code="000.00.00.H25", valid_from=dt.date(2020, 1, 1))

    with pytest.raises(ValidationError) as caught:
        services.assign_identifier_code(agency=agency, code="000.00.01.H25", valid_from=valid_from)

    assert caught.value.error_dict["valid_from"][0].code == "overlap"
    assert list(agency.codes.values_list("code", "valid_to")) == [("000.00.00.H25", None)]
