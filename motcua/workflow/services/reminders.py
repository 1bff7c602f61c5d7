"""The deadline sweep: reminders to the staff for dossiers due soon or overdue.

Run periodically (``manage.py sweep_deadlines``, or the worker). A dossier whose clock runs
(received, in progress, with other agencies) gets one "due soon" reminder when less than
``deadlines.DUE_SOON_WORKING_HOURS`` of office time is left, and one "overdue" reminder once its
legal due moment has passed. What was sent is kept on the dossier (level and the due moment it
was about), so running the sweep again sends nothing twice, and a due moment that moves (a
pause, a restart) earns a fresh reminder. One indexed range query on (state, due moment) finds
the candidates, so the sweep's cost follows the dossiers near their deadline, not all open ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.accounts.models import StaffMembership, StaffRoleName
from motcua.dossiers.models import Dossier, DossierState
from motcua.notifications import services as outbox
from motcua.notifications import topics
from motcua.workflow import deadlines
from motcua.workflow.calendars import calendar_for
from motcua.workflow.services.core import tracking_path

RUNNING = (DossierState.RECEIVED, DossierState.IN_PROGRESS, DossierState.WITH_OTHER_AGENCIES)
DUE_SOON, OVERDUE = 1, 2
#: The roles told about deadlines: those who can act on them.
REMINDED_ROLES = (StaffRoleName.AGENCY_LEADER, StaffRoleName.DEPARTMENT_HEAD)


@dataclass(frozen=True, slots=True)
class SweepReport:
    due_soon: int
    overdue: int


def sweep_deadlines(*, now: dt.datetime | None = None) -> SweepReport:
    """Queue the reminders that are due and not yet sent; returns how many of each."""
    now = now or timezone.now()
    horizon = deadlines.online_check_due(calendar_for(None), now)  # 8 working hours ahead
    candidates = (
        Dossier.objects.filter(state__in=RUNNING, legal_due_at__lte=horizon)
        .filter(
            Q(reminded_for_due__isnull=True)
            | ~Q(reminded_for_due=F("legal_due_at"))
            | Q(reminder_level__lt=OVERDUE, legal_due_at__lte=now)
        )
        .values_list("pk", "code", "lookup_secret", "legal_due_at", "competent_agency_id", "procedure_version__name")
    )
    rows = list(candidates)
    emails = _staff_emails({row[4] for row in rows})
    levels: dict[int, list[int]] = defaultdict(list)
    messages = []
    for pk, code, secret, due, agency_id, procedure_name in rows:
        if due is None:  # excluded by the filter on legal_due_at; this tells the type checker
            continue
        level = OVERDUE if due <= now else DUE_SOON
        topic = topics.DOSSIER_OVERDUE if level == OVERDUE else topics.DOSSIER_DUE_SOON
        levels[level].append(pk)
        messages.append(
            outbox.Pending(
                topic=topic,
                key=f"{topic}:{pk}:{due.isoformat()}",
                payload={
                    "dossier_id": pk,
                    "code": code or "",
                    "lookup_secret": secret,
                    "procedure_name": procedure_name,
                    "staff_emails": emails.get(agency_id, []),
                    "due_at": due.isoformat(),
                    "tracking_path": tracking_path(code),
                },
            )
        )
    with transaction.atomic():
        outbox.enqueue_many(messages, now=now)
        for level, ids in levels.items():
            Dossier.objects.filter(pk__in=ids).update(reminder_level=level, reminded_for_due=F("legal_due_at"))
    return SweepReport(due_soon=len(levels[DUE_SOON]), overdue=len(levels[OVERDUE]))


def _staff_emails(agency_ids: set[int]) -> dict[int, list[str]]:
    """Emails of the leaders and department heads of each agency (one query)."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        StaffMembership.objects.filter(
            agency_id__in=agency_ids, is_active=True, user__is_active=True, roles__role__in=REMINDED_ROLES
        )
        .exclude(user__email="")
        .values_list("agency_id", "user__email")
        .distinct()
    )
    for agency_id, email in rows:
        found[agency_id].append(email)
    return found
