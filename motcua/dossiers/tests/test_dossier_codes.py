"""Dossier codes (Decree 118/2025/NĐ-CP Art. 28): agency code, day, sequence of the day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from motcua.agencies import services as agency_services
from motcua.agencies.tests.factories import build_tree
from motcua.dossiers.dossier_codes import NoAgencyCodeError, agency_code_for, next_dossier_code

pytestmark = pytest.mark.django_db


def test_codes_count_per_agency_and_day_and_start_again_each_day() -> None:
    day = dt.date(2024, 1, 15)
    assert next_dossier_code(prefix="000.00.01.H29", on=day) == "000.00.01.H29-240115-0001"
    assert next_dossier_code(prefix="000.00.01.H29", on=day) == "000.00.01.H29-240115-0002"
    assert next_dossier_code(prefix="000.00.02.H29", on=day) == "000.00.02.H29-240115-0001"
    assert next_dossier_code(prefix="000.00.01.H29", on=day + dt.timedelta(days=1)) == "000.00.01.H29-240116-0001"


def test_a_rolled_back_reception_leaves_a_gap_never_a_duplicate() -> None:
    day = dt.date(2026, 3, 9)
    next_dossier_code(prefix="P", on=day)
    with pytest.raises(RuntimeError), transaction.atomic():
        next_dossier_code(prefix="P", on=day)
        raise RuntimeError("reception failed")
    assert next_dossier_code(prefix="P", on=day) in ("P-260309-0002", "P-260309-0003")


def test_past_ten_thousand_a_day_the_sequence_grows_a_digit() -> None:
    from motcua.dossiers.models import DossierCodeCounter

    DossierCodeCounter.objects.create(prefix="P", day=dt.date(2026, 3, 9), last=9999)
    assert next_dossier_code(prefix="P", on=dt.date(2026, 3, 9)) == "P-260309-10000"


def test_a_unit_without_its_own_code_uses_the_nearest_above_valid_that_day() -> None:
    tree = build_tree()
    agency_services.assign_identifier_code(agency=tree.p, code="000.00.00.H25", valid_from=dt.date(2025, 7, 1))
    assert agency_code_for(tree.c1_counter, on=dt.date(2026, 1, 1)) == "000.00.00.H25"
    agency_services.assign_identifier_code(agency=tree.c1, code="000.01.25.H25", valid_from=dt.date(2025, 7, 1))
    assert agency_code_for(tree.c1_counter, on=dt.date(2026, 1, 1)) == "000.01.25.H25"
    with pytest.raises(NoAgencyCodeError, match="no electronic identifier code"):
        agency_code_for(tree.c1, on=dt.date(2025, 6, 30))
    with pytest.raises(NoAgencyCodeError):
        agency_code_for(tree.q1, on=dt.date(2026, 1, 1))
