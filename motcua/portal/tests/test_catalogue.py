"""The public catalogue pages, in Vietnamese, through the test client."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.agencies.tests.factories import build_tree
from motcua.catalog import services
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.models import Component, OnlineLevel
from motcua.catalog.tests.factories import channel, make_procedure
from motcua.catalog.time_limits import TimeLimit, TimeUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    make_procedure("1.001193", name="Thủ tục đăng ký khai sinh")
    make_procedure(
        "1.000894",
        name="Thủ tục đăng ký kết hôn",
        channels=(
            channel(
                Channel.COUNTER,
                TimeLimit(5, TimeUnit.WORKING_DAYS),
                (FeeItem(30000, kind="Lệ phí"),),
                "Lệ phí : 30.000 Đồng",
            ),
        ),
    )
    for n in range(25):
        make_procedure(f"3.{n:06d}", name=f"Thủ tục thử {n:02d}", sector="Thuế", levels=("province",))


@pytest.mark.usefixtures("catalogue")
def test_search_without_diacritics_finds_the_procedure(client: Client) -> None:
    response = client.get(reverse("portal:catalogue"), {"q": "dang ky khai sinh"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Thủ tục đăng ký kết hôn" not in html
    assert "1 thủ tục" in html


@pytest.mark.usefixtures("catalogue")
def test_the_list_pages_in_twenties_and_costs_a_fixed_number_of_queries(client: Client) -> None:
    with CaptureQueriesContext(connection) as captured:
        first = client.get(reverse("portal:catalogue"))
    assert first.content.decode().count('class="card result"') == 20
    assert 'rel="next"' in first.content.decode()
    queries_for_20 = len(captured)
    assert queries_for_20 <= 8
    second = client.get(reverse("portal:catalogue"), {"page": 2})
    assert second.content.decode().count('class="card result"') == 7
    assert 'rel="next"' not in second.content.decode()


@pytest.mark.usefixtures("catalogue")
def test_bad_filters_are_explained_and_ignored(client: Client) -> None:
    response = client.get(reverse("portal:catalogue"), {"q": "ket hon", "sector": "abc", "level": "moon", "page": "-2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thủ tục đăng ký kết hôn" in html
    assert "error-summary" in html


@pytest.mark.usefixtures("catalogue")
def test_filter_by_level_and_online_agency(client: Client) -> None:
    tree = build_tree()
    response = client.get(reverse("portal:catalogue"), {"level": "commune"})
    assert "Thủ tục thử" not in response.content.decode()
    version = make_procedure("1.000656", name="Thủ tục đăng ký khai tử")
    services.configure_procedure(agency=tree.c1, procedure=version.procedure, online_level=OnlineLevel.FULL)
    response = client.get(reverse("portal:catalogue"), {"agency": str(tree.c1.pk), "online": "full"})
    html = response.content.decode()
    assert "Thủ tục đăng ký khai tử" in html
    assert "Thủ tục đăng ký khai sinh" not in html


@pytest.mark.usefixtures("catalogue")
def test_the_procedure_page_shows_what_decree_63_publishes(client: Client) -> None:
    tree = build_tree()
    version = make_procedure(
        "1.000894",
        name="Thủ tục đăng ký kết hôn",
        channels=(
            channel(
                Channel.COUNTER,
                TimeLimit(5, TimeUnit.WORKING_DAYS),
                (FeeItem(30000, kind="Lệ phí"),),
                "Lệ phí : 30.000 Đồng",
            ),
        ),
    )
    services.configure_procedure(
        agency=tree.c1, procedure=version.procedure, online_level=OnlineLevel.FULL, offers_postal_return=True
    )
    response = client.get(reverse("portal:procedure", args=["1.000894"]))
    html = response.content.decode()
    for expected in [
        "Thủ tục đăng ký kết hôn",
        "1.000894",
        "Hộ tịch",
        "Cấp xã",
        "5 ngày làm việc",
        "Lệ phí: 30.000 đồng",
        "Tờ khai đăng ký khai sinh",
        "Giấy khai sinh",
        "KQ.G15.000031",
        "163/QĐ-BTP",
        "Công dân Việt Nam",
        tree.c1.name,
        "Trực tuyến toàn trình",
    ]:
        assert expected in html, expected


def test_a_form_file_downloads_and_an_unknown_procedure_is_404(client: Client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    version = make_procedure()
    component = Component.objects.get(version=version, name="Tờ khai đăng ký khai sinh")
    component.form_name = "To-khai-khai-sinh.docx"
    component.form_file.save("to-khai.docx", ContentFile(b"PK\x03\x04 mau"))

    page = client.get(reverse("portal:procedure", args=["1.001193"]))
    url = reverse("portal:component_form", args=["1.001193", component.pk])
    assert url in page.content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert download.getvalue() == b"PK\x03\x04 mau"
    assert "To-khai-khai-sinh.docx" in download["Content-Disposition"]

    other = Component.objects.get(version=version, name="Giấy chứng sinh")
    assert client.get(reverse("portal:component_form", args=["1.001193", other.pk])).status_code == 404
    assert client.get(reverse("portal:procedure", args=["9.999999"])).status_code == 404
