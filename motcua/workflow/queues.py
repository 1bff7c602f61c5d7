"""The officers' work queues: which dossiers wait for whom, how many, one page at a time.

- **To check** (online submissions): dossiers ``submitted`` at a one-stop unit where the officer
  receives, with the reception deadline of 8 working hours from submission (Decree
  118/2025/NĐ-CP Art. 17) on the competent agency's calendar. "Where the officer receives" is the
  rule of ``services.core.holds`` at the desk: their own unit, the reception points and counters
  below it, and the centre above a counter (reception units share their work).
- **To transfer**: dossiers ``received`` at those units, to hand to processing (Art. 18).
- **My steps**: dossiers with an active step in a unit where the officer holds the step's role
  (an agency leader also in the units below the agency), or an active inter-agency task with
  an agency where they hold a processing role (Art. 20) — what ``resolve_actor`` lets them act on.
- **Due soon / overdue / paused / with other agencies**: open dossiers of the officer's agencies
  (the receiving unit or competent agency is one where they may read, or one of its steps is
  in such a unit): whose clock runs and has less than ``DUE_SOON_WORKING_HOURS`` of office time
  left (counted on the default calendar, one threshold for the whole queue) / is past its legal
  due moment / is paused (Art. 19) / waits for other agencies (Art. 20).

Pages are keyset-paginated on (submitted_at, id) for "to check" and (legal_due_at, id) for the
others: the cursor is the last row's key, so a page costs one indexed range read, never an
OFFSET. Counts stop at ``COUNT_LIMIT`` (shown as "1000+") and are read for every queue in one
SQL statement: a tab never scans the whole table to say how much work is waiting.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.permissions import ROLE_GRANTS, Capability, Scope, agencies_where, roles_of
from motcua.agencies.models import ONE_STOP_KINDS, Agency
from motcua.agencies.queries import get_province_of
from motcua.catalog.models import AgencyProcedure, ProcedureVersion
from motcua.core.vietnamese import fold
from motcua.dossiers.models import Dossier, DossierState
from motcua.workdays import clock
from motcua.workdays.clock import OutsideCalendarError
from motcua.workflow import deadlines
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import DossierStep, InterAgencyTask, StepState, TaskState

#: Counts stop here: "1000+" says enough about a queue.
COUNT_LIMIT = 1000
#: Decree 118/2025/NĐ-CP Art. 17: an online dossier is checked within 8 working hours.
RECEPTION_CHECK_HOURS = 8
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200

#: States whose clock runs (due soon and overdue are about these).
RUNNING = (DossierState.RECEIVED, DossierState.IN_PROGRESS, DossierState.WITH_OTHER_AGENCIES)
#: The roles that hold processing steps and inter-agency tasks.
STEP_ROLES = (StaffRoleName.SPECIALIST, StaffRoleName.DEPARTMENT_HEAD, StaffRoleName.AGENCY_LEADER)


class Queue(enum.StrEnum):
    TO_CHECK = "to_check"
    TO_TRANSFER = "to_transfer"
    MY_STEPS = "my_steps"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    WITH_OTHER_AGENCIES = "with_other_agencies"


QUEUE_LABELS = {
    Queue.TO_CHECK: _("Online submissions to check"),
    Queue.TO_TRANSFER: _("Received, to transfer"),
    Queue.MY_STEPS: _("My steps"),
    Queue.DUE_SOON: _("Due soon"),
    Queue.OVERDUE: _("Overdue"),
    Queue.PAUSED: _("Paused"),
    Queue.WITH_OTHER_AGENCIES: _("With other agencies"),
}


@dataclass(frozen=True, slots=True)
class QueueCount:
    value: int

    @property
    def is_capped(self) -> bool:
        return self.value > COUNT_LIMIT

    def __str__(self) -> str:
        return f"{COUNT_LIMIT}+" if self.is_capped else str(self.value)


@dataclass(frozen=True, slots=True)
class Cursor:
    key: dt.datetime
    pk: int

    def encode(self) -> str:
        return f"{self.key.isoformat()}_{self.pk}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor written by ``encode``; None for anything else (the page starts again)."""
        moment, _sep, pk = text.rpartition("_")
        try:
            key = dt.datetime.fromisoformat(moment)
            number = int(pk)
        except ValueError:
            return None
        if key.tzinfo is None:
            return None
        return cls(key, number)


@dataclass(frozen=True, slots=True)
class QueueRow:
    dossier: Dossier
    #: The reception deadline (to check) or the legal due moment (every other queue).
    due_at: dt.datetime | None
    is_overdue: bool


