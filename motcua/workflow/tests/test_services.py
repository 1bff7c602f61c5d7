"""Use cases one by one: the new state, the event, the side effects, and the refusals with their reasons."""

from __future__ import annotations

import io

import pytest

from motcua.agencies import services as agency_services
from motcua.catalog import services as catalog_services
from motcua.catalog.channels import Channel
from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import DeliveryMethod, Dossier, DossierState
from motcua.workflow import services
from motcua.workflow.models import DossierStep, InterAgencyMode, InterAgencyTask, StepState, TaskState
from motcua.workflow.services import StaleDossier, TaskSpec, TransitionRefused
from motcua.workflow.tests.factories import MONDAY, PDF, at, attach_required, build_world, draft, make_dossier

pytestmark = pytest.mark.django_db


def test_submitting_without_the_required_documents_lists_what_is_missing() -> None:
    world = build_world()
    dossier = draft(world)
    with pytest.raises(TransitionRefused) as error:
        services.submit(dossier_id=dossier.pk, user=world.citizen, now=MONDAY)
    assert "Tờ khai đăng ký khai sinh" in error.value.message and "Giấy chứng sinh" in error.value.message
    assert "Văn bản ủy quyền" not in error.value.message  # optional
    dossier.refresh_from_db()
    assert (dossier.state, dossier.code) == (DossierState.DRAFT, None)


def test_submission_gives_the_code_of_the_competent_agency_and_the_day() -> None:
    world = build_world()
    dossier = make_dossier(world, "submitted")
    assert dossier.code == "000.01.25.H25-260309-0001"
    assert dossier.submitted_at == MONDAY.replace(minute=5)
    assert len(dossier.lookup_secret) == 8


def test_a_second_supplement_at_reception_is_refused_with_the_legal_reason() -> None:
    world = build_world()
    dossier = make_dossier(world, "supplement_requested")
    services.provide_supplement(dossier_id=dossier.pk, user=world.citizen, now=MONDAY)
    with pytest.raises(TransitionRefused, match=r"Art\. 11\.2\.c"):
        services.request_supplement(
            dossier_id=dossier.pk, user=world.receiving, reason="Lại thiếu", missing=["X"], now=MONDAY
        )
    received = services.receive(dossier_id=dossier.pk, user=world.receiving, now=MONDAY)
    assert received.state == DossierState.RECEIVED


def test_a_supplement_request_names_what_is_missing_and_why() -> None:
    world = build_world()
    dossier = make_dossier(world, "submitted")
    with pytest.raises(TransitionRefused):
        services.request_supplement(dossier_id=dossier.pk, user=world.receiving, reason="", missing=["X"], now=MONDAY)
    with pytest.raises(TransitionRefused):
        services.request_supplement(
            dossier_id=dossier.pk, user=world.receiving, reason="Thiếu", missing=[" "], now=MONDAY
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": Channel.ONLINE, "offline": True}, "cannot be submitted online"),
        ({"receiving_unit": "q1_centre"}, "outside the province"),
        ({"receiving_unit": "c1_department"}, "one-stop unit"),
        ({"delivery_method": DeliveryMethod.POST, "delivery_address": ""}, "address"),
        ({"channel": "fax"}, "Unknown channel"),
    ],
)
def test_drafts_the_agency_does_not_offer_are_refused(change: dict, message: str) -> None:
    world = build_world()
    if change.pop("offline", False):
        catalog_services.configure_procedure(
            agency=world.tree.c1, procedure=world.version.procedure, online_level=OnlineLevel.NONE
        )
        world.offer.refresh_from_db()
    if isinstance(change.get("receiving_unit"), str):
        change["receiving_unit"] = getattr(world.tree, change["receiving_unit"])
    with pytest.raises(TransitionRefused, match=message):
        draft(world, **change)
    assert not Dossier.objects.exists()


def test_any_centre_of_the_province_receives_the_wards_procedures() -> None:
    world = build_world()
    dossier = draft(
        world, receiving_unit=world.tree.c2_centre, channel=Channel.COUNTER, created_by=world.other_receiving
    )
    from motcua.workflow.tests.factories import counter_documents

    received = services.receive_at_counter(
        dossier_id=dossier.pk, user=world.other_receiving, documents=counter_documents(dossier), now=MONDAY
    )
    assert received.state == DossierState.RECEIVED
    assert received.competent_agency == world.tree.c1  # decided by the ward, received in Hy Cương
    assert (received.code or "").startswith("000.01.25.H25-")


