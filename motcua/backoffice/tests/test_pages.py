"""The officers' pages through the test client: queues, the dossier and its actions, the leader's view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Attachment, AttachmentPurpose, DossierState
from motcua.workdays import clock
from motcua.workflow import services
from motcua.workflow.calendars import calendar_for, forget_calendars
from motcua.workflow.models import DossierEvent, InterAgencyTask
from motcua.workflow.tests.factories import MONDAY, PDF, World, build_world, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def signed_in(client, user):
    client.force_login(user)
    return client


def queue_url(queue: str) -> str:
    return reverse("backoffice:queue", args=[queue])


def forwarding(dossier, mode: str, lead: int = 1, **rows: object) -> dict[str, object]:
    """The forwarding form as posted: the mode, the lead's number and the agencies' rows."""
    return {
        "forward_to_agencies-expected_version": dossier.lock_version,
        "forward_to_agencies-mode": mode,
        "forward_to_agencies-lead": lead,
        **{f"forward_to_agencies-{name}": value for name, value in rows.items()},
    }


def dossier_url(dossier) -> str:
    return reverse("backoffice:dossier", args=[dossier.pk])


def act_url(dossier, action: str) -> str:
    return reverse("backoffice:act", args=[dossier.pk, action])


QUEUES = ["to_check", "to_transfer", "my_steps", "due_soon", "overdue", "paused", "with_other_agencies"]


def officer_for(world, queue: str):
    if queue in ("to_check", "to_transfer"):
        return world.receiving
    return world.specialist if queue == "my_steps" else world.leader


def make_pair(world, n: int) -> None:
    """A submitted dossier and one in progress."""
    make_dossier(world, "submitted", now=MONDAY + dt.timedelta(minutes=10 * n))
    make_dossier(world, "in_progress", now=MONDAY + dt.timedelta(minutes=10 * n + 5))


def action_buttons(response) -> set[str]:
    return {item["action"] for item in response.context["actions"]}


class TestQueuePage:
    def test_the_desk_sees_its_submissions_and_another_desk_does_not(self, client, world):
        dossier = make_dossier(world, "submitted")

        page = signed_in(client, world.receiving).get(queue_url("to_check"))

        assert page.status_code == 200
        assert dossier.code in page.content.decode()
        assert "Online submissions to check" in page.content.decode()
        other = signed_in(client, world.other_receiving).get(queue_url("to_check"))
        assert dossier.code not in other.content.decode()

    def test_the_front_page_shows_my_steps_with_counts(self, client, world):
        dossier = make_dossier(world, "in_progress")

        page = signed_in(client, world.specialist).get(reverse("backoffice:queues"))

        assert dossier.code in page.content.decode()
        counts = {queue.value: count.value for queue, _label, count in page.context["tabs"]}
        assert counts["my_steps"] == 1
        assert counts["to_check"] == 0

    def test_the_search_box_filters_and_keeps_what_was_typed(self, client, world):
        dossier = make_dossier(world, "submitted")

        found = signed_in(client, world.receiving).get(queue_url("to_check"), {"q": "nguyen thi lan"})
        missed = client.get(queue_url("to_check"), {"q": "tran van"})

        assert dossier.code in found.content.decode()
        assert 'value="nguyen thi lan"' in found.content.decode()
        assert dossier.code not in missed.content.decode()

    def test_an_unknown_queue_is_not_found(self, client, world):
        assert signed_in(client, world.receiving).get(queue_url("everything")).status_code == 404

    @pytest.mark.parametrize("queue", QUEUES)
    def test_a_queue_page_costs_at_most_ten_queries_whatever_its_size(
        self, client, world, queue, django_assert_max_num_queries
    ):
        signed_in(client, officer_for(world, queue))
        make_pair(world, 0)
        forget_calendars()  # a cold process: each calendar is read once (then kept, calendars.py)
        with CaptureQueriesContext(connection) as small:
            client.get(queue_url(queue))
        for n in range(1, 15):
            make_pair(world, n)
        forget_calendars()
        with CaptureQueriesContext(connection) as large:
            page = client.get(queue_url(queue))
        with django_assert_max_num_queries(10):
            client.get(queue_url(queue))

        assert len(large.captured_queries) == len(small.captured_queries)
        assert page.status_code == 200
        if queue in ("to_check", "my_steps"):  # the others depend on the real time
            assert len(page.context["page"].rows) == 15

    def test_the_next_page_link_carries_the_cursor(self, client, world, monkeypatch):
        from motcua.workflow import queues

        monkeypatch.setattr(queues, "PAGE_SIZE", 2)
        made = [make_dossier(world, "submitted", now=MONDAY + dt.timedelta(minutes=10 * n)) for n in range(3)]
        signed_in(client, world.receiving)

        first = client.get(queue_url("to_check"))
        cursor = first.context["page"].next_cursor
        second = client.get(queue_url("to_check"), {"after": cursor})

        assert [row.dossier.pk for row in first.context["page"].rows] == [made[0].pk, made[1].pk]
        assert [row.dossier.pk for row in second.context["page"].rows] == [made[2].pk]
        assert 'rel="next"' in first.content.decode()


class TestDossierPage:
    def test_shows_the_dossier_its_files_clock_timeline_and_only_the_desks_actions(self, client, world):
        dossier = make_dossier(world, "submitted")

        page = signed_in(client, world.receiving).get(dossier_url(dossier))

        html = page.content.decode()
        assert page.status_code == 200
        assert dossier.applicant_name in html
        assert dossier.procedure_version.name in html
        assert reverse("portal:attachment", args=[dossier.pk, dossier.attachments.earliest("pk").pk]) in html
        assert "Submit" in [entry.label for entry in page.context["timeline"]]
        assert action_buttons(page) == {"receive", "request_supplement", "refuse"}
        assert f'name="receive-expected_version" value="{dossier.lock_version}"' in html

    def test_a_step_holder_sees_the_step_actions_and_a_leader_the_leaders(self, client, world):
        dossier = make_dossier(world, "in_progress")

        specialist = signed_in(client, world.specialist).get(dossier_url(dossier))
        assert action_buttons(specialist) == {"forward", "send_back", "forward_to_agencies", "request_supplement"}
        assert [step.name for step in specialist.context["clock"].steps]  # per-step deadlines shown
        head = signed_in(client, world.head).get(dossier_url(dossier))
        assert action_buttons(head) == set()
        assert "Nothing for you to do on this dossier now." in head.content.decode()
        leader = signed_in(client, world.leader).get(dossier_url(dossier))
        assert action_buttons(leader) == {"pause", "extend", "refuse"}
        desk = signed_in(client, world.receiving).get(dossier_url(dossier))
        assert action_buttons(desk) == {"stop"}

    def test_the_last_step_approves_instead_of_forwarding(self, client, world):
        dossier = make_dossier(world, "in_progress")
        services.forward(dossier_id=dossier.pk, user=world.specialist, now=MONDAY + dt.timedelta(hours=1))
        services.forward(dossier_id=dossier.pk, user=world.head, now=MONDAY + dt.timedelta(hours=2))

        page = signed_in(client, world.leader).get(dossier_url(dossier))

        assert "approve" in action_buttons(page)
        assert "forward" not in action_buttons(page)

    def test_receiving_changes_the_state_and_writes_the_event(self, client, world):
        dossier = make_dossier(world, "submitted")

        response = signed_in(client, world.receiving).post(
            act_url(dossier, "receive"), {"receive-expected_version": dossier.lock_version}
        )

        assert response.status_code == 302
        assert response["Location"] == dossier_url(dossier)
        dossier.refresh_from_db()
        assert dossier.state == DossierState.RECEIVED
        assert DossierEvent.objects.filter(dossier=dossier).latest("seq").action == "receive"
        page = client.get(dossier_url(dossier))
        assert "Done: Receive." in page.content.decode()
        assert reverse("portal:slip", args=[dossier.pk, "tiep-nhan"]) in page.content.decode()

    def test_a_supplement_request_carries_the_reason_and_each_missing_document(self, client, world):
        dossier = make_dossier(world, "submitted")

        signed_in(client, world.receiving).post(
            act_url(dossier, "request_supplement"),
            {
                "request_supplement-expected_version": dossier.lock_version,
                "request_supplement-reason": "Ảnh chụp mờ",
                "request_supplement-missing": "Giấy chứng sinh\n\nTờ khai",
            },
        )

        dossier.refresh_from_db()
        assert dossier.state == DossierState.SUPPLEMENT_REQUESTED
        event = DossierEvent.objects.filter(dossier=dossier).latest("seq")
        assert event.reason == "Ảnh chụp mờ"
        assert event.changes["missing"] == ["Giấy chứng sinh", "Tờ khai"]

    def test_a_stale_page_is_told_to_reload_and_nothing_is_written(self, client, world):
        dossier = make_dossier(world, "submitted")
        events = DossierEvent.objects.filter(dossier=dossier).count()

        response = signed_in(client, world.receiving).post(
            act_url(dossier, "receive"), {"receive-expected_version": dossier.lock_version - 1}
        )

        assert response.status_code == 409
        assert (
            "This dossier has changed since you opened it. Reload the page and try again." in response.content.decode()
        )
        dossier.refresh_from_db()
        assert dossier.state == DossierState.SUBMITTED
        assert DossierEvent.objects.filter(dossier=dossier).count() == events

    def test_a_missing_field_is_shown_at_the_field_and_what_was_typed_is_kept(self, client, world):
        dossier = make_dossier(world, "submitted")

        response = signed_in(client, world.receiving).post(
            act_url(dossier, "request_supplement"),
            {"request_supplement-expected_version": dossier.lock_version, "request_supplement-reason": "Ảnh mờ"},
        )

        assert response.status_code == 400
        form = next(item["form"] for item in response.context["actions"] if item["action"] == "request_supplement")
        assert "missing" in form.errors
        assert "Ảnh mờ" in response.content.decode()
        dossier.refresh_from_db()
        assert dossier.state == DossierState.SUBMITTED

    def test_a_refusal_of_the_lifecycle_is_shown_plainly(self, client, world):
        dossier = make_dossier(world, "in_progress")

        response = signed_in(client, world.specialist).post(
            act_url(dossier, "send_back"),
            {"send_back-expected_version": dossier.lock_version, "send_back-to_stage": 1, "send_back-reason": "Sai"},
        )

        assert response.status_code == 400
        assert "Choose a stage before the current one" in response.content.decode()

    def test_an_action_the_officer_may_not_take_is_refused_without_writing(self, client, world):
        dossier = make_dossier(world, "in_progress")

        response = signed_in(client, world.head).post(
            act_url(dossier, "forward"), {"forward-expected_version": dossier.lock_version}
        )

        assert response.status_code == 403
        assert "This step is with another unit or role" in response.content.decode()
        assert DossierEvent.objects.filter(dossier=dossier, action="forward").count() == 0

    def test_forwarding_to_another_agency_names_it(self, client):
        # The page acts at the real time: the dossier is made just before it, with room on its clock.
        world = build_world(limit_days=10)
        dossier = make_dossier(world, "in_progress", now=timezone.now() - dt.timedelta(hours=1))

        response = signed_in(client, world.specialist).post(
            act_url(dossier, "forward_to_agencies"),
            forwarding(
                dossier, "different_level", agency_1=world.tree.p_department.pk, task_1="Xác minh", budget_hours_1=2
            ),
        )

        assert response.status_code == 302
        dossier.refresh_from_db()
        assert dossier.state == DossierState.WITH_OTHER_AGENCIES
        answer = signed_in(client, world.province_department_officer).post(
            act_url(dossier, "answer_task"),
            {"answer_task-expected_version": dossier.lock_version, "answer_task-answer": "Thông tin đúng"},
        )
        assert answer.status_code == 302
        dossier.refresh_from_db()
        assert dossier.state == DossierState.IN_PROGRESS

    def test_several_agencies_of_the_same_level_are_asked_in_one_forwarding(self, client):
        world = build_world(limit_days=10)
        dossier = make_dossier(world, "in_progress", now=timezone.now() - dt.timedelta(hours=1))
        page = signed_in(client, world.specialist).get(dossier_url(dossier)).content.decode()
        assert 'name="forward_to_agencies-agency_4"' in page and "Agency 2" in page
        assert '<details class="more-agencies">' in page  # folded until needed

        two = {
            "agency_1": world.tree.c2.pk, "task_1": "Xác minh nơi cư trú", "budget_hours_1": 4,
            "agency_2": world.tree.q1.pk, "task_2": "", "budget_hours_2": 3,
        }  # fmt: skip
        refused = client.post(act_url(dossier, "forward_to_agencies"), forwarding(dossier, "sequential", 1, **two))
        html = refused.content.decode()
        assert refused.status_code == 400 and "Say what this agency must do." in html
        assert '<details class="more-agencies" open>' in html  # the rows typed in stay in view
        assert "Xác minh nơi cư trú" in html  # what was typed stays
        assert not InterAgencyTask.objects.filter(dossier=dossier).exists()

        two["task_2"] = "Xác nhận tình trạng hôn nhân"
        response = client.post(act_url(dossier, "forward_to_agencies"), forwarding(dossier, "parallel", 2, **two))
        assert response.status_code == 302
        tasks = list(InterAgencyTask.objects.filter(dossier=dossier).order_by("order"))
        assert [(t.agency_id, t.is_lead, t.state, t.budget_hours) for t in tasks] == [
            (world.tree.c2.pk, False, "active", 4),
            (world.tree.q1.pk, True, "active", 3),
        ]
        dossier.refresh_from_db()
        assert dossier.state == DossierState.WITH_OTHER_AGENCIES

    def test_agencies_asked_one_after_another_start_in_the_order_given(self, client):
        world = build_world(limit_days=10)
        dossier = make_dossier(world, "in_progress", now=timezone.now() - dt.timedelta(hours=1))
        response = signed_in(client, world.specialist).post(
            act_url(dossier, "forward_to_agencies"),
            forwarding(
                dossier, "sequential", agency_1=world.tree.q1.pk, task_1="Trích lục hộ tịch", budget_hours_1=2,
                agency_3=world.tree.c2.pk, task_3="Xác minh", budget_hours_3=2,  # a row left empty between is fine
            ),
        )  # fmt: skip
        assert response.status_code == 302
        tasks = InterAgencyTask.objects.filter(dossier=dossier).order_by("order")
        assert [(t.agency_id, t.state) for t in tasks] == [(world.tree.q1.pk, "active"), (world.tree.c2.pk, "waiting")]

    def test_a_leader_pauses_resumes_and_extends_with_a_new_appointment(self, client):
        # The page acts at the real time: the dossier is made just before it, with room on its clock.
        world = build_world(limit_days=10)
        dossier = make_dossier(world, "in_progress", now=timezone.now() - dt.timedelta(hours=1))
        signed_in(client, world.leader)

        paused = client.post(
            act_url(dossier, "pause"), {"pause-expected_version": dossier.lock_version, "pause-reason": "Điều 19"}
        )
        dossier.refresh_from_db()
        assert paused.status_code == 302
        assert dossier.state == DossierState.PAUSED
        resumed = client.post(act_url(dossier, "resume"), {"resume-expected_version": dossier.lock_version})
        dossier.refresh_from_db()
        assert resumed.status_code == 302
        assert dossier.state == DossierState.IN_PROGRESS

        assert dossier.appointment_at is not None
        later = clock.add_working_days(calendar_for(dossier.competent_agency_id), dossier.appointment_at, 2)
        extended = client.post(
            act_url(dossier, "extend"),
            {
                "extend-expected_version": dossier.lock_version,
                "extend-new_appointment": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
                "extend-reason": "Cần xác minh thêm",
            },
        )

        assert extended.status_code == 302, extended.content.decode()
        dossier.refresh_from_db()
        assert dossier.extensions == 1
        assert DossierEvent.objects.filter(dossier=dossier).latest("seq").action == "extend"
        page = client.get(dossier_url(dossier))
        assert reverse("portal:slip", args=[dossier.pk, "xin-loi"]) in page.content.decode()

    def test_the_leader_attaches_the_signed_result_and_the_desk_returns_it_online(self, client, world):
        dossier = make_dossier(world, "result_ready")
        attach_url = reverse("backoffice:attach_result", args=[dossier.pk])
        desk_page = signed_in(client, world.receiving).get(dossier_url(dossier))
        assert attach_url not in desk_page.content.decode()
        assert client.post(attach_url, {"file": SimpleUploadedFile("kq.pdf", PDF)}).status_code == 403

        signed_in(client, world.leader)
        assert attach_url in client.get(dossier_url(dossier)).content.decode()
        refused = client.post(attach_url, {"file": SimpleUploadedFile("kq.pdf", b"MZ\x90\x00 a program")})
        assert refused.status_code == 400 and "This kind of file is not accepted" in refused.content.decode()
        attached = client.post(attach_url, {"file": SimpleUploadedFile("giay-khai-sinh.pdf", PDF)}, follow=True)
        assert "The result file giay-khai-sinh.pdf is attached." in attached.content.decode()
        assert Attachment.objects.get(dossier=dossier, purpose=AttachmentPurpose.RESULT).original_name == (
            "giay-khai-sinh.pdf"
        )

        dossier.refresh_from_db()
        returned = signed_in(client, world.receiving).post(
            act_url(dossier, "return_result"), {"return_result-expected_version": dossier.lock_version}
        )
        assert returned.status_code == 302
        dossier.refresh_from_db()
        assert dossier.state == DossierState.RETURNED


class TestLeaderPage:
    def test_lists_the_approvals_waiting(self, client, world):
        dossier = make_dossier(world, "in_progress")
        services.forward(dossier_id=dossier.pk, user=world.specialist, now=MONDAY + dt.timedelta(hours=1))
        services.forward(dossier_id=dossier.pk, user=world.head, now=MONDAY + dt.timedelta(hours=2))

        page = signed_in(client, world.leader).get(reverse("backoffice:leader"))

        assert dossier.code in page.content.decode()
        other = signed_in(client, world.other_leader).get(reverse("backoffice:leader"))
        assert dossier.code not in other.content.decode()
