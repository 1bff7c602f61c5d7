"""The serif font family the slips are printed in, registered with ReportLab once per process.

The PDF base fonts (Times, Helvetica) have no Vietnamese letters (ạ, ặ, ệ, ơ, ư, đ …), so the
slips embed DejaVu Serif, vendored in ``static/fonts/dejavu/`` from the npm package
``dejavu-fonts-ttf`` (see the README there for its version and licence). A serif face follows the
look of administrative documents (Decree 30/2020/NĐ-CP prints them in Times New Roman); the forms
themselves are those of Circular 03/2025/TT-VPCP. Nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: The repository's ``static/fonts/dejavu`` folder (this file is motcua/dossiers/slips/fonts.py).
FONT_DIR = Path(__file__).resolve().parents[3] / "static" / "fonts" / "dejavu"

#: The family name the paragraph styles use; ``<b>`` and ``<i>`` switch to its other faces.
FAMILY = "MotCuaSerif"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

#: ReportLab font name → vendored file.
FONT_FILES: dict[str, str] = {
    REGULAR: "DejaVuSerif.ttf",
    BOLD: "DejaVuSerif-Bold.ttf",
    ITALIC: "DejaVuSerif-Italic.ttf",
    BOLD_ITALIC: "DejaVuSerif-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the four faces and their family (first call only); return the family name."""
    global _registered
    with _lock:
        if not _registered:
            for name, filename in FONT_FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
            pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
            _registered = True
    return FAMILY
