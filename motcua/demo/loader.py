"""Load the demo installation idempotently: a second run finds everything and adds nothing.

Refuses to run unless DEBUG is on, so that demo accounts with a published password
can never appear in a production database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from motcua.accounts import services as account_services
from motcua.accounts.models import StaffMembership, StaffRoleName, User
from motcua.agencies import services as agency_services
from motcua.agencies.models import Agency, AgencyCode, AgencyKind, AgencyLevel
from motcua.catalog.importer import import_national_records
from motcua.demo import data
from motcua.demo.catalogue import configure_communes
from motcua.demo.dossiers import demo_cast, load_live_dossiers
from motcua.reports.demo import load_history


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.created.append(what)


def load_demo(*, verbosity: int = 1, catalogue_paths: list[Path] | None = None) -> DemoReport:
    """Load the demo; ``catalogue_paths`` replaces the shipped national records (tests use a few)."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Demo data is loaded only when DEBUG is on; demo accounts never exist in production."
        )
    call_command("load_divisions", province=[data.PROVINCE_CODE], verbosity=max(0, verbosity - 1))
    report = DemoReport()
    with transaction.atomic():
        province = Agency.objects.get(kind=AgencyKind.PROVINCE, division_code=data.PROVINCE_CODE)
        _ensure_code(province, data.PROVINCE_IDENTIFIER, report)
        departments = {
            short_name: _ensure_child(province, name, short_name, kind, AgencyLevel.PROVINCE, report)
            for name, short_name, kind in data.PROVINCE_DEPARTMENTS
        }
        for index, department in enumerate(departments.values(), start=1):
            _ensure_code(department, f"000.00.{index:02d}.H25", report)
        communes = []
        for division_code, identifier in data.STAFFED_COMMUNES:
            commune = Agency.objects.get(kind=AgencyKind.COMMUNE, division_code=division_code)
            communes.append(commune)
            _ensure_code(commune, identifier, report)
            for name in data.COMMUNE_DEPARTMENTS:
                _ensure_child(commune, name, name, AgencyKind.DEPARTMENT, AgencyLevel.COMMUNE, report)
        for account in data.DEMO_ACCOUNTS:
            # The staff of the first staffed commune are the demo's main characters.
            _ensure_account(account, province, departments, communes[0], report)
    # The catalogue import commits one procedure at a time (importer.py), outside the block above.
    imported = import_national_records(catalogue_paths, today=timezone.localdate())
    if imported.created or imported.updated:
        report.add(f"{imported.created + imported.updated} procedures")
    with transaction.atomic():
        offered = configure_communes(communes)
    if offered:
        report.add(f"{offered} procedures offered by the demo communes")
    # Past years for the statistics pages, through the real historical import (one transaction).
    history = load_history(province, communes, years=2)
    if history:
        report.add(f"{history} past dossiers")
    users = {user.username: user for user in User.objects.filter(username__in=[a.username for a in data.DEMO_ACCOUNTS])}
    live = load_live_dossiers(demo_cast(communes[0], province, users))
    if live:
        report.add(f"{live} live dossiers")
    return report


def _ensure_child(parent: Agency, name: str, short_name: str, kind: str, level: str, report: DemoReport) -> Agency:
    existing = Agency.objects.filter(parent=parent, name=name).first()
    if existing is not None:
        return existing
    report.add(name)
    return agency_services.create_agency(parent=parent, name=name, short_name=short_name, kind=kind, level=level)


def _ensure_code(agency: Agency, code: str, report: DemoReport) -> None:
    if AgencyCode.objects.filter(code=code).exists() or AgencyCode.objects.filter(agency=agency).exists():
        return
    agency_services.assign_identifier_code(agency=agency, code=code, valid_from=dt.date(2025, 7, 1))
    report.add(code)


def _workplace(account: data.DemoAccount, province: Agency, departments: dict[str, Agency], commune: Agency) -> Agency:
    place, _, unit = account.workplace.partition(":")
    if place == "province":
        return departments[unit] if unit else province
    if place == "centre":
        return Agency.objects.get(parent=commune, kind=AgencyKind.SERVICE_CENTRE)
    if unit:
        return Agency.objects.get(parent=commune, name=unit)
    return commune


def _ensure_account(
    account: data.DemoAccount,
    province: Agency,
    departments: dict[str, Agency],
    commune: Agency,
    report: DemoReport,
) -> None:
    if User.objects.filter(username=account.username).exists():
        return
    report.add(account.username)
    if account.role == "citizen":
        user = account_services.register_citizen(
            personal_id=data.CITIZEN_PERSONAL_ID,
            full_name=account.full_name,
            date_of_birth=dt.date(*data.CITIZEN_BORN),
            phone=data.CITIZEN_PHONE,
            email=account.email,
            password=data.DEMO_PASSWORD,
        )
        User.objects.filter(pk=user.pk).update(username=account.username)
        return
    user = account_services.create_staff(
        username=account.username, full_name=account.full_name, email=account.email, password=data.DEMO_PASSWORD
    )
    if account.role in {StaffRoleName.SYSTEM_ADMIN, StaffRoleName.AGENCY_ADMIN}:
        # They manage agencies, staff and roles in the Django admin.
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=account.role == StaffRoleName.SYSTEM_ADMIN)
    workplace = _workplace(account, province, departments, commune)
    if not StaffMembership.objects.filter(user=user, agency=workplace).exists():
        account_services.add_membership(user=user, agency=workplace, position=str(StaffRoleName(account.role).label))
    jurisdiction = province if account.role == StaffRoleName.INSPECTOR else None
    account_services.grant_role(user=user, agency=workplace, role=account.role, jurisdiction=jurisdiction)
