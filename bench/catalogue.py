"""Benchmarks of the catalogue (issue 3): importing every shipped record, and the public search.

Run as ``.venv/bin/python bench/catalogue.py`` (``make bench`` runs it on SQLite and PostgreSQL).
Imports all records of data/tthc/ into a throwaway database (target < 60 s) and again (nothing
may change), then times the public catalogue's search page query over the whole catalogue for a
set of queries visitors type (with and without diacritics, codes, filters): target p95 < 50 ms.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support.database import bench_database, percentiles, setup_django, verdict

setup_django()

from motcua.catalog import queries  # noqa: E402
from motcua.catalog.importer import import_national_records  # noqa: E402
from motcua.catalog.models import Level, Sector  # noqa: E402
from motcua.catalog.national_records import DATA_DIR  # noqa: E402

IMPORT_TARGET_S = 60.0
SEARCH_TARGET_MS = 50.0
ROUNDS = 20
TEXTS = (
    "dang ky khai sinh",
    "Đăng ký khai sinh",
    "khai tu",
    "cấp giấy phép",
    "giay phep xay dung",
    "thue",
    "1.001193",
    "chung thuc ban sao",
    "xuat nhap canh",
    "ho kinh doanh",
    "đất đai",
    "khong co thu tuc nay",
    "",
)


def main() -> int:
    with bench_database("catalogue") as vendor:
        paths = sorted(DATA_DIR.glob("*.jsonl.gz"))
        started = time.perf_counter()
        report = import_national_records(paths, today=dt.date(2026, 1, 5))
        imported_s = time.perf_counter() - started
        import_ok = imported_s < IMPORT_TARGET_S and report.created == report.read
        print(
            f"catalogue.import {vendor} {imported_s:.1f} s for {report.read} records "
            f"(target < {IMPORT_TARGET_S:.0f} s) {verdict(import_ok)}  "
            f"[fully parsed {report.fully_parsed_share:.2%}, {len(report.not_fully_parsed)} with problems]"
        )
        started = time.perf_counter()
        again = import_national_records(paths, today=dt.date(2026, 1, 6))
        again_ok = again.unchanged == again.read
        print(
            f"catalogue.import_again {vendor} {time.perf_counter() - started:.1f} s, {again.unchanged} unchanged "
            f"{'OK' if again_ok else 'CHANGED SOMETHING'}"
        )

        sector = Sector.objects.get(name="Hộ tịch")
        filters = [queries.CatalogueFilters(text=text) for text in TEXTS]
        filters += [
            queries.CatalogueFilters(text="dang ky", sector_id=sector.pk),
            queries.CatalogueFilters(level=Level.COMMUNE),
            queries.CatalogueFilters(text="cap", level=Level.PROVINCE, page=3),
        ]
        for query in filters:  # warm up
            queries.search_catalogue(query)
        timings: list[float] = []
        for _ in range(ROUNDS):
            for query in filters:
                began = time.perf_counter()
                queries.search_catalogue(query)
                queries.count_catalogue(query)
                timings.append((time.perf_counter() - began) * 1000)
        p50, p95 = percentiles(timings)
        search_ok = p95 < SEARCH_TARGET_MS
        print(
            f"catalogue.search {vendor} p50 {p50:.1f} ms p95 {p95:.1f} ms (target p95 < {SEARCH_TARGET_MS:.0f} ms) "
            f"{verdict(search_ok)}  [{len(timings)} page loads: one page of results plus the count]"
        )
    return 0 if import_ok and again_ok and search_ok else 1


if __name__ == "__main__":
    sys.exit(main())
