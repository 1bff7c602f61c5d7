"""Local development and the demo: debug on, embedded SQLite, console email."""

from config import env

from .base import *  # noqa: F403

DEBUG = env.get_bool("DEBUG", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
