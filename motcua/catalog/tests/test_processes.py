"""Internal processes: stages, roles, budgets within the legal limit (worked by hand), and their JSON form."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.tests.factories import build_tree
from motcua.catalog import services
from motcua.catalog.channels import Channel
from motcua.catalog.models import ProcessStep
from motcua.catalog.processes import ProcessError, StepSpec, check_budget, check_steps, process_hours
from motcua.catalog.tests.factories import channel, make_procedure, offer, three_steps
from motcua.catalog.time_limits import TimeLimit, TimeUnit

FIVE_DAYS = TimeLimit(5, TimeUnit.WORKING_DAYS)


def step(stage: int, hours: int, *, unit: str = "working_hours", role: str = "specialist") -> StepSpec:
    return StepSpec(stage, f"Bước {stage}", 1, role, hours, unit)


def test_parallel_steps_count_once_per_stage() -> None:
    # Stage 1: 1 day; stage 2: two agencies in parallel, 3 days and 2 days → 3; stage 3: 4 hours.
    steps = [
        step(1, 1, unit="working_days"),
        step(2, 3, unit="working_days"),
        step(2, 2, unit="working_days"),
        step(3, 4),
    ]
    assert process_hours(steps) == 8 + 24 + 4


def test_budgets_equal_to_the_limit_are_accepted() -> None:
    # 5 working days = 40 working hours: 1 + 3 days + 8 hours fill it exactly.
    check_budget([step(1, 1, unit="working_days"), step(2, 3, unit="working_days"), step(3, 8)], FIVE_DAYS)


def test_budgets_over_the_limit_are_refused_with_both_figures() -> None:
    with pytest.raises(ProcessError) as error:
        check_budget([step(1, 3, unit="working_days"), step(2, 17)], FIVE_DAYS)
    assert "5 working days 1 working hour" in error.value.message
    assert "5 ngày làm việc" in error.value.message


def test_a_procedure_without_a_limit_accepts_any_budget() -> None:
    check_budget([step(1, 300, unit="working_days")], TimeLimit(0, TimeUnit.NONE))


def test_a_same_day_procedure_has_one_office_day() -> None:
    check_budget([step(1, 8)], TimeLimit(0, TimeUnit.SAME_DAY))
    with pytest.raises(ProcessError):
        check_budget([step(1, 9)], TimeLimit(0, TimeUnit.SAME_DAY))


@pytest.mark.parametrize(
    ("steps", "field"),
    [
        ([], "steps"),
        ([step(1, 4), step(3, 4)], "steps"),  # stage 2 missing
        ([step(0, 4)], "steps[0].stage"),
        ([step(1, 4, role="inspector")], "steps[0].role"),
        ([step(1, 0)], "steps[0].budget_amount"),
        ([step(1, 4, unit="weeks")], "steps[0].budget_unit"),
    ],
)
def test_malformed_steps_are_refused_naming_the_field(steps: list[StepSpec], field: str) -> None:
    with pytest.raises(ProcessError) as error:
        check_steps(steps)
    assert error.value.field == field


@pytest.mark.django_db
def test_saving_a_process_checks_it_against_the_limit_of_every_channel() -> None:
    tree = build_tree()
    version = make_procedure(
        channels=(
            channel(Channel.COUNTER, TimeLimit(3, TimeUnit.WORKING_DAYS)),
            channel(Channel.ONLINE, TimeLimit(2, TimeUnit.WORKING_DAYS)),
        )
    )
    configuration, _process = offer(version, agency=tree.c1, department=tree.c1_department)
    too_long = three_steps(department=tree.c1_department, leader_unit=tree.c1, appraisal_hours=12)  # 12 + 2 + 2 = 16

    services.save_process(agency_procedure=configuration, variant_code="", name="Quy trình", steps=too_long)
    too_long = three_steps(department=tree.c1_department, leader_unit=tree.c1, appraisal_hours=13)  # 17 > 16 online
    with pytest.raises(ValidationError) as error:
        services.save_process(agency_procedure=configuration, variant_code="", name="Quy trình", steps=too_long)
    assert "2 working days" in str(error.value)
    # Nothing was replaced: the 16-hour process stands.
    assert sorted(ProcessStep.objects.values_list("budget_amount", flat=True)) == [2, 2, 12]


@pytest.mark.django_db
def test_a_variant_with_a_longer_limit_allows_a_longer_process() -> None:
    tree = build_tree()
    version = make_procedure()  # one working day
    services.add_variant(version=version, code="xac-minh", name="Cần xác minh", time_limit_text="5 ngày làm việc")
    configuration, _process = offer(version, agency=tree.c1, department=tree.c1_department)
    longer = three_steps(department=tree.c1_department, leader_unit=tree.c1, appraisal_hours=30)

    process = services.save_process(
        agency_procedure=configuration, variant_code="xac-minh", name="Xác minh", steps=longer
    )

    assert process.steps.count() == 3
    with pytest.raises(ValidationError):
        services.save_process(agency_procedure=configuration, variant_code="", name="Chung", steps=longer)
    with pytest.raises(ValidationError) as error:
        services.save_process(agency_procedure=configuration, variant_code="khong-co", name="X", steps=longer)
    assert "variant_code" in error.value.message_dict


@pytest.mark.django_db
def test_a_process_exported_as_json_imports_into_another_commune() -> None:
    tree = build_tree()
    version = make_procedure()
    _configuration, process = offer(version, agency=tree.c1, department=tree.c1_department)
    exported = json.loads(json.dumps(services.export_process(process)))
    assert exported["format"] == "motcua.internal-process/1"
    assert [s["unit"]["name"] for s in exported["steps"]] == [
        "Phòng Kinh tế",
        "Phòng Kinh tế",
        "Ủy ban nhân dân phường Việt Trì",
    ]

    # Hy Cương has its own "Phòng Kinh tế"; the leader step is re-pointed by name inside the target.
    from motcua.agencies import services as agency_services

    hy_cuong_economy = agency_services.create_agency(
        parent=tree.c2, name="Phòng Kinh tế", kind="department", level="commune"
    )
    services.configure_procedure(agency=tree.c2, procedure=version.procedure)
    exported["steps"][2]["unit"] = {"code": "", "name": "Ủy ban nhân dân xã Hy Cương"}
    imported = services.import_process(exported, agency=tree.c2)

    assert imported.agency_procedure.agency == tree.c2
    assert [s.unit for s in imported.steps.order_by("stage")] == [hy_cuong_economy, hy_cuong_economy, tree.c2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda data: data.update(format="other/1"), "format"),
        (lambda data: data["steps"][0].update(budget="2 days"), "steps[0].budget"),
        (lambda data: data["steps"][1]["budget"].update(amount="hai"), "steps[1].budget.amount"),
        (lambda data: data["steps"][0].update(unit={"code": "", "name": "Không có đơn vị này"}), "steps[0].unit"),
        (lambda data: data.update(procedure="9.999999"), "procedure"),
    ],
)
def test_a_bad_json_process_is_refused_naming_the_field_and_nothing_is_written(change, field: str) -> None:
    tree = build_tree()
    _configuration, process = offer(make_procedure(), agency=tree.c1, department=tree.c1_department)
    data = services.export_process(process)
    change(data)
    before = list(ProcessStep.objects.values_list("pk", flat=True))

    with pytest.raises(ValidationError) as error:
        services.import_process(data)

    assert field in error.value.message_dict
    assert list(ProcessStep.objects.values_list("pk", flat=True)) == before
