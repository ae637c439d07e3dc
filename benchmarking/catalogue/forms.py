"""Forms of the coordinators' catalogue pages: data elements, indicators and
their versions, campaigns.

The forms only read and check what was typed; the writes are in
`catalogue.services` (`element_create`, `element_update`, `indicator_create`,
`indicator_update`, `open_campaign`, `campaign_close`).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.catalogue import services
from benchmarking.catalogue.selectors import default_period
from benchmarking.formula import FormulaError, parse
from benchmarking.models import DataElement, Indicator, IndicatorVersion
from benchmarking.periods import HALF, QUARTER, YEAR, Period
from qclub.models import Service, ThematicArea

# Editing an indicator in place (no new version) changes only these.
INDICATOR_FIELDS = ["name", "dimension", "quality_dimension", "service", "position", "is_active"]
# A change of any of these makes a new version (the rule: `needs_new_version`).
VERSION_FIELDS = list(IndicatorVersion.DEFINING_FIELDS)
# Carried over to the new version, or edited on the current one without a new version.
VERSION_TEXT_FIELDS = ["definition", "notes"]


def coordinated_areas(user):
    """The thematic areas `user` coordinates (what they may edit)."""
    return ThematicArea.objects.filter(coordinators__user=user).order_by("position", "name")


def fingerprint(values: dict) -> str:
    """A short hash of the values a form was loaded with, so a save can tell
    whether someone else changed the row in the meantime."""
    # Decimals normalised: 30, 30.00 and 3E+1 are the same stored value.
    text = json.dumps({
        key: str(value.normalize() if isinstance(value, Decimal) else value)
        for key, value in sorted(values.items())
    })
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def element_fingerprint(element: DataElement) -> str:
    fields = [f.attname for f in DataElement._meta.concrete_fields]
    return fingerprint({name: getattr(element, name) for name in fields})


def indicator_fingerprint(indicator: Indicator, version: IndicatorVersion) -> str:
    values = {name: getattr(indicator, name) for name in ["name", "dimension", "quality_dimension",
                                                           "service_id", "position", "is_active"]}
    values["version"] = version.number
    values.update({name: getattr(version, name) for name in VERSION_TEXT_FIELDS})
    return fingerprint(values)


def formula_codes(text: str, area: ThematicArea | None) -> list[str]:
    """The data-element codes of a formula, checked: it parses, and every code
    is a data element of `area`. Raises ValidationError with a readable message."""
    try:
        formula = parse(text)
    except FormulaError as error:
        raise ValidationError(str(error), code="syntax") from None
    codes = sorted(formula.codes)
    if area is None:
        return codes
    known = set(DataElement.objects.filter(area=area, code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            _("Questi codici non sono dati elementari dell'area «%(area)s»: %(codes)s.")
            % {"area": area.name, "codes": ", ".join(unknown)},
            code="unknown_codes",
        )
    return codes


class StaleCheckMixin:
    """A hidden `loaded` field with the row's fingerprint when the page was opened."""

    def add_loaded_field(self, value: str) -> None:
        self.fields["loaded"] = forms.CharField(widget=forms.HiddenInput, initial=value)


# --- Data elements ---------------------------------------------------------------


class DataElementForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = DataElement
        fields = [
            "area", "code", "name", "unit", "kind", "service", "group", "position", "measurement",
            "plausible_min", "plausible_max", "change_threshold_pct", "part_of",
        ]
        error_messages = {
            "code": {"unique": gettext_lazy("Esiste già un dato elementare con questo codice.")},
        }
        widgets = {"measurement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self.fields["area"].queryset = coordinated_areas(user)
        self.fields["service"].queryset = Service.objects.filter(area__in=coordinated_areas(user))
        part_of = DataElement.objects.filter(area__in=coordinated_areas(user)).select_related("area")
        if editing:
            part_of = part_of.exclude(pk=self.instance.pk)
            # The code is what formulas refer to and the area is where they look
            # it up: changing either would silently break indicators.
            for name in ("area", "code"):
                self.fields[name].disabled = True
            self.add_loaded_field(element_fingerprint(self.instance))
        self.fields["part_of"].queryset = part_of
        self.fields["code"].help_text = _(
            "Lettere minuscole, cifre e _; è il nome del dato nelle formule e non si potrà cambiare."
        )

    def clean(self):
        data = super().clean()
        # The rules are the service's (`element_rule_errors`); checked here too,
        # so that the page shows them beside the other fields' errors.
        errors = services.element_rule_errors(
            area=data.get("area"),
            part_of=data.get("part_of"), service=data.get("service"),
            plausible_min=data.get("plausible_min"), plausible_max=data.get("plausible_max"),
            element=self.instance if self.instance.pk else None,
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return data


# --- Indicators --------------------------------------------------------------------


class IndicatorVersionFields(forms.Form):
    """The definition that lives in versions."""

    formula = forms.CharField(
        label=gettext_lazy("Formula"), max_length=500,
        help_text=gettext_lazy("Codici dei dati elementari, numeri, + − × ÷ e parentesi, "
                        "per esempio: certificati_online / certificati * 100"),
    )
    unit = forms.CharField(label=gettext_lazy("Unità di misura"), max_length=40)
    decimals = forms.IntegerField(label=gettext_lazy("Decimali"), min_value=0, max_value=6, initial=1)
    better = forms.ChoiceField(label=gettext_lazy("Direzione"), choices=IndicatorVersion.Better.choices)
    band_low = forms.DecimalField(
        label=gettext_lazy("Obiettivo minimo"), max_digits=20, decimal_places=4, required=False,
        help_text=gettext_lazy("Solo per «entro un intervallo obiettivo»."),
    )
    band_high = forms.DecimalField(
        label=gettext_lazy("Obiettivo massimo"), max_digits=20, decimal_places=4, required=False,
        help_text=gettext_lazy("Solo per «entro un intervallo obiettivo»."),
    )
    definition = forms.CharField(
        label=gettext_lazy("Definizione"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def clean_version(form: forms.Form, area: ThematicArea | None) -> None:
    """Checks shared by creating and editing: the formula and the band."""
    data = form.cleaned_data
    if "formula" in data and area is not None:
        try:
            formula_codes(data["formula"], area)
        except ValidationError as error:
            form.add_error("formula", error)
    if data.get("better") == IndicatorVersion.Better.BAND:
        low, high = data.get("band_low"), data.get("band_high")
        if low is None or high is None:
            form.add_error("band_high", _("Per un intervallo obiettivo indica minimo e massimo."))
        elif low >= high:
            form.add_error("band_high", _("L'obiettivo minimo deve essere minore del massimo."))
    else:
        # Bounds mean nothing for "higher/lower is better": do not keep stray ones.
        data["band_low"] = data["band_high"] = None


class IndicatorCreateForm(IndicatorVersionFields, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["area", "code", "name", "dimension", "quality_dimension", "service", "position"]
        error_messages = {
            "code": {"unique": gettext_lazy("Esiste già un indicatore con questo codice.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = coordinated_areas(user)
        self.fields["service"].queryset = Service.objects.filter(area__in=coordinated_areas(user))
        # Base form fields first, then the model's: put the identity on top.
        order = [*self._meta.fields, *IndicatorVersionFields.base_fields]
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        area, service = data.get("area"), data.get("service")
        if area is not None and service is not None and service.area_id != area.pk:
            self.add_error("service", _("Il servizio deve essere della stessa area."))
        clean_version(self, area)
        return data

    def version_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in VERSION_FIELDS + VERSION_TEXT_FIELDS}


class IndicatorEditForm(StaleCheckMixin, IndicatorVersionFields, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS

    def __init__(self, *args, version: IndicatorVersion, **kwargs):
        initial = {name: getattr(version, name) for name in VERSION_FIELDS + VERSION_TEXT_FIELDS}
        initial.update(kwargs.pop("initial", None) or {})
        super().__init__(*args, initial=initial, **kwargs)
        self.version = version
        self.fields["service"].queryset = Service.objects.filter(area=self.instance.area)
        self.order_fields([*INDICATOR_FIELDS, *IndicatorVersionFields.base_fields])
        self.add_loaded_field(indicator_fingerprint(self.instance, version))

    def clean(self):
        data = super().clean()
        clean_version(self, self.instance.area)
        return data

    def version_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in VERSION_FIELDS + VERSION_TEXT_FIELDS}


class FormulaPreviewForm(forms.Form):
    formula = forms.CharField(max_length=1000, required=False)
    area = forms.ModelChoiceField(queryset=ThematicArea.objects.all(), required=False)


# --- Campaigns ------------------------------------------------------------------------

PERIOD_KINDS = [(YEAR, gettext_lazy("Anno")), (HALF, gettext_lazy("Semestre")), (QUARTER, gettext_lazy("Trimestre"))]


class CampaignOpenForm(forms.Form):
    area = forms.ModelChoiceField(label=gettext_lazy("Area tematica"), queryset=ThematicArea.objects.none())
    period_text = forms.CharField(
        label=gettext_lazy("Periodo"), required=False, max_length=10,
        help_text=gettext_lazy("Per esempio 2025, 2025-H1 (semestre) o 2025-Q3 (trimestre). "
                        "In alternativa compila anno, periodicità e numero."),
    )
    period_year = forms.IntegerField(label=gettext_lazy("Anno"), required=False, min_value=2000, max_value=2100)
    period_kind = forms.ChoiceField(label=gettext_lazy("Periodicità"), choices=PERIOD_KINDS, initial=YEAR)
    period_index = forms.IntegerField(label=gettext_lazy("Numero"), min_value=1, max_value=4, initial=1)
    indicators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Indicatori"), queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": gettext_lazy("L'indicatore %(value)s non è tra quelli attivi dell'area scelta.")},
    )
    opens_on = forms.DateField(label=gettext_lazy("Apertura"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    due_on = forms.DateField(label=gettext_lazy("Scadenza"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, *args, user, area: ThematicArea | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = coordinated_areas(user)
        self.fields["area"].queryset = areas
        if area is None and len(areas) == 1:
            area = areas[0]
        if self.is_bound:
            area = self._bound_area(areas) or area
        self.chosen_area = area
        if area is not None:
            active = Indicator.objects.filter(area=area, is_active=True).order_by("position", "code")
            self.fields["indicators"].queryset = active
            self.fields["area"].initial = area.pk
            self.fields["indicators"].initial = [indicator.pk for indicator in active]
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code} — {i.name}"
        # Choosing the area swaps its indicators and default period in (htmx); without
        # JavaScript the "Mostra gli indicatori" button posts the form back instead.
        self.fields["area"].widget.attrs.update({
            "hx-get": reverse("benchmarking:campaign_open_indicators"),
            "hx-target": "#area-fields", "hx-trigger": "change", "hx-swap": "innerHTML",
        })
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        # A period the area has no campaign for yet (the previous year when free).
        self.fields["period_year"].initial = (
            default_period(area, today).year if area is not None else today.year - 1
        )

    def _bound_area(self, areas) -> ThematicArea | None:
        try:
            return areas.get(pk=int(self.data.get(self.add_prefix("area"), "")))
        except (ValueError, ThematicArea.DoesNotExist):
            return None

    def clean(self):
        data = super().clean()
        text = (data.get("period_text") or "").strip()
        try:
            if text:
                data["period"] = Period.parse(text)
            elif data.get("period_year") is None:
                self.add_error("period_year", _("Indica l'anno o scrivi il periodo."))
            elif data.get("period_kind") and data.get("period_index"):
                data["period"] = Period(data["period_year"], data["period_kind"], data["period_index"])
        except ValueError:
            field = "period_text" if text else "period_index"
            self.add_error(field, _("Periodo non valido: scrivi per esempio 2025, 2025-H1 o 2025-Q3."))
        return data
