"""The parts every slip shares: paper, letterhead, title, labelled lines, tables, signatures, PDF.

The letterhead follows the presentation of administrative documents (Decree 30/2020/NĐ-CP,
Appendix I) as the forms of Circular 03/2025/TT-VPCP print it: top left the parent unit in capitals
and the issuing unit in bold capitals over a short rule; top right the national motto in bold and
"Độc lập - Tự do - Hạnh phúc" over a rule as long as itself, then the italic place-and-date line;
the form number in italics above it at the very right. Forms 01–05 are A5 portrait, form 06 and the
transfer slip A4 portrait, the register (form 07) A4 landscape, the parcel's address label A6 landscape.

Every value shown comes from the slip as text and goes through ``markup``: applicant-typed text
(a name like "A & B <Co>") is printed literally and can never inject ReportLab paragraph markup.
Long texts wrap, tables continue on the next page with their header row repeated.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, A6, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from motcua.dossiers.slips.data import Party
from motcua.dossiers.slips.fonts import BOLD, ITALIC, REGULAR, register_fonts

CREATOR = "MotCua"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_AND_NAME = "(Ký và ghi rõ họ tên)"
SIGN_NAME_AND_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
#: Shown where a moment is optional and absent (a procedure without a time limit).
NO_TIME_LIMIT = "Không quy định"

# C0 control characters other than tab and newline: they have no glyph and no meaning on paper.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")

Alignment = Literal[0, 1, 2, 4]  # reportlab.lib.enums TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper format with its margins and type sizes (points)."""

    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    font_size: float  # body text
    head_size: float  # letterhead
    cell_size: float  # table cells
    signature_space: float  # room left for a handwritten signature

    @property
    def width(self) -> float:
        """The width of the text frame."""
        return self.size[0] - self.left - self.right


A5_PORTRAIT = Paper(A5, 14 * mm, 11 * mm, 8 * mm, 8 * mm, 9, 8, 8, 13 * mm)
A4_PORTRAIT = Paper(A4, 25 * mm, 15 * mm, 15 * mm, 15 * mm, 11.5, 10.5, 10, 22 * mm)
A4_LANDSCAPE = Paper(landscape(A4), 12 * mm, 12 * mm, 12 * mm, 12 * mm, 10, 9.5, 8.5, 15 * mm)
A6_LANDSCAPE = Paper(landscape(A6), 6 * mm, 6 * mm, 5 * mm, 5 * mm, 8.5, 7.5, 8, 0)


@dataclass(frozen=True, slots=True)
class Styles:
    """The paragraph styles of one paper format."""

    body: ParagraphStyle
    centre: ParagraphStyle
    right: ParagraphStyle
    title: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle


@functools.cache
def styles_for(paper: Paper) -> Styles:
    register_fonts()  # the paragraph parser resolves <b> and <i> to faces when a paragraph is made

    def style(
        name: str, size: float, alignment: Alignment, space_before: float = 0, space_after: float = 0
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=REGULAR,
            fontSize=size,
            leading=size * 1.25,
            alignment=alignment,
            spaceBefore=space_before,
            spaceAfter=space_after,
        )

    size = paper.font_size
    return Styles(
        body=style("body", size, TA_LEFT, space_after=size * 0.2),
        centre=style("centre", size, TA_CENTER),
        right=style("right", size, TA_RIGHT),
        title=style("title", size + 2.5, TA_CENTER, space_before=size * 0.8, space_after=size * 0.2),
        head=style("head", paper.head_size, TA_CENTER),
        cell=style("cell", paper.cell_size, TA_LEFT),
        cell_centre=style("cell_centre", paper.cell_size, TA_CENTER),
    )


