"""The demo's live dossiers: a fortnight of civil-status work at the first staffed commune.

Each dossier is taken through the real lifecycle services (``motcua.workflow.services``) by the
demo's own officers, so that its code, due moments, events, slips and notifications are exactly
what a real one would have: some wait at the desk, some are on each step of the internal
process, one waits for a supplement, one is with the provincial Department of Justice
(liên thông), one is paused, one is overdue, and some are returned or refused. The online ones
are the demo citizen's own (account ``congdan``); the counter ones are walk-ins. Times are counted
back from the moment of loading on the commune's working calendar, so the queues look current
on any day. A second load finds the dossiers (by their idempotency keys) and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.channels import Channel
from motcua.catalog.models import AgencyProcedure, Component
from motcua.dossiers.attachments import store_attachment
from motcua.dossiers.models import DeliveryMethod, Dossier
from motcua.workdays import clock
from motcua.workflow import services
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import InterAgencyMode
from motcua.workflow.services import ApplicantDetails, ReceivedDocument, TaskSpec

#: A one-page PDF standing in for a scanned paper (the demo never ships real people's documents).
SCAN = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
#: Procedures the stories use, most used first (commune level, civil status, in the shipped records).
PROCEDURES = ("1.004884", "2.000635", "2.001023")
KEY_PREFIX = "demo-live-"


@dataclass(frozen=True, slots=True)
class Cast:
    citizen: User
    receiving: User
    specialist: User
    head: User
    leader: User
    commune: Agency
    centre: Agency
    justice: Agency  # the provincial Department of Justice, for the inter-agency story


@dataclass(frozen=True, slots=True)
class Story:
    """One dossier: who applies, for what, when (working days ago), and how far it has gone."""

    key: str
    applicant: ApplicantDetails
    procedure: str
    channel: str
    days_ago: int
    until: str


def _person(name: str, id_number: str, phone: str, address: str) -> ApplicantDetails:
    return ApplicantDetails(name=name, id_number=id_number, phone=phone, address=address)


STORIES: tuple[Story, ...] = (
    Story("01", _person("Nguyễn Văn An", "025088000101", "0903000101", "Tổ 3, phường Việt Trì"), "1.004884",
          Channel.ONLINE, 0, "submitted"),
    Story("02", _person("Trần Thị Bình", "025092000102", "0903000102", "Tổ 7, phường Việt Trì"), "2.000635",
          Channel.ONLINE, 0, "submitted"),
    Story("03", _person("Lê Văn Cường", "025085000103", "0903000103", "Tổ 1, phường Việt Trì"), "2.000635",
          Channel.COUNTER, 1, "received"),
    Story("04", _person("Phạm Thị Dung", "025095000104", "0903000104", "Tổ 12, phường Việt Trì"), "1.004884",
          Channel.COUNTER, 1, "in_progress"),
    Story("05", _person("Hoàng Văn Em", "025079000105", "0903000105", "Tổ 5, phường Việt Trì"), "2.001023",
          Channel.ONLINE, 2, "reviewing"),
    Story("06", _person("Vũ Thị Giang", "025091000106", "0903000106", "Tổ 9, phường Việt Trì"), "1.004884",
          Channel.ONLINE, 2, "approving"),
    Story("07", _person("Đặng Văn Hải", "025087000107", "0903000107", "Tổ 2, phường Việt Trì"), "2.000635",
          Channel.ONLINE, 3, "supplement_requested"),
    Story("08", _person("Bùi Thị Hương", "025093000108", "0903000108", "Tổ 4, phường Việt Trì"), "1.004884",
          Channel.COUNTER, 3, "with_other_agencies"),
    Story("09", _person("Ngô Văn Khánh", "025080000109", "0903000109", "Tổ 6, phường Việt Trì"), "2.001023",
          Channel.COUNTER, 4, "paused"),
    Story("10", _person("Đỗ Thị Lan", "025094000110", "0903000110", "Tổ 8, phường Việt Trì"), "1.004884",
          Channel.COUNTER, 25, "in_progress"),
    Story("11", _person("Vũ Minh Anh", "", "", "Số 1 đường Hùng Vương, phường Việt Trì"), "2.000635",
          Channel.ONLINE, 5, "result_ready"),
    Story("12", _person("Vũ Minh Anh", "", "", "Số 1 đường Hùng Vương, phường Việt Trì"), "1.004884",
          Channel.ONLINE, 8, "returned"),
    Story("13", _person("Trịnh Văn Minh", "025086000113", "0903000113", "Tổ 10, phường Việt Trì"), "2.000635",
          Channel.COUNTER, 6, "returned"),
    Story("14", _person("Lý Thị Nga", "025096000114", "0903000114", "Tổ 11, phường Việt Trì"), "1.004884",
          Channel.ONLINE, 4, "refused"),
)  # fmt: skip


def load_live_dossiers(cast: Cast, *, now: dt.datetime | None = None) -> int:
    """Play every story not yet in the database; returns how many dossiers were added."""
    now = now or timezone.now()
    offers = {
        offer.procedure.code: offer
        for offer in AgencyProcedure.objects.filter(
            agency=cast.commune, procedure__code__in=PROCEDURES, is_active=True
        ).select_related("procedure")
    }
    added = 0
    for story in STORIES:
        key = KEY_PREFIX + story.key
        offer = offers.get(story.procedure)
        if offer is None or Dossier.objects.filter(idempotency_key=key).exists():
            continue
        _play(story, offer, cast, key, _start_of(cast, now, story.days_ago))
        added += 1
    return added


def _start_of(cast: Cast, now: dt.datetime, days_ago: int) -> dt.datetime:
    """09:00 of the working day ``days_ago`` working days before ``now``; today's stories start an hour ago."""
    if days_ago == 0:
        return now - dt.timedelta(hours=1)
    cal = calendar_for(cast.commune.pk)
    day = timezone.localtime(now).date()
    counted = 0
    while True:
        day -= dt.timedelta(days=1)
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
        if clock.is_working_time(cal, moment):
            counted += 1
            if counted == days_ago:
                return moment