@dataclass(frozen=True, slots=True)
class QueuePage:
    queue: Queue
    rows: list[QueueRow]
    next_cursor: str | None


def _sort_field(queue: Queue) -> str:
    return "submitted_at" if queue is Queue.TO_CHECK else "legal_due_at"


def _role_units(user: User, roles: Sequence[str], field: str, *, role_field: str | None = None) -> Q | None:
    """Rows whose ``field`` (an agency) is a unit where ``user`` holds one of ``roles`` (leaders: below too).

    With ``role_field``, the row's own role must be the one held there (a step is for one role).
    """
    condition: Q | None = None
    for held in roles_of(user):
        if held.role not in roles:
            continue
        agency = held.membership.agency
        if ROLE_GRANTS[StaffRoleName(held.role)].scope is Scope.SUBTREE:
            part = Q(**{f"{field}__in": Agency.objects.subtree_of([agency]).values("pk")})
        else:
            part = Q(**{f"{field}_id": agency.pk})
        if role_field is not None:
            part &= Q(**{role_field: held.role})
        condition = part if condition is None else condition | part
    return condition


def _receiving_units(user: User) -> Q | None:
    """Dossiers at a desk where ``user`` receives (``services.core.holds`` with ``one_stop``)."""
    desks = [held.membership.agency for held in roles_of(user) if held.role == StaffRoleName.RECEIVING_OFFICER]
    if not desks:
        return None
    above = {pk for desk in desks for pk in desk.ancestor_ids}
    return Q(receiving_unit__in=Agency.objects.subtree_of(desks).values("pk")) | Q(receiving_unit_id__in=above)


def _my_steps(user: User) -> Q | None:
    steps = _role_units(user, [str(role) for role in STEP_ROLES], "unit", role_field="role")
    tasks = _role_units(user, [str(role) for role in STEP_ROLES], "agency")
    if steps is None or tasks is None:
        return None
    # A step a leader gave to a named officer is in that officer's steps only (services.assignment).
    mine_or_unassigned = Q(assignee__isnull=True) | Q(assignee=user)
    active_step = DossierStep.objects.filter(steps, mine_or_unassigned, dossier=OuterRef("pk"), state=StepState.ACTIVE)
    active_task = InterAgencyTask.objects.filter(tasks, dossier=OuterRef("pk"), state=TaskState.ACTIVE)
    return Q(Exists(active_step)) | Q(Exists(active_task))


def _agency_scope(user: User) -> Q | None:
    if not roles_of(user):
        return None
    readable = agencies_where(user, Capability.READ)
    ids = readable.values("pk")
    steps_here = DossierStep.objects.filter(dossier=OuterRef("pk"), unit__in=readable.values("pk"))
    return Q(receiving_unit__in=ids) | Q(competent_agency__in=ids) | Q(Exists(steps_here))


def due_soon_threshold(now: dt.datetime) -> dt.datetime:
    """The moment ``DUE_SOON_WORKING_HOURS`` of office time after ``now`` (default calendar)."""
    try:
        return clock.add_working_hours(calendar_for(None), now, deadlines.DUE_SOON_WORKING_HOURS)
    except OutsideCalendarError:
        return now + dt.timedelta(days=1)


def queue_filters(user: User, wanted: Iterable[Queue], *, now: dt.datetime) -> dict[Queue, Q | None]:
    """The condition of each ``wanted`` queue for ``user`` (None: the queue is empty for them).

    What the queues share (the desks, the agencies' scope) is worked out once for all of them.
    """
    chosen = set(wanted)
    found: dict[Queue, Q | None] = {}
    if chosen & {Queue.TO_CHECK, Queue.TO_TRANSFER}:
        desk = _receiving_units(user)
        for queue, state in ((Queue.TO_CHECK, DossierState.SUBMITTED), (Queue.TO_TRANSFER, DossierState.RECEIVED)):
            if queue in chosen:
                found[queue] = None if desk is None else desk & Q(state=state)
    if Queue.MY_STEPS in chosen:
        mine = _my_steps(user)
        found[Queue.MY_STEPS] = (
            None if mine is None else mine & Q(state__in=(DossierState.IN_PROGRESS, DossierState.WITH_OTHER_AGENCIES))
        )
    rest = chosen - found.keys()
    if rest:
        scope = _agency_scope(user)
        for queue in rest:
            found[queue] = None if scope is None else scope & _agency_queue(queue, now)
    return found


