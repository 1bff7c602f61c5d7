"""Folding and sorting Vietnamese text, checked against what a Vietnamese reader expects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.vietnamese import COLLATION_KEY_LENGTH, collation_key, fold, sort_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Phường Hoàn Kiếm", "phuong hoan kiem"),
        ("Xã  Hy   Cương", "xa hy cuong"),  # runs of spaces collapse
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("dang ky khai sinh", "dang ky khai sinh"),
    ],
)
def test_fold_strips_marks_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_treats_composed_and_decomposed_forms_alike() -> None:
    composed = "Hòa Bình"
    decomposed = "Ho\u0300a Bi\u0300nh"
    assert fold(composed) == fold(decomposed) == "hoa binh"


def test_sort_follows_the_vietnamese_alphabet() -> None:
    # a < ă < â, d < đ, o < ô < ơ, u < ư: code-point order would put "Đà Nẵng" after "Yên Bái".
    names = ["Yên Bái", "Đà Nẵng", "Điện Biên", "Ân Thi", "An Giang", "Ơn", "Ông", "Cà Mau", "Dak"]
    assert sorted(names, key=sort_key) == [
        "An Giang",
        "Ân Thi",
        "Cà Mau",
        "Dak",
        "Đà Nẵng",
        "Điện Biên",
        "Ông",
        "Ơn",
        "Yên Bái",
    ]


def test_sort_breaks_ties_by_tone_in_the_conventional_order() -> None:
    # ngang, huyền, hỏi, ngã, sắc, nặng
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_shorter_prefix_and_spaces_sort_first() -> None:
    assert sorted(["Ba Vì", "Ba", "Bac Ninh", "Ba Đình"], key=sort_key) == ["Ba", "Ba Đình", "Ba Vì", "Bac Ninh"]


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_collation_key_sorts_as_sort_key_does() -> None:
    names = ["Yên Bái", "Đà Nẵng", "Ân Thi", "An Giang", "An", "Ơn", "Ông", "Cạp", "Cấp", "Cap", "Cáp", "Thủ tục 2"]
    assert sorted(names, key=collation_key) == sorted(names, key=sort_key)


@given(st.lists(st.text(alphabet="aăâbcdđeêoôơuưy àáảãạ 12", max_size=12), max_size=8))
def test_collation_key_agrees_with_sort_key_on_any_text(names: list[str]) -> None:
    by_key = [sort_key(" ".join(name.split())) for name in sorted(names, key=collation_key)]
    assert by_key == sorted(by_key)


def test_collation_key_is_plain_ascii_of_bounded_length() -> None:
    key = collation_key("Thủ tục đăng ký khai sinh " * 30)
    assert key.isascii()
    assert len(key) <= COLLATION_KEY_LENGTH
