"""Rating a dossier (Decree 118/2025/NĐ-CP Art. 33): by its applicant, once, after the result.

A rating is given once the dossier has ended with a decision the applicant can judge: the
result returned (or ready), or the dossier refused. The applicant's own account rates it;
the online-service item only applies to dossiers submitted online.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.channels import Channel
from motcua.dossiers.models import Dossier, DossierState
from motcua.feedback.models import GRADED_ITEMS, Level, Rating

RATABLE_STATES = frozenset({DossierState.RESULT_READY, DossierState.RETURNED, DossierState.REFUSED})


@dataclass(frozen=True, slots=True)
class Answers:
    timeliness: int
    procedure_accuracy: int
    staff_attitude: int
    result_lawfulness: int
    agencies_contacted: int = 1
    contacts_needed: int = 1
    extra_costs_asked: bool = False
    complaint_handling: int | None = None
    online_service: int | None = None
    comment: str = ""


def can_rate(user: User, dossier: Dossier) -> bool:
    return (
        dossier.applicant_id == user.pk
        and dossier.state in RATABLE_STATES
        and not Rating.objects.filter(dossier=dossier).exists()
    )


@transaction.atomic
def rate_dossier(*, dossier: Dossier, user: User, answers: Answers, now: dt.datetime | None = None) -> Rating:
    """Record the applicant's rating; ValidationError (by field) if it cannot be given."""
    if dossier.applicant_id != user.pk:
        raise ValidationError(_("Only the applicant rates their dossier."))
    if dossier.state not in RATABLE_STATES:
        raise ValidationError(_("A dossier is rated once its result is ready or it has been refused."))
    errors: dict[str, str] = {}
    for item in GRADED_ITEMS:
        value = getattr(answers, item)
        optional = item in ("complaint_handling", "online_service")
        if value is None and optional:
            continue
        if value not in Level.values:
            errors[item] = _("Choose one of the three answers.")
    if answers.online_service is not None and dossier.channel != Channel.ONLINE:
        errors["online_service"] = _("This dossier was not submitted online.")
    for item in ("agencies_contacted", "contacts_needed"):
        if not 1 <= getattr(answers, item) <= 50:
            errors[item] = _("Give a number from 1 to 50.")
    if errors:
        raise ValidationError(errors)
    fields = dataclasses.asdict(answers)
    fields["comment"] = answers.comment.strip()
    rating = Rating(dossier=dossier, rated_by=user, rated_at=now or timezone.now(), **fields)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as error:
        raise ValidationError(_("This dossier has already been rated.")) from error
    return rating