def _play(story: Story, offer: AgencyProcedure, cast: Cast, key: str, start: dt.datetime) -> None:
    moments = _Ticker(start)
    online = story.channel == Channel.ONLINE
    applicant = story.applicant
    if online:  # online dossiers are the demo citizen's own, submitted from their account
        applicant = ApplicantDetails(
            name=cast.citizen.full_name,
            id_number=cast.citizen.personal_id or "",
            phone=cast.citizen.phone,
            email=cast.citizen.email,
            address=applicant.address,
        )
    variant = offer.procedure.versions.get(valid_to__isnull=True).variants.get(is_default=True)
    dossier = services.start_draft(
        agency_procedure=offer,
        variant=variant,
        channel=story.channel,
        receiving_unit=cast.centre,
        applicant=applicant,
        applicant_user=cast.citizen if online else None,
        created_by=cast.citizen if online else cast.receiving,
        delivery_method=DeliveryMethod.ONLINE if online else DeliveryMethod.COUNTER,
        idempotency_key=key,
        now=moments.next(),
    )
    required = list(Component.objects.filter(version=dossier.procedure_version, is_required=True))
    for component in required:
        store_attachment(dossier=dossier, handle=io.BytesIO(SCAN), name="ban-chup.pdf", component_id=component.pk)
    pk = dossier.pk
    if online:
        services.submit(dossier_id=pk, user=cast.citizen, now=moments.next())
        if story.until == "submitted":
            return
        if story.until == "refused":
            services.refuse(
                dossier_id=pk,
                user=cast.receiving,
                reasons="Thủ tục thuộc thẩm quyền nơi đã đăng ký khai sinh trước đây.",
                now=moments.next(),
            )
            return
        services.receive(dossier_id=pk, user=cast.receiving, now=moments.next())
    else:
        documents = [ReceivedDocument(component.pk, originals=1) for component in required]
        services.receive_at_counter(dossier_id=pk, user=cast.receiving, documents=documents, now=moments.next())
    if story.until == "received":
        return
    services.transfer(dossier_id=pk, user=cast.receiving, now=moments.next())
    steps: dict[str, Callable[[], object]] = {
        "supplement_requested": lambda: services.request_supplement(
            dossier_id=pk,
            user=cast.specialist,
            reason="Bản chụp giấy tờ tùy thân bị mờ, không đọc được số.",
            missing=["Bản chụp giấy tờ tùy thân rõ nét"],
            now=moments.next(),
        ),
        "with_other_agencies": lambda: services.forward_to_agencies(
            dossier_id=pk,
            user=cast.specialist,
            mode=InterAgencyMode.DIFFERENT_LEVEL,
            tasks=[TaskSpec(cast.justice, "Xác minh thông tin hộ tịch lưu tại Sở", 2)],
            now=moments.next(),
        ),
        "paused": lambda: services.pause(
            dossier_id=pk, user=cast.leader, reason="Chờ kết quả xác minh của công an", now=moments.next()
        ),
    }
    if story.until in steps:
        steps[story.until]()
        return
    if story.until == "in_progress":
        return
    services.forward(dossier_id=pk, user=cast.specialist, now=moments.next())
    if story.until == "reviewing":
        return
    services.forward(dossier_id=pk, user=cast.head, now=moments.next())
    if story.until == "approving":
        return
    services.approve(dossier_id=pk, user=cast.leader, now=moments.next())
    services.attach_result(
        dossier_id=pk, user=cast.leader, handle=io.BytesIO(SCAN), name="ket-qua.pdf", now=moments.next()
    )
    if story.until == "result_ready":
        return
    services.return_result(dossier_id=pk, user=cast.receiving, now=moments.next())


class _Ticker:
    """Successive moments of one story, a quarter of an hour apart (each action comes after the last)."""

    def __init__(self, start: dt.datetime) -> None:
        self._moment = start - dt.timedelta(minutes=15)

    def next(self) -> dt.datetime:
        self._moment += dt.timedelta(minutes=15)
        return self._moment


def demo_cast(commune: Agency, province: Agency, users: dict[str, User]) -> Cast:
    """The demo's people and places for the stories (see motcua/demo/data.py)."""
    return Cast(
        citizen=users["congdan"],
        receiving=users["tiepnhan"],
        specialist=users["chuyenvien"],
        head=users["truongphong"],
        leader=users["lanhdao"],
        commune=commune,
        centre=Agency.objects.get(parent=commune, kind=AgencyKind.SERVICE_CENTRE),
        justice=Agency.objects.get(parent=province, short_name="Sở Tư pháp"),
    )
