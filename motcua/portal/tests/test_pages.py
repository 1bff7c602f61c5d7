"""The public home page and signing in, through the test client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts import services
from motcua.agencies.tests.factories import AgencyFactory


@pytest.mark.django_db
def test_home_page_is_vietnamese_and_counts_what_is_loaded(client: Client) -> None:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Dịch vụ công trực tuyến" in html


@pytest.mark.django_db
def test_staff_member_signs_in_and_sees_their_agency_and_role(client: Client) -> None:
    agency = AgencyFactory.create(name="Ủy ban nhân dân xã Hy Cương")
    user = services.create_staff(
        username="lan", full_name="Nguyễn Thị Lan", email="lan@example.org", password="a-long-passphrase-1"
    )
    services.add_membership(user=user, agency=agency)
    services.grant_role(user=user, agency=agency, role="specialist")

    response = client.post(reverse("portal:login"), {"username": "lan", "password": "a-long-passphrase-1"}, follow=True)

    html = response.content.decode()
    assert "Nguyễn Thị Lan" in html
    assert "Ủy ban nhân dân xã Hy Cương" in html


@pytest.mark.django_db
def test_wrong_password_keeps_the_name_typed_and_explains_in_vietnamese(client: Client) -> None:
    response = client.post(reverse("portal:login"), {"username": "khong-co", "password": "sai"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="khong-co"' in html
    assert "Thông tin đăng nhập" in html or "không đúng" in html
