"""Personal identification numbers, tax codes and phone numbers, checked against hand-made tables.

Each row says why it is right or wrong, read from the structure in ``identity.py``
(Circular 07/2016/TT-BCA Art. 7, Circular 105/2020/TT-BTC Art. 5).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.identity import (
    normalise_personal_id,
    normalise_phone,
    normalise_tax_code,
    tax_code_check_digit,
    validate_personal_id,
    validate_personal_id_matches_birth,
    validate_phone,
    validate_tax_code,
)


def _code_of(call: object, *args: object) -> str | None:
    try:
        call(*args)  # type: ignore[operator]
    except ValidationError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("001099012345", None),  # Hà Nội (001), 20th-century man (0), born ..99
        ("079203000001", None),  # Hồ Chí Minh City (079), 21st-century man (2), born ..03
        ("025191000000", None),  # Phú Thọ (025), 20th-century woman (1)
        ("096100999999", None),  # Cà Mau (096), the highest province code
        ("00109901234", "personal_id_format"),  # 11 digits
        ("0010990123456", "personal_id_format"),  # 13 digits
        ("00109901234A", "personal_id_format"),  # a letter
        ("CMND09012345", "personal_id_format"),  # letters first
        ("001 099 012 345", "personal_id_format"),  # spaces are removed before, not accepted here
        ("００１０９９０１２３４５", "personal_id_format"),  # full-width digits
        ("", "personal_id_format"),
        ("003099012345", "personal_id_province"),  # 003 was never a province code
        ("000099012345", "personal_id_province"),
        ("099099012345", "personal_id_province"),  # above the highest code, 096
    ],
)
def test_personal_id_format_and_province(number: str, expected: str | None) -> None:
    assert _code_of(validate_personal_id, number) == expected


@pytest.mark.parametrize(
    ("number", "born_on", "expected"),
    [
        ("001099012345", dt.date(1999, 3, 2), None),  # 0 → 1900s, 99 → 1999
        ("001199012345", dt.date(1999, 3, 2), None),  # 1 → 1900s, a woman
        ("001203012345", dt.date(2003, 12, 31), None),  # 2 → 2000s
        ("001399012345", dt.date(2099, 1, 1), None),  # 3 → 2000s, a woman, 2099
        ("001099012345", dt.date(1998, 3, 2), "personal_id_birth"),  # year digits 99, born 1998
        ("001299012345", dt.date(1999, 3, 2), "personal_id_birth"),  # 2 says 2000s, born 1999
        ("001003012345", dt.date(2003, 3, 2), "personal_id_birth"),  # 0 says 1900s, born 2003
        ("001099012345", dt.date(1899, 3, 2), "birth_year_range"),  # before any century digit
    ],
)
def test_personal_id_against_the_date_of_birth(number: str, born_on: dt.date, expected: str | None) -> None:
    assert _code_of(validate_personal_id_matches_birth, number, born_on) == expected


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("001 099 012 345", "001099012345"),
        ("001.099.012.345", "001099012345"),
        ("001-099-012345", "001099012345"),
        (" 001099012345\t", "001099012345"),
    ],
)
def test_personal_id_is_normalised_from_how_people_type_it(typed: str, stored: str) -> None:
    assert normalise_personal_id(typed) == stored


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("0100112437", None),  # a real enterprise code: 10 digits, check digit 7
        ("0100109106", None),
        ("0300588569", None),
        ("0100112437-001", None),  # its first dependent unit
        ("001099012345", None),  # a person's tax code is their personal identification number (from 1/7/2025)
        ("0100112438", "tax_code_check_digit"),  # last digit mistyped
        ("1000112437", "tax_code_check_digit"),  # two digits swapped
        ("0000000000", "tax_code_check_digit"),  # no tenth digit fits these nine
        ("010011243", "tax_code_format"),  # 9 digits
        ("01001124370", "tax_code_format"),  # 11 digits
        ("0100112437001", "tax_code_format"),  # 13 digits without the hyphen
        ("0100112437-01", "tax_code_format"),  # a dependent unit has three digits
        ("01001124AB", "tax_code_format"),
        ("", "tax_code_format"),
        ("003099012345", "personal_id_province"),  # 12 digits, but not a personal number
    ],
)
def test_tax_codes(code: str, expected: str | None) -> None:
    assert _code_of(validate_tax_code, code) == expected


def test_tax_code_check_digit_weights() -> None:
    # 0·31 + 1·29 + 0·23 + 0·19 + 1·17 + 1·13 + 2·7 + 4·5 + 3·3 = 102; 102 mod 11 = 3; 10 − 3 = 7.
    assert tax_code_check_digit("010011243") == 7
    assert tax_code_check_digit("000000000") is None  # remainder 0 would need a check digit of 10


def test_tax_code_keeps_the_dependent_unit_hyphen() -> None:
    assert normalise_tax_code(" 0100 112.437-001 ") == "0100112437-001"


@pytest.mark.parametrize(
    ("typed", "stored", "expected"),
    [
        ("0912345678", "0912345678", None),  # mobile, 10 digits
        ("+84 912 345 678", "0912345678", None),  # country code
        ("0084912345678", "0912345678", None),
        ("0912.345.678", "0912345678", None),
        ("(024) 3825-1234", "02438251234", None),  # Hà Nội landline, 11 digits
        ("912345678", "912345678", "phone_format"),  # no leading 0
        ("09123", "09123", "phone_format"),
        ("091234567890", "091234567890", "phone_format"),  # 12 digits
        ("0912abc678", "0912abc678", "phone_format"),
    ],
)
def test_phone_numbers(typed: str, stored: str, expected: str | None) -> None:
    assert normalise_phone(typed) == stored
    assert _code_of(validate_phone, stored) == expected
