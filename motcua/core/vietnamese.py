"""Vietnamese text: folding diacritics for search and a collation key for sorting.

Search must find "Đăng ký khai sinh" from "dang ky khai sinh", so every searchable
text is stored beside a folded copy (lower case, no tone or vowel marks, đ → d).
Sorting follows the Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư …) with
the tone as a tie-breaker, which neither byte order nor a Unicode code-point order
gives.
"""

from __future__ import annotations

import unicodedata

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Combining marks that make a separate letter (breve, circumflex, horn) versus tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip every diacritic, mapping đ to d."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key that orders Vietnamese words as a Vietnamese dictionary does."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        letter = base + "".join(m for m in marks if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", letter)
        tone = next((m for m in marks if m in _TONE_ORDER), "")
        if letter in _RANK:
            letters.append(_RANK[letter])
        else:
            # Spaces, digits and punctuation sort before letters, foreign letters after.
            letters.append(ord(letter) - 0x10000 if not letter.isalpha() else 0x10000 + ord(letter))
        tones.append(_TONE_ORDER[tone])
    return tuple(letters), tuple(tones)
