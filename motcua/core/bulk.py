"""Inserting and updating many rows, each with its own values, in one statement.

Django's ``bulk_create`` sends each column to PostgreSQL as an array for ``UNNEST``, building
every array in Python (each text escaped by a regular expression), and ``bulk_update`` writes
``SET column = CASE WHEN id = 1 THEN … END`` for every column, which costs the ORM about a
millisecond per row to build: both cost more than the database takes to write the rows. Here:

- On PostgreSQL the rows travel as one JSON parameter, read by ``json_populate_recordset``
  (which gives every value its column's type): ``INSERT INTO t (…) SELECT … FROM
  json_populate_recordset(NULL::t, %s)`` and ``UPDATE t SET a = v.a … FROM
  json_populate_recordset(NULL::t, %s) AS v WHERE t.id = v.id``. One parameter, so the driver
  neither parses thousands of placeholders nor escapes thousands of values.
- On SQLite, ``VALUES (…), (…)`` with one parameter per value (``UPDATE … FROM`` needs SQLite 3.33).

The values are those the model's fields prepare for ``save()`` (``pre_save``, then the field's
preparation), so what is written is what ``save()`` would write.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, JSONField, Model

M = TypeVar("M", bound=Model)

#: Rows per statement: well under SQLite's 32,766 parameters for the widest of our tables.
CHUNK = 500


def insert_rows(objects: Sequence[M], *, skip_conflicts_on: str | None = None) -> list[M]:
    """Insert ``objects`` (new rows of one model), give each its primary key, and return the rows inserted.

    With ``skip_conflicts_on`` (a unique field), a row whose value is there already (or earlier in
    ``objects``) is skipped (``ON CONFLICT … DO NOTHING``), as its own ``save()`` would fail, and
    left out of the rows returned; the unique value tells which rows the database took.
    """
    if not objects:
        return []
    model = type(objects[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    pk = _pk(model)
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(_column(field)) for field in fields)
    unique = next((field for field in fields if field.name == skip_conflicts_on), None)
    if skip_conflicts_on is not None and unique is None:
        raise ValueError(f"{meta.label} has no field {skip_conflicts_on!r}")
    tail = f" RETURNING {quote(_column(pk))}"
    if unique is not None:
        tail = f" ON CONFLICT ({quote(_column(unique))}) DO NOTHING{tail}, {quote(_column(unique))}"
    inserted: list[M] = []
    for start in range(0, len(objects), CHUNK):
        chunk = objects[start : start + CHUNK]
        values = [[field.pre_save(obj, add=True) for field in fields] for obj in chunk]
        if connection.vendor == "postgresql":
            source = f"json_populate_recordset(NULL::{table}, %s)"
            sql = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {source}"  # noqa: S608 - our names
            params: list[Any] = [_as_json(fields, values)]
        else:
            row = f"({', '.join(['%s'] * len(fields))})"
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))}"  # noqa: S608 - our names
            params = _prepared(connection, fields, values)
        with connection.cursor() as cursor:
            cursor.execute(sql + tail, params)
            returned = cursor.fetchall()
        if unique is None:
            taken = [(obj, key) for obj, (key,) in zip(chunk, returned, strict=True)]
        else:
            by_value: dict[Any, M] = {}
            for obj in chunk:
                by_value.setdefault(getattr(obj, unique.attname), obj)
            taken = [(by_value[value], key) for key, value in returned]
        for obj, key in taken:
            obj.pk = key
            obj._state.adding = False
            obj._state.db = connection.alias
            inserted.append(obj)
    return inserted


def update_rows(objects: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of each of ``objects`` (saved rows of one model), one UPDATE per ``CHUNK``; the rows matched."""
    if not objects:
        return 0
    model = type(objects[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    # By name or attribute, as ``save(update_fields=…)`` takes them (``receiving_unit`` or ``receiving_unit_id``).
    concrete = {
        key: field for field in meta.concrete_fields if not field.primary_key for key in (field.name, field.attname)
    }
    if any(name not in concrete for name in fields):
        raise ValueError(f"update_rows writes concrete, non-key fields of {meta.label}, not {list(fields)}")
    pk = _pk(model)
    columns = [concrete[name] for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    matched = 0
    for start in range(0, len(objects), CHUNK):
        chunk = objects[start : start + CHUNK]
        values = [[obj.pk, *(getattr(obj, field.attname) for field in columns)] for obj in chunk]
        if connection.vendor == "postgresql":
            assignments = ", ".join(f"{quote(_column(field))} = v.{quote(_column(field))}" for field in columns)
            source = f"json_populate_recordset(NULL::{table}, %s) AS v"
            match = f"v.{quote(_column(pk))}"
            params: list[Any] = [_as_json([pk, *columns], values)]
        else:
            assignments = ", ".join(
                f"{quote(_column(field))} = v.column{number}" for number, field in enumerate(columns, start=2)
            )
            row = f"({', '.join(['%s'] * (len(columns) + 1))})"
            source = f"(VALUES {', '.join([row] * len(chunk))}) AS v"
            match = "v.column1"
            params = _prepared(connection, [pk, *columns], values)
        sql = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{quote(_column(pk))} = {match}"  # noqa: S608 - our names
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            matched += cursor.rowcount
    return matched


def _pk(model: type[Model]) -> Field[Any, Any]:
    pk = model._meta.pk
    if pk is None:
        raise ValueError(f"{model._meta.label} has no primary key")
    return pk


def _column(field: Field[Any, Any]) -> str:
    return field.column or field.attname


def _prepared(connection: BaseDatabaseWrapper, fields: Sequence[Field[Any, Any]], rows: list[list[Any]]) -> list[Any]:
    """One parameter per value, as ``save()`` prepares it for ``connection``."""
    return [
        field.get_db_prep_save(value, connection=connection)
        for row in rows
        for field, value in zip(fields, row, strict=True)
    ]


def _as_json(fields: Sequence[Field[Any, Any]], rows: list[list[Any]]) -> str:
    """The rows as a JSON array of objects keyed by column, each value as its field prepares it."""
    return json.dumps(
        [{_column(field): _json_ready(field, value) for field, value in zip(fields, row, strict=True)} for row in rows],
        ensure_ascii=False,
        default=_json_value,
    )


def _json_ready(field: Field[Any, Any], value: Any) -> Any:
    """A JSON column's value as its encoder writes it (refusing what ``save()`` refuses); any other as prepared."""
    if isinstance(field, JSONField):
        return None if value is None else json.loads(json.dumps(value, cls=field.encoder))
    return field.get_prep_value(value)


def _json_value(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be written through update_rows/insert_rows")
