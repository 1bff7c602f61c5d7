"""Agencies for tests, made through the services so that ``path`` is always right.

``AgencyFactory`` with traits for the usual kinds, and ``build_tree`` for a small fixed
tree (two provinces, their communes and one-stop units, a ministry) that the query,
service and admin tests share.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from factory.declarations import Sequence, Trait
from factory.django import DjangoModelFactory

from motcua.agencies import services
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel, DivisionType


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = Sequence(lambda n: f"Phòng thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    level = AgencyLevel.PROVINCE
    parent = None

    class Params:
        province = Trait(
            kind=AgencyKind.PROVINCE,
            level=AgencyLevel.PROVINCE,
            division_type=DivisionType.PROVINCE,
            division_code=Sequence(lambda n: f"{n % 100:02d}"),
            name=Sequence(lambda n: f"Ủy ban nhân dân tỉnh Thử Nghiệm {n}"),
        )
        commune = Trait(
            kind=AgencyKind.COMMUNE,
            level=AgencyLevel.COMMUNE,
            division_type=DivisionType.COMMUNE,
            division_code=Sequence(lambda n: f"{n:05d}"),
            name=Sequence(lambda n: f"Ủy ban nhân dân xã Thử Nghiệm {n}"),
        )
        service_centre = Trait(
            kind=AgencyKind.SERVICE_CENTRE, name=Sequence(lambda n: f"Trung tâm Phục vụ hành chính công {n}")
        )
        ministry = Trait(
            kind=AgencyKind.MINISTRY, level=AgencyLevel.CENTRAL, name=Sequence(lambda n: f"Bộ Thử Nghiệm {n}")
        )

    @classmethod
    def _create(cls, model_class: type[Agency], *args: Any, **kwargs: Any) -> Agency:
        parent = kwargs.pop("parent", None)
        return services.create_agency(parent=parent, **kwargs)


@dataclasses.dataclass
class Tree:
    """Phú Thọ-like province P with communes C1, C2; province Q with commune Q1; ministry M.

    P
    ├── P centre
    ├── P department
    ├── C1 ── C1 centre ── C1 reception point ── C1 counter
    │   └── C1 department
    └── C2 ── C2 centre
    Q ── Q1 ── Q1 centre
    M ── M reception unit
    """

    p: Agency
    p_centre: Agency
    p_department: Agency
    c1: Agency
    c1_centre: Agency
    c1_point: Agency
    c1_counter: Agency
    c1_department: Agency
    c2: Agency
    c2_centre: Agency
    q: Agency
    q1: Agency
    q1_centre: Agency
    m: Agency
    m_reception: Agency


def build_tree() -> Tree:
    def make(name: str, parent: Agency | None, kind: AgencyKind, level: AgencyLevel, code: str = "") -> Agency:
        division_type = {
            AgencyKind.PROVINCE: DivisionType.PROVINCE,
            AgencyKind.COMMUNE: DivisionType.WARD,
        }.get(kind, DivisionType.NONE)
        return services.create_agency(
            parent=parent, name=name, kind=kind, level=level, division_type=division_type, division_code=code
        )

    province, commune = AgencyLevel.PROVINCE, AgencyLevel.COMMUNE
    p = make("Ủy ban nhân dân tỉnh Phú Thọ", None, AgencyKind.PROVINCE, province, "25")
    p_centre = make("Trung tâm Phục vụ hành chính công tỉnh Phú Thọ", p, AgencyKind.SERVICE_CENTRE, province)
    p_department = make("Sở Tư pháp", p, AgencyKind.DEPARTMENT, province)
    c1 = make("Ủy ban nhân dân phường Việt Trì", p, AgencyKind.COMMUNE, commune, "07900")
    c1_centre = make("Trung tâm Phục vụ hành chính công phường Việt Trì", c1, AgencyKind.SERVICE_CENTRE, commune)
    c1_point = make("Điểm tiếp nhận số 2", c1_centre, AgencyKind.RECEPTION_POINT, commune)
    c1_counter = make("Quầy số 1", c1_point, AgencyKind.COUNTER, commune)
    c1_department = make("Phòng Kinh tế", c1, AgencyKind.DEPARTMENT, commune)
    c2 = make("Ủy ban nhân dân xã Hy Cương", p, AgencyKind.COMMUNE, commune, "08515")
    c2_centre = make("Trung tâm Phục vụ hành chính công xã Hy Cương", c2, AgencyKind.SERVICE_CENTRE, commune)
    q = make("Ủy ban nhân dân tỉnh Lai Châu", None, AgencyKind.PROVINCE, province, "12")
    q1 = make("Ủy ban nhân dân phường Tân Phong", q, AgencyKind.COMMUNE, commune, "03408")
    q1_centre = make("Trung tâm Phục vụ hành chính công phường Tân Phong", q1, AgencyKind.SERVICE_CENTRE, commune)
    m = make("Bộ Tư pháp", None, AgencyKind.MINISTRY, AgencyLevel.CENTRAL)
    m_reception = make("Bộ phận Một cửa Bộ Tư pháp", m, AgencyKind.RECEPTION_UNIT, AgencyLevel.CENTRAL)
    return Tree(
        p=p,
        p_centre=p_centre,
        p_department=p_department,
        c1=c1,
        c1_centre=c1_centre,
        c1_point=c1_point,
        c1_counter=c1_counter,
        c1_department=c1_department,
        c2=c2,
        c2_centre=c2_centre,
        q=q,
        q1=q1,
        q1_centre=q1_centre,
        m=m,
        m_reception=m_reception,
    )


def assert_paths_consistent() -> None:
    """Every agency's stored path and depth agree with its chain of parents."""
    rows = {
        pk: (parent_id, path, depth)
        for pk, parent_id, path, depth in Agency.objects.values_list("pk", "parent_id", "path", "depth")
    }
    for pk, (parent_id, path, depth) in rows.items():
        chain: list[int] = []
        current: int | None = parent_id
        while current is not None:
            chain.insert(0, current)
            current = rows[current][0]
        expected = "/" + "".join(f"{ancestor}/" for ancestor in chain)
        assert (path, depth) == (expected, len(chain)), f"agency {pk}: {(path, depth)} != {(expected, len(chain))}"
