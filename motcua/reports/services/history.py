"""Importing an agency's past dossiers from a CSV file (docs/howto/historical-import.md).

The file is read and every row checked first (``history_csv``); then, in one transaction, the
codes are checked against earlier imports and MotCua's own dossiers, the rows go in set-based
(on PostgreSQL by COPY into a temporary staging table and one INSERT … SELECT, on SQLite by
``executemany``) and are counted into the summaries (``history_summaries``). A file loads
completely or not at all: any problem raises ``ImportRefused`` with the rows at fault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.reports.history_csv import ROW_COLUMNS, ImportProblem, ImportRefused, Problems, Row, aware, read_rows
from motcua.reports.history_summaries import TIME_ZONE, summarise_imported, summarise_staged
from motcua.reports.models import ImportBatch, ImportedDossier
from motcua.reports.services.summaries import lock_cursors

__all__ = ["ImportProblem", "ImportRefused", "import_history"]


def import_history(*, content: bytes, file_name: str, user: User | None, now: dt.datetime | None = None) -> ImportBatch:
    """Import the past dossiers of a CSV file (UTF-8), all or nothing; ImportRefused lists the problems."""
    now = now or timezone.now()
    problems = Problems()
    rows = read_rows(content, problems, now)
    if problems.items:
        raise ImportRefused(problems.items)
    if not rows:
        raise ImportRefused([ImportProblem(0, _("The file has no dossier rows."))])
    with transaction.atomic():
        lock_cursors()  # one writer of the summaries at a time: the follower waits for the import
        batch = ImportBatch.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            rows=len(rows),
            imported_at=now,
            imported_by=user,
        )
        if connection.vendor == "postgresql":
            _copy_postgresql(batch, rows, problems)
        else:
            _insert_sqlite(batch, rows, problems)
        if problems.items:
            raise ImportRefused(sorted(problems.items, key=lambda problem: problem.row))
        if connection.vendor == "postgresql":
            summarise_staged("import_staging")
        else:
            summarise_imported(batch_id=batch.pk)
    return batch


def _copy_postgresql(batch: ImportBatch, rows: list[tuple[int, Row]], problems: Problems) -> None:
    table = ImportedDossier._meta.db_table
    columns = ", ".join(ROW_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_staging")  # an earlier import in the same transaction
        cursor.execute(
            "CREATE TEMPORARY TABLE import_staging (row_no integer, code varchar(60), agency_id bigint, "
            "procedure_id bigint, sector_id bigint, channel varchar(10), received_at timestamp, "
            "due_at timestamp, resolved_at timestamp, returned_at timestamp, status varchar(12), "
            "verdict varchar(10), delivery varchar(10), rating smallint, is_long_running boolean) ON COMMIT DROP"
        )
        # The moments are Vietnamese wall-clock times (history_csv.parse_moment), placed in time below.
        with cursor.cursor.copy(f"COPY import_staging (row_no, {columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(STAGING_TYPES)
            for number, row in rows:
                copy.write_row((number, *row))
        cursor.execute(
            f"SELECT s.row_no, s.code, 'imported' FROM import_staging s JOIN {table} i ON i.code = s.code "  # noqa: S608
            "UNION ALL SELECT s.row_no, s.code, 'dossier' FROM import_staging s "
            "JOIN dossiers_dossier d ON d.code = s.code "
            "ORDER BY 1"
        )
        for number, code, where in cursor.fetchall():
            problems.add(number, _code_taken(code, where))
        if problems.items:
            return
        moments = ("received_at", "due_at", "resolved_at", "returned_at")
        placed = ", ".join(f"{name} AT TIME ZONE '{TIME_ZONE}'" if name in moments else name for name in ROW_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table} ({columns}, batch_id) SELECT {placed}, %s FROM import_staging",  # noqa: S608
            [batch.pk],
        )


#: The staging table's columns for a binary COPY (row number, then ``history_csv.ROW_COLUMNS``).
STAGING_TYPES = (
    "int4", "varchar", "int8", "int8", "int8", "varchar", "timestamp", "timestamp", "timestamp", "timestamp",
    "varchar", "varchar", "varchar", "int2", "bool",
)  # fmt: skip


def _insert_sqlite(batch: ImportBatch, rows: list[tuple[int, Row]], problems: Problems) -> None:
    numbers = {str(row[0]): number for number, row in rows}
    for chunk in _chunks(list(numbers), 500):
        for code in ImportedDossier.objects.filter(code__in=chunk).values_list("code", flat=True):
            problems.add(numbers[code], _code_taken(code, "imported"))
        for taken in Dossier.objects.filter(code__in=chunk).values_list("code", flat=True):
            problems.add(numbers[taken or ""], _code_taken(taken or "", "dossier"))
    if problems.items:
        return
    table = ImportedDossier._meta.db_table
    marks = ", ".join(["%s"] * (len(ROW_COLUMNS) + 1))
    adapt = connection.ops.adapt_datetimefield_value
    moments = {ROW_COLUMNS.index(name) for name in ("received_at", "due_at", "resolved_at", "returned_at")}
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(ROW_COLUMNS)}, batch_id) VALUES ({marks})",  # noqa: S608
            [
                (*(adapt(aware(value)) if i in moments else value for i, value in enumerate(row)), batch.pk)
                for _number, row in rows
            ],
        )


def _code_taken(code: str, where: str) -> str:
    if where == "imported":
        return _("Dossier code %(code)s was imported before.") % {"code": code}
    return _("Dossier code %(code)s is a dossier in MotCua.") % {"code": code}


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
