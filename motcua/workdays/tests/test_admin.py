"""The override and office-hours admin through the test client, as a superuser."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.workdays import services
from motcua.workdays.models import CalendarOverride, OfficeHours, OverrideKindChoices

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_superuser(username="quantri", email="quantri@example.vn", password="x")
    client.force_login(user)
    return client


def test_an_administrator_adds_a_working_saturday(admin: Client) -> None:
    response = admin.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"applies_on": "2026-01-10", "kind": OverrideKindChoices.WORKING_DAY, "source": "TB 01", "note": "Làm bù"},
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.applies_on == dt.date(2026, 1, 10)
    assert override.created_by is not None
    assert override.created_by.get_username() == "quantri"

    listing = admin.get(reverse("admin:workdays_calendaroverride_changelist"))
    assert listing.status_code == 200
    assert "TB 01" in listing.content.decode()


def test_a_conflicting_override_is_a_form_error_naming_the_day(admin: Client) -> None:
    services.add_override(applies_on=dt.date(2026, 1, 2), kind=OverrideKindChoices.DAY_OFF, source="TB 01")
    response = admin.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"applies_on": "2026-01-02", "kind": OverrideKindChoices.WORKING_DAY, "source": "TB 02"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "02/01/2026" in " ".join(errors["applies_on"])
    assert CalendarOverride.objects.count() == 1


def test_deleting_an_override_goes_through_the_service(admin: Client) -> None:
    change = services.add_override(applies_on=dt.date(2026, 1, 2), kind=OverrideKindChoices.DAY_OFF, source="TB 01")
    response = admin.post(reverse("admin:workdays_calendaroverride_delete", args=[change.override.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()


def test_office_hours_are_checked_and_stored_in_canonical_form(admin: Client) -> None:
    agency: Agency = AgencyFactory.create(commune=True)
    url = reverse("admin:workdays_officehours_add")
    bad = admin.post(url, {"agency": agency.pk, "intervals": "08:00-12:00, 11:00-17:00"})
    assert bad.status_code == 200
    assert "11:00-17:00" in " ".join(bad.context["adminform"].form.errors["intervals"])

    good = admin.post(url, {"agency": agency.pk, "intervals": "7:30-11:30;13:30-17:00"})
    assert good.status_code == 302
    assert OfficeHours.objects.get(agency=agency).intervals == "07:30-11:30, 13:30-17:00"

    again = admin.post(url, {"agency": agency.pk, "intervals": "08:00-17:00"})
    assert again.status_code == 200
    assert "already set" in " ".join(again.context["adminform"].form.errors["agency"])

    hours = OfficeHours.objects.get(agency=agency)
    changed = admin.post(reverse("admin:workdays_officehours_change", args=[hours.pk]), {"intervals": "08:00-16:00"})
    assert changed.status_code == 302
    assert OfficeHours.objects.get(agency=agency).intervals == "08:00-16:00"
