"""The standard statistics report as a spreadsheet, a CSV file or a PDF (DOMAIN.md §8).

The same table as on screen: one line per sector, its procedures below it, and the total, with
carried over, received (online, at the counter, by post), resolved (early, on time, late), in
progress at the end (within the deadline, past it), stopped or withdrawn, refused and the on-time
rate. The PDF is A4 landscape in the DejaVu Serif face the slips use (``dossiers.slips.fonts``),
which has every Vietnamese letter; the CSV is UTF-8 with a byte-order mark so that spreadsheet
programs open it with its accents.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.dossiers.slips.fonts import BOLD, register_fonts
from motcua.reports.standard_report import Figures, StandardReport

#: The figures in the order of the columns.
COLUMNS = (
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_post",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
    "stopped",
    "refused",
    "on_time_rate",
)


def column_labels() -> list[str]:
    return [
        _("Carried over"),
        _("Received"),
        _("Online"),
        _("At the counter"),
        _("By post"),
        _("Resolved"),
        _("Early"),
        _("On time"),
        _("Late"),
        _("In progress"),
        _("Within the deadline"),
        _("Past the deadline"),
        _("Stopped or withdrawn"),
        _("Refused"),
        _("On-time rate (%)"),
    ]


def title_lines(report: StandardReport) -> list[str]:
    scope = _("with the units below it") if report.with_units else _("its own dossiers")
    return [
        _("Statistics of administrative procedure dossiers"),
        f"{report.agency.name} ({scope})",
        _("From %(start)s to %(end)s")
        % {"start": report.period.start.strftime("%d/%m/%Y"), "end": report.period.end.strftime("%d/%m/%Y")},
    ]


def values_of(figures: Figures) -> list[int | Decimal | None]:
    values = figures.as_dict()
    return [values[name] for name in COLUMNS]


def lines(report: StandardReport) -> Iterator[tuple[str, str, list[int | Decimal | None], str]]:
    """(number, name, figures, kind) per line: kind is "sector", "procedure" or "total"."""
    for index, block in enumerate(report.sectors, start=1):
        yield str(index), block.name, values_of(block.figures), "sector"
        for line in block.procedures:
            yield "", f"{line.code} {line.name}", values_of(line.figures), "procedure"
    yield "", _("Total"), values_of(report.total), "total"


def header() -> list[str]:
    return [_("No."), _("Sector / procedure"), *column_labels()]


def to_csv(report: StandardReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for text in title_lines(report):
        writer.writerow([text])
    writer.writerow(header())
    for number, name, values, _kind in lines(report):
        writer.writerow([number, name, *("" if value is None else value for value in values)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: StandardReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = _("Statistics")[:31]
    for row, text in enumerate(title_lines(report), start=1):
        sheet.cell(row=row, column=1, value=text).font = Font(bold=row == 1, size=13 if row == 1 else 11)
    top = len(title_lines(report)) + 2
    for column, label in enumerate(header(), start=1):
        heading = sheet.cell(row=top, column=column, value=label)
        heading.font = Font(bold=True)
        heading.alignment = Alignment(wrap_text=True, vertical="top")
    row = top
    for number, name, values, kind in lines(report):
        row += 1
        bold = kind != "procedure"
        sheet.cell(row=row, column=1, value=number).font = Font(bold=bold)
        sheet.cell(row=row, column=2, value=name).font = Font(bold=bold)
        for column, value in enumerate(values, start=3):
            cell = sheet.cell(row=row, column=column, value=float(value) if isinstance(value, Decimal) else value)
            cell.number_format = "0.00" if isinstance(value, Decimal) else "#,##0"
            cell.font = Font(bold=bold)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 60
    for column in range(3, len(header()) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = f"C{top + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(report: StandardReport) -> bytes:
    family = register_fonts()
    small = ParagraphStyle("cell", fontName=family, fontSize=7, leading=8.5)
    bold = ParagraphStyle("cell-bold", parent=small, fontName=BOLD)
    heading = ParagraphStyle("heading", fontName=BOLD, fontSize=12, leading=15, alignment=1)
    subheading = ParagraphStyle("subheading", fontName=family, fontSize=9.5, leading=12, alignment=1)
    rows: list[list[object]] = [[Paragraph(label, bold) for label in header()]]
    styles: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), family),
        ("FONTSIZE", (0, 0), (-1, -1), 7),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e7eb")),
    ]
    for number, name, values, kind in lines(report):
        style = small if kind == "procedure" else bold
        rows.append([number, Paragraph(name, style), *(_pdf_number(value) for value in values)])
        if kind != "procedure":
            styles.append(("FONTNAME", (0, len(rows) - 1), (-1, len(rows) - 1), BOLD))
    widths = [8 * mm, 70 * mm] + [13.2 * mm] * len(COLUMNS)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(styles))
    title, agency, period = title_lines(report)
    generated = _("Printed on %(moment)s") % {"moment": timezone.localtime().strftime("%H:%M %d/%m/%Y")}
    story = [
        Paragraph(title, heading),
        Paragraph(agency, subheading),
        Paragraph(period, subheading),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 3 * mm),
        Paragraph(generated, small),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=title,
        author="MotCua",
    )
    document.build(story)
    return buffer.getvalue()


def _pdf_number(value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")
