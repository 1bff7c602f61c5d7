"""Rating a dossier: by its applicant, once, after the result, every item checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.feedback.models import Level, Rating
from motcua.feedback.services import Answers, can_rate, rate_dossier
from motcua.workflow.tests.factories import build_world, make_dossier

pytestmark = pytest.mark.django_db

GOOD = Answers(
    timeliness=Level.VERY_SATISFIED,
    procedure_accuracy=Level.SATISFIED,
    staff_attitude=Level.VERY_SATISFIED,
    result_lawfulness=Level.SATISFIED,
    online_service=Level.SATISFIED,
    comment="  Nhanh, gọn.  ",
)


def test_the_applicant_rates_a_returned_dossier_once() -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")
    assert can_rate(world.citizen, dossier)
    rating = rate_dossier(dossier=dossier, user=world.citizen, answers=GOOD)
    assert (rating.comment, rating.is_unsatisfied) == ("Nhanh, gọn.", False)
    assert not can_rate(world.citizen, dossier)
    with pytest.raises(ValidationError, match="already been rated"):
        rate_dossier(dossier=dossier, user=world.citizen, answers=GOOD)


def test_only_the_applicant_and_only_after_the_result() -> None:
    world = build_world()
    with pytest.raises(ValidationError, match="result is ready"):
        rate_dossier(dossier=make_dossier(world, "in_progress"), user=world.citizen, answers=GOOD)
    with pytest.raises(ValidationError, match="Only the applicant"):
        rate_dossier(dossier=make_dossier(world, "returned"), user=world.receiving, answers=GOOD)
    assert not Rating.objects.exists()


def test_bad_answers_are_refused_by_item() -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")
    bad = Answers(timeliness=7, procedure_accuracy=2, staff_attitude=2, result_lawfulness=2, contacts_needed=0)
    with pytest.raises(ValidationError) as error:
        rate_dossier(dossier=dossier, user=world.citizen, answers=bad)
    assert set(error.value.message_dict) == {"timeliness", "contacts_needed"}


def test_one_unsatisfied_item_or_extra_costs_make_the_rating_unsatisfied() -> None:
    world = build_world()
    unhappy = rate_dossier(
        dossier=make_dossier(world, "returned"),
        user=world.citizen,
        answers=Answers(timeliness=1, procedure_accuracy=3, staff_attitude=3, result_lawfulness=3),
    )
    costly = rate_dossier(
        dossier=make_dossier(world, "returned"),
        user=world.citizen,
        answers=Answers(
            timeliness=3, procedure_accuracy=3, staff_attitude=3, result_lawfulness=3, extra_costs_asked=True
        ),
    )
    assert unhappy.is_unsatisfied and costly.is_unsatisfied
