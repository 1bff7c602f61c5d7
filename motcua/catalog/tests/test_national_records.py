"""Reading the national catalogue's records (pure: no database).

Hand-worked examples use real records of ``data/tthc``, each test naming its record's code; the
record's own text is quoted (shortened where marked "…") so that the example reads on its own.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
from pathlib import Path
from typing import Any

import pytest

from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.national_records import (
    DATA_DIR,
    MalformedRecord,
    ParsedComponent,
    ParsedLegalBasis,
    ParsedProcedure,
    ParsedResult,
    RecordError,
    iter_procedures,
    iter_raw_records,
    parse_record,
)
from motcua.catalog.time_limits import NO_LIMIT, SAME_DAY, TimeLimit, TimeUnit

CHANNELS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
COMPONENTS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# dvcqg 2.001680's components, for records whose components are not what a test is about.
ONE_COMPONENT = "--" + COMPONENTS_HEADER + "Đơn rút yêu cầu trợ giúp pháp lý1 bản chính"


def portal_record(code: str, **fields: str) -> dict[str, Any]:
    record = {
        "ma_thu_tuc": code,
        "ten_thu_tuc": f"Thủ tục {code}",
        "cap_thuc_hien": "Cấp bộ",
        "cach_thuc_thuc_hien": CHANNELS_HEADER + "Trực tiếp5 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": ONE_COMPONENT,
        "trinh_tu_thuc_hien": "",
        "source_group": "bo-tu-phap",
        "detail_url": f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{code}",
    }
    return record | fields


def parse(record: dict[str, Any]) -> ParsedProcedure:
    return parse_record(record, source_file="dvcqg-ministries-2026.jsonl.gz")


def limits(procedure: ParsedProcedure) -> list[tuple[Channel, TimeLimit | None]]:
    return [(channel.channel, channel.time_limit) for channel in procedure.channels]


def warnings_of(procedure: ParsedProcedure, field: str) -> list[str]:
    return [warning.message for warning in procedure.warnings if warning.field == field]


# Channels ----------------------------------------------------------------------------------------


def test_3_000040_a_description_starting_with_a_channel_word_stays_a_description() -> None:
    parsed = parse(
        portal_record(
            "3.000040",
            cach_thuc_thuc_hien=CHANNELS_HEADER + "Dịch vụ bưu chính60 NgàyMiễn phíTrực tiếp60 NgàyMiễn phí"
            "Trực tuyến60 NgàyMiễn phíTrực tuyến trên Cổng dịch vụ công quốc gia.",
        )
    )
    sixty_days = TimeLimit(60, TimeUnit.CALENDAR_DAYS)
    assert limits(parsed) == [(Channel.POST, sixty_days), (Channel.COUNTER, sixty_days), (Channel.ONLINE, sixty_days)]
    assert [channel.description for channel in parsed.channels] == [
        "",
        "",
        "Trực tuyến trên Cổng dịch vụ công quốc gia.",
    ]
    assert parsed.is_fully_parsed


def test_1_000232_channel_words_inside_descriptions_and_unknown_limits() -> None:
    parsed = parse(
        portal_record(
            "1.000232",
            cach_thuc_thuc_hien=CHANNELS_HEADER
            + "Trực tiếpKhông có thông tinKhông có thông tinnộp hồ sơ trực tiếp tại trụ sở Cục Quản lý xuất nhập cảnh."
            "Dịch vụ bưu chínhKhông có thông tinKhông có thông tinGửi hồ sơ và nhận kết quả qua đường bưu điện."
            "Trực tuyếnKhông có thông tinKhông có thông tinTrực tuyến: nộp hồ sơ trực tuyến qua Cổng dịch vụ công "
            "quốc gia hoặc Cổng dịch vụ công Bộ Công an.",
        )
    )
    assert [channel.channel for channel in parsed.channels] == [Channel.COUNTER, Channel.POST, Channel.ONLINE]
    assert parsed.channels[2].description.startswith("Trực tuyến: nộp hồ sơ trực tuyến")
    # Nothing states a limit: the catalogue publishes none, so no due date can run (as for "Không
    # quy định"); the reading is a warning to review on every channel, never an invented number.
    assert [channel.time_limit for channel in parsed.channels] == [NO_LIMIT, NO_LIMIT, NO_LIMIT]
    assert "Không có thông tin" in warnings_of(parsed, "channels[0].time_limit")[0]
    assert [channel.fees for channel in parsed.channels] == [(), (), ()]
    assert warnings_of(parsed, "channels[0].fees") == ["no fee information (“Không có thông tin”); read as free"]
    assert parsed.is_fully_parsed


def test_1_012533_the_same_channel_in_several_rows_keeps_each_row_in_order() -> None:
    parsed = parse(
        portal_record(
            "1.012533",
            cach_thuc_thuc_hien=CHANNELS_HEADER
            + "Trực tiếp15 Ngày làm việcKhông có thông tinNộp hồ sơ trực tiếp cho Công an cấp xã (…). - Niêm yết công "
            "khai danh sách công dân dự tuyển: 15 ngày làm việc;Trực tiếp3 Ngày làm việcKhông có thông tin- Trong "
            "thời hạn 03 ngày làm việc kể từ ngày lập biên bản xét tuyển, Công an cấp xã niêm yết công khai (…).",
        )
    )
    assert limits(parsed) == [
        (Channel.COUNTER, TimeLimit(15, TimeUnit.WORKING_DAYS)),
        (Channel.COUNTER, TimeLimit(3, TimeUnit.WORKING_DAYS)),
    ]
    assert parsed.channels[1].description.startswith("- Trong thời hạn 03 ngày làm việc")


def test_1_004925_a_bare_number_takes_the_unit_the_steps_give_it() -> None:
    parsed = parse(
        portal_record(
            "1.004925",
            cach_thuc_thuc_hien=CHANNELS_HEADER + "Trực tuyến7Miễn phíDịch vụ bưu chính7Miễn phíTrực tiếp7Miễn phí",
            trinh_tu_thuc_hien="a) Tổ chức, cá nhân nộp hồ sơ đến cơ quan được Bộ trưởng (…) giao giải quyết;\n"
            "b) Trong thời hạn 07 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ, hợp lệ, cơ quan (…) xem xét hồ sơ",
        )
    )
    seven = TimeLimit(7, TimeUnit.WORKING_DAYS)
    assert limits(parsed) == [(Channel.ONLINE, seven), (Channel.POST, seven), (Channel.COUNTER, seven)]
    assert [channel.time_limit_text for channel in parsed.channels] == ["7", "7", "7"]
    assert warnings_of(parsed, "channels[0].time_limit") == [
        "unit missing in “7”; read “7 ngày làm việc” from the steps: “07 ngày làm việc”"
    ]
    assert parsed.is_fully_parsed


def test_a_bare_number_takes_the_unit_its_description_gives_it() -> None:
    # No shipped record has a bare number its own description names; this row joins a bare cell to the
    # real description of bqp 1.013539's counter row.
    parsed = parse(
        portal_record(
            "1.013539",
            cach_thuc_thuc_hien=CHANNELS_HEADER + "Trực tiếp5Miễn phí05 (năm) ngày làm việc, kể từ ngày nhận đủ hồ sơ "
            "hoặc 10 (mười) ngày làm việc, kể từ ngày nhận đủ hồ sơ đối với trường hợp cơ quan có thẩm quyền cần kiểm "
            "tra thực tế",
            trinh_tu_thuc_hien="Bước 5: trả kết quả trong 5 ngày",
        )
    )
    assert limits(parsed) == [(Channel.COUNTER, TimeLimit(5, TimeUnit.WORKING_DAYS))]
    assert "from the description: “05 (năm) ngày làm việc”" in warnings_of(parsed, "channels[0].time_limit")[0]


def test_1_001742_a_bare_number_nothing_explains_is_read_as_working_days_with_a_warning() -> None:
    parsed = parse(
        portal_record(
            "1.001742",
            cach_thuc_thuc_hien=CHANNELS_HEADER + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí",
            trinh_tu_thuc_hien="Bước 1. Lập, nộp hồ sơ 1. Người đang hưởng lương hưu, trợ cấp BHXH hàng tháng: lập hồ "
            "sơ theo quy định tại mục 13.3 (",
        )
    )
    one_day = TimeLimit(1, TimeUnit.WORKING_DAYS)
    assert limits(parsed) == [(Channel.ONLINE, one_day), (Channel.POST, one_day), (Channel.COUNTER, one_day)]
    assert warnings_of(parsed, "channels[2].time_limit") == [
        "unit missing in “1”; assumed working days (“1 ngày làm việc”)"
    ]
    assert parsed.is_fully_parsed


def test_2_001680_an_unknown_limit_takes_the_limit_its_description_states() -> None:
    parsed = parse(
        portal_record(
            "2.001680",
            cach_thuc_thuc_hien=CHANNELS_HEADER + "Trực tuyếnKhông có thông tinMiễn phíCách thức thực hiện: \n- Nộp hồ "
            "sơ trực tiếp tại trụ sở của tổ chức thực hiện trợ giúp pháp lý;\nThời hạn giải quyết hồ sơ: Ngay sau khi "
            "nhận đủ hồ sơ theo quy định.",
        )
    )
    assert limits(parsed) == [(Channel.ONLINE, SAME_DAY)]
    assert parsed.channels[0].time_limit_text == "Không có thông tin"
    assert warnings_of(parsed, "channels[0].time_limit") == [
        "the cell gives no limit (“Không có thông tin”); read “Trong ngày” from the description: "
        "“Ngay sau khi nhận đủ hồ sơ”"
    ]
    assert parsed.is_fully_parsed


def test_1_001010_months_and_a_fee_in_us_dollars() -> None:
    parsed = parse(
        portal_record("1.001010", cach_thuc_thuc_hien=CHANNELS_HEADER + "Trực tiếp6 Tháng100 USD(100 USD/thẻ.)")
    )
    (channel,) = parsed.channels
    assert channel.time_limit == TimeLimit(6, TimeUnit.MONTHS)
    assert channel.fees == (FeeItem(100, "USD", "", "100 USD/thẻ."),)
    assert channel.fee_text == "100 USD(100 USD/thẻ.)"


def test_1_007895_a_bare_number_written_against_its_fee_is_cut_into_both() -> None:
    # The portal glued the time "1" to the fee "20 VNĐ" (20 thousand đồng, as other rows' notes say).
    parsed = parse(portal_record("1.007895", cach_thuc_thuc_hien=CHANNELS_HEADER + "Trực tiếp120 VNĐ"))
    (channel,) = parsed.channels
    assert (channel.time_limit_text, channel.fee_text) == ("1", "20 VNĐ")
    assert channel.time_limit == TimeLimit(1, TimeUnit.WORKING_DAYS)
    assert channel.fees == (FeeItem(20, "VND"),)
    assert warnings_of(parsed, "channels[0].fees") == [
        "20 đồng is implausibly small; the portal may give the amount in thousands"
    ]


def test_a_record_without_channel_rows_has_an_issue() -> None:
    parsed = parse(portal_record("1.000001", cach_thuc_thuc_hien=CHANNELS_HEADER))
    assert parsed.channels == ()
    assert [issue.field for issue in parsed.issues] == ["channels"]


# Components --------------------------------------------------------------------------------------


def test_1_001010_quantities_conditions_and_form_names() -> None:
    parsed = parse(
        portal_record(
            "1.001010",
            thanh_phan_ho_so="--"
            + COMPONENTS_HEADER
            + "Lý lịch tư pháp do cơ quan có thẩm quyền của nước mà người đó là công dân cấp;1 bản chính"
            "Bản sao hộ chiếu có chứng thực;0 bản chính,1 bản sao"
            "Đơn xin thường trú;Mẫu-NA12,-Đơn-xin-thường-trú-cho-người-nước-ngoài.-doc.doc1 bản chính"
            "Giấy bảo lãnh (NA11) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ Công an."
            "NA11.doc1 bản chính",
        )
    )
    assert parsed.components == (
        ParsedComponent(
            "", "Lý lịch tư pháp do cơ quan có thẩm quyền của nước mà người đó là công dân cấp", "", 1, 0, True
        ),
        ParsedComponent("", "Bản sao hộ chiếu có chứng thực", "", 0, 1, True),
        ParsedComponent(
            "", "Đơn xin thường trú", "Mẫu-NA12,-Đơn-xin-thường-trú-cho-người-nước-ngoài.-doc.doc", 1, 0, True
        ),
        ParsedComponent(
            "",
            "Giấy bảo lãnh (NA11) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ Công an.",
            "NA11.doc",
            1,
            0,
            True,
        ),
    )


def test_1_004209_form_file_names_with_spaces() -> None:
    parsed = parse(
        portal_record(
            "1.004209",
            thanh_phan_ho_so="--"
            + COMPONENTS_HEADER
            + "Quyết định phong tặng (…) lập bản khai theo mẫu AH2, kèm biên bản ủy quyền (mẫu UQ)73-Mẫu AH2-Bản khai "
            "(thân nhân hoặc người thờ cúng AHLLVTND).doc0 bản chính,1 bản saoBản khai cá nhân (mẫu AH1).72-Mẫu AH1-"
            "Bản khai cá nhân (anh hùng LLVT).doc1 bản chínhVăn bản đề nghị của Công an đơn vị, địa phương1 bản chính",
        )
    )
    assert [component.form_name for component in parsed.components] == [
        "73-Mẫu AH2-Bản khai (thân nhân hoặc người thờ cúng AHLLVTND).doc",
        "72-Mẫu AH1-Bản khai cá nhân (anh hùng LLVT).doc",
        "",
    ]
    assert [component.name for component in parsed.components][1:] == [
        "Bản khai cá nhân (mẫu AH1).",
        "Văn bản đề nghị của Công an đơn vị, địa phương",
    ]
    assert parsed.components[0].name.endswith("kèm biên bản ủy quyền (mẫu UQ)")
    assert [(component.originals, component.copies) for component in parsed.components] == [(0, 1), (1, 0), (1, 0)]


def test_1_000419_several_groups_each_with_its_heading() -> None:
    parsed = parse(
        portal_record(
            "1.000419",
            thanh_phan_ho_so="* Giấy tờ phải nộp:"
            + COMPONENTS_HEADER
            + "- Tờ khai đăng ký khai tử theo mẫu;1 bản chính- Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có "
            "thẩm quyền cấp. (…)1 bản chính* Giấy tờ phải xuất trình:"
            + COMPONENTS_HEADER
            + "Trường hợp giấy tờ tùy thân sử dụng là: Hộ chiếu, Thẻ căn cước (…) để đối chiếu, khai thác dữ liệu."
            "0 bản chính- Giấy tờ chứng minh nơi cư trú cuối cùng của người chết (…).1 bản chính",
        )
    )
    assert [(component.group, component.name[:30], component.is_required) for component in parsed.components] == [
        ("Giấy tờ phải nộp", "Tờ khai đăng ký khai tử theo m", True),
        ("Giấy tờ phải nộp", "Giấy báo tử hoặc giấy tờ thay ", True),
        # A note in the table: read as a component with no quantity, conditional ("Trường hợp …").
        ("Giấy tờ phải xuất trình", "Trường hợp giấy tờ tùy thân sử", False),
        ("Giấy tờ phải xuất trình", "Giấy tờ chứng minh nơi cư trú ", True),
    ]


@pytest.mark.parametrize(
    ("name", "group", "is_required"),
    [
        pytest.param("Biên bản tổ chức đối thoại (nếu có)", "", False, id="1.000178-neu-co"),
        pytest.param("- Trường hợp ủy quyền: Văn bản ủy quyền", "", False, id="truong-hop"),
        pytest.param("Giấy ủy quyền", "* Trường hợp ủy quyền thực hiện thủ tục:", False, id="conditional-group"),
        pytest.param("Đơn khiếu nại hoặc bản ghi nội dung khiếu nại", "", True, id="1.000178-required"),
    ],
)
def test_components_needed_only_in_some_cases_are_not_required(name: str, group: str, is_required: bool) -> None:
    text = (group or "--") + COMPONENTS_HEADER + name + "1 bản chính"
    (component,) = parse(portal_record("1.000178", thanh_phan_ho_so=text)).components
    assert component.is_required is is_required


def test_5_002546_a_record_listing_no_component_has_an_issue() -> None:
    parsed = parse(portal_record("5.002546", thanh_phan_ho_so="--"))
    assert parsed.components == ()
    assert [(issue.field, issue.message) for issue in parsed.issues] == [
        ("components", "no dossier component is listed")
    ]


# Results, applicants, levels, legal basis --------------------------------------------------------


def test_1_001613_results_with_their_codes_and_the_portal_boilerplate_cut_off() -> None:
    parsed = parse(
        portal_record(
            "1.001613",
            ket_qua_xu_ly="Tiền trợ cấpMã: KQ.G24.000053Bản quá trình đóng BHXHMã: KQ.G24.000012Quyết định về việc "
            "hưởng BHXH một lầnMã: KQ.G24.000030Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực "
            "hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển "
            "thị những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ",
        )
    )
    assert parsed.results == (
        ParsedResult("Tiền trợ cấp", "KQ.G24.000053"),
        ParsedResult("Bản quá trình đóng BHXH", "KQ.G24.000012"),
        ParsedResult("Quyết định về việc hưởng BHXH một lần", "KQ.G24.000030"),
    )


@pytest.mark.parametrize(
    ("text", "applicants"),
    [
        pytest.param(
            "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam",
            ("Tổ chức (không bao gồm doanh nghiệp, HTX)", "Công dân Việt Nam"),
            id="1.000178-comma-in-brackets",
        ),
        pytest.param(
            "Hợp tác xã, Người nước ngoài, Tổ chức nước ngoài, Cán bộ, công chức, viên chức",
            ("Hợp tác xã", "Người nước ngoài", "Tổ chức nước ngoài", "Cán bộ, công chức, viên chức"),
            id="1.004925-one-type-with-commas",
        ),
    ],
)
def test_applicants(text: str, applicants: tuple[str, ...]) -> None:
    assert parse(portal_record("1.000178", doi_tuong_thuc_hien=text)).applicants == applicants


def test_levels_and_empty_fields() -> None:
    parsed = parse(
        portal_record(
            "1.012345",
            cap_thuc_hien="Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác",
            thu_tuc_lien_quan="Không có thông tin",
            co_quan_phoi_hop="",
        )
    )
    assert parsed.levels == ("central", "province", "commune", "other")
    assert (parsed.related_procedures, parsed.coordinating_agency) == ("", "")
    assert (parsed.source, parsed.source_url) == ("bo-tu-phap", "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/1.012345")


def test_1_000178_legal_basis_split_at_the_document_numbers() -> None:
    parsed = parse(
        portal_record(
            "1.000178",
            can_cu_phap_ly="Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết "
            "khiếu nại và quản lý công tác giải quyết khiếu nại trong công an nhân dân68/2013/TT-BCALuật Khiếu nại  "
            "năm 201102/2011/QH13Quy định quy trình giải quyết khiếu nại trong công an nhân dân11/2015/TT-BCA"
            "Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP",
        )
    )
    assert [(basis.title, basis.number) for basis in parsed.legal_basis] == [
        (
            "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công tác giải quyết "
            "khiếu nại trong công an nhân dân",
            "68/2013/TT-BCA",
        ),
        ("Luật Khiếu nại năm 2011", "02/2011/QH13"),
        ("Quy định quy trình giải quyết khiếu nại trong công an nhân dân", "11/2015/TT-BCA"),
        ("Nghị định 05/2012/NĐ-CP", "05/2012/NĐ-CP"),
    ]
    assert not [warning for warning in parsed.warnings if warning.field.startswith("legal_basis")]


# The Ministry of Defence's structured records ------------------------------------------------------

BQP_1_013124: dict[str, Any] = {
    "thu_tuc_id": "1.013124",
    "source_file": "ChiTietTTHC_1.013124.doc",
    "metadata": {
        "mã_thủ_tục": "1.013124",
        "tên_thủ_tục": "Thủ tục thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu của các cơ sở, dự án dầu khí "
        "ngoài khơi",
        "số_quyết_định": "Quyết định số 6225/QĐ-BQP",
        "cấp_thực_hiện": "Cấp Bộ",
        "loại_thủ_tục": "TTHC được luật giao quy định chi tiết",
        "lĩnh_vực": "Ứng phó sự cố tràn dầu",
    },
    "content": {
        "trình_tự_thực_hiện": "Bước 1: (…) Bước 2: Trong thời hạn 30 ngày làm việc (không kể ngày nghỉ) (…)",
        "cách_thức_thực_hiện": "",
        "đối_tượng_thực_hiện": "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Hợp tác xã",
        "cơ_quan_thực_hiện": "Văn phòng Ủy ban Quốc gia Ứng phó sự cố, thiên tai và Tìm kiếm cứu nạn",
        "cơ_quan_có_thẩm_quyền": "Ủy ban Quốc gia Ứng phó sự cố, thiên tai và Tìm kiếm cứu nạn",
        "cơ_quan_được_ủy_quyền": "Không có thông tin",
        "cơ_quan_phối_hợp": "Không có thông tin",
        "địa_chỉ_tiếp_nhận_hs": "Không có thông tin",
        "kết_quả_thực_hiện": "Quyết định phê duyệt kế hoạch ứng phó sự cố tràn dầu.",
        "yêu_cầu_điều_kiện_thực_hiện": "Không",
        "từ_khóa": "Không có thông tin",
        "mô_tả": "Không có thông tin",
    },
    "tables": {
        "hinh_thuc_nop": [
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "30 Ngày làm việc",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "",
            },
            {
                "hinh_thuc": "Trực tuyến",
                "thoi_han_giai_quyet": "30 Ngày làm việc",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "hoặc bằng các hình thức phù hợp khác",
            },
        ],
        "thanh_phan_ho_so": [
            {
                "ten_giay_to": "Văn bản đề nghị thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu.",
                "so_luong": "",
                "ghi_chu": "Bản chính: 1\nBản sao: 0",
            },
            {
                "ten_giay_to": "Kế hoạch ứng phó sự cố tràn dầu theo mẫu quy định tại Phụ lục II (…)",
                "so_luong": "5-PHLCII.doc",
                "ghi_chu": "Bản chính: 1\nBản sao: 0",
            },
        ],
        "can_cu_phap_ly": [
            {
                "so_ky_hieu": "12",
                "trich_yeu": "Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ ban hành Quy chế "
                "hoạt động ứng phó với sự cố tràn dầu",
                "ngay_ban_hanh": "24-03-2021",
                "co_quan_ban_hanh": "Thủ tướng Chính phủ",
            }
        ],
    },
}


def test_bqp_1_013124_a_structured_record() -> None:
    parsed = parse_record(BQP_1_013124, source_file="bqp-structured.jsonl.gz")
    thirty = TimeLimit(30, TimeUnit.WORKING_DAYS)
    assert (parsed.code, parsed.source, parsed.source_url) == ("1.013124", "bqp", "")
    assert (parsed.decision, parsed.levels, parsed.sector) == (
        "Quyết định số 6225/QĐ-BQP",
        ("central",),
        "Ứng phó sự cố tràn dầu",
    )
    assert parsed.applicants == ("Công dân Việt Nam", "Tổ chức (không bao gồm doanh nghiệp, HTX)", "Hợp tác xã")
    assert (parsed.delegated_agency, parsed.requirements) == ("", "Không")
    assert limits(parsed) == [(Channel.COUNTER, thirty), (Channel.ONLINE, thirty)]
    assert [channel.fees for channel in parsed.channels] == [(), ()]
    assert parsed.channels[1].description == "hoặc bằng các hình thức phù hợp khác"
    assert parsed.components == (
        ParsedComponent("", "Văn bản đề nghị thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu.", "", 1, 0, True),
        ParsedComponent(
            "", "Kế hoạch ứng phó sự cố tràn dầu theo mẫu quy định tại Phụ lục II (…)", "5-PHLCII.doc", 1, 0, True
        ),
    )
    assert parsed.results == (ParsedResult("Quyết định phê duyệt kế hoạch ứng phó sự cố tràn dầu.", ""),)
    assert parsed.legal_basis == (
        ParsedLegalBasis(
            "Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ ban hành Quy chế hoạt động ứng phó "
            "với sự cố tràn dầu",
            "12",
            dt.date(2021, 3, 24),
            "Thủ tướng Chính phủ",
        ),
    )
    assert parsed.is_fully_parsed
    assert parsed.warnings == ()


def test_bqp_1_013539_several_fee_amounts_in_one_cell() -> None:
    record = json.loads(json.dumps(BQP_1_013124))
    record["metadata"]["mã_thủ_tục"] = "1.013539"
    record["tables"]["hinh_thuc_nop"] = [
        {
            "hinh_thuc": "Trực tiếp",
            "thoi_han_giai_quyet": "15 Ngày",
            "phi_le_phi": "Phí : 2.000.000 Đồng (Thẩm định cấp phép sử dụng vật liệu nổ công nghiệp phục vụ  nghiên "
            "cứu, kiểm định, thử nghiệm)\nPhí : 3.500.000 Đồng (Thẩm định cấp phép (…) trên đất liền)\nPhí : 4.000.000 "
            "Đồng (Thẩm định cấp phép (…) thi công, phá dỡ công trình)\nPhí : 5.000.000 Đồng (Thẩm định cấp phép (…) "
            "trên biển và thềm lục địa)",
            "mo_ta": "05 (năm) ngày làm việc, kể từ ngày nhận đủ hồ sơ (…)",
        }
    ]
    (channel,) = parse_record(record, source_file="bqp-structured.jsonl.gz").channels
    # The cell's "15 Ngày" is complete: the description's other figure does not override it.
    assert channel.time_limit == TimeLimit(15, TimeUnit.CALENDAR_DAYS)
    assert channel.fees is not None
    assert [(item.amount, item.kind) for item in channel.fees] == [
        (2_000_000, "Phí"),
        (3_500_000, "Phí"),
        (4_000_000, "Phí"),
        (5_000_000, "Phí"),
    ]


# Records that cannot be read ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "message"),
    [
        pytest.param({"ten_thu_tuc": "Thủ tục", "ma_thu_tuc": ""}, "no procedure code", id="missing-code"),
        pytest.param({"ma_thu_tuc": "1.23", "ten_thu_tuc": "Mã sai"}, "not of the form 1.000178", id="code-1.23"),
        pytest.param({"ma_thu_tuc": "1.000178", "ten_thu_tuc": "  "}, "no procedure name", id="empty-name"),
        pytest.param({"ma_thu_tuc": "1.000178", "ten_thu_tuc": ["x"]}, "not text", id="name-not-text"),
        pytest.param({"thu_tuc": "1.000178"}, "neither", id="unknown-shape"),
    ],
)
def test_unusable_records_are_refused(record: dict[str, Any], message: str) -> None:
    with pytest.raises(MalformedRecord, match=message):
        parse(record)


def test_unreadable_lines_become_record_errors_and_reading_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps(portal_record("1.000178"), ensure_ascii=False),
        "{not json",
        "",
        "[1, 2]",
        json.dumps({"ma_thu_tuc": "1.23", "ten_thu_tuc": "Mã sai"}, ensure_ascii=False),
        json.dumps(portal_record("1.000179", ten_thu_tuc=""), ensure_ascii=False),
        json.dumps({"ten_thu_tuc": "Không mã"}, ensure_ascii=False),
        json.dumps(portal_record("1.000180"), ensure_ascii=False),
    ]
    path = tmp_path / "records.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")

    items = list(iter_procedures([path]))

    assert [item.code for item in items if isinstance(item, ParsedProcedure)] == ["1.000178", "1.000180"]
    errors = [item for item in items if isinstance(item, RecordError)]
    assert [(error.file, error.line, error.code) for error in errors] == [
        ("records.jsonl.gz", 2, ""),
        ("records.jsonl.gz", 4, ""),
        ("records.jsonl.gz", 5, "1.23"),
        ("records.jsonl.gz", 6, "1.000179"),
        ("records.jsonl.gz", 7, ""),
    ]
    assert "not valid JSON" in errors[0].message
    assert "not an object" in errors[1].message
    assert [line for _file, line, _record in iter_raw_records([path])] == [1, 2, 4, 5, 6, 7, 8]


# Every shipped record -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> tuple[list[ParsedProcedure | RecordError], float]:
    started = time.perf_counter()
    items = list(iter_procedures())
    return items, time.perf_counter() - started


def test_every_shipped_record_is_read_quickly_and_every_gap_has_an_issue(
    shipped: tuple[list[ParsedProcedure | RecordError], float],
) -> None:
    items, seconds = shipped
    assert sorted(path.name for path in DATA_DIR.glob("*.jsonl.gz")) == [
        "bqp-structured.jsonl.gz",
        "dvcqg-ministries-2026.jsonl.gz",
    ]
    assert len(items) == 2381 + 207
    assert not [item for item in items if isinstance(item, RecordError)]
    assert seconds < 10
    for procedure in items:
        assert isinstance(procedure, ParsedProcedure)
        flagged = {issue.field for issue in procedure.issues}
        gaps = {
            f"channels[{index}].{part}"
            for index, channel in enumerate(procedure.channels)
            for part, value in (("time_limit", channel.time_limit), ("fees", channel.fees))
            if value is None
        }
        gaps |= {"channels"} if not procedure.channels else set()
        gaps |= {"components"} if not procedure.components else set()
        assert gaps <= flagged, procedure.code
        assert procedure.is_fully_parsed == (not gaps and not flagged), procedure.code
        assert all(issue.message for issue in procedure.issues)


def share_fully_parsed(items: list[ParsedProcedure | RecordError]) -> float:
    return sum(1 for item in items if isinstance(item, ParsedProcedure) and item.is_fully_parsed) / len(items)


def test_the_share_of_fully_parsed_records_does_not_fall(
    shipped: tuple[list[ParsedProcedure | RecordError], float],
) -> None:
    # 2,537 of 2,588 on the shipped files; a fall means a reading rule broke.
    assert share_fully_parsed(shipped[0]) >= 0.98


def test_at_least_98_percent_of_the_shipped_records_are_fully_parsed(
    shipped: tuple[list[ParsedProcedure | RecordError], float],
) -> None:
    assert share_fully_parsed(shipped[0]) >= 0.98
