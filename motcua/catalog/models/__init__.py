"""The catalogue's tables: national procedures and their versions (``procedures``), and how each
agency runs them (``configuration``)."""

from motcua.catalog.models.configuration import (
    LEGACY_LEVELS,
    AgencyProcedure,
    BudgetUnit,
    InternalProcess,
    OnlineLevel,
    ProcessStep,
)
from motcua.catalog.models.procedures import (
    ChannelOption,
    Component,
    Level,
    Procedure,
    ProcedureStatus,
    ProcedureVersion,
    ResultDocument,
    Sector,
    TimeUnitChoices,
    Variant,
    fee_items,
    stored_fees,
    validate_procedure_code,
)

__all__ = [
    "LEGACY_LEVELS",
    "AgencyProcedure",
    "BudgetUnit",
    "ChannelOption",
    "Component",
    "InternalProcess",
    "Level",
    "OnlineLevel",
    "Procedure",
    "ProcedureStatus",
    "ProcedureVersion",
    "ProcessStep",
    "ResultDocument",
    "Sector",
    "TimeUnitChoices",
    "Variant",
    "fee_items",
    "stored_fees",
    "validate_procedure_code",
]
