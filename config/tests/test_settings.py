"""The settings modules as an operator meets them: `manage.py` run with a given environment.

Production must refuse to start without a real SECRET_KEY and ALLOWED_HOSTS, any malformed
variable must stop it with one clear line naming the variable (never a traceback), and
`manage.py check --deploy` must be silent with the environment docs/howto/deploy.md lists.
Each case runs manage.py in a fresh interpreter, so the settings are imported from scratch.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """The documented production environment, with the database in a throw-away folder."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "dichvucong.example.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path}/motcua.sqlite3",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def manage(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused_cleanly(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_check_deploy_is_silent_with_the_documented_environment(production_env: dict[str, str]) -> None:
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_production_never_runs_in_debug_mode(production_env: dict[str, str]) -> None:
    result = manage(
        {**production_env, "DEBUG": "true"},
        "shell",
        "--no-imports",
        "--command",
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("secret_key", [None, "", "too-short-0123456789", "insecure-" + "x" * 60])
def test_production_refuses_a_missing_short_or_default_secret_key(
    production_env: dict[str, str], secret_key: str | None
) -> None:
    environment = dict(production_env)
    if secret_key is None:
        del environment["SECRET_KEY"]
    else:
        environment["SECRET_KEY"] = secret_key
    assert_refused_cleanly(manage(environment, "check"), "SECRET_KEY must be set to a random value of at least 50")


@pytest.mark.parametrize("allowed_hosts", [None, "", " , "])
def test_production_refuses_an_empty_allowed_hosts(production_env: dict[str, str], allowed_hosts: str | None) -> None:
    environment = dict(production_env)
    if allowed_hosts is None:
        del environment["ALLOWED_HOSTS"]
    else:
        environment["ALLOWED_HOSTS"] = allowed_hosts
    assert_refused_cleanly(manage(environment, "check"), "ALLOWED_HOSTS must list the host names")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("STORAGE_BACKEND", "ftp", "STORAGE_BACKEND must be 'local' or 's3', got 'ftp'"),
        ("DATABASE_URL", "mysql://motcua@db/motcua", "DATABASE_URL uses an unsupported database"),
        ("EMAIL_USE_TLS", "maybe", "EMAIL_USE_TLS must be one of true/false"),
        ("SESSION_IDLE_MINUTES", "half an hour", "SESSION_IDLE_MINUTES must be a whole number"),
    ],
)
def test_a_malformed_variable_stops_start_up_with_one_clear_message(
    production_env: dict[str, str], variable: str, value: str, message: str
) -> None:
    assert_refused_cleanly(manage({**production_env, variable: value}, "check"), message)
