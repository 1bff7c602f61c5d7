"""Decide whether `make test` also runs the suite on PostgreSQL, and against which server.

Prints the database URL to use on standard output, or nothing when there is no server.
The URL is TEST_DATABASE_URL when it is set (then the server must answer), otherwise the
local default, used only if a server answers there. With CI=true PostgreSQL is
mandatory: a missing server fails the run instead of quietly testing on SQLite alone.
Only the server is contacted (database "postgres"): the test database itself is created
by the test run.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua"
_TRUE = {"1", "true", "yes", "on"}


def without_password(url: str) -> str:
    """The URL as it may be printed in a log: the password replaced by stars."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def connection_error(url: str) -> str | None:
    """None when the server at ``url`` accepts a connection, else why it did not."""
    try:
        with psycopg.connect(url, dbname="postgres", connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip() or type(exc).__name__
    return None


def main() -> int:
    explicit = os.environ.get("TEST_DATABASE_URL", "").strip()
    is_ci = os.environ.get("CI", "").strip().lower() in _TRUE
    url = explicit or DEFAULT_URL
    error = connection_error(url)
    if error is None:
        print(f"PostgreSQL answers at {without_password(url)}", file=sys.stderr)
        print(url)
        return 0
    if explicit:
        print(f"error: TEST_DATABASE_URL is set but PostgreSQL does not answer there: {error}", file=sys.stderr)
        return 1
    if is_ci:
        print(
            f"error: CI=true needs PostgreSQL, and none answers at {url}: {error}\n"
            "Start it (.ci/run does) or set TEST_DATABASE_URL.",
            file=sys.stderr,
        )
        return 1
    print(
        f"warning: no PostgreSQL at {url}; the PostgreSQL run is SKIPPED (set TEST_DATABASE_URL to choose a server).",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
