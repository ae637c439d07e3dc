"""Benchmarking's models, one module per sub-domain; imported here so that Django
finds them and callers keep writing `from benchmarking.models import Campaign`."""

from benchmarking.models.catalogue import (
    Campaign,
    CampaignEvent,
    DataElement,
    Dimension,
    Indicator,
    IndicatorVersion,
    code_validator,
    needs_new_version,
)
from benchmarking.models.collection import (
    DataValue,
    DataValueChange,
    IndicatorResult,
    LoadedValues,
    PendingImport,
    ReminderSent,
    SharedValue,
    Submission,
    SubmissionEvent,
    ValueComment,
    Visibility,
)
from benchmarking.models.comparisons import (
    ApprovedResult,
    BestPractice,
    ContextValue,
    ResultSummary,
)

__all__ = [
    "ApprovedResult", "BestPractice", "Campaign", "CampaignEvent", "ContextValue", "DataElement", "DataValue",
    "DataValueChange", "Dimension", "Indicator", "IndicatorResult", "IndicatorVersion", "LoadedValues",
    "PendingImport", "ReminderSent", "ResultSummary", "SharedValue", "Submission", "SubmissionEvent", "ValueComment",
    "Visibility", "code_validator", "needs_new_version",
]
