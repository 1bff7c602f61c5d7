"""Test settings: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set."""

from config import env

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-000000000000"  # noqa: S105
DATABASES = {
    "default": env.get_database("TEST_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'test.sqlite3'}"),
}
# Argon2 is the production hasher (base.py); tests create hundreds of users, so
# they hash with the cheapest one. accounts/tests/test_backends.py pins the production order.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True
