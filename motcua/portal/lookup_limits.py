"""How often one address may get a dossier lookup wrong before it must wait.

The tracking page answers anyone who holds a receipt, so it is the place where someone could
try codes one after another. After ``LOOKUP_FAILURE_LIMIT`` wrong answers from one address
within ``LOOKUP_COOLOFF_MINUTES`` the page refuses further lookups from it until the window
has passed. Counts live in Django's cache: shared by every web process where the cache is
(Redis in production), per process with the default local-memory cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(request: HttpRequest) -> str:
    return f"motcua:lookup-failures:{request.META.get('REMOTE_ADDR', '')}"


def is_blocked(request: HttpRequest) -> bool:
    """True while this address has used up its wrong lookups."""
    return int(cache.get(_key(request), 0)) >= settings.LOOKUP_FAILURE_LIMIT


def record_failure(request: HttpRequest) -> None:
    """Count one wrong lookup; the window starts with the first one."""
    key = _key(request)
    if cache.add(key, 1, timeout=settings.LOOKUP_COOLOFF_MINUTES * 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: start a new window
        cache.add(key, 1, timeout=settings.LOOKUP_COOLOFF_MINUTES * 60)
