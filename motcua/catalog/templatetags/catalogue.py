"""Showing time limits and fees in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.fees import FeeItem
from motcua.catalog.time_limits import TimeLimit, TimeUnit

register = template.Library()


@register.filter
def time_limit(limit: TimeLimit | None) -> str:
    """``TimeLimit(15, WORKING_DAYS)`` → "15 ngày làm việc" (Vietnamese) or "15 working days"."""
    if limit is None:
        return ""
    n = limit.amount
    match limit.unit:
        case TimeUnit.NONE:
            return _("No time limit set")
        case TimeUnit.SAME_DAY:
            return _("Within the day")
        case TimeUnit.WORKING_HOURS:
            return ngettext("%(n)d working hour", "%(n)d working hours", n) % {"n": n}
        case TimeUnit.WORKING_DAYS:
            return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
        case TimeUnit.CALENDAR_DAYS:
            return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
        case TimeUnit.MONTHS:
            return ngettext("%(n)d month", "%(n)d months", n) % {"n": n}


@register.filter
def fee_amount(item: FeeItem) -> str:
    """``FeeItem(8000)`` → "8.000 đồng"; dollars stay dollars."""
    amount = number_format(item.amount, force_grouping=True)
    if item.currency == "USD":
        return _("%(amount)s US dollars") % {"amount": amount}
    return _("%(amount)s đồng") % {"amount": amount}
