"""Fail when a user-facing string in the code or templates has no Vietnamese translation.

The committed catalogue (locale/vi/LC_MESSAGES/django.po) is copied to a temporary folder,
``manage.py makemessages`` (GNU gettext's xgettext, Debian package ``gettext``) extracts every
string of the sources into that copy, and any entry left untranslated or fuzzy is listed: a
string added to the code without its translation shows up here, not in front of a citizen.
The repository's own catalogue is never written. Run by ``make messages-check``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    if shutil.which("xgettext") is None:
        print("error: xgettext is missing: install GNU gettext (apt-get install gettext).", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.pop("TEST_DATABASE_URL", None)
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "vi" / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po", target / "django.po")
        settings.LOCALE_PATHS = [folder]
        os.chdir(ROOT)
        call_command(
            "makemessages", locale=["vi"], add_location="file", ignore_patterns=[".venv", "var", "bench"], verbosity=0
        )
        catalogue = polib.pofile(str(target / "django.po"))
        missing = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    for label, entries in (("untranslated", missing), ("fuzzy (a guessed translation)", fuzzy)):
        for msgid in entries:
            print(f"{label}: {msgid!r}")
    if missing or fuzzy:
        print(
            f"{len(missing) + len(fuzzy)} strings lack a Vietnamese translation: run "
            "`manage.py makemessages -l vi --add-location=file` and translate them in locale/vi/LC_MESSAGES/django.po.",
            file=sys.stderr,
        )
        return 1
    print(f"Vietnamese catalogue: every one of {len(catalogue)} strings is translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
