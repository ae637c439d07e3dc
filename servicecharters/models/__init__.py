"""Service charters (carte dei servizi): the club's model charters, each
comune's charters in versions with their standards, and the yearly
monitoring of every standard against real figures."""

from servicecharters.models.charters import (
    CharterEvent,
    CharterStandard,
    CharterVersion,
    ServiceCharter,
)
from servicecharters.models.monitoring import MonitoringReport, StandardResult
from servicecharters.models.templates import CharterTemplate, TemplateStandard
from servicecharters.models.terms import CharterText, StandardTerms

__all__ = [
    "CharterEvent",
    "CharterStandard",
    "CharterTemplate",
    "CharterText",
    "CharterVersion",
    "MonitoringReport",
    "ServiceCharter",
    "StandardResult",
    "StandardTerms",
    "TemplateStandard",
]
