"""The demo's catalogue: the real national records, and the staffed communes' offer of them.

Each staffed commune offers the commune-level procedures of the sectors its People's Committee
handles itself (civil status, certification, adoption, grassroots mediation, land, household
businesses, construction, poverty reduction), with the department that appraises them and an
internal process that fits every procedure's legal limit: appraisal by a specialist, review by
the department head, approval by the leader, the time split roughly 5 : 2 : 1. Civil status is
fully online with results by post and online payment (Decree 42/2022/NĐ-CP lists it among the
full online services); the other sectors are partly online.

Vertical agencies' commune-level procedures (police, tax, customs, social insurance) are left
out: the commune People's Committee does not process them.
"""

from __future__ import annotations

from collections.abc import Iterable

from motcua.agencies.models import Agency
from motcua.catalog import queries as catalog_queries
from motcua.catalog import services as catalog_services
from motcua.catalog.models import AgencyProcedure, InternalProcess, OnlineLevel, ProcedureVersion
from motcua.catalog.processes import StepSpec
from motcua.catalog.time_limits import HOURS_PER_WORKING_DAY, TimeLimit, TimeUnit

#: Sector → the commune department that appraises it (Decree 150/2025/NĐ-CP departments).
SECTOR_DEPARTMENTS: dict[str, str] = {
    "Hộ tịch": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Chứng thực": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Nuôi con nuôi": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Hòa giải ở cơ sở": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Đất đai": "Phòng Kinh tế",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": "Phòng Kinh tế",
    "Hoạt động xây dựng": "Phòng Kinh tế",
    "Giảm nghèo": "Phòng Văn hóa - Xã hội",
}
FULLY_ONLINE_SECTORS = frozenset({"Hộ tịch"})
#: Budget of a process for a procedure without a time limit: five working days.
DEFAULT_BUDGET_HOURS = 5 * HOURS_PER_WORKING_DAY


def configure_communes(communes: Iterable[Agency]) -> int:
    """Offer the demo sectors' commune-level procedures in each commune; returns how many were new."""
    versions = list(
        ProcedureVersion.objects.current()
        .at_level("commune")
        .filter(sector__name__in=SECTOR_DEPARTMENTS)
        .select_related("sector", "procedure")
        .prefetch_related("channels", "variants")
    )
    created = 0
    for commune in communes:
        departments = {agency.name: agency for agency in Agency.objects.filter(parent=commune, kind="department")}
        offered = set(AgencyProcedure.objects.filter(agency=commune).values_list("procedure_id", flat=True))
        for version in versions:
            if version.procedure_id in offered:
                continue
            department = departments[SECTOR_DEPARTMENTS[version.sector.name]]
            _offer(version, commune, department)
            created += 1
    return created


def _offer(version: ProcedureVersion, commune: Agency, department: Agency) -> None:
    online = version.sector.name in FULLY_ONLINE_SECTORS
    configuration = catalog_services.configure_procedure(
        agency=commune,
        procedure=version.procedure,
        online_level=OnlineLevel.FULL if online else OnlineLevel.PARTIAL,
        offers_postal_return=True,
        offers_online_payment=online,
    )
    general = next(variant for variant in version.variants.all() if variant.is_default)
    channels = list(version.channels.all())
    limits = [catalog_queries.get_time_limit(general, row.channel, channels) for row in channels] or [
        TimeLimit(0, TimeUnit.NONE)
    ]
    budgets = [limit.working_hours_at_most() for limit in limits]
    hours = min((budget for budget in budgets if budget is not None), default=DEFAULT_BUDGET_HOURS)
    if InternalProcess.objects.filter(agency_procedure=configuration).exists():
        return
    catalog_services.save_process(
        agency_procedure=configuration,
        variant_code="",
        name=f"Quy trình nội bộ — {commune.name}",
        steps=demo_steps(hours, department=department, commune=commune),
    )


def demo_steps(hours: int, *, department: Agency, commune: Agency) -> list[StepSpec]:
    """Appraisal, review and approval sharing ``hours`` about 5 : 2 : 1, at least one hour each.

    A limit shorter than three hours (a same-day procedure of a few hours) gets one step: the
    specialist appraises and the leader signs within it.
    """
    if hours < 3:
        return [StepSpec(1, "Thẩm định và trình ký", department.pk, "specialist", max(hours, 1), "working_hours")]
    approval = max(1, hours // 8)
    review = max(1, hours // 4)
    appraisal = hours - approval - review
    return [
        StepSpec(
            1,
            "Thẩm định hồ sơ",
            department.pk,
            "specialist",
            appraisal,
            "working_hours",
            "Kiểm tra, đối chiếu thông tin; dự thảo kết quả.",
        ),
        StepSpec(
            2,
            "Xem xét, trình ký",
            department.pk,
            "department_head",
            review,
            "working_hours",
            "Xem xét kết quả thẩm định, trình lãnh đạo.",
        ),
        StepSpec(
            3,
            "Phê duyệt, ký kết quả",
            commune.pk,
            "agency_leader",
            approval,
            "working_hours",
            "Ký duyệt kết quả giải quyết.",
        ),
    ]
