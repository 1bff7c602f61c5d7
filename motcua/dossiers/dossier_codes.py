"""Dossier codes (Decree 118/2025/NĐ-CP Art. 28): ``<agency code>-<yymmdd>-<sequence>``.

The code is the electronic identifier code of the competent agency (Decision 20/2020/QĐ-TTg; the
nearest agency above it that holds one, when a unit has none of its own), the day of reception
and that day's sequence number for the agency, four digits at least (``000.00.01.H29-240115-0001``,
DOMAIN.md §5). It is unique and never changes once given.

The sequence comes from one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on the counter row of
(agency code, day): a single atomic statement on PostgreSQL and SQLite alike, so two receptions
at the same instant can never get the same number, and a rolled-back reception leaves at most a
gap, never a duplicate. A batch of receptions reserves a range in the same statement and gives back
what it did not use before its transaction ends (``workflow.batch``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F

from motcua.agencies.models import Agency, AgencyCode
from motcua.dossiers.models import DossierCodeCounter


class NoAgencyCodeError(ValueError):
    """Neither the agency nor any agency above it holds an identifier code on that day."""


def agency_code_for(agency: Agency, *, on: dt.date) -> str:
    """The identifier code of ``agency``, or of its nearest ancestor holding one, valid on ``on`` (one query)."""
    chain = [agency.pk, *reversed(agency.ancestor_ids)]
    codes = dict(
        AgencyCode.objects.filter(agency_id__in=chain)
        .valid_on(on)
        .order_by("valid_from")
        .values_list("agency_id", "code")
    )
    for agency_id in chain:
        if agency_id in codes:
            return codes[agency_id]
    raise NoAgencyCodeError(
        f"{agency} and the agencies above it hold no electronic identifier code on {on:%d/%m/%Y}; "
        "give one in the agency admin."
    )


def next_dossier_code(*, prefix: str, on: dt.date) -> str:
    """The next code for agency code ``prefix`` on day ``on``; call it inside the reception's transaction."""
    return reserve_dossier_codes(prefix=prefix, on=on, count=1)[0]


def reserve_dossier_codes(*, prefix: str, on: dt.date, count: int) -> list[str]:
    """The next ``count`` codes for ``prefix`` on ``on``, in order, in one statement (inside the transaction).

    The counter row stays locked by the caller's transaction until it ends, so the numbers it
    does not use can be given back (``release_dossier_codes``) without leaving a gap.
    """
    if count < 1:
        raise ValueError("reserve at least one dossier code")
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, day, last) VALUES (%s, %s, %s) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (prefix, day) DO UPDATE SET last = {table}.last + %s RETURNING last",
            [prefix, on, count, count],
        )
        (last,) = cursor.fetchone()
    return [f"{prefix}-{on:%y%m%d}-{number:04d}" for number in range(last - count + 1, last + 1)]


def release_dossier_codes(*, prefix: str, on: dt.date, count: int) -> None:
    """Give back the last ``count`` numbers reserved by this transaction and not given to any dossier."""
    DossierCodeCounter.objects.filter(prefix=prefix, day=on).update(last=F("last") - count)
