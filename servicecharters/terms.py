"""The rules of a quality standard's terms, said once for a comune's charter
(`charters.services`) and for the club's model charters (`catalogue.services`):
every way in (form, API, model copy, YAML) calls `check_terms`."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qclub import modules
from qclub.numbers import format_number
from servicecharters.models import StandardTerms


def check_terms(terms: dict, *, service) -> dict:
    """The rules of one standard's terms, for every way in (form, API, model
    copy): returns the cleaned terms, or raises with a message per field."""
    errors: dict[str, str] = {}
    comparator = terms.get("comparator") or StandardTerms.Comparator.AT_MOST
    kind = terms.get("kind") or StandardTerms.Kind.GENERAL
    if not (terms.get("title") or "").strip():
        errors["title"] = _("Scrivi che cosa garantisce lo standard.")
    if comparator == StandardTerms.Comparator.YES_NO:
        terms["target_value"] = None
    elif terms.get("target_value") is None:
        errors["target_value"] = _("Indica il valore garantito (per esempio 20) e la sua unità di misura.")
    if kind == StandardTerms.Kind.SPECIFIC and comparator != StandardTerms.Comparator.YES_NO:
        if terms.get("compliance_pct") is None:
            terms["compliance_pct"] = Decimal("100")
    elif kind != StandardTerms.Kind.SPECIFIC:
        terms["compliance_pct"] = None
    ref = (terms.get("figure_ref") or "").strip()
    if ref:
        figure = modules.figure_get(ref)
        if figure is None:
            errors["figure_ref"] = _("La fonte scelta non esiste più: scegline un'altra o lascia il valore da inserire a mano.")
        elif figure.service_code and figure.service_code != service.code:
            errors["figure_ref"] = _("La fonte scelta misura un altro servizio.")
        elif figure.binds is not None and terms.get("target_value") is not None:
            # The promise also sets a rule of the module that measures it (the
            # service's complaint deadlines): only what that rule accepts.
            target, binds = terms["target_value"], figure.binds
            if not (binds.minimum <= target <= binds.maximum) or (binds.whole and target != target.to_integral_value()):
                errors["target_value"] = _(
                    "Questo standard fissa %(what)s: indica un numero intero tra %(min)s e %(max)s."
                ) % {"what": binds.label, "min": format_number(binds.minimum), "max": format_number(binds.maximum)}
    terms["figure_ref"] = ref
    if errors:
        raise ValidationError(errors)
    return terms
