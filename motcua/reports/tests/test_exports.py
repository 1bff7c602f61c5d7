"""The standard report's exports carry its figures: read back with openpyxl, csv and pypdf."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.reports.exports import to_csv, to_pdf, to_xlsx
from motcua.reports.standard_report import get_standard_report
from motcua.reports.tests.test_standard_report import MARCH
from motcua.workflow.tests.factories import World

pytestmark = pytest.mark.django_db

#: The March total line: carried over, received (online, counter, post), resolved (early, on time,
#: late), in progress (within, past), stopped, refused, on-time rate.
TOTAL = [1, 9, 8, 1, 0, 5, 2, 1, 2, 3, 2, 1, 1, 1]


def test_the_spreadsheet_has_every_line_and_figure(march: World) -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(get_standard_report(march.tree.p, MARCH)))).active
    assert sheet is not None
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Statistics of administrative procedure dossiers"
    assert rows[1][0] == "Ủy ban nhân dân tỉnh Phú Thọ (with the units below it)"
    header = rows[4]
    assert header[:4] == ["No.", "Sector / procedure", "Carried over", "Received"]
    sector, procedure, total = rows[5], rows[6], rows[7]
    assert sector[:2] == ["1", "Hộ tịch"]
    assert str(procedure[1]).startswith("1.001193 Thủ tục đăng ký khai sinh")
    assert list(total[2:16]) == TOTAL and total[16] == 60.0
    assert list(sector[2:16]) == TOTAL == list(procedure[2:16])


def test_the_csv_file_opens_with_its_accents(march: World) -> None:
    content = to_csv(get_standard_report(march.tree.p, MARCH))
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for spreadsheet programs
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    total = rows[-1]
    assert total[1] == "Total"
    assert [int(value) for value in total[2:16]] == TOTAL and total[16] == "60.00"
    assert rows[4][1] == "Hộ tịch"


def test_the_pdf_prints_the_vietnamese_names_and_the_figures(march: World) -> None:
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(get_standard_report(march.tree.p, MARCH)))).pages
    )
    assert "Ủy ban nhân dân tỉnh Phú Thọ" in text
    assert "Hộ tịch" in text and "Thủ tục đăng ký khai sinh" in text
    assert "60,00" in text
    assert "From 01/03/2026 to 31/03/2026" in text
