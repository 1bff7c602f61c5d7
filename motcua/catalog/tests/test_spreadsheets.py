"""An agency's catalogue as CSV/XLSX: export, import, and refusals with row numbers."""

from __future__ import annotations

import io

import openpyxl
import pytest

from motcua.agencies.tests.factories import build_tree
from motcua.catalog import spreadsheets
from motcua.catalog.models import AgencyProcedure, OnlineLevel, Procedure, ProcedureVersion
from motcua.catalog.spreadsheets import CatalogueImportError, SpreadsheetError
from motcua.catalog.tests.factories import make_procedure
from motcua.catalog.time_limits import TimeLimit, TimeUnit

pytestmark = pytest.mark.django_db

HEADER = ",".join(spreadsheets.COLUMNS)


def csv_file(*rows: str) -> list[dict[str, str]]:
    body = "\n".join([HEADER, *rows]).encode("utf-8")
    return spreadsheets.read_rows(io.BytesIO(body), "danh-muc.csv")


def test_a_known_procedure_is_configured_and_a_new_one_created() -> None:
    tree = build_tree()
    make_procedure("1.001193")
    rows = csv_file(
        '1.001193,,,,,,,Toàn trình,Có,Không,"Nộp tại quầy 1"',
        "9.000001,Xác nhận tình trạng nhà ở,Hộ tịch,Cấp xã,5 ngày làm việc,Lệ phí : 10.000 Đồng,"
        '"Đơn đề nghị (1 bản chính)\nBản sao căn cước (0 bản chính, 1 bản sao)",Một phần,Không,Không,',
    )

    assert spreadsheets.import_catalogue(tree.c1, rows) == 2

    birth = AgencyProcedure.objects.get(agency=tree.c1, procedure__code="1.001193")
    assert (birth.online_level, birth.offers_postal_return, birth.instructions) == (
        OnlineLevel.FULL,
        True,
        "Nộp tại quầy 1",
    )
    local = ProcedureVersion.objects.get(procedure__code="9.000001")
    assert local.source == "local"
    assert {row.time_limit for row in local.channels.all()} == {TimeLimit(5, TimeUnit.WORKING_DAYS)}
    assert [(c.name, c.originals, c.copies) for c in local.components.all()] == [
        ("Đơn đề nghị", 1, 0),
        ("Bản sao căn cước", 0, 1),
    ]


def test_one_bad_row_imports_nothing_and_every_error_names_its_row_and_column() -> None:
    tree = build_tree()
    make_procedure("1.001193")
    rows = csv_file(
        "1.001193,,,,,,,Toàn trình,Có,Không,",
        "1.23,,,,,,,,,,",
        "9.000002,Thủ tục mới,Lĩnh vực không có,,,,,,,,",
        "9.000003,Thủ tục khác,Hộ tịch,,ba ngày,,,,,,",
        "1.001193,,,,,,,Không,Có,Không,",
        "9.000004,Thủ tục nữa,Hộ tịch,,,,,Nhanh,,,",
    )

    with pytest.raises(CatalogueImportError) as error:
        spreadsheets.import_catalogue(tree.c1, rows)

    assert [(e.row, e.column) for e in error.value.row_errors] == [
        (3, "ma_thu_tuc"),
        (4, "linh_vuc"),
        (5, "thoi_han"),
        (6, "ma_thu_tuc"),
        (7, "muc_do_truc_tuyen"),
    ]
    assert not AgencyProcedure.objects.exists()
    assert not Procedure.objects.filter(code__startswith="9.").exists()


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (b"ma_thu_tuc,ten\n1.001193,x\n", "a.csv"),  # unknown column
        (b"ten_thu_tuc\nx\n", "a.csv"),  # code column missing
        ("ma_thu_tuc\n1.001193\n".encode("utf-16"), "a.csv"),  # not UTF-8
        (b"", "a.csv"),
        (b"not a workbook", "a.xlsx"),
        (b"ma_thu_tuc\n", "a.pdf"),
    ],
)
def test_files_that_do_not_fit_the_layout_are_refused_whole(body: bytes, name: str) -> None:
    with pytest.raises(SpreadsheetError):
        spreadsheets.read_rows(io.BytesIO(body), name)


def test_export_then_import_round_trips_through_xlsx() -> None:
    tree = build_tree()
    make_procedure("1.001193")
    spreadsheets.import_catalogue(tree.c1, csv_file("1.001193,,,,,,,Một phần,Có,Có,Hướng dẫn"))

    workbook_bytes = spreadsheets.write_xlsx(spreadsheets.export_rows(tree.c1))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).worksheets[0]
    exported = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert exported[0] == list(spreadsheets.COLUMNS)
    assert exported[1][:4] == ["1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "Cấp xã"]
    assert exported[1][7:] == ["Một phần", "Có", "Có", "Hướng dẫn"]

    rows = spreadsheets.read_rows(io.BytesIO(workbook_bytes), "x.xlsx")
    assert spreadsheets.import_catalogue(tree.c2, rows) == 1
    copied = AgencyProcedure.objects.get(agency=tree.c2)
    assert (copied.online_level, copied.offers_online_payment) == (OnlineLevel.PARTIAL, True)
