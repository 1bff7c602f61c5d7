"""Historical import: a file counts in every report like native dossiers, or is refused whole, with row numbers."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.reports.checks import check_summaries
from motcua.reports.models import FlowSummary, ImportBatch, ImportedDossier, RatingSummary
from motcua.reports.periods import Period
from motcua.reports.raw_report import get_raw_report
from motcua.reports.satisfaction import get_satisfaction
from motcua.reports.services import ImportRefused, apply_new_events, import_history
from motcua.reports.standard_report import Figures, get_standard_report
from motcua.reports.tests.scenarios import history_csv
from motcua.workflow.tests.factories import World, build_world, make_dossier

pytestmark = pytest.mark.django_db

WARD = "000.01.25.H25"  # the ward of Việt Trì (build_world), valid from 01/07/2025
PROCEDURE = "1.001193"
#: December 2025 at the ward: one returned early and rated, one resolved late, one received in
#: October still open (past its deadline), one refused, one stopped, one received at the end.
ROWS = [
    [
        "LS-1",
        WARD,
        PROCEDURE,
        "online",
        "2025-12-01 08:00",
        "2025-12-05 17:00",
        "2025-12-03 10:00",
        "2025-12-04 09:00",
        "returned",
        "3",
    ],
    [
        "LS-2",
        WARD,
        PROCEDURE,
        "counter",
        "2025-12-01 09:00",
        "2025-12-05 17:00",
        "2025-12-08 10:00",
        "",
        "resolved",
        "",
    ],
    ["LS-3", WARD, PROCEDURE, "3", "2025-10-01 08:00", "2025-10-08 17:00", "", "", "in_progress", ""],
    ["LS-4", WARD, PROCEDURE, "2", "02/12/2025 10:30", "09/12/2025 17:00", "03/12/2025", "", "refused", "1"],
    ["LS-5", WARD, PROCEDURE, "1", "2025-12-10", "", "2025-12-12 15:00", "", "stopped", ""],
    ["LS-6", WARD, PROCEDURE, "online", "2025-12-31 16:00", "2026-01-07 17:00", "", "", "in_progress", ""],
]
DECEMBER = Figures(
    carried_over=1,  # LS-3
    received_online=3,  # LS-1, LS-4, LS-6
    received_counter=2,  # LS-2, LS-5
    resolved_early=1,  # LS-1: resolved on 03/12, due 05/12
    resolved_late=1,  # LS-2: resolved on 08/12, due 05/12 17:00
    in_progress_within=1,  # LS-6
    in_progress_overdue=1,  # LS-3
    stopped=1,
    refused=1,
)


@pytest.fixture
def world() -> World:
    return build_world()


def test_imported_dossiers_count_like_native_ones(world: World) -> None:
    make_dossier(world, "returned")  # a native dossier in March 2026
    batch = import_history(content=history_csv(ROWS), file_name="lich-su.csv", user=None)
    apply_new_events()
    assert (batch.rows, ImportedDossier.objects.count()) == (6, 6)
    december = Period.month(2025, 12)
    assert get_standard_report(world.tree.p, december).total == DECEMBER
    assert get_raw_report(world.tree.p, december) == get_standard_report(world.tree.p, december)
    march = get_standard_report(world.tree.p, Period.month(2026, 3)).total
    assert march == Figures(carried_over=2, received_online=1, resolved_early=1, in_progress_overdue=2)
    assert check_summaries() == []  # the set-based path (PostgreSQL) equals the rules
    ratings = get_satisfaction(world.tree.c1, december)
    assert (ratings.overall.not_satisfied, ratings.overall.very_satisfied, ratings.detailed) == (1, 1, 0)


def test_the_verdict_is_the_lifecycle_s(world: World) -> None:
    rows = [
        [
            "V-1",
            WARD,
            PROCEDURE,
            "online",
            "2025-12-01 08:00",
            "2025-12-05 17:00",
            "2025-12-05 16:59",
            "",
            "resolved",
            "",
        ],
        [
            "V-2",
            WARD,
            PROCEDURE,
            "online",
            "2025-12-01 08:00",
            "2025-12-05 17:00",
            "2025-12-05 17:01",
            "",
            "resolved",
            "",
        ],
        [
            "V-3",
            WARD,
            PROCEDURE,
            "online",
            "2025-12-01 08:00",
            "2025-12-05 17:00",
            "2025-12-04 17:01",
            "",
            "resolved",
            "",
        ],
        ["V-4", WARD, PROCEDURE, "online", "2025-12-01 08:00", "", "2026-05-04 17:01", "", "resolved", ""],
    ]
    import_history(content=history_csv(rows), file_name="v.csv", user=None)
    assert dict(ImportedDossier.objects.values_list("code", "verdict")) == {
        "V-1": "on_time",
        "V-2": "late",
        "V-3": "early",
        "V-4": "on_time",  # no time limit: never late
    }


def refusal(content: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_history(content=content, file_name="x.csv", user=None)
    return [str(problem) for problem in refused.value.problems]


def with_row(**changes: str) -> list[list[str]]:
    columns = [
        "code",
        "agency_code",
        "procedure_code",
        "channel",
        "received",
        "due",
        "resolved",
        "returned",
        "status",
        "rating",
    ]
    row = dict(zip(columns, ROWS[0], strict=True))
    row.update(changes)
    return [*ROWS[1:3], [row[name] for name in columns]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received": "2025-13-01"}, "Row 4: “2025-13-01” in “received” is not a date"),
        ({"received": ""}, "Row 4: The “received” date is missing."),
        ({"received": "1999-12-31"}, "Row 4: “1999-12-31” in “received” is outside 2000 … today."),
        ({"received": "2099-01-01 08:00"}, "Row 4: “2099-01-01 08:00” in “received” is outside 2000 … today."),
        ({"resolved": "2025-11-30 10:00"}, "Row 4: Resolved before it was received."),
        ({"due": "2025-11-30 10:00"}, "Row 4: Due before it was received."),
        ({"returned": "2025-12-02 10:00"}, "Row 4: Returned before it was resolved."),
        ({"status": "in_progress"}, "Row 4: A dossier in progress has no “resolved” or “returned” date."),
        ({"status": "finished"}, "Row 4: Unknown status “finished”."),
        ({"status": "refused"}, "Row 4: Only a returned dossier has a “returned” date."),
        ({"returned": ""}, "Row 4: A returned dossier needs its “returned” date."),
        ({"channel": "fax"}, "Row 4: Unknown channel “fax”"),
        ({"agency_code": "000.99.25.H25"}, "Row 4: Unknown agency identifier code “000.99.25.H25”."),
        ({"received": "2025-06-30 08:00"}, "Row 4: Agency code “000.01.25.H25” was not valid on the reception day."),
        ({"procedure_code": "1.999999"}, "Row 4: Unknown procedure code 1.999999."),
        ({"procedure_code": "thu-tuc-1"}, "Row 4: “thu-tuc-1” is not a procedure code such as 1.000178."),
        ({"rating": "5"}, "Row 4: The rating is 1 (not satisfied), 2 (satisfied) or 3 (very satisfied)."),
        ({"code": "LS-2"}, "Row 4: Dossier code LS-2 is already on row 2."),
    ],
)
def test_bad_rows_are_refused_with_their_row_numbers(world: World, changes: dict[str, str], message: str) -> None:
    problems = refusal(history_csv(with_row(**changes)))
    assert any(problem.startswith(message) for problem in problems), problems
    assert (
        not ImportBatch.objects.exists() and not ImportedDossier.objects.exists() and not FlowSummary.objects.exists()
    )


def test_wrong_columns_are_named(world: World) -> None:
    header = [
        "code",
        "agency",
        "procedure_code",
        "channel",
        "received",
        "due",
        "resolved",
        "returned",
        "status",
        "rating",
    ]
    assert refusal(history_csv(ROWS, header=header)) == [
        "Row 1: Unknown column “agency”.",
        "Row 1: Missing column “agency_code”.",
    ]
    assert refusal(b"code,status\n")[0] == "Row 1: Missing column “agency_code”."
    assert refusal("code;agency_code\nA;B\n".encode("utf-16")) == [
        "The file is not UTF-8 text: save it as “CSV UTF-8”."
    ]
    assert refusal(history_csv([])) == ["The file has no dossier rows."]
    short = history_csv(ROWS[:1]) + b"LS-9,000.01.25.H25\n"
    assert refusal(short) == ["Row 3: 2 values where the header has 10."]


def test_a_file_loads_completely_or_not_at_all(world: World) -> None:
    import_history(content=history_csv(ROWS[:2]), file_name="first.csv", user=None)
    before = set(FlowSummary.objects.values_list())
    ratings_before = RatingSummary.objects.count()
    # The third row is fine, but LS-1 was imported before and a native dossier holds the code of row 3.
    native = make_dossier(world, "submitted")
    apply_new_events()
    before = set(FlowSummary.objects.values_list())
    rows = [ROWS[2], ROWS[0], [native.code or "", *ROWS[3][1:]]]
    assert refusal(history_csv(rows)) == [
        "Row 3: Dossier code LS-1 was imported before.",
        f"Row 4: Dossier code {native.code} is a dossier in MotCua.",
    ]
    assert set(FlowSummary.objects.values_list()) == before
    assert RatingSummary.objects.count() == ratings_before
    assert list(ImportedDossier.objects.values_list("code", flat=True).order_by("code")) == ["LS-1", "LS-2"]


def test_the_command_imports_or_lists_the_problems(world: World, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(history_csv(ROWS))
    bad.write_bytes(history_csv(with_row(resolved="2025-11-30 10:00", code="LS-7")))
    output, errors = StringIO(), StringIO()
    call_command("import_history", str(good), stdout=output)
    assert output.getvalue().startswith("Imported 6 dossiers from good.csv")
    with pytest.raises(CommandError) as failure:
        call_command("import_history", str(bad), stdout=output, stderr=errors)
    assert failure.value.returncode == 1
    assert "Row 4: Resolved before it was received." in errors.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_history", str(tmp_path / "missing.csv"))


def test_dates_without_a_zone_are_vietnamese_time(world: World) -> None:
    rows = [["Z-1", WARD, PROCEDURE, "online", "2025-12-31 23:30", "", "", "", "in_progress", ""]]
    import_history(content=history_csv(rows), file_name="z.csv", user=None)
    dossier = ImportedDossier.objects.get()
    assert dossier.received_at == dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)
    assert get_standard_report(world.tree.p, Period.month(2025, 12)).total == Figures(
        received_online=1, in_progress_within=1
    )
    for period in (Period.month(2025, 12), Period.month(2026, 1)):  # stored in UTC: read back on the right day
        assert get_raw_report(world.tree.p, period) == get_standard_report(world.tree.p, period)


def test_the_documented_example_imports(world: World) -> None:
    text = (Path(__file__).resolve().parents[3] / "docs" / "howto" / "historical-import.md").read_text()
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    assert import_history(content=example.encode(), file_name="example.csv", user=None).rows == 3
