"""Number formatting as Vietnamese readers expect: dots between thousands (2.267.900)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vi_number(value: int | float | None) -> str:
    """Group thousands with the active language's separator ("." in Vietnamese, "," in English)."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)
