"""The demo loader: whole province, one account per role, idempotent, never without DEBUG."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from motcua.accounts.models import StaffRole, User
from motcua.accounts.permissions import Capability, can
from motcua.agencies.models import Agency, AgencyKind
from motcua.demo import data
from motcua.demo.loader import load_demo


@pytest.mark.django_db
def test_demo_refuses_to_run_when_debug_is_off() -> None:
    with override_settings(DEBUG=False), pytest.raises(ImproperlyConfigured):
        load_demo(verbosity=0)
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_loads_one_province_with_staff_and_a_second_run_adds_nothing() -> None:
    first = load_demo(verbosity=0)
    assert first.created
    counts = (Agency.objects.count(), User.objects.count(), StaffRole.objects.count())
    second = load_demo(verbosity=0)
    assert second.created == []
    assert (Agency.objects.count(), User.objects.count(), StaffRole.objects.count()) == counts

    assert Agency.objects.filter(kind=AgencyKind.PROVINCE).count() == 1
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE).count() == 148  # Phú Thọ after 2025
    assert set(User.objects.values_list("username", flat=True)) == {a.username for a in data.DEMO_ACCOUNTS}

    receiving = User.objects.get(username="tiepnhan")
    centre = Agency.objects.get(parent__division_code="07900", kind=AgencyKind.SERVICE_CENTRE)
    other_centre = Agency.objects.get(parent__division_code="08515", kind=AgencyKind.SERVICE_CENTRE)
    assert can(receiving, Capability.RECEIVE, centre)
    assert not can(receiving, Capability.RECEIVE, other_centre)
    inspector = User.objects.get(username="thanhtra")
    assert can(inspector, Capability.READ, other_centre)
    assert not can(inspector, Capability.APPROVE, other_centre)
