"""The main journeys of issue 5 in a real browser, in Vietnamese, as citizens and officers do them.

1. A citizen finds a commune procedure in the catalogue, applies online with uploads, pays the fee
   in the sandbox bank and gets the dossier code and the lookup code.
2. The receiving officer receives the online dossier and prints the receipt; the specialist, the
   department head and the leader process it; the desk returns the result online.
3. The citizen tracks the dossier on /tra-cuu/ with the lookup code, downloads the result and rates it.
4. Counter intake: the desk enters the applicant, ticks the documents and prints the receipt.
5. A supplement round trip: the desk asks, the citizen uploads what is missing, the desk receives.
6. A dossier that will be late: the leader apologises with a new appointment, the applicant sees it.

The pages are checked by what people see (headings, statuses, codes); the database only at the end.
The live server runs on the real clock, so dossiers made beforehand are made relative to now.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect
from playwright.sync_api._generated import LocatorAssertions

from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.tests.factories import channel, component, make_procedure, offer
from motcua.dossiers.models import Attachment, AttachmentPurpose, Dossier, DossierState
from motcua.feedback.models import Rating
from motcua.workdays import clock
from motcua.workdays.workcalendar import VIETNAM_TZ
from motcua.workflow.calendars import calendar_for
from motcua.workflow.models import DossierEvent
from motcua.workflow.tests.factories import PDF, World, build_world, make_dossier

from .conftest import Site, assert_pdf, open_pdf_link

pytestmark = [
    pytest.mark.browser,
    # Transactional, as the live server's thread must see the test's data; the serialized rollback
    # puts back what migrations wrote (the index rules), which later tests on this worker expect.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARRIAGE = "Thủ tục đăng ký kết hôn"
MARRIAGE_DOCUMENTS = ("Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân")


def code(dossier: Dossier) -> str:
    """The dossier code people read on the pages (a dossier has one from its submission on)."""
    assert dossier.code, dossier
    return dossier.code


def a_while_ago(hours: int = 2) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def pdf_file(name: str) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def heading(page: Page) -> LocatorAssertions:
    """What the page's title (its one h1) must say."""
    return expect(page.get_by_role("heading", level=1))


def messages(page: Page) -> LocatorAssertions:
    """The messages shown at the top of the page after an action."""
    return expect(page.locator("ul.messages"))


def upload(page: Page, document: str, name: str) -> None:
    """Choose a file for one document of the checklist and send it; wait for the page to list it."""
    row = page.locator("li.component").filter(has=page.get_by_role("heading", name=document))
    row.locator("input[type=file]").set_input_files(pdf_file(name))
    row.get_by_role("button", name="Tải lên", exact=True).click()
    expect(page.locator("li.component").filter(has=page.get_by_role("heading", name=document))).to_contain_text(name)


def open_dossier(page: Page, dossier: Dossier) -> None:
    """An officer opens the dossier from the work queue, by its code."""
    page.goto("/can-bo/")
    heading(page).to_have_text("Danh sách hồ sơ cần xử lý")
    page.get_by_role("link", name=code(dossier), exact=True).click()
    heading(page).to_have_text(f"Hồ sơ {code(dossier)}")


def act(page: Page, action: str, state: str) -> None:
    """Press an action's button on the back office's dossier page; the page then shows the new state."""
    page.get_by_role("button", name=action, exact=True).click()
    messages(page).to_contain_text(f"Đã thực hiện: {action}.")
    expect(page.locator("p.lead")).to_have_text(state)


def marriage_with_a_fee(world: World) -> World:
    """The world's commune also offers a marriage registration with a 50,000 đồng fee paid before sending."""
    fee = (FeeItem(50_000, kind="Lệ phí"),)
    version = make_procedure(
        "1.000894",
        name=MARRIAGE,
        channels=(
            channel(Channel.COUNTER, fees=fee, fee_text="Lệ phí: 50.000 đồng"),
            channel(Channel.ONLINE, fees=fee, fee_text="Lệ phí: 50.000 đồng"),
        ),
        components=tuple(component(name) for name in MARRIAGE_DOCUMENTS),
    )
    configuration, _process = offer(
        version,
        agency=world.tree.c1,
        department=world.office,
        offers_online_payment=True,
        requires_payment_before_submission=True,
    )
    return World(**{**world.__dict__, "version": version, "offer": configuration})