def _agency_queue(queue: Queue, now: dt.datetime) -> Q:
    if queue is Queue.DUE_SOON:
        return Q(state__in=RUNNING, legal_due_at__gte=now, legal_due_at__lt=due_soon_threshold(now))
    if queue is Queue.OVERDUE:
        return Q(state__in=RUNNING, legal_due_at__lt=now)
    if queue is Queue.PAUSED:
        return Q(state=DossierState.PAUSED)
    return Q(state=DossierState.WITH_OTHER_AGENCIES)


def queue_filter(user: User, queue: Queue, *, now: dt.datetime) -> Q | None:
    """The condition of ``queue`` for ``user`` (None: the queue is empty for them)."""
    return queue_filters(user, [queue], now=now)[queue]


def _search(queryset: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Dossiers whose code, applicant's name or identification number contain every word of ``text``."""
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _queryset(queue: Queue, condition: Q | None, search: str) -> QuerySet[Dossier]:
    if condition is None:
        return Dossier.objects.none()
    field = _sort_field(queue)
    queryset = Dossier.objects.filter(condition, **{f"{field}__isnull": False})
    return _search(queryset, search) if search.strip() else queryset


def queue_queryset(user: User, queue: Queue, *, now: dt.datetime, search: str = "") -> QuerySet[Dossier]:
    return _queryset(queue, queue_filter(user, queue, now=now), search)


def count_queues(user: User, *, now: dt.datetime, search: str = "") -> dict[Queue, QueueCount]:
    """How many dossiers wait in each queue, up to ``COUNT_LIMIT`` + 1 each, in one SQL statement."""
    parts: list[str] = []
    params: list[Any] = []
    found: dict[Queue, QueueCount] = {}
    queues = []
    for queue, condition in queue_filters(user, Queue, now=now).items():
        if condition is None:
            found[queue] = QueueCount(0)
            continue
        bounded = _queryset(queue, condition, search).order_by().values("pk")[: COUNT_LIMIT + 1]
        sql, sql_params = bounded.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{len(parts)})")  # noqa: S608 - Django's own SQL, parameters bound
        params.extend(sql_params)
        queues.append(queue)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        for queue, value in zip(queues, row, strict=True):
            found[queue] = QueueCount(int(value))
    return {queue: found[queue] for queue in Queue}


def list_queue(
    user: User,
    queue: Queue,
    *,
    now: dt.datetime,
    search: str = "",
    after: Cursor | None = None,
    page_size: int | None = None,
) -> QueuePage:
    """One page of ``queue`` for ``user``, oldest deadline first, after ``after``."""
    page_size = max(1, min(page_size or PAGE_SIZE, MAX_PAGE_SIZE))
    field = _sort_field(queue)
    queryset = queue_queryset(user, queue, now=now, search=search)
    if after is not None:
        queryset = queryset.filter(Q(**{f"{field}__gt": after.key}) | Q(**{field: after.key, "pk__gt": after.pk}))
    dossiers = list(
        queryset.select_related("procedure_version", "receiving_unit", "competent_agency")
        .only(
            "code",
            "state",
            "applicant_name",
            "applicant_id_number",
            "submitted_at",
            "legal_due_at",
            "appointment_at",
            "paused_at",
            "lock_version",
            "procedure_version__name",
            "receiving_unit__name",
            "competent_agency__name",
            "competent_agency_id",
            "receiving_unit_id",
            "procedure_version_id",
        )
        .order_by(field, "pk")[: page_size + 1]
    )
    more = len(dossiers) > page_size
    dossiers = dossiers[:page_size]
    rows = [_row(queue, dossier, now) for dossier in dossiers]
    next_cursor = None
    if more and dossiers:
        last = dossiers[-1]
        key = getattr(last, field)
        next_cursor = Cursor(key, last.pk).encode()
    return QueuePage(queue=queue, rows=rows, next_cursor=next_cursor)


def reception_deadline(dossier: Dossier) -> dt.datetime | None:
    """When an online dossier must have been checked: 8 working hours after submission (Art. 17)."""
    if dossier.submitted_at is None:
        return None
    try:
        return clock.add_working_hours(
            calendar_for(dossier.competent_agency_id), dossier.submitted_at, RECEPTION_CHECK_HOURS
        )
    except OutsideCalendarError:
        return None


def _row(queue: Queue, dossier: Dossier, now: dt.datetime) -> QueueRow:
    due = reception_deadline(dossier) if queue is Queue.TO_CHECK else dossier.legal_due_at
    return QueueRow(dossier=dossier, due_at=due, is_overdue=due is not None and due < now)


