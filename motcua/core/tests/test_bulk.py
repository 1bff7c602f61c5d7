"""Rows written together read back exactly as ``save()`` would have written them, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from motcua.core.bulk import CHUNK, insert_rows, update_rows
from motcua.notifications.models import OutboxMessage
from motcua.workdays.workcalendar import VIETNAM_TZ

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 9, 9, 30, 15, 123456, tzinfo=VIETNAM_TZ)
PAYLOAD = {
    "applicant_name": "Trần Thị Ánh Nguyệt",
    "missing": ["Giấy chứng sinh", 'Tờ khai "bản chính"'],
    "amount": 30000,
    "paid": True,
    "note": None,
    "nested": {"ward": "Phường Việt Trì", "codes": [1, 2]},
}


def message(key: str, **changes: object) -> OutboxMessage:
    fields: dict[str, object] = {"topic": "dossier.received", "key": key, "payload": PAYLOAD, "available_at": AT}
    fields.update(changes)
    return OutboxMessage(**fields)


def test_inserted_rows_get_their_keys_and_read_back_as_saved() -> None:
    saved = message("by-save")
    saved.save()
    rows = insert_rows([message("bulk-1"), message("bulk-2", last_error="Lỗi gửi SMS: hết hạn mức", attempts=3)])

    assert all(row.pk is not None and not row._state.adding for row in rows)
    assert len({row.pk for row in rows}) == 2
    first, second = (OutboxMessage.objects.get(pk=row.pk) for row in rows)
    reference = OutboxMessage.objects.get(pk=saved.pk)
    for stored in (first, second):
        assert stored.payload == reference.payload == PAYLOAD
        assert stored.available_at == AT
        assert stored.created_at is not None  # auto_now_add, as save() sets it
    assert (second.key, second.attempts, second.last_error) == ("bulk-2", 3, "Lỗi gửi SMS: hết hạn mức")
    assert first.delivered_at is None and first.last_error == ""


def test_rows_whose_unique_value_is_there_already_are_skipped() -> None:
    message("taken").save()
    again, new = message("taken", topic="dossier.returned"), message("new")
    inserted = insert_rows([again, new], skip_conflicts_on="key")
    assert inserted == [new] and new.pk is not None
    assert again._state.adding and again not in inserted  # not written: still a new, unsaved row
    assert sorted(OutboxMessage.objects.values_list("key", "topic")) == [
        ("new", "dossier.received"),
        ("taken", "dossier.received"),
    ]


def test_each_row_is_updated_with_its_own_values_and_only_the_fields_named() -> None:
    rows = insert_rows([message(f"m{n}") for n in range(3)])
    rows[0].attempts, rows[0].last_error, rows[0].delivered_at = 1, "Hộp thư đầy", None
    rows[1].attempts, rows[1].delivered_at = 2, AT + dt.timedelta(minutes=5)
    rows[1].topic = "not written"  # not among the fields named

    assert update_rows(rows[:2], ["attempts", "last_error", "delivered_at"]) == 2

    stored = {row.key: row for row in OutboxMessage.objects.all()}
    assert (stored["m0"].attempts, stored["m0"].last_error, stored["m0"].delivered_at) == (1, "Hộp thư đầy", None)
    assert (stored["m1"].attempts, stored["m1"].delivered_at) == (2, AT + dt.timedelta(minutes=5))
    assert stored["m1"].topic == "dossier.received"
    assert (stored["m2"].attempts, stored["m2"].last_error) == (0, "")
    rows[2].payload = {"changed": "Đã đổi"}
    update_rows([rows[2]], ["payload"])
    assert OutboxMessage.objects.get(key="m2").payload == {"changed": "Đã đổi"}


def test_the_key_and_unknown_fields_are_not_written() -> None:
    rows = insert_rows([message("only")])
    for fields in (["id"], ["no_such_field"]):
        with pytest.raises(ValueError, match="concrete, non-key"):
            update_rows(rows, fields)
    assert insert_rows([]) == [] and update_rows([], ["attempts"]) == 0


def test_a_value_save_cannot_write_as_json_is_refused_here_too() -> None:
    # Each in a savepoint: the refusal may come from inside the statement, which spoils the transaction.
    with pytest.raises(TypeError), transaction.atomic():
        message("by-save", payload={"when": AT}).save()
    with pytest.raises(TypeError), transaction.atomic():
        insert_rows([message("in-bulk", payload={"when": AT})])
    rows = insert_rows([message("kept")])
    rows[0].payload = {"when": AT}
    with pytest.raises(TypeError), transaction.atomic():
        update_rows(rows, ["payload"])
    assert OutboxMessage.objects.get(key="kept").payload == PAYLOAD


def test_more_rows_than_one_statement_takes_are_written_in_chunks() -> None:
    rows = insert_rows([message(f"c{n}") for n in range(CHUNK * 2 + 100)])
    assert len({row.pk for row in rows}) == len(rows)
    for n, row in enumerate(rows):
        row.attempts = n % 7
    assert update_rows(rows, ["attempts"]) == len(rows)
    stored = dict(OutboxMessage.objects.values_list("key", "attempts"))
    assert all(stored[f"c{n}"] == n % 7 for n in range(len(rows)))
