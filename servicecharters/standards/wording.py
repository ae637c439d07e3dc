"""The staff pages' words for a standard: its promise and actual value (the
one wording, `servicecharters.wording`) and the verdict before publication."""

from __future__ import annotations

from django.utils.translation import gettext as _

from servicecharters.models import StandardTerms
from servicecharters.wording import actual, promise  # noqa: F401 - the one wording

Comparator = StandardTerms.Comparator
Kind = StandardTerms.Kind


def verdict(met: bool | None) -> str:
    if met is None:
        return _("Da valutare")
    return _("Rispettato") if met else _("Non rispettato")
