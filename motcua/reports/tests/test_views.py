"""The statistics pages: who sees what, bad input as field errors (never a server error), exports,
the dossiers behind a figure, and the number of queries a report page costs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from motcua.accounts.models import StaffRoleName, User
from motcua.accounts.tests.factories import make_officer
from motcua.core.tests.english import english_client
from motcua.workflow.tests.factories import World

pytestmark = pytest.mark.django_db

MARCH: dict[str, str | int] = {"start": "2026-03-01", "end": "2026-03-31"}
STAFF_PAGES = ("standard", "leader", "index_766", "satisfaction")


def signed_in(user: User) -> Client:
    client = english_client()
    client.force_login(user)
    return client


def inspector(world: World, jurisdiction: str = "p") -> User:
    agency = getattr(world.tree, jurisdiction)
    return make_officer(f"thanhtra-{jurisdiction}", agency=agency, role=StaffRoleName.INSPECTOR)


def test_the_public_dashboard_is_open_to_everyone(march: World, client: Client) -> None:
    response = client.get(reverse("reports:public"), {**MARCH, "agency": march.tree.p.pk})
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert (dashboard.total.figures.received, dashboard.total.figures.on_time_rate) == (9, 60)
    assert [row.agency for row in dashboard.rows] == [march.tree.c1]
    page = response.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in page and 'id="agencies-data"' in page
    assert "<caption" in page and 'role="img"' in page
    assert "reports/dossiers" not in page  # no dossier lists in public


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_need_signing_in(march: World, client: Client, name: str) -> None:
    response = client.get(reverse(f"reports:{name}"), MARCH)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_a_citizen_reads_no_statistics(march: World, name: str) -> None:
    response = signed_in(march.citizen).get(reverse(f"reports:{name}"), MARCH)
    assert response.status_code == 403
    assert "No statistics for this account" in response.content.decode()


def test_an_inspector_reads_the_whole_jurisdiction(march: World) -> None:
    client = signed_in(inspector(march))
    response = client.get(reverse("reports:standard"), {**MARCH, "agency": march.tree.p.pk})
    assert response.status_code == 200
    assert response.context["report"].total.received == 9
    offered = {choice for choice, _label in response.context["form"].fields["agency"].choices}
    assert {march.tree.p.pk, march.tree.c1.pk, march.tree.c2.pk} <= offered
    assert march.tree.q.pk not in offered and march.tree.p_centre.pk not in offered  # other province; desks
    ward = client.get(reverse("reports:standard"), {**MARCH, "agency": march.tree.c1.pk})
    assert ward.context["report"].total.received == 9


def test_an_inspector_cannot_read_another_province(march: World) -> None:
    client = signed_in(inspector(march, "q"))
    response = client.get(reverse("reports:standard"), {**MARCH, "agency": march.tree.p.pk})
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors and "report" not in response.context
    own = client.get(reverse("reports:standard"), MARCH)
    assert own.context["report"].agency == march.tree.q and own.context["report"].total.received == 0


def test_a_leader_reads_the_agency_and_its_units_only(march: World) -> None:
    client = signed_in(march.leader)
    offered = client.get(reverse("reports:standard"), MARCH).context["form"].fields["agency"].choices
    assert offered[0][0] == march.tree.c1.pk and march.tree.p.pk not in {pk for pk, _ in offered}
    assert (
        "agency" in client.get(reverse("reports:standard"), {**MARCH, "agency": march.tree.p.pk}).context["form"].errors
    )


def test_an_officer_reads_only_the_own_agency_s_dossiers(march: World) -> None:
    response = signed_in(march.specialist).get(reverse("reports:standard"), {**MARCH, "scope": "units"})
    assert response.status_code == 200
    scope = response.context["scope"]
    assert (scope.agency, scope.with_units) == (march.office, False)
    assert response.context["report"].total.received == 0  # the office decides no dossier itself
    assert "The dossiers" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "end", "The period ends before it starts: swap the two dates."),
        ({"start": "1999-01-01", "end": "2000-03-01"}, "start", "Reports start on 01/01/2000 at the earliest."),
        ({"start": "2999-01-01", "end": "2999-03-01"}, "start", "The period starts in the future."),
        ({"start": "2001-01-01", "end": "2026-03-01"}, "end", "A report covers at most ten years."),
        ({"start": "31/02/2026", "end": "2026-03-01"}, "start", "Enter a valid date."),
        ({"agency": "999999999"}, "agency", "Select a valid choice."),
        ({"agency": "abc"}, "agency", "Select a valid choice."),
        ({"scope": "everything"}, "scope", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_field_error(march: World, query: dict[str, str], field: str, message: str) -> None:
    client = signed_in(inspector(march))
    for name in ("standard", "leader", "index_766", "satisfaction", "public"):
        response = client.get(reverse(f"reports:{name}"), {**MARCH, **query})
        assert response.status_code == 200, name
        errors = response.context["form"].errors
        if name == "public" and field == "scope":
            continue  # the public form has no scope
        assert any(message in error for error in errors.get(field, [])), (name, errors)
        assert 'aria-invalid="true"' in response.content.decode()


def test_the_exports_download_the_report(march: World) -> None:
    client = signed_in(inspector(march))
    query = {**MARCH, "agency": march.tree.p.pk}
    for fmt, content_type, magic in (
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbf"),
        ("pdf", "application/pdf", b"%PDF"),
    ):
        response = client.get(reverse("reports:export", args=[fmt]), query)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type and response.content.startswith(magic)
        assert f'filename="thong-ke-{march.tree.p.pk}-20260301-20260331.{fmt}"' in response["Content-Disposition"]
    assert client.get(reverse("reports:export", args=["docx"]), query).status_code == 404
    assert client.get(reverse("reports:export", args=["pdf"]), {**query, "end": "2026-01-01"}).status_code == 400


def test_a_figure_opens_its_dossiers(march: World) -> None:
    client = signed_in(inspector(march))
    base = {**MARCH, "agency": march.tree.p.pk, "sector": march.version.sector_id}
    late = client.get(reverse("reports:dossiers"), {**base, "measure": "resolved_late"})
    assert late.status_code == 200
    page = late.context["page"]
    assert page.total == 2 and [line.received_at.date() for line in page.lines] == [
        dt.date(2026, 2, 26),
        dt.date(2026, 3, 9),
    ]
    carried = client.get(reverse("reports:dossiers"), {**base, "measure": "carried_over"}).context["page"]
    assert carried.total == 1 and carried.lines[0].code.startswith("000.01.25.H25-260226")
    overdue = client.get(reverse("reports:dossiers"), {**base, "measure": "in_progress_overdue"}).context["page"]
    assert overdue.total == 1 and overdue.lines[0].received_at.date() == dt.date(2026, 3, 30)
    assert client.get(reverse("reports:dossiers"), base).status_code == 400  # which figure?
    beyond = client.get(reverse("reports:dossiers"), {**base, "measure": "received", "page": 9}).context["page"]
    assert (beyond.total, beyond.lines) == (9, ())


def test_the_leader_dashboard(march: World) -> None:
    response = signed_in(march.leader).get(reverse("reports:leader"), MARCH)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.overdue_now == 2  # F and G; I is paused
    assert len(dashboard.trend) == 12 and dashboard.trend[-1].received == 9 and dashboard.trend[-2].received == 1
    assert [(line.code, line.figures.resolved_late) for line in dashboard.most_late] == [("1.001193", 2)]
    assert [unit.agency for unit in dashboard.units] == []  # the ward's units decide nothing themselves
    province = signed_in(inspector(march)).get(reverse("reports:leader"), {**MARCH, "agency": march.tree.p.pk})
    assert [unit.agency for unit in province.context["dashboard"].units] == [march.tree.c1]
    assert 'id="trend-data"' in province.content.decode() and 'id="units-data"' in province.content.decode()


def test_the_index_and_satisfaction_pages(march: World) -> None:
    client = signed_in(inspector(march))
    index = client.get(reverse("reports:index_766"), {**MARCH, "agency": march.tree.p.pk})
    assert index.status_code == 200 and "No data" in index.content.decode()
    progress = index.context["index"].groups[1].indicators[0]
    assert (progress.numerator, progress.denominator) == (5, 8)  # (5 resolved − 2 late + 2 within) ÷ (5 + 3)
    satisfaction = client.get(reverse("reports:satisfaction"), {**MARCH, "agency": march.tree.p.pk})
    assert satisfaction.status_code == 200 and satisfaction.context["satisfaction"].overall.answered == 0


def test_the_report_page_costs_a_fixed_number_of_queries(
    march: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = signed_in(inspector(march))
    query = {**MARCH, "agency": march.tree.p.pk}
    client.get(reverse("reports:standard"), query)  # warm the session
    # session, user, the selected agency, roles, the agencies offered, the sums, the sectors, the
    # procedures' names, the units below (navigation); saving the session (a savepoint, the update,
    # its release: SESSION_SAVE_EVERY_REQUEST). However many sectors, procedures and days. On
    # PostgreSQL the sums run in their own transaction with parallel workers off (in the test's
    # transaction: a savepoint, the setting, the release).
    with django_assert_num_queries(12 + (3 if connection.vendor == "postgresql" else 0)):
        response = client.get(reverse("reports:standard"), query)
    assert response.status_code == 200