# The leader's view ---------------------------------------------------------------------------


def list_approvals_waiting(user: User, *, limit: int = 100) -> list[DossierStep]:
    """Active steps for the agency leader's role in units of the leader's agencies (oldest due first)."""
    units = _role_units(user, [StaffRoleName.AGENCY_LEADER], "unit")
    if units is None:
        return []
    return list(
        DossierStep.objects.filter(units, state=StepState.ACTIVE, role=StaffRoleName.AGENCY_LEADER)
        .select_related("dossier", "dossier__procedure_version", "unit")
        .order_by("due_at", "pk")[:limit]
    )


@dataclass(frozen=True, slots=True)
class UnitOverdue:
    unit_id: int
    unit_name: str
    steps_overdue: int  # active steps past their own deadline
    dossiers_overdue: int  # active steps of dossiers past their legal due moment


def count_overdue_by_unit(user: User, *, now: dt.datetime) -> list[UnitOverdue]:
    """Per unit under the leader's agencies, the work in hand that is late (one grouped query).

    It reads the active steps only (the work in hand), never the closed dossiers.
    """
    units = _role_units(user, [StaffRoleName.AGENCY_LEADER], "unit")
    if units is None:
        return []
    rows = (
        DossierStep.objects.filter(units, state=StepState.ACTIVE)
        .values("unit", "unit__name")
        .annotate(
            steps_overdue=Count("pk", filter=Q(due_at__lt=now)),
            dossiers_overdue=Count("pk", filter=Q(dossier__legal_due_at__lt=now, dossier__state__in=RUNNING)),
        )
        .order_by()
    )
    return sorted(
        (UnitOverdue(row["unit"], row["unit__name"], row["steps_overdue"], row["dossiers_overdue"]) for row in rows),
        key=lambda item: (-item.dossiers_overdue, -item.steps_overdue, item.unit_name),
    )


# The counter ------------------------------------------------------------------------------------


def list_desks(user: User) -> QuerySet[Agency]:
    """The one-stop units where ``user`` receives at the counter (their receiving-officer units)."""
    ids = [held.membership.agency_id for held in roles_of(user) if held.role == StaffRoleName.RECEIVING_OFFICER]
    return Agency.objects.filter(pk__in=ids, kind__in=ONE_STOP_KINDS).order_by("name", "pk")


@dataclass(frozen=True, slots=True)
class CounterOffer:
    offer: AgencyProcedure
    version: ProcedureVersion


def list_counter_offers(user: User, *, search: str = "", limit: int = 20) -> list[CounterOffer]:
    """Procedures the officer's desks receive, current version, matching every word of ``search``.

    Any one-stop unit of a province receives the procedures of every agency in it (Decree
    118/2025/NĐ-CP Art. 14.2): the offers of the agencies in the desks' provinces.
    """
    desks = list(list_desks(user))
    if not desks:
        return []
    roots = [get_province_of(desk) or desk for desk in desks]
    versions = (
        ProcedureVersion.objects.current().search(search) if search.strip() else ProcedureVersion.objects.current()
    )
    version_of = versions.filter(procedure_id=OuterRef("procedure_id")).values("pk")[:1]
    offers = list(
        AgencyProcedure.objects.filter(is_active=True, agency__in=Agency.objects.subtree_of(roots).values("pk"))
        .annotate(version_id=Subquery(version_of))
        .filter(version_id__isnull=False)
        .select_related("agency", "procedure")
        .order_by("procedure__code", "pk")[:limit]
    )
    found = ProcedureVersion.objects.in_bulk([offer.version_id for offer in offers])  # type: ignore[attr-defined]
    return [CounterOffer(offer, found[offer.version_id]) for offer in offers]  # type: ignore[attr-defined]


def get_counter_offer(user: User, offer_id: int) -> CounterOffer | None:
    """One offer the officer's desks receive (None otherwise), with its current version."""
    desks = list(list_desks(user))
    if not desks:
        return None
    roots = [get_province_of(desk) or desk for desk in desks]
    offer = (
        AgencyProcedure.objects.filter(
            pk=offer_id, is_active=True, agency__in=Agency.objects.subtree_of(roots).values("pk")
        )
        .select_related("agency", "procedure")
        .first()
    )
    if offer is None:
        return None
    version = ProcedureVersion.objects.current().filter(procedure_id=offer.procedure_id).first()
    return None if version is None else CounterOffer(offer, version)
