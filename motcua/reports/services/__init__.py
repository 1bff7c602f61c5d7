"""The reports app's use cases: keeping the summaries current (``summaries``) and importing past
dossiers (``history``)."""

from motcua.reports.services.history import ImportProblem, ImportRefused, import_history
from motcua.reports.services.summaries import (
    ApplyReport,
    apply_new_events,
    rebuild_summaries,
    summary_lag,
)

__all__ = [
    "ApplyReport",
    "ImportProblem",
    "ImportRefused",
    "apply_new_events",
    "import_history",
    "rebuild_summaries",
    "summary_lag",
]