def markup(value: str) -> str:
    """``value`` as literal paragraph text: NFC, no control characters, &, < and > escaped, newlines kept."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return escape(_CONTROL_CHARACTERS.sub("", text)).replace("\n", "<br/>")


def bold(value: str) -> str:
    return f"<b>{markup(value)}</b>"


def italic(value: str) -> str:
    return f"<i>{markup(value)}</i>"


def line(paper: Paper, text_markup: str) -> Paragraph:
    """A body paragraph from markup already made with ``markup``, ``bold`` or ``italic``."""
    return Paragraph(text_markup, styles_for(paper).body)


def field(paper: Paper, label: str, value: str, *, strong: bool = False) -> Paragraph:
    """A line "label: value", the value in bold when ``strong``."""
    return line(paper, f"{markup(label)}: {bold(value) if strong else markup(value)}")


def party_details(paper: Paper, party: Party) -> list[Flowable]:
    """The identity, address and contact lines of an applicant or addressee; empty ones are left out."""
    lines: list[Flowable] = []
    if party.id_number:
        lines.append(field(paper, "Số định danh/Mã số thuế", party.id_number))
    if party.address:
        lines.append(field(paper, "Địa chỉ", party.address))
    contact = [
        f"{label}: {markup(value)}"
        for label, value in (("Số điện thoại", party.phone), ("Email", party.email))
        if value
    ]
    if contact:
        lines.append(line(paper, "; ".join(contact)))
    return lines


def letterhead(
    paper: Paper,
    *,
    issuing_unit: str,
    parent_unit: str = "",
    form_number: str = "",
    dated_line: str = "",
) -> list[Flowable]:
    """Form number, then the two-column letterhead; ``dated_line`` is the place-and-date line or ""."""
    styles = styles_for(paper)
    left_width = paper.width * 0.39
    right_width = paper.width - left_width
    left: list[Flowable] = []
    if parent_unit.strip():
        left.append(Paragraph(markup(parent_unit.upper()), styles.head))
    left.append(Paragraph(bold(issuing_unit.upper()), styles.head))
    left.append(_rule(left_width * 0.4))
    right: list[Flowable] = [
        Paragraph(bold(NATION), styles.head),
        Paragraph(bold(MOTTO), styles.head),
        _rule(stringWidth(MOTTO, BOLD, paper.head_size)),
    ]
    if dated_line:
        right += [Spacer(1, paper.head_size * 0.6), Paragraph(italic(dated_line), styles.head)]
    table = Table([[left, right]], colWidths=[left_width, right_width], splitInRow=1)
    # A gutter between the two columns: both are as wide as their longest line on A5.
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING, ("RIGHTPADDING", (0, 0), (0, 0), 4)]))
    flowables: list[Flowable] = []
    if form_number:
        flowables.append(Paragraph(italic(form_number), styles.right))
    flowables.append(table)
    return flowables


def title_block(paper: Paper, title: str, *, dossier_code: str = "", notes: Sequence[str] = ()) -> list[Flowable]:
    """The bold centred title, the "Mã hồ sơ" line when there is a code, and italic notes."""
    styles = styles_for(paper)
    flowables: list[Flowable] = [Paragraph(bold(title), styles.title)]
    if dossier_code:
        flowables.append(Paragraph(f"Mã hồ sơ: {bold(dossier_code)}", styles.centre))
    flowables += [Paragraph(italic(note), styles.centre) for note in notes]
    flowables.append(Spacer(1, paper.font_size * 0.5))
    return flowables


#: A table cell: text to escape, a flowable, or flowables stacked in the cell.
Cell = str | Flowable | list[Flowable]


def grid_table(
    paper: Paper,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    fractions: Sequence[float],
    *,
    centred: Collection[int] = (),
) -> Table:
    """A ruled table whose header row repeats on every page; text cells wrap, rows may split."""
    styles = styles_for(paper)
    data: list[list[Cell]] = [[Paragraph(bold(title), styles.cell_centre) for title in header]]
    for row in rows:
        data.append(
            [
                Paragraph(markup(cell), _cell_style(styles, column in centred)) if isinstance(cell, str) else cell
                for column, cell in enumerate(row)
            ]
        )
    total = sum(fractions)
    table = Table(
        data,
        colWidths=[paper.width * fraction / total for fraction in fractions],
        repeatRows=1,
        splitInRow=1,
        spaceBefore=1,
        spaceAfter=paper.font_size * 0.4,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def cell_lines(paper: Paper, lines_markup: Sequence[str], *, centred: bool = False) -> Paragraph:
    """One table cell of several lines, each already made with ``markup``, ``bold`` or ``italic``."""
    return Paragraph("<br/>".join(lines_markup), _cell_style(styles_for(paper), centred))


def qr_code(value: str, size: float) -> Drawing:
    """A square QR code of ``value``, ``size`` points wide (error correction M: survives a smudge)."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature block: title in capitals, the instruction in italics, room to sign, the name."""

    title: str
    name: str = ""
    instruction: str = SIGN_AND_NAME


def signatures(
    paper: Paper,
    left: Signature | None,
    right: Signature | None,
    *,
    aside: list[Flowable] | None = None,
    aside_width: float = 0,
) -> Flowable:
    """Two signature blocks side by side (either may be None), kept together on one page.

    ``aside`` (e.g. a QR code) takes a column of ``aside_width`` at the left of the blocks.
    """
    styles = styles_for(paper)
    cells: list[Cell] = [] if aside is None else [aside]
    for signature in (left, right):
        if signature is None:
            cells.append("")
            continue
        cells.append(
            [
                Paragraph(bold(signature.title.upper()), styles.centre),
                Paragraph(italic(signature.instruction), styles.centre),
                Spacer(1, paper.signature_space),
                Paragraph(bold(signature.name), styles.centre),
            ]
        )
    block_width = (paper.width - (0 if aside is None else aside_width)) / 2
    widths = [block_width, block_width] if aside is None else [aside_width, block_width, block_width]
    table = Table([cells], colWidths=widths, splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]))
    return KeepTogether([Spacer(1, paper.font_size * 0.5), table])


def build_pdf(
    paper: Paper,
    story: list[Flowable],
    *,
    title: str,
    subject: str,
    author: str,
    page_numbers: bool = False,
) -> bytes:
    """Lay ``story`` out on ``paper`` and return the PDF; metadata names MotCua as the creator."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=paper.size,
        leftMargin=paper.left,
        rightMargin=paper.right,
        topMargin=paper.top,
        bottomMargin=paper.bottom,
        title=unicodedata.normalize("NFC", title),
        subject=unicodedata.normalize("NFC", subject),
        author=unicodedata.normalize("NFC", author),
        creator=CREATOR,
        lang="vi",
        invariant=True,  # the same slip gives the same bytes (fixed timestamps and document id)
    )
    on_page = _page_number(paper) if page_numbers else _blank_margin
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


_NO_PADDING = [
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def _rule(width: float) -> HRFlowable:
    return HRFlowable(width=width, thickness=0.6, color=colors.black, hAlign="CENTER", spaceBefore=1.5, spaceAfter=1)


def _cell_style(styles: Styles, centred: bool) -> ParagraphStyle:
    return styles.cell_centre if centred else styles.cell


def _blank_margin(canvas: Canvas, document: BaseDocTemplate) -> None:
    """Nothing in the margins."""


def _page_number(paper: Paper) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(ITALIC, paper.cell_size)
        canvas.drawCentredString(paper.size[0] / 2, paper.bottom / 2, f"Trang {document.page}")
        canvas.restoreState()

    return draw
