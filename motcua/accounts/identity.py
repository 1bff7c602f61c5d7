"""Citizens' personal identification numbers and businesses' tax codes.

Personal identification number (số định danh cá nhân), Decree 137/2015/NĐ-CP
Art. 7 and Circular 07/2016/TT-BCA Art. 7: twelve digits, read left to right as
- three digits: the code of the province where the birth was registered (the
  63 pre-2025 province codes; the 34 provinces of 2025 kept codes from that list),
- one digit: century of birth and sex (0/1 = 20th century male/female, 2/3 =
  21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th),
- two digits: the last two digits of the year of birth,
- six random digits.
The Identification Law 2023 kept the number; the chip-based citizen ID card shows it.

Tax code (mã số thuế), Circular 105/2020/TT-BTC Art. 5: ten digits for an
enterprise or organisation, ten digits, a hyphen and three digits for a
dependent unit; from 1/7/2025 an individual's tax code is their 12-digit
personal identification number. The tenth digit is a check digit (same article),
computed from the first nine with the weights 31, 29, 23, 19, 17, 13, 7, 5, 3 as set out
when tax codes were introduced (Decision 75/1998/QĐ-TCT; practice: the published codes
checked, e.g. 0100112437, 0100109106, 0300588569, all satisfy it).

Phone numbers (the numbering plan of Circular 22/2014/TT-BTTTT, after the landline area
codes changed in 2017 and mobile numbers went to ten digits in 2018): a mobile number is 0
and nine digits, a landline 0 and ten digits (area code and subscriber number). People
write them with spaces, dots, hyphens or the +84 country code; they are stored in the bare
national form so that one number is one value.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROVINCE_BIRTH_CODES = frozenset(
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
        "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
        "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
        "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
        "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
    }
)  # fmt: skip

_PERSONAL_ID = re.compile(r"[0-9]{12}")
_TAX_CODE = re.compile(r"([0-9]{10})(?:-[0-9]{3})?")
_PHONE = re.compile(r"0[0-9]{9,10}")


def normalise_personal_id(value: str) -> str:
    """Drop the spaces, dots and hyphens people type between digit groups."""
    return re.sub(r"[\s.\-]", "", value)


def normalise_tax_code(value: str) -> str:
    """Drop spaces and dots; the hyphen before a dependent unit's three digits stays."""
    return re.sub(r"[\s.]", "", value)


def validate_personal_id(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a well-formed personal identification number."""
    if not _PERSONAL_ID.fullmatch(value):
        raise ValidationError(_("A personal identification number has exactly 12 digits."), code="personal_id_format")
    if value[:3] not in PROVINCE_BIRTH_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not the code of a province of birth registration."),
            code="personal_id_province",
            params={"code": value[:3]},
        )


def birth_century_digit(born_on: dt.date) -> tuple[int, int]:
    """The two possible century-and-sex digits for someone born on ``born_on`` (male, female)."""
    century_index = (born_on.year - 1900) // 100
    if not 0 <= century_index <= 4:
        raise ValueError("year of birth outside 1900–2399")
    return 2 * century_index, 2 * century_index + 1


def validate_personal_id_matches_birth(value: str, born_on: dt.date) -> None:
    """Refuse a number whose century and year digits contradict the date of birth."""
    try:
        century_digits = birth_century_digit(born_on)
    except ValueError:
        raise ValidationError(
            _("A date of birth must be between 1900 and 2399 to match a personal identification number."),
            code="birth_year_range",
        ) from None
    if int(value[3]) not in century_digits or value[4:6] != f"{born_on.year % 100:02d}":
        raise ValidationError(
            _("The personal identification number does not match the date of birth (digits 4 to 6 encode the year)."),
            code="personal_id_birth",
        )


_TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """The check digit of a ten-digit tax code starting with ``first_nine``; None when no code can start so."""
    remainder = sum(int(digit) * weight for digit, weight in zip(first_nine, _TAX_CODE_WEIGHTS, strict=True)) % 11
    check = 10 - remainder
    return check if check <= 9 else None


def validate_tax_code(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a 10-digit, 13-digit (NNNNNNNNNN-NNN) or 12-digit tax code."""
    match = _TAX_CODE.fullmatch(value)
    if match:
        ten = match.group(1)
        if tax_code_check_digit(ten[:9]) != int(ten[9]):
            raise ValidationError(
                _("The tax code %(code)s is mistyped: its tenth digit does not match the first nine."),
                code="tax_code_check_digit",
                params={"code": ten},
            )
        return
    if _PERSONAL_ID.fullmatch(value):
        validate_personal_id(value)
        return
    raise ValidationError(
        _(
            "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a dependent unit,"
            " or 12 digits for a person."
        ),
        code="tax_code_format",
    )


def normalise_phone(value: str) -> str:
    """Drop separators and turn the +84 / 0084 country code into the national leading 0."""
    digits = re.sub(r"[\s.\-()]", "", value)
    for country_code in ("+84", "0084"):
        if digits.startswith(country_code):
            return "0" + digits[len(country_code) :]
    return digits


def validate_phone(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a Vietnamese phone number in national form."""
    if not _PHONE.fullmatch(value):
        raise ValidationError(
            _("A phone number starts with 0 and has 10 digits (mobile) or 11 digits (landline)."),
            code="phone_format",
        )
