"""How the officers' pages write office time (a timedelta of working time)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def office_time(value: dt.timedelta | None) -> str:
    """ "5 h 20 min" of office time; "5 h 20 min late" when negative; "" without a value."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    hours, minutes = divmod(abs(seconds) // 60, 60)
    text = _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(time)s late") % {"time": text} if seconds < 0 else text
