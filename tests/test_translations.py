"""Vietnamese is the default language: every user-facing string must have a Vietnamese translation."""

from __future__ import annotations

from pathlib import Path

import polib

PO_FILE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vietnamese_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(PO_FILE))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated: {missing[:10]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:10]}"


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in polib.pofile(str(PO_FILE)).translated_entries():
        # Plural entries carry their translations in msgstr[0], msgstr[1] … (Vietnamese has one form).
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(translation)), entry.msgid
