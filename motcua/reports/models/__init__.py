"""The reports app's tables: summaries kept from the event log (``summaries``), imported history
(``history``) and the Decision 766/QĐ-TTg index parameters (``indices``)."""

from motcua.reports.models.history import ImportBatch, ImportedDossier, ImportedStatus
from motcua.reports.models.indices import Band, IndexBand, IndexGroup, IndexRule
from motcua.reports.models.summaries import (
    FLOW_COUNTERS,
    RATING_COUNTERS,
    FlowSummary,
    Grain,
    Part,
    PendingEvent,
    RatingSummary,
    SummaryCursor,
    TrackedDossier,
)

__all__ = [
    "FLOW_COUNTERS",
    "RATING_COUNTERS",
    "Band",
    "FlowSummary",
    "Grain",
    "ImportBatch",
    "ImportedDossier",
    "ImportedStatus",
    "IndexBand",
    "IndexGroup",
    "IndexRule",
    "Part",
    "PendingEvent",
    "RatingSummary",
    "SummaryCursor",
    "TrackedDossier",
]
