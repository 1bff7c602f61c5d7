"""Which language a page speaks: Vietnamese, unless the visitor chose another one.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language header, so a citizen whose
phone is set to English would meet an English public service by accident. A Vietnamese public
portal speaks Vietnamese first (the default, ``LANGUAGE_CODE``); another language is used only
when the visitor picks it with the language switch (Django's language cookie).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` that reads the language cookie and ignores Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
