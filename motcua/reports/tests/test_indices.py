"""The Decision 766/QĐ-TTg index reproduces hand-computed scores; its parameters are data.

March 2026 at the ward of Việt Trì, two procedures both offered fully online: the birth
registration (free, one working day) and a fee-paying one (8.000 đồng, payable online):

- a1 online, approved Mon 09/03 (early), returned online, rated very satisfied in every item;
- a2 at the counter, approved Wed 11/03 (late, due Tue 17:00);
- a3 online, received Mon 30/03 (due Tue 31/03): in progress past the deadline at the end;
- a4 online, received Tue 31/03: in progress within the deadline;
- b1 online, paid online by the applicant, approved Tue 10/03 at 10:00 (on time), returned at the
  counter, rated not satisfied with the staff's attitude;
- b2 at the counter, paid at the desk, approved Mon 09/03 (early).

progress 20 × (4 resolved − 1 late + 1 within) ÷ (4 + 2) = 13,33; online services: 4 of the 6
received online ≥ 50 % → 12; electronic results 1 of 2 returned → 3; dossiers without
dissatisfaction or delay (4 − 1 − 1) ÷ 4 = 50 % of the 90 % → 3,33; payment: 1 of 1 procedures
with fees payable online → 2, 1 of 1 used → 2, 1 of 2 dossiers with fees paid online → 3.
Total 38,66 of 100; the indicators with data are worth 54 points: 71,59 on 100, "medium".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.tests.factories import channel, make_procedure, offer
from motcua.dossiers.models import DeliveryMethod, Dossier
from motcua.feedback.services import Answers, rate_dossier
from motcua.reports.indices import get_indices
from motcua.reports.models import Band, IndexRule
from motcua.reports.periods import Period
from motcua.reports.services import apply_new_events
from motcua.reports.tests.scenarios import MINUTE, approve, return_online
from motcua.workflow import services
from motcua.workflow.tests.factories import World, at, attach_required, build_world, counter_documents, draft

pytestmark = pytest.mark.django_db

MARCH = Period.month(2026, 3)
FEE = (FeeItem(8_000, kind="Lệ phí"),)


def online(world: World, moment: dt.datetime, **changes: Any) -> Dossier:
    dossier = draft(world, now=moment - 10 * MINUTE, **changes)
    attach_required(world, dossier)
    services.submit(dossier_id=dossier.pk, user=world.citizen, now=moment - 5 * MINUTE)
    services.receive(dossier_id=dossier.pk, user=world.receiving, now=moment)
    return services.transfer(dossier_id=dossier.pk, user=world.receiving, now=moment + MINUTE)


def counter(world: World, moment: dt.datetime, **changes: Any) -> Dossier:
    dossier = draft(world, channel=Channel.COUNTER, now=moment - 5 * MINUTE, **changes)
    services.receive_at_counter(
        dossier_id=dossier.pk, user=world.receiving, documents=counter_documents(dossier), now=moment
    )
    return services.transfer(dossier_id=dossier.pk, user=world.receiving, now=moment + MINUTE)


@pytest.fixture
def march() -> World:
    world = build_world()
    version = make_procedure(
        "1.000894",
        name="Thủ tục cấp bản sao trích lục hộ tịch",
        channels=(channel(Channel.COUNTER, fees=FEE), channel(Channel.ONLINE, fees=FEE)),
    )
    paying, _process = offer(version, agency=world.tree.c1, department=world.office, offers_online_payment=True)
    with_fees = {"agency_procedure": paying, "variant": version.variants.get(is_default=True)}
    a1 = online(world, at(9, 3, 2026, 9))
    a1 = return_online(world, approve(world, a1, at(9, 3, 2026, 14)), at(9, 3, 2026, 15))
    very = Answers(timeliness=3, procedure_accuracy=3, staff_attitude=3, result_lawfulness=3, online_service=3)
    rate_dossier(dossier=a1, user=world.citizen, answers=very, now=at(9, 3, 2026, 16))
    a2 = counter(world, at(9, 3, 2026, 9, 30))
    approve(world, a2, at(11, 3, 2026, 9))
    online(world, at(30, 3, 2026, 9))
    online(world, at(31, 3, 2026, 9))
    b1 = online(world, at(9, 3, 2026, 10), delivery_method=DeliveryMethod.COUNTER, **with_fees)
    services.record_payment(
        dossier_id=b1.pk, amount=8_000, reference="VNPAY-1", user=world.citizen, now=at(9, 3, 2026, 11)
    )
    b1 = approve(world, b1, at(10, 3, 2026, 10))
    b1 = services.return_result(dossier_id=b1.pk, user=world.receiving, now=at(10, 3, 2026, 15))
    cross = Answers(timeliness=3, procedure_accuracy=2, staff_attitude=1, result_lawfulness=2)
    rate_dossier(dossier=b1, user=world.citizen, answers=cross, now=at(10, 3, 2026, 16))
    b2 = counter(world, at(9, 3, 2026, 10, 30), **with_fees)
    services.record_payment(
        dossier_id=b2.pk, amount=8_000, reference="BL-2", user=world.receiving, now=at(9, 3, 2026, 11)
    )
    approve(world, b2, at(9, 3, 2026, 16))
    apply_new_events()
    return world


def scores(world: World, period: Period = MARCH) -> dict[str, tuple[int | None, int | None, Decimal | None, Decimal]]:
    result = get_indices([world.tree.p], period)[world.tree.p.pk]
    return {
        item.code: (item.numerator, item.denominator, item.score, item.maximum)
        for group in result.groups
        for item in group.indicators
    }


def test_the_index_reproduces_the_hand_computed_scores(march: World) -> None:
    computed = {code: value for code, value in scores(march).items() if value[0] is not None}
    assert computed == {
        "progress_on_time": (4, 6, Decimal("13.33"), Decimal(20)),
        "online_full_share": (4, 6, Decimal("12.00"), Decimal(12)),
        "digitisation_electronic_results": (1, 2, Decimal("3.00"), Decimal(6)),
        "satisfaction_dossiers": (2, 4, Decimal("3.33"), Decimal(6)),
        "payment_procedures_offering": (1, 1, Decimal("2.00"), Decimal(2)),
        "payment_procedures_used": (1, 1, Decimal("2.00"), Decimal(2)),
        "payment_dossiers_paid_online": (1, 2, Decimal("3.00"), Decimal(6)),
    }
    result = get_indices([march.tree.p], MARCH)[march.tree.p.pk]
    assert (result.score, result.maximum, result.scored_maximum, result.scaled) == (
        Decimal("38.66"),
        Decimal(100),
        Decimal(54),
        Decimal("71.59"),
    )
    assert result.band == Band.MEDIUM
    assert [(group.group, group.score) for group in result.groups] == [
        ("transparency", Decimal(0)),
        ("progress", Decimal("13.33")),
        ("online_services", Decimal("12.00")),
        ("digitisation", Decimal("3.00")),
        ("satisfaction", Decimal("3.33")),
        ("online_payment", Decimal("7.00")),
    ]


def test_indicators_without_data_show_their_maximum_and_no_score(march: World) -> None:
    missing = {code: value for code, value in scores(march).items() if value[0] is None}
    assert set(missing) == {
        "transparency_published_on_time",
        "transparency_public_database",
        "transparency_complete_components",
        "transparency_realtime_sync",
        "digitisation_digitised_components",
        "digitisation_certified_copies",
        "digitisation_data_reuse",
        "digitisation_citizen_data_store",
        "digitisation_population_data",
        "digitisation_population_connected",
        "satisfaction_feedback_on_time",
        "satisfaction_feedback_handling",
    }
    assert all(score is None for _n, _d, score, _m in missing.values())
    assert sum(maximum for *_rest, maximum in missing.values()) == Decimal(46)


def test_maxima_and_thresholds_are_data_with_validity_dates(march: World) -> None:
    old = IndexRule.objects.get(code="progress_on_time")
    IndexRule.objects.filter(pk=old.pk).update(valid_to=dt.date(2026, 2, 28))
    IndexRule.objects.create(
        code=old.code, group=old.group, position=old.position, name=old.name, maximum=Decimal(30),
        threshold=Decimal("0.5"), valid_from=dt.date(2026, 3, 1),
    )  # fmt: skip
    assert scores(march)["progress_on_time"] == (4, 6, Decimal("30.00"), Decimal(30))  # 66.7 % ≥ the 50 % threshold
    february = scores(march, Period.month(2026, 2))
    assert february["progress_on_time"] == (0, 0, None, Decimal(20))  # the old rule; no dossier in February


def test_a_period_without_dossiers_scores_nothing(march: World) -> None:
    result = get_indices([march.tree.q], MARCH)[march.tree.q.pk]
    assert (result.score, result.scored_maximum, result.scaled, result.band) == (Decimal(0), Decimal(0), None, "")
