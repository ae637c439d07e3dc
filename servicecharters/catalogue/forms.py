"""Forms of the club's model charters (coordinators): texts and standards."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qclub.numbers import NumberError, input_text, parse_number
from servicecharters.catalogue.services import TEXT_FIELDS
from servicecharters.models import CharterTemplate, TemplateStandard

STANDARD_FIELDS = (
    "dimension", "kind", "title", "measure", "comparator", "target_value", "unit", "compliance_pct", "remedy",
)


class ItalianNumberField(forms.Field):
    """A figure written the Italian way (`12,5`), kept as a Decimal
    (`parse_number` bounds its length and decimals)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def prepare_value(self, value):
        return input_text(value) if not isinstance(value, str) and value is not None else value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        try:
            return parse_number(value)
        except NumberError as error:
            raise forms.ValidationError(str(error)) from None


class ModelTextForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(CharterTemplate, fields=TEXT_FIELDS)
        for name in CharterTemplate.SECTIONS:
            fields[name].widget = forms.Textarea(attrs={"rows": 8, "class": "qc-markdown"})
        fields["notes"].widget = forms.Textarea(attrs={"rows": 3})
        for field in fields.values():
            field.label = capfirst(field.label)
        self.fields.update(fields)

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] or "" for name in TEXT_FIELDS}


class ModelStandardForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(TemplateStandard, fields=STANDARD_FIELDS)
        fields["target_value"] = ItalianNumberField(
            label=_("valore garantito"), required=False,
            help_text=_("Un numero, per esempio 20 o 12,5. Non serve per un impegno sì/no."),
        )
        fields["compliance_pct"] = ItalianNumberField(
            label=_("casi in cui è rispettato (%)"), required=False,
            help_text=_("Per gli standard specifici; vuoto vale 100."),
        )
        for name in ("measure", "remedy"):
            fields[name].widget = forms.Textarea(attrs={"rows": 3})
        for field in fields.values():
            field.label = capfirst(field.label)
        self.fields.update(fields)

    def terms(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in STANDARD_FIELDS}
