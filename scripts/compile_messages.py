"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

Pure Python through polib, so that no step needs GNU gettext's msgfmt. Like msgfmt,
fuzzy and untranslated entries are left out (Django then shows the English msgid).
Like `msgfmt --check-format`, a translation whose Python placeholders differ from the
msgid's is refused: it would raise at run time or show the wrong value.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
# %(name)s, %s, %d … and {name} / {0}; "%%" is a literal percent sign, not a placeholder.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGco%]")
_BRACE = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


def placeholders(text: str, flags: list[str]) -> list[str]:
    found: list[str] = []
    if "python-format" in flags:
        found += [match for match in _PERCENT.findall(text) if match != "%%"]
    if "python-brace-format" in flags:
        found += _BRACE.findall(text)
    return sorted(found)


def format_errors(catalogue: polib.POFile, path: Path) -> list[str]:
    errors = []
    for entry in catalogue.translated_entries():
        expected = placeholders(entry.msgid, entry.flags)
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for translation in translations:
            if placeholders(translation, entry.flags) != expected:
                errors.append(
                    f"{path.relative_to(ROOT)}:{entry.linenum}: placeholders of the translation of "
                    f"{entry.msgid!r} differ from the original ({', '.join(expected) or 'none'})"
                )
    return errors


def main() -> int:
    sources = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
    if not sources:
        print("No translation catalogues under locale/*/LC_MESSAGES/: nothing to compile.")
        return 0
    errors: list[str] = []
    for source in sources:
        try:
            catalogue = polib.pofile(str(source), check_for_duplicates=True)
        except (OSError, ValueError) as exc:
            errors.append(f"{source.relative_to(ROOT)}: cannot be read: {exc}")
            continue
        problems = format_errors(catalogue, source)
        if problems:
            errors += problems
            continue
        target = source.with_suffix(".mo")
        catalogue.save_as_mofile(str(target))
        print(
            f"{target.relative_to(ROOT)}: {len(catalogue.translated_entries())} translated, "
            f"{len(catalogue.untranslated_entries())} untranslated, {len(catalogue.fuzzy_entries())} fuzzy"
        )
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
