"""The catalogue search: with and without diacritics, filters, Vietnamese order, fixed query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies.tests.factories import build_tree
from motcua.catalog import queries, services
from motcua.catalog.channels import Channel
from motcua.catalog.models import OnlineLevel
from motcua.catalog.queries import CatalogueFilters, get_time_limit
from motcua.catalog.tests.factories import channel, make_procedure
from motcua.catalog.time_limits import TimeLimit, TimeUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    make_procedure("1.001193", name="Thủ tục đăng ký khai sinh")
    make_procedure("1.000894", name="Thủ tục đăng ký kết hôn")
    make_procedure("1.000656", name="Thủ tục đăng ký khai tử")
    make_procedure("2.000635", name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh")
    make_procedure("1.000771", name="Gia hạn tạm trú", sector="Quản lý xuất nhập cảnh", levels=("central",))


def names(filters: CatalogueFilters) -> list[str]:
    return [version.name for version in queries.search_catalogue(filters)[0]]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("text", ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "khai  sinh dang"])
def test_search_finds_with_and_without_diacritics(text: str) -> None:
    assert names(CatalogueFilters(text=text)) == ["Thủ tục đăng ký khai sinh"]


@pytest.mark.usefixtures("catalogue")
def test_search_matches_every_word_anywhere_and_the_code() -> None:
    assert names(CatalogueFilters(text="khai sinh")) == [
        "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        "Thủ tục đăng ký khai sinh",
    ]
    assert names(CatalogueFilters(text="1.000894")) == ["Thủ tục đăng ký kết hôn"]
    assert names(CatalogueFilters(text="xuat nhap canh")) == ["Gia hạn tạm trú"]  # the sector's name
    assert names(CatalogueFilters(text="khai sinh ket hon")) == []


@pytest.mark.usefixtures("catalogue")
def test_results_follow_the_vietnamese_alphabet() -> None:
    # C < G < T; within "Thủ tục đăng ký k…": "kết" < "khai" (ê < h, letter by letter as ICU's
    # Vietnamese collation orders), then "khai sinh" < "khai tử" (s < t).
    assert names(CatalogueFilters()) == [
        "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        "Gia hạn tạm trú",
        "Thủ tục đăng ký kết hôn",
        "Thủ tục đăng ký khai sinh",
        "Thủ tục đăng ký khai tử",
    ]


@pytest.mark.usefixtures("catalogue")
def test_filters_by_sector_level_agency_and_online_level() -> None:
    tree = build_tree()
    from motcua.catalog.models import Procedure, Sector

    civil = Sector.objects.get(name="Hộ tịch")
    assert len(names(CatalogueFilters(sector_id=civil.pk))) == 4
    assert names(CatalogueFilters(level="central")) == ["Gia hạn tạm trú"]
    services.configure_procedure(
        agency=tree.c1, procedure=Procedure.objects.get(code="1.000894"), online_level=OnlineLevel.FULL
    )
    services.configure_procedure(agency=tree.c2, procedure=Procedure.objects.get(code="1.000656"))
    assert names(CatalogueFilters(agency_id=tree.c1.pk)) == ["Thủ tục đăng ký kết hôn"]
    assert names(CatalogueFilters(online_level=OnlineLevel.FULL)) == ["Thủ tục đăng ký kết hôn"]
    assert names(CatalogueFilters(agency_id=tree.c2.pk, online_level=OnlineLevel.FULL)) == []
    assert [agency.name for agency in queries.list_offering_agencies()] == [tree.c1.name, tree.c2.name]


@pytest.mark.usefixtures("catalogue")
def test_pages_cost_one_query_whatever_their_size_and_know_if_more_follow() -> None:
    with CaptureQueriesContext(connection) as captured:
        rows, has_next = queries.search_catalogue(CatalogueFilters(page_size=2))
        [version.sector.name for version in rows]
    assert (len(rows), has_next, len(captured)) == (2, True, 1)
    rows, has_next = queries.search_catalogue(CatalogueFilters(page=3, page_size=2))
    assert (len(rows), has_next) == (1, False)
    assert queries.search_catalogue(CatalogueFilters(page=40, page_size=2)) == ([], False)


def test_the_time_limit_is_the_variants_own_else_the_channels() -> None:
    version = make_procedure(
        channels=(
            channel(Channel.COUNTER, TimeLimit(3, TimeUnit.WORKING_DAYS)),
            channel(Channel.ONLINE, TimeLimit(2, TimeUnit.WORKING_DAYS)),
        )
    )
    general = version.variants.get()
    assert get_time_limit(general, Channel.ONLINE) == TimeLimit(2, TimeUnit.WORKING_DAYS)
    assert get_time_limit(general, Channel.COUNTER) == TimeLimit(3, TimeUnit.WORKING_DAYS)
    # Post is not published: the first row stands for it.
    assert get_time_limit(general, Channel.POST) == TimeLimit(3, TimeUnit.WORKING_DAYS)
    own = services.add_variant(version=version, code="gap", name="Khẩn", time_limit_text="4 giờ")
    assert get_time_limit(own, Channel.ONLINE) == TimeLimit(4, TimeUnit.WORKING_HOURS)


def test_a_variant_with_an_unreadable_limit_or_fee_is_refused_by_field() -> None:
    version = make_procedure()
    with pytest.raises(ValidationError) as error:
        services.add_variant(version=version, code="x", name="X", time_limit_text="-3 ngày")
    assert "time_limit_amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_variant(version=version, code="x", name="X", fee_text="Lệ phí 50.000")
    assert "fee_text" in error.value.message_dict
    variant = services.add_variant(version=version, code="x", name="X", fee_text="Lệ phí : 8.000 Đồng")
    assert [(item.kind, item.amount) for item in variant.own_fee_items or ()] == [("Lệ phí", 8000)]


def test_fees_before_submission_need_online_payment() -> None:
    tree = build_tree()
    version = make_procedure()
    with pytest.raises(ValidationError) as error:
        services.configure_procedure(
            agency=tree.c1, procedure=version.procedure, requires_payment_before_submission=True
        )
    assert "requires_payment_before_submission" in error.value.message_dict
    configuration = services.configure_procedure(
        agency=tree.c1,
        procedure=version.procedure,
        offers_online_payment=True,
        requires_payment_before_submission=True,
        competent_agency=tree.c1,
    )
    assert configuration.competent_agency is None  # the performing agency decides itself
    assert configuration.deciding_agency_id == tree.c1.pk
    assert configuration.legacy_level == 2
