"""Loading the administrative divisions from vietnam-provinces: names, tree, idempotence, the command."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from vietnam_provinces import Ward

from motcua.agencies import queries, services
from motcua.agencies.divisions import load_divisions, read_divisions
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel, DivisionType
from motcua.agencies.tests.factories import assert_paths_consistent

pytestmark = pytest.mark.django_db

LAI_CHAU = "12"  # the smallest province: 38 communes
LAI_CHAU_COMMUNES = sum(1 for ward in Ward.iter_all() if ward.province_code.value == 12)
DIEN_BIEN = "11"


def test_one_province_becomes_its_committee_and_centre_and_those_of_every_commune() -> None:
    report = load_divisions(province_codes=[LAI_CHAU])

    assert LAI_CHAU_COMMUNES == 38
    assert Agency.objects.count() == 2 + 2 * LAI_CHAU_COMMUNES
    assert (report.created, report.updated, report.unchanged) == (78, 0, 0)
    province = Agency.objects.get(kind=AgencyKind.PROVINCE)
    assert (province.name, province.short_name) == ("Ủy ban nhân dân tỉnh Lai Châu", "UBND tỉnh Lai Châu")
    assert (province.level, province.division_type, province.division_code) == (
        AgencyLevel.PROVINCE,
        DivisionType.PROVINCE,
        "12",
    )
    assert province.parent is None
    centre = Agency.objects.get(parent=province, kind=AgencyKind.SERVICE_CENTRE)
    assert centre.name == "Trung tâm Phục vụ hành chính công tỉnh Lai Châu"
    assert centre.level == AgencyLevel.PROVINCE
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE, parent=province).count() == 38
    assert Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE, parent__kind=AgencyKind.COMMUNE).count() == 38
    assert_paths_consistent()


def test_communes_are_named_with_their_kind_in_lower_case_and_a_five_digit_code() -> None:
    load_divisions(province_codes=[LAI_CHAU])

    ward = Agency.objects.get(kind=AgencyKind.COMMUNE, division_code="03408")
    assert ward.name == "Ủy ban nhân dân phường Tân Phong"
    assert ward.short_name == "UBND phường Tân Phong"
    assert (ward.level, ward.division_type) == (AgencyLevel.COMMUNE, DivisionType.WARD)
    assert ward.depth == 1
    centre = Agency.objects.get(parent=ward)
    assert (centre.name, centre.kind, centre.depth) == (
        "Trung tâm Phục vụ hành chính công phường Tân Phong",
        AgencyKind.SERVICE_CENTRE,
        2,
    )
    assert centre.search_text == "trung tam phuc vu hanh chinh cong phuong tan phong ttpvhcc phuong tan phong"
    assert Counter(Agency.objects.filter(kind=AgencyKind.COMMUNE).values_list("division_type", flat=True)) == {
        DivisionType.WARD: 2,
        DivisionType.COMMUNE: 36,
    }


def test_a_centrally_run_city_is_called_thanh_pho() -> None:
    provinces, _communes = read_divisions(["1", "48"])
    assert [(p.code, p.division_type, p.unit_name) for p in provinces] == [
        ("01", DivisionType.CENTRAL_CITY, "thành phố Hà Nội"),
        ("48", DivisionType.CENTRAL_CITY, "thành phố Đà Nẵng"),
    ]


def test_a_special_zone_keeps_its_kind() -> None:
    _provinces, communes = read_divisions(["79"])
    con_dao = next(commune for commune in communes if commune.name == "Đặc khu Côn Đảo")
    assert (con_dao.division_type, con_dao.unit_name) == (DivisionType.SPECIAL_ZONE, "đặc khu Côn Đảo")


def test_a_second_run_creates_nothing() -> None:
    load_divisions(province_codes=[LAI_CHAU])
    before = list(Agency.objects.values_list("pk", "name", "path", "updated_at"))

    report = load_divisions(province_codes=[LAI_CHAU])

    assert (report.created, report.updated, report.unchanged) == (0, 0, 78)
    assert list(Agency.objects.values_list("pk", "name", "path", "updated_at")) == before


def test_a_rerun_restores_names_the_package_has_and_leaves_other_agencies_alone() -> None:
    load_divisions(province_codes=[LAI_CHAU])
    ward = Agency.objects.get(kind=AgencyKind.COMMUNE, division_code="03408")
    # As if the package had renamed the commune since the first load.
    Agency.objects.filter(pk=ward.pk).update(name="Ủy ban nhân dân phường Cũ", search_text="cu")
    department = services.create_agency(
        parent=ward, name="Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", kind=AgencyKind.DEPARTMENT, level="commune"
    )

    report = load_divisions(province_codes=[LAI_CHAU])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 77)
    ward.refresh_from_db()
    assert ward.name == "Ủy ban nhân dân phường Tân Phong"
    assert ward.search_text == "uy ban nhan dan phuong tan phong ubnd phuong tan phong"
    assert Agency.objects.filter(pk=department.pk).exists()
    assert Agency.objects.count() == 79


def test_a_commune_the_package_puts_in_another_province_is_moved_back_with_its_units() -> None:
    load_divisions(province_codes=[LAI_CHAU, DIEN_BIEN])
    lai_chau = Agency.objects.get(kind=AgencyKind.PROVINCE, division_code=LAI_CHAU)
    dien_bien = Agency.objects.get(kind=AgencyKind.PROVINCE, division_code=DIEN_BIEN)
    ward = Agency.objects.get(kind=AgencyKind.COMMUNE, division_code="03408")
    services.move_agency(agency=ward, new_parent=dien_bien)

    report = load_divisions(province_codes=[LAI_CHAU, DIEN_BIEN])

    assert report.created == 0
    assert report.updated == 1
    assert Agency.objects.get(pk=ward.pk).parent == lai_chau
    assert queries.get_province_of(Agency.objects.get(parent=ward)) == lai_chau
    assert_paths_consistent()


def test_an_unknown_province_code_is_refused_and_nothing_is_loaded() -> None:
    with pytest.raises(CommandError, match="99"):
        call_command("load_divisions", province=["12", "99"], verbosity=0)
    assert not Agency.objects.exists()


def test_the_command_prints_counts_and_is_silent_at_verbosity_zero() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_divisions", province=["12"], stdout=out, stderr=err)
    assert "78 created, 0 updated, 0 unchanged" in out.getvalue()

    out, err = io.StringIO(), io.StringIO()
    call_command("load_divisions", "--province", "12", verbosity=0, stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == ("", "")


@pytest.mark.slow
def test_the_full_load_gives_every_province_and_commune_once() -> None:
    report = load_divisions()

    kinds = Counter(Agency.objects.values_list("kind", flat=True))
    assert kinds == {AgencyKind.PROVINCE: 34, AgencyKind.COMMUNE: 3321, AgencyKind.SERVICE_CENTRE: 34 + 3321}
    assert report.created == 2 * (34 + 3321)
    types = Counter(Agency.objects.exclude(division_type="").values_list("division_type", flat=True))
    assert types == {
        DivisionType.CENTRAL_CITY: 6,
        DivisionType.PROVINCE: 28,
        DivisionType.COMMUNE: 2621,
        DivisionType.WARD: 687,
        DivisionType.SPECIAL_ZONE: 13,
    }
    assert_paths_consistent()
    provinces = list(Agency.objects.filter(kind=AgencyKind.PROVINCE))
    assert len(queries.get_subtree_ids(provinces)) == 2 * (34 + 3321)

    again = load_divisions()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2 * (34 + 3321))
