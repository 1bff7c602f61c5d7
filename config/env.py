"""Read the deployment's configuration from environment variables.

Every setting that changes between a laptop, CI and production is read here, so
a malformed value fails at start-up with a message naming the variable and what
was expected, never with a traceback from deep inside Django.
"""

from __future__ import annotations

import os
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def get_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}.")


def get_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


_SUPPORTED_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}


def get_database(name: str, *, default: str) -> dict[str, Any]:
    """Parse a database URL (``sqlite:///path`` or ``postgres://…``) into Django's form.

    SQLite gets WAL and ``BEGIN IMMEDIATE`` so that concurrent writers wait for the
    lock instead of failing with "database is locked" halfway through a transaction.
    PostgreSQL sessions run without JIT compilation (see below).
    """
    raw = get_str(name) or default
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(raw, conn_max_age=0))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"{name} is not a valid database URL ({exc}); expected e.g. "
            "sqlite:///var/motcua.sqlite3 or postgres://user:password@host:5432/motcua."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in _SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            f"{name} uses an unsupported database ({engine or raw!r}); MotCua runs on SQLite or PostgreSQL."
        )
    if engine == "django.db.backends.sqlite3":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ImproperlyConfigured(f"{name} must name a SQLite file, e.g. sqlite:///var/motcua.sqlite3.")
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
            ),
        }
    else:
        config["CONN_MAX_AGE"] = get_int("DATABASE_CONN_MAX_AGE", default=60)
        # The pages' queries are short and many: PostgreSQL's JIT, which a high cost estimate
        # turns on, spends about a second compiling one of them on a small server (measured on
        # the officer's overdue queue: 44 ms of work behind 995 ms of compilation).
        options = dict(config.get("OPTIONS") or {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
        config["OPTIONS"] = options
        config["CONN_HEALTH_CHECKS"] = True
    return config