def test_1_a_citizen_finds_a_commune_procedure_applies_with_uploads_pays_and_gets_the_code(site: Site):
    world = marriage_with_a_fee(build_world())
    page = site.sign_in(world.citizen)

    page.goto("/thu-tuc/")
    heading(page).to_have_text("Thủ tục hành chính")
    page.get_by_label("Tìm kiếm thủ tục hành chính").fill("dang ky ket hon")  # without diacritics, as people type
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    site.shot(page, "1-01-catalogue-search")
    page.get_by_role("link", name=MARRIAGE, exact=True).click()
    heading(page).to_have_text(MARRIAGE)
    site.shot(page, "1-02-procedure")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    heading(page).to_have_text("Bạn muốn nộp hồ sơ tại đâu?")
    page.get_by_label("Bạn muốn nộp hồ sơ tại đâu?").select_option(label=world.tree.c1_centre.name)
    site.shot(page, "1-03-apply-where")
    page.get_by_role("button", name="Tiếp tục").click()

    heading(page).to_have_text("Ai là người nộp hồ sơ?")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Nguyễn Thị Lan")  # from the account
    page.get_by_label("Địa chỉ", exact=True).fill("Số 1 đường Hùng Vương, phường Việt Trì")
    site.shot(page, "1-04-apply-applicant")
    page.get_by_role("button", name="Tiếp tục").click()

    heading(page).to_have_text("Tải lên thành phần hồ sơ")
    still_required = page.locator("#missing-documents")
    expect(still_required).to_contain_text(MARRIAGE_DOCUMENTS[0])
    upload(page, MARRIAGE_DOCUMENTS[0], "to-khai-ket-hon.pdf")
    expect(still_required).not_to_contain_text(MARRIAGE_DOCUMENTS[0])  # brought up to date with the upload
    expect(still_required).to_contain_text(MARRIAGE_DOCUMENTS[1])
    # A wrong file chosen first, taken back at once: the document is asked for again.
    upload(page, MARRIAGE_DOCUMENTS[1], "anh-chup-nham.pdf")
    expect(still_required).to_have_text("")
    page.get_by_role("button", name="Gỡ tệp anh-chup-nham.pdf").click()
    expect(page.locator("li.component").filter(has_text=MARRIAGE_DOCUMENTS[1])).not_to_contain_text("anh-chup-nham")
    expect(still_required).to_contain_text(MARRIAGE_DOCUMENTS[1])
    upload(page, MARRIAGE_DOCUMENTS[1], "xac-nhan-tinh-trang-hon-nhan.pdf")
    expect(still_required).to_have_text("")
    site.shot(page, "1-05-apply-documents")
    site.shot(page, "1-05-apply-documents-phone", phone=True)
    page.get_by_role("link", name="Tiếp tục").click()

    heading(page).to_have_text("Bạn muốn nhận kết quả bằng hình thức nào?")
    page.get_by_label("Trực tuyến (tải về)").check()
    page.get_by_role("button", name="Tiếp tục").click()

    heading(page).to_have_text("Kiểm tra thông tin trước khi nộp hồ sơ")
    expect(page.get_by_text("Cơ quan này yêu cầu nộp phí, lệ phí trước khi nộp hồ sơ.")).to_be_visible()
    expect(page.get_by_role("button", name="Nộp hồ sơ", exact=True)).to_have_count(0)
    site.shot(page, "1-06-apply-check")
    page.get_by_role("button", name="Thanh toán phí, lệ phí").click()

    heading(page).to_have_text("Ngân hàng thử nghiệm")
    expect(page.locator("dl.facts")).to_contain_text("50000 đồng")
    site.shot(page, "1-07-sandbox-bank")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    heading(page).to_have_text("Kiểm tra thông tin trước khi nộp hồ sơ")
    messages(page).to_contain_text("Khoản thanh toán của bạn đã được ghi nhận.")
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()

    heading(page).to_have_text("Bạn đã nộp hồ sơ thành công")
    dossier = Dossier.objects.get(applicant=world.citizen, procedure_version=world.version)
    expect(page.locator("strong.figure")).to_have_text(code(dossier))
    expect(page.get_by_text(dossier.lookup_secret, exact=True)).to_be_visible()
    site.shot(page, "1-08-apply-done")

    assert dossier.state == DossierState.SUBMITTED
    assert dossier.fees_paid == 50_000 and dossier.fees_outstanding == 0
    assert dossier.receiving_unit_id == world.tree.c1_centre.pk
    assert dossier.applicant_address == "Số 1 đường Hùng Vương, phường Việt Trì"
    uploaded = Attachment.objects.filter(dossier=dossier, purpose=AttachmentPurpose.APPLICATION, is_withdrawn=False)
    assert Attachment.objects.get(dossier=dossier, original_name="anh-chup-nham.pdf").is_withdrawn
    assert sorted(uploaded.values_list("original_name", flat=True)) == [
        "to-khai-ket-hon.pdf",
        "xac-nhan-tinh-trang-hon-nhan.pdf",
    ]


