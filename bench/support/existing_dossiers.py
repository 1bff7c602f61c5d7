"""A realistic backlog of dossiers for the lifecycle benchmark, written with set-based SQL.

One ``INSERT … SELECT`` over a numbers series (``generate_series`` on PostgreSQL, a recursive
CTE on SQLite) joined to a small table of working days, so a million rows take about a minute, not
an hour of ORM saves. Every row refers to the benchmark world's procedure version, variant,
agency procedure and agencies; what varies is derived from the row number by a hash (squares
modulo a prime), so the same rows come out on every run:

- received over the past two years on working days (the default calendar, holidays included),
  with time limits of 1 to 30 working days (a due moment is the close of a working day);
- 7 % open (12 % received, 58 % in progress, 6 % with other agencies, 6 % paused, 18 % waiting
  for a supplement), received in the last 45 working days: 4 % overdue by up to 20 working days,
  2 % due today, the rest due within 20 working days (the open ones are the long procedures:
  their limits run up to 64 working days); none reminded yet, the worst case for a first sweep;
- 0.5 % drafts and 0.5 % submitted, not yet received;
- the rest final: 92 % returned, 3 % refused, 1 % stopped, 2 % withdrawn, 2 % closed; of those
  resolved, 85 % early, 12 % on the due day, 3 % late.

Codes follow Art. 28 (``<agency code>-<yymmdd>-<sequence>``) and the code counters are set to
the last number of each day, so the lifecycle's own receptions continue the sequence. Open
dossiers get their steps (copied from the process, the current stage active); events are not
generated (their fingerprints are computed in Python), so ``event_count`` stays 0.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper

from bench.support.world import World
from motcua.dossiers.dossier_codes import agency_code_for
from motcua.workdays import clock
from motcua.workflow.calendars import calendar_for

#: Working days of history and of future due dates the days table covers.
PAST_WORKING_DAYS = 500
FUTURE_WORKING_DAYS = 100
#: Row numbers are hashed by squaring modulo this prime (2**31 - 1): the squares stay within 63 bits.
_PRIME = 2_147_483_647
#: The lookup codes' alphabet (as ``workflow.services.intake``: no 0/O, 1/I/L).
_LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
_FAMILY_FOLDED = ("nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang")
_GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Văn Hùng", "Ngọc Lan", "Đức Long")
_GIVEN_FOLDED = ("van an", "thi binh", "minh chau", "quoc dung", "thi hoa", "van hung", "ngoc lan", "duc long")


@dataclass(frozen=True, slots=True)
class Backlog:
    """What was generated, for the benchmark's report."""

    total: int
    open: int


def _case(selector: str, values: tuple[str, ...]) -> str:
    """SQL picking ``values[selector % len(values)]`` (the values are our own constants)."""
    whens = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(values))
    return f"(CASE ({selector}) % {len(values)} {whens} END)"


def _vendor_sql() -> dict[str, str]:
    if connection.vendor == "postgresql":
        return {
            "series": "SELECT generate_series(1, {n})::bigint",
            "ts": "to_timestamp({e})",
            "json_object": "'{}'::jsonb",
            "json_list": "'[]'::jsonb",
            "pad4": "(CASE WHEN {x} >= 10000 THEN ({x})::text ELSE lpad(({x})::text, 4, '0') END)",
        }
    return {
        "series": "SELECT 1 UNION ALL SELECT g + 1 FROM series WHERE g < {n}",
        "ts": "datetime({e}, 'unixepoch')",
        "json_object": "'{}'",
        "json_list": "'[]'",
        "pad4": "printf('%04d', {x})",
    }


def _fill_days(now: dt.datetime) -> None:
    """A temporary table of working days: 0 is ``now``'s day, 1 the working day before, -1 the one after."""
    cal = calendar_for(None)
    today = now.astimezone(cal.tz).date()
    rows = []
    if not clock.is_working_day(cal, today):
        raise ValueError(f"{today} is not a working day: choose a working day for the benchmark's now")
    k = bisect.bisect_left(cal.working_days, today)
    for offset in range(-FUTURE_WORKING_DAYS, PAST_WORKING_DAYS + 1):
        i = k - offset
        day = cal.working_days[i]
        rows.append((offset, day, f"{day:%y%m%d}", int(cal.opens[i].timestamp()), int(cal.closes[i].timestamp())))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_days")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_days "
            "(idx integer PRIMARY KEY, day date NOT NULL, yymmdd varchar(6) NOT NULL, "
            "open_epoch bigint NOT NULL, close_epoch bigint NOT NULL)"
        )
        cursor.executemany("INSERT INTO bench_days VALUES (%s, %s, %s, %s, %s)", rows)


