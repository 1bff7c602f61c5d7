"""Reading time limits as the national catalogue writes them (pure: no database)."""

from __future__ import annotations

import pytest

from motcua.catalog.time_limits import (
    NO_LIMIT,
    SAME_DAY,
    TimeLimit,
    TimeLimitError,
    TimeUnit,
    find_limit_phrase,
    find_unit_of,
    format_time_limit,
    parse_time_limit,
    read_limit_cell,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("15 Ngày làm việc", TimeLimit(15, TimeUnit.WORKING_DAYS), id="working-days"),
        pytest.param("30 Ngày", TimeLimit(30, TimeUnit.CALENDAR_DAYS), id="calendar-days"),
        pytest.param("01 Giờ", TimeLimit(1, TimeUnit.WORKING_HOURS), id="zero-padded-hours"),
        pytest.param("8 giờ làm việc", TimeLimit(8, TimeUnit.WORKING_HOURS), id="working-hours"),
        pytest.param("3 Tháng", TimeLimit(3, TimeUnit.MONTHS), id="months"),
        pytest.param("Trong ngày", SAME_DAY, id="same-day"),
        pytest.param("Không quy định", NO_LIMIT, id="none"),
        pytest.param("Không quy định cụ thể", NO_LIMIT, id="none-in-words"),
        # Half a working day is 4 of its 8 office hours.
        pytest.param("0,5 Ngày làm việc", TimeLimit(4, TimeUnit.WORKING_HOURS), id="half-working-day"),
        # bqp 1.013585 and others: nothing to wait for, settled on the day of reception.
        pytest.param("0 Giờ", SAME_DAY, id="zero-hours-is-same-day"),
        pytest.param("  15   Ngày làm việc. ", TimeLimit(15, TimeUnit.WORKING_DAYS), id="spaces-and-full-stop"),
    ],
)
def test_parse_time_limit_reads_every_unit(text: str, expected: TimeLimit) -> None:
    assert parse_time_limit(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("-5 Ngày", id="negative"),
        pytest.param("1000 Ngày làm việc", id="absurd-working-days"),
        pytest.param("40 Tháng", id="absurd-months"),
        pytest.param("15", id="no-unit"),
        pytest.param("0.5 Giờ", id="fraction-of-an-hour-bqp-1.013587"),
        pytest.param("Chậm nhất là ngay trước khi tàu rời cảng", id="garbage-bqp-1.013577"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_time_limit_refuses(text: str) -> None:
    with pytest.raises(TimeLimitError):
        parse_time_limit(text)


def test_a_limit_cannot_be_negative() -> None:
    with pytest.raises(TimeLimitError):
        TimeLimit(-1, TimeUnit.WORKING_DAYS)


@pytest.mark.parametrize(
    "limit", [TimeLimit(15, TimeUnit.WORKING_DAYS), TimeLimit(2, TimeUnit.MONTHS), SAME_DAY, NO_LIMIT]
)
def test_format_reads_back(limit: TimeLimit) -> None:
    assert parse_time_limit(format_time_limit(limit)) == limit


def test_find_unit_of_reads_zero_padded_and_spelled_out_amounts() -> None:
    # bqp 1.013539, description of the counter row.
    description = "05 (năm) ngày làm việc, kể từ ngày nhận đủ hồ sơ hoặc 10 (mười) ngày làm việc, kể từ ngày nhận"
    assert find_unit_of("5", description) == (TimeLimit(5, TimeUnit.WORKING_DAYS), "05 (năm) ngày làm việc")
    assert find_unit_of("10", description) == (TimeLimit(10, TimeUnit.WORKING_DAYS), "10 (mười) ngày làm việc")
    assert find_unit_of("7", description) is None


def test_find_unit_of_ignores_other_numbers_that_end_alike() -> None:
    # "15 ngày" does not give the unit of a bare "5".
    assert find_unit_of("5", "Trong thời hạn 15 ngày kể từ ngày nhận hồ sơ") is None


@pytest.mark.parametrize(
    ("text", "limit", "phrase"),
    [
        # dvcqg 1.000178, description.
        pytest.param(
            "Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày, kể từ ngày thụ lý",
            TimeLimit(30, TimeUnit.CALENDAR_DAYS),
            "không quá 30 ngày",
            id="1.000178-khong-qua",
        ),
        # dvcqg 1.012533, description of its second counter row.
        pytest.param(
            "- Trong thời hạn 03 ngày làm việc kể từ ngày lập biên bản xét tuyển",
            TimeLimit(3, TimeUnit.WORKING_DAYS),
            "Trong thời hạn 03 ngày làm việc",
            id="1.012533-trong-thoi-han",
        ),
        # dvcqg 2.001680, description.
        pytest.param(
            "Thời hạn giải quyết hồ sơ: Ngay sau khi nhận đủ hồ sơ theo quy định.",
            SAME_DAY,
            "Ngay sau khi nhận đủ hồ sơ",
            id="2.001680-ngay-sau-khi",
        ),
    ],
)
def test_find_limit_phrase(text: str, limit: TimeLimit, phrase: str) -> None:
    assert find_limit_phrase(text) == (limit, phrase)


def test_find_limit_phrase_is_none_without_a_limit() -> None:
    # dvcqg 5.002553: "according to the Government's working rules" is no limit.
    assert find_limit_phrase("Thời hạn giải quyết: theo Quy chế làm việc của Chính phủ.") is None


def test_read_limit_cell_a_complete_cell_needs_no_note() -> None:
    assert read_limit_cell("15 Ngày làm việc") == (TimeLimit(15, TimeUnit.WORKING_DAYS), "")


def test_read_limit_cell_bare_number_takes_the_unit_the_context_gives_it() -> None:
    # dvcqg 1.004925: the cell says "7"; the steps say "Trong thời hạn 07 ngày làm việc".
    steps = "b) Trong thời hạn 07 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ, hợp lệ"
    limit, note = read_limit_cell("7", (("description", ""), ("steps", steps)))
    assert limit == TimeLimit(7, TimeUnit.WORKING_DAYS)
    assert "unit missing" in note
    assert "steps" in note


def test_read_limit_cell_bare_number_defaults_to_working_days() -> None:
    # dvcqg 1.001742: "Trực tuyến1Miễn phí", and nothing says what the 1 counts.
    limit, note = read_limit_cell("1", (("description", ""), ("steps", "Bước 1. Lập, nộp hồ sơ")))
    assert limit == TimeLimit(1, TimeUnit.WORKING_DAYS)
    assert note == "unit missing in “1”; assumed working days (“1 ngày làm việc”)"


def test_read_limit_cell_an_unpublished_limit_is_no_limit_with_a_note() -> None:
    # dvcqg 1.004209: "Không có thông tin" and nothing in the text; no due date can be computed.
    limit, note = read_limit_cell(
        "Không có thông tin", (("description", "Trực tiếp tại Công an đơn vị"), ("steps", ""))
    )
    assert limit == NO_LIMIT
    assert "no time limit published" in note


def test_read_limit_cell_an_empty_cell_without_context_is_refused() -> None:
    with pytest.raises(TimeLimitError, match="empty"):
        read_limit_cell("", (("description", "Trực tiếp tại Công an đơn vị"),))


def test_read_limit_cell_a_range_keeps_its_upper_bound() -> None:
    # bqp 1.013629: "10-25", the description "10-25 ngày kể từ ngày nhận được hồ sơ hợp lệ".
    limit, note = read_limit_cell("10-25", (("description", "10-25 ngày kể từ ngày nhận được hồ sơ hợp lệ."),))
    assert limit == TimeLimit(25, TimeUnit.CALENDAR_DAYS)
    assert "upper bound" in note


def test_read_limit_cell_no_result_means_no_limit() -> None:
    # dvcqg 1.007689 (a tax declaration): "no result is returned to the taxpayer".
    limit, note = read_limit_cell("Không phải trả kết quả cho người nộp thuế")
    assert limit == NO_LIMIT
    assert "no result" in note
