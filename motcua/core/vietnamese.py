"""Vietnamese text: folding diacritics for search and a collation key for sorting.

Search must find "Đăng ký khai sinh" from "dang ky khai sinh", so every searchable
text is stored beside a folded copy (lower case, no tone or vowel marks, đ → d).
Sorting follows the Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư …) with
the tone as a tie-breaker, which neither byte order nor a Unicode code-point order
gives. ``collation_key`` writes that order as a plain ASCII string, so that a database
column can sort Vietnamese names correctly on SQLite and on PostgreSQL whatever the
database's collation.
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


_KEY_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_KEY_MAX = len(_KEY_DIGITS) ** 2 - 1
#: Length kept in the database column: enough to order any two real procedure or agency names.
COLLATION_KEY_LENGTH = 240


def _key_chars(rank: int) -> str:
    rank = max(0, min(rank, _KEY_MAX))
    return _KEY_DIGITS[rank // 36] + _KEY_DIGITS[rank % 36]


def collation_key(text: str) -> str:
    """An ASCII string that sorts, byte by byte or in any common collation, as ``sort_key`` does.

    Each character becomes two characters of ``0-9a-z``: spaces, digits and punctuation in the
    range "00"–"0z" (before every letter), Vietnamese letters after them in alphabet order,
    foreign letters last as "zz". Then ".", which sorts before those, so that a name sorts before
    its own continuations, and the tones as the tie-breaker. Truncated to ``COLLATION_KEY_LENGTH``.
    """
    letters, tones = sort_key(" ".join(text.split()))
    parts: list[str] = []
    for rank in letters:
        if rank < 0:
            # Spaces, digits and punctuation: sort_key gives them ord() - 0x10000 (negative).
            char_code = rank + 0x10000
            parts.append("0" + _KEY_DIGITS[min(char_code - 0x20, 35)] if char_code >= 0x30 else "00")
        elif rank >= 0x10000:
            parts.append("zz")  # a foreign letter: after every Vietnamese one
        else:
            parts.append(_key_chars(rank + 36))
    key = "".join(parts) + "." + "".join(str(tone) for tone in tones)
    return key[:COLLATION_KEY_LENGTH]