def generate_backlog(world: World, *, count: int, now: dt.datetime) -> Backlog:
    """Insert ``count`` dossiers received before ``now`` (a working day, at most 10:00) and their counters."""
    _fill_days(now)
    sql = _vendor_sql()
    prefix = agency_code_for(world.ward, on=now.date())
    now_epoch = int(now.timestamp())
    ts = sql["ts"].format
    secret = " || ".join(
        f"substr('{_LOOKUP_ALPHABET}', CAST(1 + ((s.h1 / {31**i}) + s.h3) % 31 AS integer), 1)" for i in range(8)
    )
    open_states = "('received', 'in_progress', 'with_other_agencies', 'paused', 'supplement_requested')"
    unreceived = "('draft', 'submitted', 'withdrawn', 'closed')"
    code = f"'{prefix}-' || s.yymmdd || '-' || {sql['pad4'].format(x='s.seq')}"
    # The values inlined are integers and constants of ours, never input.
    statement = f"""
WITH RECURSIVE series(g) AS ({sql["series"].format(n=count)}),
mixed AS (SELECT g, (g * 1103515245 + 12345) % {_PRIME} AS a FROM series),
first_hash AS (SELECT g, (a * a) % {_PRIME} AS h1 FROM mixed),
second_hash AS (SELECT g, h1, ((h1 + 7919) * (h1 + 7919)) % {_PRIME} AS h2 FROM first_hash),
hashed AS (SELECT g, h1, h2, ((h2 + 104729) * (h2 + 104729)) % {_PRIME} AS h3 FROM second_hash),
kinds AS (
    SELECT g, h1, h2, h3,
        CASE
            WHEN h1 % 1000 < 70 THEN CASE
                WHEN (h1 / 1000) % 1000 < 120 THEN 'received'
                WHEN (h1 / 1000) % 1000 < 700 THEN 'in_progress'
                WHEN (h1 / 1000) % 1000 < 760 THEN 'with_other_agencies'
                WHEN (h1 / 1000) % 1000 < 820 THEN 'paused'
                ELSE 'supplement_requested' END
            WHEN h1 % 1000 < 75 THEN 'draft'
            WHEN h1 % 1000 < 80 THEN 'submitted'
            ELSE CASE
                WHEN (h1 / 1000) % 1000 < 920 THEN 'returned'
                WHEN (h1 / 1000) % 1000 < 950 THEN 'refused'
                WHEN (h1 / 1000) % 1000 < 960 THEN 'stopped'
                WHEN (h1 / 1000) % 1000 < 980 THEN 'withdrawn'
                ELSE 'closed' END
        END AS state,
        CASE h3 % 8 WHEN 0 THEN 1 WHEN 1 THEN 3 WHEN 2 THEN 5 WHEN 3 THEN 5 WHEN 4 THEN 7
            WHEN 5 THEN 10 WHEN 6 THEN 15 ELSE 30 END AS base_limit,
        (h2 / 1000) % 1000 AS lateness,
        h2 % 45 AS elapsed
    FROM hashed
),
timed AS (
    SELECT g, h1, h2, h3, state,
        CASE
            WHEN state NOT IN {open_states} THEN base_limit
            WHEN lateness < 40 THEN CASE WHEN elapsed - 1 - h3 % 20 > 1 THEN elapsed - 1 - h3 % 20 ELSE 1 END
            WHEN lateness < 60 THEN CASE WHEN elapsed > 1 THEN elapsed ELSE 1 END
            ELSE elapsed + 1 + h3 % 20
        END AS time_limit,
        CASE
            WHEN state IN {open_states} THEN elapsed
            WHEN state = 'draft' THEN h2 % 60
            WHEN state = 'submitted' THEN h2 % 2
            WHEN state = 'closed' THEN 20 + h2 % {PAST_WORKING_DAYS - 20}
            ELSE base_limit + 2 + h2 % {PAST_WORKING_DAYS - 32}
        END AS day_idx
    FROM kinds
),
numbered AS (
    SELECT t.*,
        t.day_idx - t.time_limit AS due_idx,
        ROW_NUMBER() OVER (PARTITION BY t.state = 'draft', t.day_idx ORDER BY t.g) AS seq
    FROM timed t
),
moments AS (
    SELECT n.*, d.yymmdd,
        d.open_epoch + n.h3 % (CASE WHEN n.day_idx = 0 THEN 3600 ELSE 28800 END) AS at_epoch,
        due.close_epoch AS due_epoch,
        (n.h3 / 1000) % 100 AS timeliness
    FROM numbered n
    JOIN bench_days d ON d.idx = n.day_idx
    JOIN bench_days due ON due.idx = n.due_idx
),
shaped AS (
    SELECT m.*,
        CASE WHEN m.state IN {unreceived} THEN NULL ELSE m.at_epoch END AS received_epoch,
        CASE WHEN m.state IN {unreceived} THEN NULL ELSE m.due_epoch END AS legal_due_epoch,
        CASE WHEN m.state NOT IN ('returned', 'refused') THEN NULL
            WHEN m.timeliness < 3 THEN m.due_epoch + 3600 * (1 + m.h3 % 20)
            WHEN m.timeliness < 15 THEN m.due_epoch - m.h2 % 28800
            ELSE m.at_epoch + ((m.due_epoch - 86400 - m.at_epoch) * (m.h2 % 100)) / 100
        END AS resolved_epoch,
        CASE WHEN m.state IN ('paused', 'supplement_requested') THEN m.at_epoch + ({now_epoch} - m.at_epoch) / 2 END
            AS paused_epoch,
        CASE WHEN m.h3 % 10 < 3 THEN 'online' ELSE 'counter' END AS channel
    FROM moments m
)
SELECT
    {ts(e="s.at_epoch")}, {ts(e="s.at_epoch")},
    CASE WHEN s.state = 'draft' THEN NULL ELSE {code} END,
    {secret},
    s.state, CASE WHEN s.state IN {open_states} THEN 3 ELSE 7 END,
    {world.version.pk}, {world.variant.pk}, {world.offer.pk}, s.channel,
    {world.centre.pk}, {world.ward.pk}, {world.centre.pk}, NULL, 'citizen',
    {_case("s.h1", _FAMILY)} || ' ' || {_case("s.h2", _GIVEN)},
    CAST(100000000000 + s.g AS TEXT),
    'Số ' || CAST(1 + s.h2 % 300 AS TEXT) || ' đường Hùng Vương, phường Việt Trì',
    '09' || CAST(10000000 + s.h1 % 89999999 AS TEXT),
    CASE WHEN s.h2 % 10 < 4 THEN 'nguoidan' || CAST(s.g AS TEXT) || '@example.vn' ELSE '' END,
    '', '', '',
    {sql["json_object"]}, {sql["json_list"]}, 0, 0, NULL,
    CASE s.h2 % 10 WHEN 0 THEN 'post' WHEN 1 THEN 'online' ELSE 'counter' END,
    CASE WHEN s.h2 % 10 = 0 THEN 'Số 1 đường Hùng Vương, phường Việt Trì' ELSE '' END,
    CASE WHEN s.state = 'returned' AND s.h2 % 10 = 0 THEN 'EB' || CAST(100000000 + s.g AS TEXT) || 'VN' ELSE '' END,
    'working_days', s.time_limit, FALSE,
    CASE WHEN s.state = 'draft' THEN NULL
        ELSE {ts(e="s.at_epoch - CASE WHEN s.channel = 'online' THEN 7200 ELSE 0 END")} END,
    {ts(e="s.received_epoch")}, {ts(e="s.received_epoch")},
    {ts(e="s.legal_due_epoch")}, {ts(e="s.legal_due_epoch")},
    {ts(e="s.paused_epoch")},
    {ts(e="s.resolved_epoch")},
    CASE WHEN s.state = 'returned' THEN {ts(e="s.resolved_epoch + 3600 * (s.h3 % 20)")} END,
    CASE s.state
        WHEN 'returned' THEN {ts(e="s.resolved_epoch + 3600 * (s.h3 % 20)")}
        WHEN 'refused' THEN {ts(e="s.resolved_epoch")}
        WHEN 'stopped' THEN {ts(e="s.received_epoch + (s.legal_due_epoch - s.received_epoch) / 2")}
        WHEN 'withdrawn' THEN {ts(e="s.at_epoch + 3600")}
        WHEN 'closed' THEN {ts(e="s.at_epoch + 3600 + 16 * 86400")}
    END,
    CASE WHEN s.resolved_epoch IS NULL THEN ''
        WHEN s.timeliness < 3 THEN 'late' WHEN s.timeliness < 15 THEN 'on_time' ELSE 'early' END,
    CASE WHEN s.state = 'supplement_requested' THEN 'processing' ELSE '' END,
    CASE WHEN s.state = 'supplement_requested' THEN {ts(e="s.paused_epoch")}
        WHEN s.state = 'closed' THEN {ts(e="s.at_epoch + 3600")} END,
    CASE WHEN s.state = 'closed' THEN 1 ELSE 0 END,
    CASE WHEN s.state = 'supplement_requested' THEN 1 ELSE 0 END,
    0,
    CASE s.state WHEN 'received' THEN 0 WHEN 'in_progress' THEN 1 + s.h3 % 3 WHEN 'paused' THEN 1 + s.h3 % 3
        WHEN 'with_other_agencies' THEN 1 WHEN 'supplement_requested' THEN 1 ELSE 0 END,
    0, NULL, 0, '', NULL,
    lower(CASE WHEN s.state = 'draft' THEN '' ELSE {code} END)
        || ' ' || {_case("s.h1", _FAMILY_FOLDED)} || ' ' || {_case("s.h2", _GIVEN_FOLDED)}
        || ' ' || CAST(100000000000 + s.g AS TEXT)
FROM shaped s
"""  # noqa: S608
    columns = (
        "created_at, updated_at, code, lookup_secret, state, lock_version, procedure_version_id, variant_id, "
        "agency_procedure_id, channel, receiving_unit_id, competent_agency_id, returning_unit_id, applicant_id, "
        "applicant_kind, applicant_name, applicant_id_number, applicant_address, applicant_phone, applicant_email, "
        "representative_name, representative_id_number, representative_relation, form_answers, fee_items, "
        "fees_due, fees_paid, fees_paid_at, delivery_method, delivery_address, postal_tracking_number, "
        "time_limit_unit, time_limit_amount, applies_afternoon_cutoff, submitted_at, received_at, "
        "clock_started_at, legal_due_at, appointment_at, paused_at, resolved_at, returned_at, ended_at, verdict, "
        "supplement_phase, supplement_requested_at, reception_supplements, processing_supplements, extensions, "
        "current_stage, reminder_level, reminded_for_due, event_count, last_event_hash, idempotency_key, search_text"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO dossiers_dossier ({columns}) {statement}")
        cursor.execute(
            "INSERT INTO dossiers_dossiercodecounter (prefix, day, last) "
            "SELECT %s, d.day, COUNT(*) FROM dossiers_dossier x "
            "JOIN bench_days d ON d.yymmdd = substr(x.code, %s, 6) "
            "WHERE x.code IS NOT NULL GROUP BY d.day",
            [prefix, len(prefix) + 2],
        )
        cursor.execute(
            "INSERT INTO workflow_dossierstep (dossier_id, stage, name, unit_id, role, budget_hours, "  # noqa: S608
            "state, started_at, due_at, finished_at, finished_by_id) "
            "SELECT x.id, p.stage, p.name, p.unit_id, p.role, "
            "CASE p.budget_unit WHEN 'working_days' THEN p.budget_amount * 8 ELSE p.budget_amount END, "
            "CASE WHEN p.stage < x.current_stage THEN 'done' WHEN p.stage = x.current_stage THEN 'active' "
            "ELSE 'waiting' END, "
            "CASE WHEN p.stage <= x.current_stage THEN x.clock_started_at END, "
            "CASE WHEN p.stage = x.current_stage THEN x.legal_due_at END, "
            "CASE WHEN p.stage < x.current_stage THEN x.clock_started_at END, NULL "
            f"FROM dossiers_dossier x JOIN catalog_processstep p ON x.state IN {open_states} "
            "JOIN catalog_internalprocess ip ON ip.id = p.process_id AND ip.agency_procedure_id = %s",
            [world.offer.pk],
        )
        cursor.execute("DROP TABLE bench_days")
        if connection.vendor == "postgresql":
            # A settled database, as production's is: statistics, visibility map, the load's WAL on disk.
            cursor.execute("VACUUM ANALYZE dossiers_dossier")
            cursor.execute("VACUUM ANALYZE workflow_dossierstep")
            _checkpoint(cursor)
        else:
            cursor.execute("ANALYZE")
        cursor.execute(f"SELECT COUNT(*) FROM dossiers_dossier WHERE state IN {open_states}")  # noqa: S608
        (open_count,) = cursor.fetchone()
    return Backlog(total=count, open=open_count)


def _checkpoint(cursor: CursorWrapper) -> None:
    """Write the load's WAL out now rather than during the timings (needs a superuser: else skipped)."""
    try:
        with transaction.atomic():
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass
