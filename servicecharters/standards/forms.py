"""The standard's form: types and choices only. The rules of a standard's
terms are `charters.services.check_terms`, called by `save_standard`; the
view shows its errors beside the fields (`apply_errors`)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qclub import modules
from qclub.models import QualityDimension
from qclub.numbers import NumberError, input_text, parse_number
from servicecharters.models import StandardTerms

Comparator = StandardTerms.Comparator
Kind = StandardTerms.Kind

# The fields of the form, in the order of `charters.services.TERMS_FIELDS`
# that a person sets (the position last: most never touch it).
FIELDS = (
    "dimension", "kind", "title", "measure", "comparator", "target_value", "unit", "compliance_pct",
    "figure_ref", "remedy", "position",
)


class ItalianDecimalField(forms.CharField):
    """A figure typed the Italian way ("1.234,5", "12,5"; "12.5" too), read by
    `qclub.numbers.parse_number`: nothing rounded, a readable message for
    anything else. Empty is None."""

    def __init__(self, *, max_value: Decimal | None = None, min_value: Decimal | None = None, **kwargs):
        # No max_length validator (it would measure the Decimal): parse_number
        # refuses text longer than any figure we keep.
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                           "maxlength": "64"}))
        self.max_value, self.min_value = max_value, min_value
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return input_text(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = parse_number(text)
        except NumberError as error:
            raise ValidationError(str(error), code="number") from None
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(_("Il valore non può essere minore di %(n)s.") % {"n": input_text(self.min_value)})
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(_("Il valore non può essere maggiore di %(n)s.") % {"n": input_text(self.max_value)})
        return number


def figure_choices(service, current: str = "") -> list:
    """The figure picker: "entered by hand" first, then the figures the
    modules measure for the service, grouped by kind. A figure no module
    offers any more stays listed when the standard has it, so the page says
    why it cannot be kept (the service's message) instead of silently
    switching to another."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for figure in modules.figures_for(service):
        label = f"{figure.label} ({figure.unit})" if figure.unit else str(figure.label)
        groups.setdefault(str(figure.kind or figure.module), []).append((figure.ref, label))
    choices: list = [("", _("Inserito a mano con evidenza"))]
    choices += [(kind, sorted(items, key=lambda item: item[1])) for kind, items in groups.items()]
    known = {ref for _kind, items in groups.items() for ref, _label in items}
    if current and current not in known:
        choices.append((current, _("Fonte non più disponibile")))
    return choices


class StandardForm(forms.Form):
    dimension = forms.ChoiceField(
        label=gettext_lazy("Dimensione della qualità"), choices=QualityDimension.choices,
        help_text=gettext_lazy("Accessibilità, tempestività, trasparenza o efficacia (delibera CiVIT 88/2010)."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Tipo di standard"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.GENERAL,
        help_text=gettext_lazy(
            "Specifico: una soglia che ogni cittadino può verificare nel proprio caso (risposta entro 20 giorni). "
            "Generale: una media su tutti i casi (attesa media sotto i 15 minuti)."
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("Che cosa si garantisce"), max_length=200,
        help_text=gettext_lazy("In breve, come lo leggerà il cittadino: «Risposta ai reclami»."),
    )
    measure = forms.CharField(
        label=gettext_lazy("Come si misura"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Che cosa si conta o si misura, e da quale fonte."),
    )
    comparator = forms.ChoiceField(
        label=gettext_lazy("Il valore garantito è"), choices=Comparator.choices, initial=Comparator.AT_MOST,
        help_text=gettext_lazy("«Al massimo» per tempi e attese, «almeno» per quote e punteggi, «sì/no» per un impegno."),
    )
    target_value = ItalianDecimalField(
        label=gettext_lazy("Valore garantito"), required=False,
        max_value=Decimal("99999999.9999"), min_value=Decimal("-99999999.9999"),
        help_text=gettext_lazy("Un numero, con la virgola per i decimali: 20 oppure 12,5. Non serve per un impegno sì/no."),
    )
    unit = forms.CharField(
        label=gettext_lazy("Unità di misura"), max_length=40, required=False,
        help_text=gettext_lazy("Per esempio: giorni lavorativi, minuti, %."),
    )
    compliance_pct = ItalianDecimalField(
        label=gettext_lazy("Casi in cui è rispettato (%)"), required=False, min_value=Decimal(0), max_value=Decimal(100),
        help_text=gettext_lazy(
            "Solo per gli standard specifici: la quota di casi in cui deve essere rispettato, da 0 a 100 "
            "(vuoto: in tutti i casi)."
        ),
    )
    figure_ref = forms.ChoiceField(
        label=gettext_lazy("Da dove viene il valore effettivo"), required=False,
        help_text=gettext_lazy(
            "Un dato che QClub già raccoglie (indicatore approvato, indagine pubblicata, reclami): il valore di ogni "
            "anno si calcola da solo. Oppure «inserito a mano»: ogni anno lo si inserisce con la sua evidenza."
        ),
    )
    remedy = forms.CharField(
        label=gettext_lazy("Se lo standard non è rispettato"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Che cosa riceve il cittadino (per esempio un rimborso) e come chiederlo."),
    )
    position = forms.IntegerField(
        label=gettext_lazy("Ordine nella carta"), required=False, min_value=0, max_value=32767,
        help_text=gettext_lazy("Gli standard si elencano dal numero più basso; vuoto: in fondo."),
    )

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        current = (self.data.get("figure_ref") if self.is_bound else self.initial.get("figure_ref")) or ""
        self.fields["figure_ref"].choices = figure_choices(service, str(current)[:120])

    def terms(self) -> dict:
        """The cleaned terms, for `save_standard` (an empty position: the end)."""
        terms = {name: self.cleaned_data[name] for name in FIELDS}
        if terms["position"] is None:
            del terms["position"]
        return terms


def initial_for(standard) -> dict:
    return {name: getattr(standard, name) for name in FIELDS}


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message beside its field
    when the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else str(item))
    else:
        for message in error.messages:
            form.add_error(None, message)
