"""Filters of the catalogue pages (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from benchmarking.models import Campaign, DataElement, Dimension, Indicator
from qclub.models import ThematicArea


class IndicatorFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area tematica"), queryset=ThematicArea.objects.all(), empty_label=_("Tutte le aree")
    )
    dimension = django_filters.ChoiceFilter(
        label=_("Dimensione"), choices=Dimension.choices, empty_label=_("Tutte le dimensioni")
    )

    class Meta:
        model = Indicator
        fields = ["area", "dimension"]


class DataElementFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area tematica"), queryset=ThematicArea.objects.all(), empty_label=_("Tutte le aree")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Tipo"), choices=DataElement.Kind.choices, empty_label=_("Tutti i tipi")
    )

    class Meta:
        model = DataElement
        fields = ["area", "kind"]


class CampaignFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Area tematica"), queryset=ThematicArea.objects.all(), empty_label=_("Tutte le aree")
    )
    status = django_filters.ChoiceFilter(
        label=_("Stato"), choices=Campaign.Status.choices, empty_label=_("Tutti gli stati")
    )

    class Meta:
        model = Campaign
        fields = ["area", "status"]
