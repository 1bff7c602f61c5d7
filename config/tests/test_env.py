"""Reading the deployment's configuration from the environment (config/env.py).

A malformed value must stop the start-up with a message that names the variable, and
the SQLite configuration must make concurrent writers wait instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler
from pytest_django import DjangoDbBlocker

from config import env


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("", False),
    ],
)
def test_booleans_accept_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("MOTCUA_FLAG", raw)
    assert env.get_bool("MOTCUA_FLAG", default=not expected) is expected


def test_an_unset_boolean_takes_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_FLAG", raising=False)
    assert env.get_bool("MOTCUA_FLAG", default=True) is True


def test_a_malformed_boolean_names_the_variable_and_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_USE_TLS", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_USE_TLS .*'maybe'"):
        env.get_bool("EMAIL_USE_TLS", default=False)


def test_whole_numbers_are_read_and_blank_means_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", " 587 ")
    assert env.get_int("EMAIL_PORT", default=25) == 587
    monkeypatch.setenv("EMAIL_PORT", "  ")
    assert env.get_int("EMAIL_PORT", default=25) == 25


@pytest.mark.parametrize("raw", ["twenty", "2.5", "5m"])
def test_a_malformed_number_names_the_variable(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SESSION_IDLE_MINUTES", raw)
    with pytest.raises(ImproperlyConfigured, match=r"SESSION_IDLE_MINUTES must be a whole number"):
        env.get_int("SESSION_IDLE_MINUTES", default=30, minimum=1)


def test_a_number_below_its_minimum_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match=r"AXES_FAILURE_LIMIT must be at least 1, got 0"):
        env.get_int("AXES_FAILURE_LIMIT", default=5, minimum=1)


def test_lists_are_comma_separated_and_ignore_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " dichvucong.example.vn, ,motcua.example.vn ,")
    assert env.get_list("ALLOWED_HOSTS") == ["dichvucong.example.vn", "motcua.example.vn"]
    monkeypatch.delenv("ALLOWED_HOSTS")
    assert env.get_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def test_sqlite_waits_for_the_write_lock_instead_of_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/motcua/motcua.sqlite3")
    config = env.get_database("DATABASE_URL", default="sqlite:///unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/motcua/motcua.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_a_sqlite_file_really_opens_in_wal_mode_and_takes_the_write_lock_at_begin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, django_db_blocker: DjangoDbBlocker
) -> None:
    path = tmp_path / "probe.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    # A connection of its own, outside the test database, to a file on disk (WAL needs one).
    connection = ConnectionHandler({"default": env.get_database("DATABASE_URL", default="")})["default"]
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone() == ("wal",)
                cursor.execute("PRAGMA foreign_keys")
                assert cursor.fetchone() == (1,)
            # Open a transaction the way transaction.atomic() does. With BEGIN IMMEDIATE it
            # holds the write lock before writing anything, so a second writer is told to
            # wait at its own BEGIN rather than failing later, halfway through its work.
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
            connection.rollback()
        finally:
            connection.close()


def test_postgresql_keeps_connections_open_with_health_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://motcua:secret@db.internal:5432/motcua")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "120")
    config = env.get_database("DATABASE_URL", default="")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.internal", 5432, "motcua", "motcua")
    assert config["CONN_MAX_AGE"] == 120
    assert config["CONN_HEALTH_CHECKS"] is True


def test_an_unset_database_url_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.get_database("DATABASE_URL", default="sqlite:////srv/motcua/default.sqlite3")
    assert config["NAME"] == "/srv/motcua/default.sqlite3"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not a url", r"DATABASE_URL is not a valid database URL"),
        ("postgres://motcua@db:port/motcua", r"DATABASE_URL is not a valid database URL"),
        ("mysql://motcua@db/motcua", r"DATABASE_URL uses an unsupported database .*SQLite or PostgreSQL"),
        ("oracle://motcua@db/motcua", r"DATABASE_URL uses an unsupported database"),
    ],
)
def test_a_bad_database_url_names_the_variable(monkeypatch: pytest.MonkeyPatch, raw: str, message: str) -> None:
    monkeypatch.setenv("DATABASE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        env.get_database("DATABASE_URL", default="sqlite:///unused.sqlite3")
