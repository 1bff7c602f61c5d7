"""Reading single fields of a national catalogue record as the catalogue writes them.

Both collections write text in Unicode that may be decomposed; every field is read as NFC so that
"Trực tiếp" matches whichever way it was typed. "Không có thông tin" (no information) is how the
portal shows an empty field. Lists (applicants, levels) are comma-separated, but an item may hold
a comma in brackets ("Tổ chức (không bao gồm doanh nghiệp, HTX)") or continue in lower case after
one ("Cán bộ, công chức, viên chức" is one applicant type of the national list, Decree 63/2010/NĐ-CP
Art. 8.2 "đối tượng thực hiện"). Levels map to the administration's tiers (DOMAIN.md §2).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

NO_INFORMATION = "không có thông tin"

LEVELS = {
    "cấp bộ": "central",
    "cấp tỉnh": "province",
    "cấp huyện": "district",
    "cấp xã": "commune",
    "cơ quan khác": "other",
}

# "(nếu có)", "Trường hợp …", "a) Đối với trường hợp …": needed only in some cases.
_CONDITIONAL_RE = re.compile(r"nếu có|^(?:\d+(?:\.\d+)*[.)]|[a-zđ][.)]|\(\w+\))?\s*(?:đối với )?trường hợp", re.I)
_DATE_RE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


class FieldError(ValueError):
    """A field whose JSON type is not the one the catalogue uses."""


def text(values: dict[str, Any], key: str, *, keep_no_information: bool = False) -> str:
    """A field as NFC text, trimmed; "" when missing, and for "Không có thông tin" unless kept."""
    value = values.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(f"field {key} holds a JSON {type(value).__name__}, not text")
    cleaned = unicodedata.normalize("NFC", value).strip()
    return "" if cleaned.lower() == NO_INFORMATION and not keep_no_information else cleaned


def mapping(values: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested object; {} when missing."""
    value = values.get(key, {})
    if not isinstance(value, dict):
        raise FieldError(f"field {key} holds a JSON {type(value).__name__}, not an object")
    return value


def rows(values: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A table's rows; [] when missing."""
    value = values.get(key, [])
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise FieldError(f"table {key} is not a list of rows")
    return value


def split_list(value: str) -> list[str]:
    """The items of a comma-separated list, commas in brackets and lower-case continuations kept."""
    items: list[str] = []
    depth, current = 0, ""
    for char in value + ",":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char != "," or depth > 0:
            current += char
            continue
        item = " ".join(current.split())
        if item and item[0].islower() and items:
            items[-1] = f"{items[-1]}, {item}"
        elif item:
            items.append(item)
        current = ""
    return items


def levels(value: str) -> tuple[list[str], list[str]]:
    """The levels named in ``value`` ("Cấp bộ, Cấp tỉnh" → central, province) and the parts not known."""
    known: list[str] = []
    unknown: list[str] = []
    for part in split_list(value):
        level = LEVELS.get(part.lower())
        if level is None:
            unknown.append(part)
        elif level not in known:
            known.append(level)
    return known, unknown


def is_conditional(name: str, group: str = "") -> bool:
    """Whether a component is needed only in some cases, by its name or by its group's heading; the
    social-insurance note "Trường hợp không quy định là bản chính thì … bản sao hợp lệ" is no case."""
    return bool(_CONDITIONAL_RE.search(name) or (_CONDITIONAL_RE.match(group) and "bản sao hợp lệ" not in group))


def count_in_note(note: str, label: str) -> int | None:
    """The number after ``label`` in a quantity note ("Bản chính: 1\\nBản sao: 0"); None when absent."""
    match = re.search(rf"{label}\s*:\s*(\d+)", note, re.IGNORECASE)
    return int(match.group(1)) if match else None


def date(value: str) -> dt.date | None:
    """A date written day first ("24-03-2021", "24/3/2021"); None when empty. ValueError when not a date."""
    if not value:
        return None
    match = _DATE_RE.fullmatch(value)
    if match is None:
        raise ValueError(f"“{value}” is not a date")
    return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