def test_2_the_desk_receives_the_officers_process_and_the_result_is_returned_online(site: Site):
    world = build_world()
    dossier = make_dossier(world, "submitted", now=a_while_ago())

    desk = site.sign_in(world.receiving)
    desk.goto("/can-bo/")
    expect(desk.locator("caption")).to_have_text("Hồ sơ trực tuyến chờ kiểm tra")
    expect(desk.get_by_role("row").filter(has_text=code(dossier))).to_contain_text("Nguyễn Thị Lan")
    site.shot(desk, "2-01-desk-queue")
    open_dossier(desk, dossier)
    site.shot(desk, "2-02-desk-dossier")
    act(desk, "Tiếp nhận", "Đã tiếp nhận")
    assert_pdf(open_pdf_link(desk, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
    act(desk, "Chuyển xử lý", "Đang xử lý")

    specialist = site.sign_in(world.specialist)
    open_dossier(specialist, dossier)
    site.shot(specialist, "2-03-specialist-dossier")
    act(specialist, "Chuyển bước tiếp theo", "Đang xử lý")

    head = site.sign_in(world.head)
    open_dossier(head, dossier)
    act(head, "Chuyển bước tiếp theo", "Đang xử lý")

    leader = site.sign_in(world.leader)
    open_dossier(leader, dossier)
    act(leader, "Phê duyệt", "Đã có kết quả")
    leader.get_by_label("Tệp kết quả đã ký số").set_input_files(pdf_file("giay-khai-sinh.pdf"))
    site.shot(leader, "2-04-leader-attaches-result")
    leader.get_by_role("button", name="Đính kèm kết quả", exact=True).click()
    messages(leader).to_contain_text("Đã đính kèm tệp kết quả giay-khai-sinh.pdf.")
    expect(leader.get_by_role("link", name="giay-khai-sinh.pdf")).to_be_visible()

    desk.reload()
    expect(desk.locator("p.lead")).to_have_text("Đã có kết quả")
    act(desk, "Trả kết quả", "Đã trả kết quả")
    site.shot(desk, "2-05-desk-returned")

    dossier.refresh_from_db()
    assert dossier.state == DossierState.RETURNED and dossier.returned_at is not None
    actions = list(DossierEvent.objects.filter(dossier=dossier).order_by("pk").values_list("action", flat=True))
    assert actions[-1] == "return_result" and actions.count("forward") == 2
    assert {"receive", "transfer", "approve", "attach_result"} <= set(actions)


def test_3_the_citizen_tracks_the_dossier_downloads_the_result_and_rates_it(site: Site):
    world = build_world()
    dossier = make_dossier(world, "returned", now=a_while_ago(3))

    anyone = site.visitor()
    anyone.goto("/tra-cuu/")
    heading(anyone).to_have_text("Tra cứu hồ sơ")
    anyone.get_by_label("Mã hồ sơ").fill(code(dossier))
    anyone.get_by_label("Mã tra cứu").fill(dossier.lookup_secret)
    site.shot(anyone, "3-01-tracking-form")
    anyone.get_by_role("button", name="Tra cứu", exact=True).click()
    heading(anyone).to_have_text(f"Hồ sơ {code(dossier)}")
    expect(anyone.locator("#status")).to_have_text("Tình trạng: Đã trả kết quả")
    expect(anyone.locator(".timeline")).not_to_contain_text(world.leader.full_name)  # no officer's name in public
    site.shot(anyone, "3-02-tracking-status")

    page = site.sign_in(world.citizen)
    page.goto("/ho-so-cua-toi/")
    heading(page).to_have_text("Hồ sơ của tôi")
    page.get_by_role("link", name=code(dossier), exact=True).click()
    expect(page.locator("#status")).to_have_text("Tình trạng: Đã trả kết quả")
    assert_pdf(open_pdf_link(page, "Tải về giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về giay-khai-sinh.pdf").click()
    assert download.value.suggested_filename == "giay-khai-sinh.pdf"
    assert download.value.path().read_bytes() == PDF
    site.shot(page, "3-03-my-dossier-result")

    page.get_by_role("link", name="Đánh giá mức độ hài lòng về việc giải quyết hồ sơ").click()
    heading(page).to_have_text("Đánh giá mức độ hài lòng về việc giải quyết hồ sơ")
    for item in ("timeliness", "procedure_accuracy", "staff_attitude", "result_lawfulness", "online_service"):
        page.locator(f'input[name="{item}"][value="3"]').check()
    page.get_by_label("Ý kiến khác bạn muốn gửi đến chúng tôi").fill("Cán bộ hướng dẫn tận tình, trả kết quả sớm.")
    site.shot(page, "3-04-rating")
    page.get_by_role("button", name="Gửi đánh giá").click()
    messages(page).to_contain_text("Cảm ơn bạn! Đánh giá của bạn đã được ghi nhận.")
    expect(page.get_by_role("link", name="Đánh giá mức độ hài lòng về việc giải quyết hồ sơ")).to_have_count(0)

    rating = Rating.objects.get(dossier=dossier)
    assert rating.comment == "Cán bộ hướng dẫn tận tình, trả kết quả sớm."
    assert rating.timeliness == rating.staff_attitude == rating.online_service == 3


def test_4_counter_intake_prints_the_receipt(site: Site):
    world = build_world()
    desk = site.sign_in(world.receiving)
    desk.goto("/can-bo/tiep-nhan/")
    heading(desk).to_have_text("Tiếp nhận hồ sơ trực tiếp")
    desk.get_by_label("Tìm thủ tục theo tên hoặc mã thủ tục").fill("khai sinh")
    desk.get_by_role("button", name="Tìm kiếm", exact=True).click()
    site.shot(desk, "4-01-intake-search")
    desk.get_by_role("link", name="Thủ tục đăng ký khai sinh").click()

    heading(desk).to_have_text("Thông tin người nộp hồ sơ")
    desk.get_by_label("Họ và tên người nộp hồ sơ").fill("Trần Văn Nam")
    desk.get_by_label("Số định danh cá nhân").fill("001088004321")
    desk.get_by_label("Số điện thoại").fill("0912000111")
    desk.get_by_label("Địa chỉ", exact=True).fill("Số 5 phố Trần Phú, phường Việt Trì")
    site.shot(desk, "4-02-intake-applicant")
    desk.get_by_role("button", name="Tiếp tục: thành phần hồ sơ").click()

    heading(desk).to_have_text("Thành phần hồ sơ đã nhận")
    for document in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"):
        desk.get_by_role("row").filter(has_text=document).get_by_label("Bản chính").fill("1")
    site.shot(desk, "4-03-intake-documents")
    desk.get_by_role("button", name="Tiếp nhận và in giấy tiếp nhận, hẹn trả kết quả").click()

    messages(desk).to_contain_text("Đã ghi nhận quyết định. Hãy in phiếu để giao cho người nộp hồ sơ.")
    expect(desk.locator("p.lead")).to_have_text("Đã tiếp nhận")
    dossier = Dossier.objects.get(applicant_id_number="001088004321")
    heading(desk).to_have_text(f"Hồ sơ {code(dossier)}")
    site.shot(desk, "4-04-intake-received")
    receipt = open_pdf_link(desk, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    assert_pdf(receipt)
    assert code(dossier) in receipt.headers["content-disposition"]

    assert dossier.state == DossierState.RECEIVED and dossier.channel == Channel.COUNTER
    assert dossier.applicant_name == "Trần Văn Nam" and dossier.received_at is not None
    assert dossier.applicant_id is None


def test_5_a_supplement_round_trip(site: Site):
    world = build_world()
    dossier = make_dossier(world, "submitted", now=a_while_ago())

    desk = site.sign_in(world.receiving)
    open_dossier(desk, dossier)
    desk.get_by_label("Lý do hồ sơ cần bổ sung").fill("Ảnh chụp giấy chứng sinh bị mờ, không đọc được.")
    desk.get_by_label("Giấy tờ còn thiếu hoặc chưa đúng").fill("Giấy chứng sinh")
    act(desk, "Yêu cầu bổ sung, hoàn thiện hồ sơ", "Chờ người nộp bổ sung, hoàn thiện hồ sơ")
    assert_pdf(open_pdf_link(desk, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"))
    site.shot(desk, "5-01-desk-asks-supplement")

    citizen = site.sign_in(world.citizen)
    citizen.goto(f"/ho-so-cua-toi/{dossier.pk}/")
    expect(citizen.locator("#status")).to_have_text("Tình trạng: Chờ người nộp bổ sung, hoàn thiện hồ sơ")
    expect(citizen.locator("#supplement")).to_have_text("Cơ quan đề nghị bạn bổ sung hồ sơ")
    expect(citizen.get_by_role("alert")).to_contain_text("Ảnh chụp giấy chứng sinh bị mờ, không đọc được.")
    upload(citizen, "Giấy chứng sinh", "giay-chung-sinh-ro.pdf")
    site.shot(citizen, "5-02-citizen-supplements")
    citizen.get_by_role("button", name="Gửi giấy tờ bổ sung đến cơ quan").click()
    messages(citizen).to_contain_text("Giấy tờ bổ sung của bạn đã được gửi đến cơ quan.")
    expect(citizen.locator("#status")).to_have_text("Tình trạng: Đã nộp, chờ tiếp nhận")

    desk.reload()
    expect(desk.locator("p.lead")).to_have_text("Đã nộp, chờ tiếp nhận")
    expect(desk.get_by_role("link", name="giay-chung-sinh-ro.pdf")).to_be_visible()
    act(desk, "Tiếp nhận", "Đã tiếp nhận")

    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED
    supplied = Attachment.objects.get(dossier=dossier, purpose=AttachmentPurpose.SUPPLEMENT)
    assert supplied.original_name == "giay-chung-sinh-ro.pdf"


def test_6_a_late_dossier_gets_the_apology_and_a_new_appointment(site: Site):
    world = build_world(limit_days=5)
    dossier = make_dossier(world, "in_progress", now=a_while_ago(1))
    assert dossier.appointment_at is not None
    cal = calendar_for(dossier.competent_agency_id)
    day = dossier.appointment_at.astimezone(VIETNAM_TZ).date() + dt.timedelta(days=3)
    while not clock.is_working_day(cal, day):
        day += dt.timedelta(days=1)
    new_appointment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=VIETNAM_TZ)

    leader = site.sign_in(world.leader)
    leader.goto(f"/can-bo/ho-so/{dossier.pk}/")
    heading(leader).to_have_text(f"Hồ sơ {code(dossier)}")
    leader.get_by_label("Ngày hẹn trả kết quả mới").fill(new_appointment.strftime("%Y-%m-%dT%H:%M"))
    leader.get_by_label("Lý do chậm trả kết quả (nêu trong văn bản xin lỗi)").fill(
        "Cần xác minh thêm thông tin tại nơi đăng ký thường trú của người được khai sinh."
    )
    site.shot(leader, "6-01-leader-extends")
    act(leader, "Xin lỗi và gia hạn", "Đang xử lý")
    assert_pdf(open_pdf_link(leader, "Văn bản xin lỗi và hẹn lại ngày trả kết quả"))
    site.shot(leader, "6-02-leader-extended")

    anyone = site.visitor()
    anyone.goto(f"/tra-cuu/{code(dossier)}/")
    expect(anyone.get_by_label("Mã hồ sơ")).to_have_value(code(dossier))  # the receipt's QR code opens this
    anyone.get_by_label("Mã tra cứu").fill(dossier.lookup_secret)
    anyone.get_by_role("button", name="Tra cứu", exact=True).click()
    facts = anyone.locator("dl.facts")
    expect(facts).to_contain_text("Hẹn trả kết quả")
    expect(facts).to_contain_text(new_appointment.strftime("%H:%M, %d/%m/%Y"))
    site.shot(anyone, "6-03-tracking-new-appointment")

    dossier.refresh_from_db()
    assert dossier.extensions == 1 and dossier.appointment_at == new_appointment
    assert DossierEvent.objects.filter(dossier=dossier, action="extend").count() == 1