def test_fees_first_where_the_agency_asks_and_payments_are_idempotent() -> None:
    world = build_world()
    from motcua.catalog.fees import FeeItem
    from motcua.catalog.tests.factories import channel, make_procedure

    version = make_procedure(
        "1.000894",
        name="Thủ tục đăng ký kết hôn",
        channels=(channel(Channel.ONLINE, fees=(FeeItem(30000, kind="Lệ phí"),), fee_text="Lệ phí : 30.000 Đồng"),),
    )
    configuration = catalog_services.configure_procedure(
        agency=world.tree.c1,
        procedure=version.procedure,
        online_level=OnlineLevel.FULL,
        offers_online_payment=True,
        requires_payment_before_submission=True,
    )
    dossier = draft(world, agency_procedure=configuration, variant=version.variants.get())
    attach_required(world, dossier)
    assert dossier.fees_due == 30000
    with pytest.raises(TransitionRefused, match="Pay the fees"):
        services.submit(dossier_id=dossier.pk, user=world.citizen, now=MONDAY)
    with pytest.raises(TransitionRefused, match="more than"):
        services.record_payment(dossier_id=dossier.pk, amount=40000, reference="VNPAY-1", user=world.citizen)
    services.record_payment(dossier_id=dossier.pk, amount=30000, reference="VNPAY-2", user=world.citizen)
    again = services.record_payment(dossier_id=dossier.pk, amount=30000, reference="VNPAY-2", user=world.citizen)
    assert (again.fees_paid, again.event_count) == (30000, 2)
    assert services.submit(dossier_id=dossier.pk, user=world.citizen, now=MONDAY).state == DossierState.SUBMITTED


def test_returning_online_needs_the_result_file_and_by_post_the_tracking_number() -> None:
    world = build_world()
    dossier = make_dossier(world, "result_ready")
    with pytest.raises(TransitionRefused, match="Attach the signed result"):
        services.return_result(dossier_id=dossier.pk, user=world.receiving, now=MONDAY)
    with pytest.raises(services.NotAllowed):
        services.attach_result(dossier_id=dossier.pk, user=world.citizen, handle=io.BytesIO(PDF), name="kq.pdf")
    services.attach_result(dossier_id=dossier.pk, user=world.leader, handle=io.BytesIO(PDF), name="kq.pdf")
    assert (
        services.return_result(dossier_id=dossier.pk, user=world.receiving, now=MONDAY).state == DossierState.RETURNED
    )

    posted = make_dossier(world, "in_progress")
    Dossier.objects.filter(pk=posted.pk).update(delivery_method=DeliveryMethod.POST, delivery_address="Số 2 Hùng Vương")
    services.forward(dossier_id=posted.pk, user=world.specialist, now=MONDAY)
    services.forward(dossier_id=posted.pk, user=world.head, now=MONDAY)
    services.approve(dossier_id=posted.pk, user=world.leader, now=MONDAY)
    with pytest.raises(TransitionRefused, match="tracking number"):
        services.return_result(dossier_id=posted.pk, user=world.receiving, now=MONDAY)
    done = services.return_result(dossier_id=posted.pk, user=world.receiving, postal_tracking_number="EB123456789VN")
    assert done.postal_tracking_number == "EB123456789VN"


def test_a_stale_page_is_told_to_reload() -> None:
    world = build_world()
    dossier = make_dossier(world, "submitted")
    services.receive(dossier_id=dossier.pk, user=world.receiving, expected_version=dossier.lock_version, now=MONDAY)
    with pytest.raises(StaleDossier, match="Reload"):
        services.transfer(
            dossier_id=dossier.pk, user=world.receiving, expected_version=dossier.lock_version, now=MONDAY
        )


def test_a_step_sends_the_dossier_back_to_an_earlier_stage() -> None:
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "in_progress")
    services.forward(dossier_id=dossier.pk, user=world.specialist, now=MONDAY)
    with pytest.raises(TransitionRefused, match="before the current one"):
        services.send_back(dossier_id=dossier.pk, user=world.head, to_stage=2, reason="x", now=MONDAY)
    back = services.send_back(dossier_id=dossier.pk, user=world.head, to_stage=1, reason="Thẩm định lại", now=MONDAY)
    assert back.current_stage == 1
    states = dict(DossierStep.objects.filter(dossier=dossier).values_list("stage", "state"))
    assert states == {1: StepState.ACTIVE, 2: StepState.SENT_BACK, 3: StepState.WAITING}


