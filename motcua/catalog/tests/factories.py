"""Procedures for tests, written through the importer as the national records are.

``parsed_procedure`` builds the parser's value with fixed defaults (a birth registration
at commune level, one working day at the counter and online, free); ``make_procedure`` imports
it; ``offer`` configures it for an agency with a three-step internal process (appraisal by a
specialist, review by the department head, approval by the leader).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from motcua.agencies.models import Agency
from motcua.catalog import services
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.importer import import_procedure
from motcua.catalog.models import AgencyProcedure, InternalProcess, OnlineLevel, ProcedureVersion
from motcua.catalog.national_records import ParsedChannel, ParsedComponent, ParsedProcedure, ParsedResult
from motcua.catalog.processes import StepSpec
from motcua.catalog.time_limits import TimeLimit, TimeUnit

IMPORTED_ON = dt.date(2026, 1, 5)
ONE_WORKING_DAY = TimeLimit(1, TimeUnit.WORKING_DAYS)


def channel(
    which: Channel = Channel.COUNTER,
    limit: TimeLimit = ONE_WORKING_DAY,
    fees: tuple[FeeItem, ...] = (),
    fee_text: str = "Miễn phí",
) -> ParsedChannel:
    return ParsedChannel(
        channel=which,
        time_limit=limit,
        time_limit_text=str(limit),
        fees=fees,
        fee_text=fee_text,
        description="",
    )


def component(name: str, *, originals: int = 1, copies: int = 0, required: bool = True) -> ParsedComponent:
    return ParsedComponent(group="", name=name, form_name="", originals=originals, copies=copies, is_required=required)


def parsed_procedure(code: str = "1.001193", **changes: Any) -> ParsedProcedure:
    base = ParsedProcedure(
        code=code,
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
        steps="Nộp hồ sơ tại Trung tâm Phục vụ hành chính công; nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả "
        "trong ngày làm việc tiếp theo.",
        requirements="",
        channels=(channel(Channel.COUNTER), channel(Channel.ONLINE)),
        components=(
            component("Tờ khai đăng ký khai sinh"),
            component("Giấy chứng sinh"),
            component("Văn bản ủy quyền (nếu có)", required=False),
        ),
        results=(ParsedResult(name="Giấy khai sinh", code="KQ.G15.000031"),),
        legal_basis=(),
        source="test",
        source_url="",
    )
    return dataclasses.replace(base, **changes)


def make_procedure(code: str = "1.001193", *, on: dt.date = IMPORTED_ON, **changes: Any) -> ProcedureVersion:
    import_procedure(parsed_procedure(code, **changes), today=on)
    return ProcedureVersion.objects.get(procedure__code=code, valid_to__isnull=True)


def three_steps(
    *, department: Agency, leader_unit: Agency, appraisal_hours: int = 4, review_hours: int = 2, approval_hours: int = 2
) -> list[StepSpec]:
    return [
        StepSpec(1, "Thẩm định hồ sơ", department.pk, "specialist", appraisal_hours, "working_hours"),
        StepSpec(2, "Xem xét, trình ký", department.pk, "department_head", review_hours, "working_hours"),
        StepSpec(3, "Phê duyệt", leader_unit.pk, "agency_leader", approval_hours, "working_hours"),
    ]


def offer(
    version: ProcedureVersion,
    *,
    agency: Agency,
    department: Agency,
    online_level: str = OnlineLevel.FULL,
    steps: list[StepSpec] | None = None,
    **settings: Any,
) -> tuple[AgencyProcedure, InternalProcess]:
    configuration = services.configure_procedure(
        agency=agency, procedure=version.procedure, online_level=online_level, **settings
    )
    process = services.save_process(
        agency_procedure=configuration,
        variant_code="",
        name="Quy trình chung",
        steps=steps or three_steps(department=department, leader_unit=agency),
    )
    return configuration, process
