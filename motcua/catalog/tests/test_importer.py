"""Importing the national records: idempotent, versioned, transactional, and honest about what it could not read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from motcua.catalog import services
from motcua.catalog.channels import Channel
from motcua.catalog.fees import FeeItem
from motcua.catalog.importer import content_hash, import_national_records, import_procedure
from motcua.catalog.models import Component, Procedure, ProcedureVersion, Sector, Variant
from motcua.catalog.national_records import DATA_DIR, ParseIssue
from motcua.catalog.tests.factories import IMPORTED_ON, channel, component, make_procedure, parsed_procedure
from motcua.catalog.time_limits import TimeLimit, TimeUnit

pytestmark = pytest.mark.django_db


def test_a_record_becomes_a_procedure_with_its_channels_components_and_results() -> None:
    version = make_procedure()
    assert version.procedure.code == "1.001193"
    assert version.name == "Thủ tục đăng ký khai sinh"
    assert version.sector.name == "Hộ tịch"
    assert version.level_list == ["commune"]
    assert [(row.channel, row.time_limit) for row in version.channels.all()] == [
        (Channel.COUNTER, TimeLimit(1, TimeUnit.WORKING_DAYS)),
        (Channel.ONLINE, TimeLimit(1, TimeUnit.WORKING_DAYS)),
    ]
    assert [c.name for c in version.components.all()] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "Văn bản ủy quyền (nếu có)",
    ]
    assert [c.is_required for c in version.components.all()] == [True, True, False]
    assert [(r.name, r.result_type_code) for r in version.results.all()] == [("Giấy khai sinh", "KQ.G15.000031")]
    assert version.variants.get().is_default
    # "nếu tiếp nhận hồ sơ sau 15 giờ": the procedure applies the afternoon cut-off.
    assert version.applies_afternoon_cutoff
    assert version.search_text == "1.001193 thu tuc dang ky khai sinh ho tich"


def test_importing_the_same_record_again_changes_nothing() -> None:
    first = make_procedure()
    outcome = import_procedure(parsed_procedure(), today=IMPORTED_ON + dt.timedelta(days=30))
    assert outcome == "unchanged"
    assert ProcedureVersion.objects.get() == first
    assert ProcedureVersion.objects.get().valid_from == IMPORTED_ON


def test_changed_content_becomes_a_new_version_and_ends_the_old_one() -> None:
    old = make_procedure()
    later = IMPORTED_ON + dt.timedelta(days=10)
    changed = parsed_procedure(channels=(channel(Channel.COUNTER, TimeLimit(3, TimeUnit.WORKING_DAYS)),))

    assert import_procedure(changed, today=later) == "updated"

    old.refresh_from_db()
    assert old.valid_to == later - dt.timedelta(days=1)
    current = ProcedureVersion.objects.current().get()
    assert (current.number, current.valid_from) == (2, later)
    assert current.channels.get().time_limit == TimeLimit(3, TimeUnit.WORKING_DAYS)
    # The old version keeps its own channels: a dossier received under it keeps its limit.
    assert [row.time_limit for row in old.channels.all()] == [TimeLimit(1, TimeUnit.WORKING_DAYS)] * 2
    assert ProcedureVersion.objects.valid_on(IMPORTED_ON).get() == old


def test_a_change_on_the_day_of_publication_replaces_that_version() -> None:
    make_procedure()
    changed = parsed_procedure(name="Thủ tục đăng ký khai sinh (sửa đổi)")
    assert import_procedure(changed, today=IMPORTED_ON) == "updated"
    assert ProcedureVersion.objects.get().name == "Thủ tục đăng ký khai sinh (sửa đổi)"


def test_an_administrators_variant_and_form_file_carry_over_to_the_new_version() -> None:
    old = make_procedure()
    services.add_variant(version=old, code="lai", name="Đăng ký lại", time_limit_text="5 ngày làm việc")
    Component.objects.filter(version=old, name="Giấy chứng sinh").update(form_file="catalog/forms/mau.pdf")

    changed = parsed_procedure(decision="999/QĐ-BTP")
    import_procedure(changed, today=IMPORTED_ON + dt.timedelta(days=1))

    current = ProcedureVersion.objects.current().get()
    variant = current.variants.get(code="lai")
    assert variant.own_time_limit == TimeLimit(5, TimeUnit.WORKING_DAYS)
    assert current.components.get(name="Giấy chứng sinh").form_file.name == "catalog/forms/mau.pdf"
    assert old.variants.filter(code="lai").exists()


def test_a_failure_halfway_leaves_the_procedure_as_it_was() -> None:
    make_procedure()
    # The channels and the new version are written before the components; a component the
    # database refuses (a negative count breaks its CHECK constraint) must undo all of it.
    broken = parsed_procedure(name="Tên mới", components=(component("Tờ khai", originals=-1),))

    with pytest.raises(IntegrityError):
        import_procedure(broken, today=IMPORTED_ON + dt.timedelta(days=2))

    version = ProcedureVersion.objects.get()
    assert (version.name, version.valid_to, version.number) == ("Thủ tục đăng ký khai sinh", None, 1)
    assert version.channels.count() == 2
    assert version.components.count() == 3


def test_problems_are_kept_on_the_version_and_listed_in_the_report(tmp_path) -> None:
    import gzip
    import json

    lines = [
        json.dumps(
            {
                "ma_thu_tuc": "1.000001",
                "ten_thu_tuc": "Thủ tục A",
                "linh_vuc": "Hộ tịch",
                "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí",
                "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính",
                "cap_thuc_hien": "Cấp xã",
                "source_group": "bo-tu-phap",
            },
            ensure_ascii=False,
        ),
        json.dumps(
            {
                "ma_thu_tuc": "1.000002",
                "ten_thu_tuc": "Thủ tục B",
                "linh_vuc": "Hộ tịch",
                "cach_thuc_thuc_hien": "",
                "thanh_phan_ho_so": "",
                "cap_thuc_hien": "Cấp xã",
                "source_group": "bo-tu-phap",
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps({"ma_thu_tuc": "1.23", "ten_thu_tuc": "Mã sai"}, ensure_ascii=False),
    ]
    path = tmp_path / "records.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")

    report = import_national_records([path], today=IMPORTED_ON)

    assert (report.read, report.created, len(report.failed)) == (4, 2, 2)
    assert [failure.line for failure in report.failed] == [3, 4]
    assert [record.code for record in report.not_fully_parsed] == ["1.000002"]
    assert report.not_fully_parsed[0].reasons
    assert ProcedureVersion.objects.get(procedure__code="1.000002").parse_issues
    assert not ProcedureVersion.objects.get(procedure__code="1.000001").parse_issues
    assert report.fully_parsed_share == pytest.approx(1 / 4)


def test_the_fingerprint_changes_with_any_content_but_not_between_equal_values() -> None:
    assert content_hash(parsed_procedure()) == content_hash(parsed_procedure())
    fees = (channel(Channel.COUNTER, fees=(FeeItem(8000, kind="Lệ phí"),), fee_text="Lệ phí : 8.000 Đồng"),)
    assert content_hash(parsed_procedure()) != content_hash(parsed_procedure(channels=fees))
    noted = parsed_procedure(issues=(ParseIssue("channels", "x"),))
    assert content_hash(parsed_procedure()) != content_hash(noted)


@pytest.mark.slow
def test_the_shipped_records_import_with_at_least_98_percent_fully_parsed() -> None:
    paths = sorted(DATA_DIR.glob("*.jsonl.gz"))
    report = import_national_records(paths, today=IMPORTED_ON)

    assert report.read == 2381 + 207
    assert not report.failed
    assert report.fully_parsed_share >= 0.98
    assert all(record.reasons for record in report.not_fully_parsed)
    assert Procedure.objects.count() == report.created == 2588
    assert Variant.objects.filter(is_default=True).count() == 2588
    # The birth registration of the commune, as the demo uses it.
    birth = ProcedureVersion.objects.current().get(procedure__code="1.001193")
    assert birth.sector == Sector.objects.get(name="Hộ tịch")
    assert {row.channel for row in birth.channels.all()} == {Channel.COUNTER, Channel.ONLINE, Channel.POST}

    again = import_national_records(paths, today=IMPORTED_ON + dt.timedelta(days=1))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2588)