def test_agencies_in_order_each_get_their_turn_and_deadline() -> None:
    world = build_world(limit_days=5)
    tree = world.tree
    finance = agency_services.create_agency(parent=tree.c1, name="Phòng Kinh tế 2", kind="department", level="commune")
    sibling = agency_services.create_agency(parent=tree.p, name="Sở Xây dựng", kind="department", level="province")
    from motcua.accounts.models import StaffRoleName
    from motcua.accounts.tests.factories import make_officer

    builder = make_officer("soxaydung", agency=sibling, role=StaffRoleName.SPECIALIST)
    dossier = make_dossier(world, "in_progress")
    with pytest.raises(TransitionRefused, match="part of the competent agency"):
        services.forward_to_agencies(
            dossier_id=dossier.pk, user=world.specialist, mode=InterAgencyMode.SEQUENTIAL,
            tasks=[TaskSpec(finance, "Xem xét", 4)], now=MONDAY,
        )  # fmt: skip
    with pytest.raises(TransitionRefused, match="lead agency"):
        services.forward_to_agencies(
            dossier_id=dossier.pk, user=world.specialist, mode=InterAgencyMode.PARALLEL,
            tasks=[TaskSpec(tree.p_department, "A", 4), TaskSpec(sibling, "B", 4)], now=MONDAY,
        )  # fmt: skip
    with pytest.raises(TransitionRefused, match="after the dossier is due"):
        services.forward_to_agencies(
            dossier_id=dossier.pk, user=world.specialist, mode=InterAgencyMode.SEQUENTIAL,
            tasks=[TaskSpec(tree.p_department, "A", 24), TaskSpec(sibling, "B", 24)], now=MONDAY,
        )  # fmt: skip
    services.forward_to_agencies(
        dossier_id=dossier.pk, user=world.specialist, mode=InterAgencyMode.SEQUENTIAL,
        tasks=[TaskSpec(tree.p_department, "Xác minh hộ tịch", 8), TaskSpec(sibling, "Xác minh nhà ở", 8)],
        now=at(9, 3, 2026, 10),
    )  # fmt: skip
    first, second = InterAgencyTask.objects.order_by("order")
    assert (first.state, second.state) == (TaskState.ACTIVE, TaskState.WAITING)
    assert first.due_at == at(10, 3, 2026, 10)
    with pytest.raises(services.NotAllowed):
        services.answer_task(dossier_id=dossier.pk, user=builder, answer="Chưa đến lượt", now=MONDAY)
    services.answer_task(
        dossier_id=dossier.pk, user=world.province_department_officer, answer="Đúng", now=at(10, 3, 2026, 9)
    )
    second.refresh_from_db()
    assert (second.state, second.due_at) == (TaskState.ACTIVE, at(11, 3, 2026, 9))
    back = services.answer_task(dossier_id=dossier.pk, user=builder, answer="Đúng", now=at(10, 3, 2026, 15))
    assert back.state == DossierState.IN_PROGRESS


def test_steps_of_one_stage_run_in_parallel_and_the_next_waits_for_all() -> None:
    from motcua.accounts.models import StaffRoleName
    from motcua.accounts.tests.factories import make_officer
    from motcua.catalog.processes import StepSpec

    world = build_world(limit_days=5)
    economy = world.tree.c1_department
    economist = make_officer("kinhte", agency=economy, role=StaffRoleName.SPECIALIST)
    catalog_services.save_process(
        agency_procedure=world.offer,
        variant_code="",
        name="Song song",
        steps=[
            StepSpec(1, "Thẩm định hộ tịch", world.office.pk, "specialist", 8, "working_hours"),
            StepSpec(1, "Thẩm định nhà ở", economy.pk, "specialist", 16, "working_hours"),
            StepSpec(2, "Phê duyệt", world.tree.c1.pk, "agency_leader", 4, "working_hours"),
        ],
    )
    dossier = make_dossier(world, "in_progress")
    due = dict(DossierStep.objects.filter(dossier=dossier, stage=1).values_list("name", "due_at"))
    assert due == {"Thẩm định hộ tịch": at(10, 3, 2026, 9, 15), "Thẩm định nhà ở": at(11, 3, 2026, 9, 15)}
    after_one = services.forward(dossier_id=dossier.pk, user=world.specialist, now=at(9, 3, 2026, 11))
    assert after_one.current_stage == 1
    with pytest.raises(services.NotAllowed):
        services.forward(dossier_id=dossier.pk, user=world.specialist, now=at(9, 3, 2026, 11))  # their step is done
    after_both = services.forward(dossier_id=dossier.pk, user=economist, now=at(9, 3, 2026, 14))
    assert after_both.current_stage == 2
    assert services.approve(dossier_id=dossier.pk, user=world.leader, now=at(9, 3, 2026, 15)).state == "result_ready"
