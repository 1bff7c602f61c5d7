"""Fees and charges (phí, lệ phí) as items, read from the catalogue's fee texts.

Decree 63/2010/NĐ-CP Art. 8.2 has every published procedure state its fees; the national
catalogue writes them per channel as free text: ``Miễn phí``, ``Phí : 0 Đồng``,
``1,200,000 Việt Nam Đồng(1.200.000đ/thẻ ABTC.)``, ``10 USD(/lần)``, ``Lệ phí : 50.000 Đồng``.
Each amount becomes a ``FeeItem``; "Miễn phí", "0 Đồng", "Không", "Không có thông tin" and an
empty text mean the procedure is free (no items). The original text is always kept beside the
items by the caller, because the notes ("do Hội đồng nhân dân tỉnh quy định") matter to people.

Amounts are whole đồng (VND has no minor unit in use); a few procedures charge in US dollars
(visas, travel cards), kept in their currency. A fraction ("1.5 USD") cannot be kept in whole units
and is refused rather than rounded. A fee line with no amount ("Phí :  Đồng (Theo quy định của Bộ
Tài chính)", "Phí : Mức thu bằng 50% …") is unreadable, not free: someone must look the amount up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class FeeError(ValueError):
    """A fee text that names an amount that cannot be read."""


@dataclass(frozen=True, slots=True)
class FeeItem:
    """One amount to pay. ``kind`` is how the text names it ("Phí", "Lệ phí"), possibly empty."""

    amount: int
    currency: str = "VND"
    kind: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise FeeError(f"A fee cannot be negative ({self.amount}).")
        if self.currency not in CURRENCIES:
            raise FeeError(f"Unknown currency {self.currency!r}.")
        if self.amount > MAXIMUM_VND and self.currency == "VND":
            raise FeeError(f"{self.amount:,} đồng is more than any fee in the catalogue; check the text.")


CURRENCIES = frozenset({"VND", "USD"})
#: Larger than every real fee (the highest in the records are a few hundred million đồng).
MAXIMUM_VND = 100_000_000_000
#: Below this an amount in đồng is likely a typing slip ("20 VNĐ" for 20.000 đồng); read, but flagged.
SMALLEST_PLAUSIBLE_VND = 1_000

_FREE_TEXTS = frozenset(
    {
        "",
        "miễn phí",
        "không",
        "không có",
        "không thu",
        "không thu phí",
        "không có thông tin",
        "không quy định",
        "0",
        "0 đồng",
        "0 vnđ",
        "0 việt nam đồng",
    }
)
_CURRENCY_WORDS = (
    (r"việt\s*nam\s*đồng", "VND"),
    (r"vnđ", "VND"),
    (r"vnd", "VND"),
    (r"đồng", "VND"),
    (r"đ", "VND"),
    (r"usd", "USD"),
    (r"đô\s*la\s*mỹ", "USD"),
)
_CURRENCY_RE = "|".join(pattern for pattern, _currency in _CURRENCY_WORDS)
# "Lệ phí : 50.000 Đồng", "1,200,000 Việt Nam Đồng", "10 USD"; the note in brackets after it is read apart.
_ITEM_RE = re.compile(
    r"(?:(?P<kind>lệ\s*phí|phí)\s*:?\s*)?"
    r"(?<![\d.,])(?P<amount>\d{1,3}(?:[.,\s]\d{3})+|\d+)(?P<fraction>[.,]\d{1,2}(?!\d))?\s*"
    rf"(?P<currency>{_CURRENCY_RE})(?![a-zà-ỹđ])",
    re.IGNORECASE,
)
# An amount stands at the start of a line or of the text, after "Phí :", or after a bracket or punctuation
# ("(ghi chú)200,000 Việt Nam Đồng"); after a word it is part of the prose ("năm 2016 Đồng").
_ITEM_CONTEXT_RE = re.compile(r"(?:^|[\n(),;:+\-]|phí)\s*$", re.IGNORECASE)
# "Phí : Không Đồng", "Lệ phí: không": a fee line that says there is nothing to pay.
_NOTHING_LINE_RE = re.compile(r"(?:lệ\s*phí|phí)\s*:?\s*(?:0|không)\s*(?:đồng|vnđ|vnd)?", re.IGNORECASE)
# "Phí :  Đồng": a fee line left blank, with no note saying a fee exists.
_BLANK_AMOUNT_LINE_RE = re.compile(r"(?:lệ\s*phí|phí)\s*:?\s*(?:đồng|vnđ|vnd)?", re.IGNORECASE)
# "Phí :  Đồng (…)", "Lệ phí : Mức thu bằng 50% …": a fee line whose amount cannot be read.
_FEE_LINE_RE = re.compile(r"^\s*(?:lệ\s*phí|phí)\s*:", re.IGNORECASE | re.MULTILINE)


def is_free_text(text: str) -> bool:
    """Whether ``text`` on its own says there is nothing to pay."""
    cleaned = " ".join(text.split()).strip(" .;:").lower()
    if cleaned in _FREE_TEXTS:
        return True
    # "Phí : 0 Đồng", "Lệ phí: 0 đồng", "Phí : Không Đồng", each line of them.
    lines = [line.strip(" .;") for line in text.splitlines() if line.strip()]
    return bool(lines) and all(_NOTHING_LINE_RE.fullmatch(line) for line in lines)


def parse_fees(text: str) -> tuple[FeeItem, ...]:
    """The amounts named in one fee text; empty when it is free. Raises FeeError when no amount can be read
    from a text that names one (``"50.000"`` alone is refused: đồng or dollars?), or names a fee but no amount.

    A text that starts with "Miễn phí" is free whatever note follows ("Miễn phí (do HĐND tỉnh quy định)").
    """
    if is_free_text(text) or text.strip().lower().startswith("miễn phí"):
        return ()
    items: list[FeeItem] = []
    position = 0
    while (match := _ITEM_RE.search(text, position)) is not None:
        position = match.end()
        if not _ITEM_CONTEXT_RE.search(text[max(0, match.start("amount") - 40) : match.start("amount")]):
            continue
        if match.group("fraction"):
            raise FeeError(f"“{match.group(0).strip()}” is a fraction; fees are kept in whole units.")
        note_end = closing_bracket(text, _skip_spaces(text, position))
        note = text[_skip_spaces(text, position) + 1 : note_end - 1] if note_end else ""
        position = note_end or position
        amount = int(re.sub(r"[.,\s]", "", match.group("amount")))
        if amount == 0:
            continue
        items.append(
            FeeItem(
                amount=amount,
                currency=_currency(match.group("currency")),
                kind=_kind(match.group("kind")),
                note=" ".join(note.split()),
            )
        )
    if items:
        return tuple(items)
    if _FEE_LINE_RE.search(text):
        raise FeeError(f"“{text[:80]}” names a fee but no amount that can be read.")
    if re.search(r"\d", text) and not re.search(r"(?:phí|đồng)\s*:?\s*0\b", text.lower()):
        raise FeeError(f"“{text[:80]}” names a number but no currency (đồng or USD).")
    return ()


def closing_bracket(text: str, start: int) -> int:
    """The position just after the bracket closing the one that opens at ``start``; 0 when none opens
    there or it is never closed."""
    if start >= len(text) or text[start] != "(":
        return 0
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return 0


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def read_fee_cell(text: str) -> tuple[tuple[FeeItem, ...], str]:
    """Read a channel's fee cell as the catalogue publishes it, with a note of what was assumed ("" when
    nothing was): an empty cell and "Không có thông tin" are read as free, an amount under 1,000 đồng is
    flagged (the portal sometimes gives thousands). Raises FeeError as ``parse_fees`` does."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return (), "the fee cell is empty; read as free"
    if cleaned.lower() == "không có thông tin":
        return (), "no fee information (“Không có thông tin”); read as free"
    lines = [line for line in text.splitlines() if line.strip()]
    if all(_BLANK_AMOUNT_LINE_RE.fullmatch(line.strip()) for line in lines):
        return (), f"no amount given (“{cleaned}”); read as free"
    items = parse_fees(text)
    small = next((item for item in items if item.currency == "VND" and item.amount < SMALLEST_PLAUSIBLE_VND), None)
    if small is not None:
        return items, f"{small.amount} đồng is implausibly small; the portal may give the amount in thousands"
    return items, ""


def total_vnd(items: tuple[FeeItem, ...]) -> int:
    """The sum of the items in đồng (items in another currency are not converted here)."""
    return sum(item.amount for item in items if item.currency == "VND")


def _currency(word: str) -> str:
    lowered = word.lower()
    for pattern, currency in _CURRENCY_WORDS:
        if re.fullmatch(pattern, lowered):
            return currency
    raise FeeError(f"Unknown currency {word!r}.")  # pragma: no cover - the pattern only matches these


def _kind(word: str | None) -> str:
    if not word:
        return ""
    return "Lệ phí" if word.lower().replace(" ", "").startswith("lệ") else "Phí"
