"""A small world for lifecycle tests, and dossiers at each point of their life (lifecycle traits).

``build_world`` makes a province with a ward (its centre, its office, an identifier code), a
birth registration offered there with a three-step process (appraisal 4 h, review 2 h, approval
2 h: one working day) and one officer per role, plus a citizen. ``make_dossier`` then takes a
dossier through the real services to the state asked for (``"submitted"``, ``"received"``,
``"in_progress"``, ``"result_ready"``, ``"returned"``, ``"supplement_requested"``, ``"paused"``,
``"with_other_agencies"`` …), so that every trait is reached exactly as production reaches it,
with the same data on every run (times are passed in, never read from the clock).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.tests.factories import make_citizen, make_officer
from motcua.agencies import services as agency_services
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.agencies.tests.factories import Tree, build_tree
from motcua.catalog.channels import Channel
from motcua.catalog.models import AgencyProcedure, Component, ProcedureVersion
from motcua.catalog.tests.factories import make_procedure, offer
from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.models import DeliveryMethod, Dossier
from motcua.workdays.workcalendar import VIETNAM_TZ
from motcua.workflow import services
from motcua.workflow.models import InterAgencyMode
from motcua.workflow.services import ApplicantDetails, ReceivedDocument, TaskSpec

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
#: Monday 09/03/2026 09:00 in Vietnam: an ordinary working week.
MONDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=VIETNAM_TZ)


def at(day: int, month: int, year: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


@dataclasses.dataclass
class World:
    tree: Tree
    office: Agency  # the ward's office, which appraises civil status
    version: ProcedureVersion
    offer: AgencyProcedure
    citizen: User
    receiving: User  # at the ward's service centre
    specialist: User
    head: User
    leader: User  # of the ward People's Committee
    other_receiving: User  # at Hy Cương's centre (another commune of the province)
    other_leader: User  # of Lai Châu's ward (another province)
    province_department_officer: User  # specialist of Sở Tư pháp (for inter-agency tasks)


def build_world(*, limit_days: int | None = None) -> World:
    tree = build_tree()
    for agency, code in ((tree.p, "000.00.00.H25"), (tree.c1, "000.01.25.H25"), (tree.c2, "000.02.25.H25")):
        agency_services.assign_identifier_code(agency=agency, code=code, valid_from=dt.date(2025, 7, 1))
    office = agency_services.create_agency(
        parent=tree.c1,
        name="Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.COMMUNE,
    )
    changes: dict[str, Any] = {}
    if limit_days is not None:
        from motcua.catalog.tests.factories import channel
        from motcua.catalog.time_limits import TimeLimit, TimeUnit

        limit = TimeLimit(limit_days, TimeUnit.WORKING_DAYS)
        changes["channels"] = (channel(Channel.COUNTER, limit), channel(Channel.ONLINE, limit))
    version = make_procedure(**changes)
    configuration, _process = offer(version, agency=tree.c1, department=office, offers_postal_return=True)
    return World(
        tree=tree,
        office=office,
        version=version,
        offer=configuration,
        citizen=make_citizen(),
        receiving=make_officer("tiepnhan", agency=tree.c1_centre, role=StaffRoleName.RECEIVING_OFFICER),
        specialist=make_officer("chuyenvien", agency=office, role=StaffRoleName.SPECIALIST),
        head=make_officer("truongphong", agency=office, role=StaffRoleName.DEPARTMENT_HEAD),
        leader=make_officer("lanhdao", agency=tree.c1, role=StaffRoleName.AGENCY_LEADER),
        other_receiving=make_officer("tiepnhan2", agency=tree.c2_centre, role=StaffRoleName.RECEIVING_OFFICER),
        other_leader=make_officer("lanhdao-q", agency=tree.q1, role=StaffRoleName.AGENCY_LEADER),
        province_department_officer=make_officer("sotuphap", agency=tree.p_department, role=StaffRoleName.SPECIALIST),
    )


def applicant_of(user: User) -> ApplicantDetails:
    return ApplicantDetails(
        name=user.full_name, id_number=user.personal_id or "", phone=user.phone, email=user.email,
        address="Số 1 đường Hùng Vương, phường Việt Trì",
    )  # fmt: skip


def draft(world: World, *, channel: str = Channel.ONLINE, now: dt.datetime = MONDAY, **changes: object) -> Dossier:
    settings: dict[str, object] = {
        "agency_procedure": world.offer,
        "variant": world.version.variants.get(is_default=True),
        "channel": channel,
        "receiving_unit": world.tree.c1_centre,
        "applicant": applicant_of(world.citizen),
        "applicant_user": world.citizen,
        "created_by": world.citizen if channel == Channel.ONLINE else world.receiving,
        "delivery_method": DeliveryMethod.ONLINE,
        "now": now,
    }
    settings.update(changes)
    return services.start_draft(**settings)  # type: ignore[arg-type]


def attach_required(world: World, dossier: Dossier) -> None:
    for component in Component.objects.filter(version=dossier.procedure_version, is_required=True):
        store_attachment(dossier=dossier, handle=io.BytesIO(PDF), name=f"{component.pk}.pdf", component_id=component.pk)


def counter_documents(dossier: Dossier) -> list[ReceivedDocument]:
    return [
        ReceivedDocument(component.pk, originals=1)
        for component in Component.objects.filter(version=dossier.procedure_version, is_required=True)
    ]


STATES = (
    "draft",
    "submitted",
    "supplement_requested",
    "received",
    "in_progress",
    "with_other_agencies",
    "paused",
    "result_ready",
    "returned",
    "refused",
    "stopped",
    "withdrawn",
    "closed",
)


#: The tracking number ``make_dossier`` gives a result it returns by post.
POSTAL_TRACKING_NUMBER = "EB123456789VN"


def make_dossier(world: World, state: str, *, now: dt.datetime = MONDAY, **draft_changes: Any) -> Dossier:
    """A dossier taken through the services to ``state`` (one of ``STATES``), all on ``now``'s day.

    ``draft_changes`` go to ``draft`` (e.g. ``delivery_method=DeliveryMethod.POST, delivery_address=…``).
    """
    dossier = draft(world, now=now, **draft_changes)
    attach_required(world, dossier)
    if state == "draft":
        return dossier
    tick = dt.timedelta(minutes=5)
    dossier = services.submit(dossier_id=dossier.pk, user=world.citizen, now=now + tick)
    if state == "submitted":
        return dossier
    if state == "withdrawn":
        return services.withdraw(dossier_id=dossier.pk, user=world.citizen, reason="Nộp nhầm", now=now + 2 * tick)
    if state == "refused":
        return services.refuse(
            dossier_id=dossier.pk, user=world.receiving, reasons="Không thuộc thẩm quyền", now=now + 2 * tick
        )
    if state == "closed":
        dossier = services.request_supplement(
            dossier_id=dossier.pk,
            user=world.receiving,
            reason="Ảnh chụp mờ",
            missing=["Giấy chứng sinh"],
            now=now + 2 * tick,
        )
        services.close_unanswered_supplements(now=now + dt.timedelta(days=16))
        return Dossier.objects.get(pk=dossier.pk)
    if state == "supplement_requested":
        return services.request_supplement(
            dossier_id=dossier.pk,
            user=world.receiving,
            reason="Ảnh chụp mờ",
            missing=["Giấy chứng sinh"],
            now=now + 2 * tick,
        )
    dossier = services.receive(dossier_id=dossier.pk, user=world.receiving, now=now + 2 * tick)
    if state == "received":
        return dossier
    dossier = services.transfer(dossier_id=dossier.pk, user=world.receiving, now=now + 3 * tick)
    if state == "in_progress":
        return dossier
    if state == "stopped":
        return services.stop(dossier_id=dossier.pk, user=world.citizen, reason="Không còn nhu cầu", now=now + 4 * tick)
    if state == "with_other_agencies":
        return services.forward_to_agencies(
            dossier_id=dossier.pk,
            user=world.specialist,
            mode=InterAgencyMode.DIFFERENT_LEVEL,
            tasks=[TaskSpec(world.tree.p_department, "Xác minh thông tin hộ tịch", 2)],
            now=now + 4 * tick,
        )
    if state == "paused":
        return services.pause(
            dossier_id=dossier.pk, user=world.leader, reason="Chờ xác minh (Điều 19)", now=now + 4 * tick
        )
    dossier = services.forward(dossier_id=dossier.pk, user=world.specialist, now=now + 4 * tick)
    dossier = services.forward(dossier_id=dossier.pk, user=world.head, now=now + 5 * tick)
    dossier = services.approve(dossier_id=dossier.pk, user=world.leader, now=now + 6 * tick)
    if state == "result_ready":
        return dossier
    services.attach_result(
        dossier_id=dossier.pk, user=world.leader, handle=io.BytesIO(PDF), name="giay-khai-sinh.pdf", now=now + 7 * tick
    )
    number = POSTAL_TRACKING_NUMBER if dossier.delivery_method == DeliveryMethod.POST else ""
    return services.return_result(
        dossier_id=dossier.pk, user=world.receiving, postal_tracking_number=number, now=now + 7 * tick
    )
