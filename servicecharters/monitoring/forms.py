"""The form of a value entered by hand (types only: the rules are in
`monitoring.services.enter_result`)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from servicecharters.models import StandardResult, StandardTerms
from servicecharters.standards.forms import ItalianDecimalField


class ResultForm(forms.Form):
    actual_value = ItalianDecimalField(
        label=_("Valore effettivo"), required=False,
        max_value=Decimal("9999999999.9999"), min_value=Decimal("-9999999999.9999"),
        help_text=_("Un numero, con la virgola per i decimali (12,5). Vuoto: ancora nessun valore."),
    )
    evidence = forms.CharField(
        label=_("Evidenza"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Da dove viene il valore: documento, registro, rilevazione."),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2_147_483_647)

    def __init__(self, *args, result: StandardResult, **kwargs):
        kwargs.setdefault("prefix", f"r{result.public_id.hex[:12]}")
        kwargs.setdefault("initial", {
            "actual_value": result.actual_value, "evidence": result.evidence, "lock_version": result.lock_version,
        })
        super().__init__(*args, **kwargs)
        self.result_id = result.pk
        terms = result.standard
        if terms.comparator == StandardTerms.Comparator.YES_NO:
            self.fields["actual_value"] = forms.TypedChoiceField(
                label=_("L'impegno è stato mantenuto?"), required=False, coerce=Decimal, empty_value=None,
                choices=[("", _("Ancora nessun valore")), ("1", _("Sì")), ("0", _("No"))],
            )
            value = result.actual_value
            self.initial["actual_value"] = "" if value is None else ("1" if value >= 1 else "0")
        elif terms.kind == StandardTerms.Kind.SPECIFIC:
            self.fields["actual_value"].label = _("Casi in cui è stato rispettato (%)")
            self.fields["actual_value"].help_text = _("La quota di casi, da 0 a 100, con la virgola per i decimali.")
            self.fields["actual_value"].min_value, self.fields["actual_value"].max_value = Decimal(0), Decimal(100)
        elif terms.unit:
            self.fields["actual_value"].label = _("Valore effettivo (%(unit)s)") % {"unit": terms.unit}
