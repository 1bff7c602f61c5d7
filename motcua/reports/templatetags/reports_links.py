"""Template helpers of the statistics pages: links from a figure to its dossiers, and percentages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.forms import BoundField
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag
def drill_url(query: str, measure: str, sector: int | None = None, procedure: int | None = None) -> str:
    """The dossier list behind one figure of the report whose form is ``query``."""
    data = QueryDict(query, mutable=True)
    for name in ("page", "measure", "sector", "procedure"):
        data.pop(name, None)
    data["measure"] = measure
    if sector is not None:
        data["sector"] = str(sector)
    if procedure is not None:
        data["procedure"] = str(procedure)
    return f"{reverse('reports:dossiers')}?{data.urlencode()}"


@register.simple_tag
def with_query(query: str, **changes: object) -> str:
    """``query`` with some parameters replaced (for links between the statistics pages)."""
    data = QueryDict(query, mutable=True)
    for name, value in changes.items():
        data[name] = str(value)
    return data.urlencode()


@register.filter
def percent(value: Decimal | None) -> str:
    """99,95 % (the active language's decimal separator); an em dash when there is nothing to divide."""
    if value is None:
        return "—"
    return f"{number_format(value, decimal_pos=2)} %"


@register.filter
def described_widget(field: BoundField) -> str:
    """The field's input, marked invalid and tied to its errors when it has any (WCAG 3.3.1)."""
    if not field.errors:
        return str(field.as_widget())
    return str(field.as_widget(attrs={"aria-invalid": "true", "aria-describedby": f"{field.auto_id}-errors"}))
