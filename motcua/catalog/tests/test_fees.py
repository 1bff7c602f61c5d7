"""Reading fee texts as the national catalogue writes them (pure: no database)."""

from __future__ import annotations

import pytest

from motcua.catalog.fees import FeeError, FeeItem, parse_fees, read_fee_cell, total_vnd


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Miễn phí", id="mien-phi"),
        pytest.param("Miễn phí(Không có)", id="mien-phi-with-note-dvcqg-1.000016"),
        pytest.param("Phí : 0 Đồng", id="zero-dong-bqp-1.013124"),
        pytest.param("Lệ phí : 0 Đồng", id="zero-le-phi"),
        pytest.param("Phí : Không Đồng", id="khong-dong-bqp"),
        pytest.param("Không có thông tin", id="no-information"),
        pytest.param("", id="empty"),
    ],
)
def test_free_texts_have_no_items(text: str) -> None:
    assert parse_fees(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Lệ phí : 50.000 Đồng", (FeeItem(50_000, "VND", "Lệ phí"),), id="le-phi-dots"),
        pytest.param(
            "1,200,000 Việt Nam Đồng(1.200.000đ/thẻ ABTC.)",
            (FeeItem(1_200_000, "VND", "", "1.200.000đ/thẻ ABTC."),),
            id="viet-nam-dong-with-note-dvcqg-1.000811",
        ),
        pytest.param("10 USD(/lần)", (FeeItem(10, "USD", "", "/lần"),), id="usd-dvcqg-1.000771"),
        pytest.param("Lệ phí : 01 USD", (FeeItem(1, "USD", "Lệ phí"),), id="zero-padded-usd"),
        pytest.param(
            "Lệ phí : 50.000 Đồng (Phí sơ tuyển: 50.000 đồng/hồ sơ (chưa gồm ảnh))",
            (FeeItem(50_000, "VND", "Lệ phí", "Phí sơ tuyển: 50.000 đồng/hồ sơ (chưa gồm ảnh)"),),
            id="amounts-in-a-nested-note-are-not-items",
        ),
    ],
)
def test_amounts(text: str, expected: tuple[FeeItem, ...]) -> None:
    assert parse_fees(text) == expected


def test_several_amounts_one_per_line() -> None:
    # bqp 1.013539, counter row (notes shortened).
    text = (
        "Phí : 2.000.000 Đồng (nghiên cứu, kiểm định, thử nghiệm)\n"
        "Phí : 3.500.000 Đồng (trên đất liền)\n"
        "Phí : 4.000.000 Đồng (thi công, phá dỡ công trình)\n"
        "Phí : 5.000.000 Đồng (trên biển và thềm lục địa)"
    )
    items = parse_fees(text)
    assert [item.amount for item in items] == [2_000_000, 3_500_000, 4_000_000, 5_000_000]
    assert {item.kind for item in items} == {"Phí"}
    assert items[3].note == "trên biển và thềm lục địa"
    assert total_vnd(items) == 14_500_000


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("50.000", id="number-without-currency"),
        pytest.param("Lệ phí : 1.5 USD", id="fraction-bqp-1.013563"),
        pytest.param("Phí :  Đồng (Theo quy định của Bộ Tài chính)", id="no-amount-bqp-1.013550"),
        pytest.param(
            "Phí : Mức thu bằng 50% mức thu phí quy định tại Thông tư số 249/2016/TT-BTC ngày 11 tháng 11 năm 2016 "
            "Đồng",
            id="a-rule-not-an-amount-bqp-1.013200",
        ),
        pytest.param("Phí : o Đồng", id="letter-for-amount-bqp-1.013194"),
    ],
)
def test_unreadable_fees_are_refused(text: str) -> None:
    with pytest.raises(FeeError):
        parse_fees(text)


def test_a_year_in_prose_is_no_amount() -> None:
    # "năm 2016 Đồng" in bqp 1.013201 must not become a fee of 2,016 đồng.
    with pytest.raises(FeeError):
        parse_fees("Phí : 1.\tMức thu bằng 50% mức thu phí quy định tại Thông tư số 249/2016/TT-BTC năm 2016 Đồng (x)")


@pytest.mark.parametrize(
    ("text", "note"),
    [
        pytest.param("Không có thông tin", "no fee information (“Không có thông tin”); read as free", id="unknown"),
        pytest.param("", "the fee cell is empty; read as free", id="empty"),
        pytest.param("Phí :  Đồng", "no amount given (“Phí : Đồng”); read as free", id="blank-bqp-1.013523"),
        pytest.param("Miễn phí", "", id="free"),
    ],
)
def test_read_fee_cell_says_what_it_assumed(text: str, note: str) -> None:
    assert read_fee_cell(text) == ((), note)


def test_read_fee_cell_flags_amounts_given_in_thousands() -> None:
    # dvcqg 3.000368: "150 VNĐ(150.000 đồng/lần/thẻ.)".
    items, note = read_fee_cell("150 VNĐ(150.000 đồng/lần/thẻ.)")
    assert items == (FeeItem(150, "VND", "", "150.000 đồng/lần/thẻ."),)
    assert "implausibly small" in note
