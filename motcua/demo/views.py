"""The demo sign-in page: one button per demo role. Mounted only when DEBUG is on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.models import StaffRoleName, User
from motcua.demo import data


def demo_accounts(request: HttpRequest) -> HttpResponse:
    existing = set(
        User.objects.filter(username__in=[a.username for a in data.DEMO_ACCOUNTS]).values_list("username", flat=True)
    )
    rows = [
        {
            "username": account.username,
            "full_name": account.full_name,
            "role": StaffRoleName(account.role).label if account.role != "citizen" else None,
        }
        for account in data.DEMO_ACCOUNTS
        if account.username in existing
    ]
    return render(request, "demo/accounts.html", {"rows": rows, "password": data.DEMO_PASSWORD})
