"""Identifier codes: the general form and the state-body form of Decision 20/2020/QĐ-TTg."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.identifiers import parent_code_of, validate_identifier_code


@pytest.mark.parametrize(
    "code",
    [
        "000.00.00.G12",  # Ministry of Finance, level 1
        "000.00.18.G12",  # a level-2 unit of the Ministry of Finance
        "000.00.00.H29",  # Hồ Chí Minh City
        "000.01.25.H25",  # level 3 under a level-2 unit of province H25
        "123.45.67.H38",  # all four levels used
        "G22",  # a single group is a well-formed code of another organisation
        "A1.B2.C3",  # other organisations may group differently
        "A" * 35,  # exactly the maximum length
    ],
)
def test_well_formed_codes_are_accepted(code: str) -> None:
    validate_identifier_code(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("A" * 36, "too_long"),  # one character over the limit
        ("000.00.00.H29" + ".0" * 12, "too_long"),  # 37 characters
        ("000.00.00.h29", "malformed"),  # lower-case letter
        ("", "malformed"),  # empty
        ("000..00.H29", "malformed"),  # empty group
        (".000.00.00.H29", "malformed"),  # empty first group
        ("000.00.00.H29.", "malformed"),  # empty last group
        ("000.00.00 H29", "malformed"),  # space instead of a dot
        ("000-00-00-H29", "malformed"),  # dashes
        ("000.00.00.Đ29", "malformed"),  # a Vietnamese letter
        ("00.00.00.H29", "malformed_state_body"),  # level 4 has three digits
        ("000.0.00.H29", "malformed_state_body"),  # level 3 has two digits
        ("000.00.000.H29", "malformed_state_body"),  # level 2 has two digits
        ("000.00.A0.H29", "malformed_state_body"),  # letters only in level 1
    ],
)
def test_malformed_codes_are_refused_with_a_reason(code: str, error_code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_identifier_code(code)
    assert caught.value.code == error_code
    assert caught.value.messages[0]


def test_too_long_message_names_the_length() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_identifier_code("A" * 36)
    assert "36" in caught.value.messages[0]
    assert "35" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("000.00.18.G12", "000.00.00.G12"),  # level 2 → the ministry
        ("000.01.25.H25", "000.00.25.H25"),  # level 3 → its level-2 unit
        ("001.02.03.H29", "000.02.03.H29"),  # level 4 → its level-3 unit
        ("000.00.00.H29", None),  # level 1 has no parent
        ("A1.B2.C3", None),  # not a state body's code
        ("00.00.18.G12", None),  # malformed
    ],
)
def test_parent_code_of(code: str, parent: str | None) -> None:
    assert parent_code_of(code) == parent
