"""What the dashboards' charts draw (Chart.js, static/vendor/chartjs), as plain data.

Each chart is drawn from the same figures as the table printed under it, so that the table is
the accessible version of the chart (WCAG 2.1: 1.1.1 non-text content); colours are the site's
palette, which keeps a 3:1 contrast against white (1.4.11).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from motcua.reports.dashboards import MonthFigures, PublicRow, UnitFigures
from motcua.reports.indices import IndexResult

BLUE, GREEN, RED, AMBER = "#0b4f9c", "#1d6b35", "#a3161a", "#8a5300"
MOST_BARS = 20


def trend_chart(trend: Sequence[MonthFigures]) -> dict[str, Any]:
    return {
        "type": "bar",
        "labels": [month.month.strftime("%m/%Y") for month in trend],
        "datasets": [
            {"label": _("Received"), "data": [m.received for m in trend], "color": BLUE},
            {"label": _("Resolved"), "data": [m.resolved for m in trend], "color": GREEN},
            {"label": _("Resolved late"), "data": [m.resolved_late for m in trend], "color": RED},
        ],
    }


def units_chart(units: Sequence[UnitFigures]) -> dict[str, Any]:
    shown = [unit for unit in units if unit.figures.on_time_rate is not None][:MOST_BARS]
    return {
        "type": "bar",
        "horizontal": True,
        "percent": True,
        "labels": [unit.agency.short_name or unit.agency.name for unit in shown],
        "datasets": [
            {
                "label": _("On-time rate (%)"),
                "data": [float(unit.figures.on_time_rate or 0) for unit in shown],
                "color": GREEN,
            }
        ],
    }


def groups_chart(index: IndexResult) -> dict[str, Any]:
    return {
        "type": "bar",
        "labels": [group.label for group in index.groups],
        "datasets": [
            {"label": _("Score"), "data": [float(group.score) for group in index.groups], "color": GREEN},
            {
                "label": _("Points with data"),
                "data": [float(group.scored_maximum) for group in index.groups],
                "color": AMBER,
            },
            {"label": _("Maximum"), "data": [float(group.maximum) for group in index.groups], "color": BLUE},
        ],
    }


def agencies_chart(rows: Sequence[PublicRow]) -> dict[str, Any]:
    busiest = sorted(rows, key=lambda row: -row.figures.resolved)[:MOST_BARS]
    shown = [row for row in busiest if row.figures.on_time_rate is not None]
    return {
        "type": "bar",
        "horizontal": True,
        "percent": True,
        "labels": [row.agency.short_name or row.agency.name for row in shown],
        "datasets": [
            {
                "label": _("On-time rate (%)"),
                "data": [float(row.figures.on_time_rate or 0) for row in shown],
                "color": GREEN,
            }
        ],
    }
