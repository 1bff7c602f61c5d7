"""Electronic identifier codes of agencies (mã định danh điện tử).

Decision 20/2020/QĐ-TTg (amended by Decision 09/2025/QĐ-TTg) gives every agency
that exchanges electronic documents a code of at most 35 characters made of
dot-separated groups of digits and capital letters. State bodies use four groups
``LLL.KK.JJ.XNN`` read from the right: ``XNN`` is the level-1 unit (a letter and
two digits: G for ministries and government bodies, H for provinces), then two
digits for level 2, two for level 3 and three for level 4; an unused level is all
zeros (``000.00.00.G12``, ``000.00.18.G12``). Codes of other organisations may
have other groupings, so only the general form is required of them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 35
_GENERAL = re.compile(r"[0-9A-Z]+(?:\.[0-9A-Z]+)*")
_STATE_BODY = re.compile(r"(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})")


def validate_identifier_code(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a well-formed identifier code."""
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            _("An identifier code has at most %(max)d characters; this one has %(length)d."),
            code="too_long",
            params={"max": MAX_LENGTH, "length": len(value)},
        )
    if not _GENERAL.fullmatch(value):
        raise ValidationError(
            _(
                "An identifier code is made of groups of digits and capital letters separated by dots, "
                "e.g. 000.00.00.H29."
            ),
            code="malformed",
        )
    groups = value.split(".")
    # A four-group code ending in a letter and two digits is a state body's: check
    # each level's width so that typos such as "00.00.00.H29" are caught.
    if len(groups) == 4 and re.fullmatch(r"[A-Z]\d{2}", groups[3]) and not _STATE_BODY.fullmatch(value):
        raise ValidationError(
            _(
                "A state body's code has the form LLL.KK.JJ.XNN "
                "(three, two and two digits, then a letter and two digits)."
            ),
            code="malformed_state_body",
        )


def parent_code_of(value: str) -> str | None:
    """The code of the level above a state body's code, or None at level 1.

    ``000.00.18.G12`` → ``000.00.00.G12``; the non-zero group furthest left is cleared.
    """
    match = _STATE_BODY.fullmatch(value)
    if match is None:
        return None
    groups = [match["l4"], match["l3"], match["l2"], match["l1"]]
    for index in range(3):
        if int(groups[index]):
            groups[index] = "0" * len(groups[index])
            return ".".join(groups)
    return None
