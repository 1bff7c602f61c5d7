"""The world the lifecycle benchmark runs in, made through the normal services (no test framework).

Like ``motcua.workflow.tests.factories.build_world``: a province with a ward (its one-stop
centre, its office, an electronic identifier code), a birth registration imported the way the
national records are (two required components, five working days at the counter and online,
free) and offered at the ward with a three-step internal process (appraisal 16 h by a
specialist, review 8 h by the department head, approval 8 h by the leader), one officer per
role and one citizen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from motcua.accounts import services as account_services
from motcua.accounts.models import StaffRoleName, User
from motcua.agencies import services as agency_services
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel, DivisionType
from motcua.catalog import services as catalog_services
from motcua.catalog.channels import Channel
from motcua.catalog.importer import import_procedure
from motcua.catalog.models import AgencyProcedure, Component, OnlineLevel, ProcedureVersion, Variant
from motcua.catalog.national_records import ParsedChannel, ParsedComponent, ParsedProcedure, ParsedResult
from motcua.catalog.processes import StepSpec
from motcua.catalog.time_limits import TimeLimit, TimeUnit

PASSWORD = "mat-khau-do-hieu-nang-2026"  # noqa: S105 - accounts of a throwaway database
IMPORTED_ON = dt.date(2025, 1, 2)
CODES_VALID_FROM = dt.date(2024, 1, 1)
TIME_LIMIT = TimeLimit(5, TimeUnit.WORKING_DAYS)
PROCEDURE_CODE = "1.001193"


@dataclasses.dataclass(frozen=True)
class World:
    province: Agency
    ward: Agency
    centre: Agency  # the ward's one-stop service centre: receives and returns
    office: Agency  # the ward's office: appraises and reviews
    version: ProcedureVersion
    variant: Variant
    offer: AgencyProcedure
    required_component_ids: tuple[int, ...]
    citizen: User
    receiving: User
    specialist: User
    head: User
    leader: User


def _channel(which: Channel) -> ParsedChannel:
    return ParsedChannel(
        channel=which,
        time_limit=TIME_LIMIT,
        time_limit_text=str(TIME_LIMIT),
        fees=(),
        fee_text="Miễn phí",
        description="",
    )


def _component(name: str, *, required: bool = True) -> ParsedComponent:
    return ParsedComponent(group="", name=name, form_name="", originals=1, copies=0, is_required=required)


def birth_registration() -> ParsedProcedure:
    return ParsedProcedure(
        code=PROCEDURE_CODE,
        name="Thủ tục đăng ký khai sinh",
        decision="163/QĐ-BTP",
        levels=("commune",),
        kind="TTHC được giao luật quy định chi tiết",
        sector="Hộ tịch",
        applicants=("Công dân Việt Nam",),
        competent_agency="",
        performing_agency="Ủy ban nhân dân cấp xã",
        delegated_agency="",
        coordinating_agency="",
        reception_address="",
        related_procedures="",
        steps="Nộp hồ sơ tại Trung tâm Phục vụ hành chính công.",
        requirements="",
        channels=(_channel(Channel.COUNTER), _channel(Channel.ONLINE)),
        components=(
            _component("Tờ khai đăng ký khai sinh"),
            _component("Giấy chứng sinh"),
            _component("Văn bản ủy quyền (nếu có)", required=False),
        ),
        results=(ParsedResult(name="Giấy khai sinh", code="KQ.G15.000031"),),
        legal_basis=(),
        source="bench",
        source_url="",
    )


def _agency(name: str, parent: Agency | None, kind: AgencyKind, level: AgencyLevel, code: str = "") -> Agency:
    division_type = {AgencyKind.PROVINCE: DivisionType.PROVINCE, AgencyKind.COMMUNE: DivisionType.WARD}.get(
        kind, DivisionType.NONE
    )
    return agency_services.create_agency(
        parent=parent, name=name, kind=kind, level=level, division_type=division_type, division_code=code
    )


def _officer(username: str, *, agency: Agency, role: StaffRoleName) -> User:
    user = account_services.create_staff(
        username=username, full_name=f"Cán bộ {username}", email=f"{username}@example.gov.vn", password=PASSWORD
    )
    account_services.add_membership(user=user, agency=agency, position=str(role.label))
    account_services.grant_role(user=user, agency=agency, role=role)
    return User.objects.get(pk=user.pk)


def build_world() -> World:
    province = _agency("Ủy ban nhân dân tỉnh Phú Thọ", None, AgencyKind.PROVINCE, AgencyLevel.PROVINCE, "25")
    ward = _agency("Ủy ban nhân dân phường Việt Trì", province, AgencyKind.COMMUNE, AgencyLevel.COMMUNE, "07900")
    centre = _agency(
        "Trung tâm Phục vụ hành chính công phường Việt Trì", ward, AgencyKind.SERVICE_CENTRE, AgencyLevel.COMMUNE
    )
    office = _agency("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", ward, AgencyKind.DEPARTMENT, AgencyLevel.COMMUNE)
    for agency, code in ((province, "000.00.00.H25"), (ward, "000.01.25.H25")):
        agency_services.assign_identifier_code(agency=agency, code=code, valid_from=CODES_VALID_FROM)
    import_procedure(birth_registration(), today=IMPORTED_ON)
    version = ProcedureVersion.objects.get(procedure__code=PROCEDURE_CODE, valid_to__isnull=True)
    offer = catalog_services.configure_procedure(
        agency=ward, procedure=version.procedure, online_level=OnlineLevel.FULL, offers_postal_return=True
    )
    catalog_services.save_process(
        agency_procedure=offer,
        variant_code="",
        name="Quy trình chung",
        steps=[
            StepSpec(1, "Thẩm định hồ sơ", office.pk, "specialist", 16, "working_hours"),
            StepSpec(2, "Xem xét, trình ký", office.pk, "department_head", 8, "working_hours"),
            StepSpec(3, "Phê duyệt", ward.pk, "agency_leader", 8, "working_hours"),
        ],
    )
    citizen = account_services.register_citizen(
        personal_id="001099012345",
        full_name="Nguyễn Thị Lan",
        date_of_birth=dt.date(1999, 3, 2),
        phone="0912345678",
        email="lan.nguyen@example.vn",
        password=PASSWORD,
    )
    return World(
        province=province,
        ward=ward,
        centre=centre,
        office=office,
        version=version,
        variant=version.variants.get(is_default=True),
        offer=offer,
        required_component_ids=tuple(
            Component.objects.filter(version=version, is_required=True)
            .order_by("position")
            .values_list("pk", flat=True)
        ),
        citizen=citizen,
        receiving=_officer("tiepnhan", agency=centre, role=StaffRoleName.RECEIVING_OFFICER),
        specialist=_officer("chuyenvien", agency=office, role=StaffRoleName.SPECIALIST),
        head=_officer("truongphong", agency=office, role=StaffRoleName.DEPARTMENT_HEAD),
        leader=_officer("lanhdao", agency=ward, role=StaffRoleName.AGENCY_LEADER),
    )
