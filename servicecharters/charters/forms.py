"""Forms of the staff's charter pages. They turn typed text into the
services' arguments; every rule is in `charters.services`."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qclub.models import Service
from servicecharters.models import CharterTemplate, CharterVersion, ServiceCharter

TEXT_FIELDS = ("title", *CharterVersion.SECTIONS, "change_summary")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, template):
        return template.title


def parse_id(text) -> int | None:
    """A row id typed in a query string, or None (only ASCII digits, bounded)."""
    text = str(text or "")
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def services_without_charter():
    """The taxonomy's services the active comune has no charter for yet."""
    taken = ServiceCharter.objects.values("service_id")
    return Service.objects.exclude(pk__in=taken).select_related("area").order_by("area__position", "name")


def templates_of(service_id) -> forms.QuerySet:
    return CharterTemplate.objects.filter(service_id=service_id, is_active=True).order_by("title")


class CreateCharterForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Servizio"), queryset=Service.objects.none(),
        empty_label=_("Scegli il servizio"),
        help_text=_("I servizi per cui il comune non ha ancora una carta."),
    )
    template = TemplateChoiceField(
        label=_("Modello del club"), queryset=CharterTemplate.objects.none(), required=False,
        empty_label=_("Nessun modello: parto da una carta vuota"),
        help_text=_("Un modello del club riempie testi e standard, da adattare al comune."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every service is offered, so that a duplicate gets the service's clear message.
        self.fields["service"].queryset = Service.objects.select_related("area").order_by("area__position", "name")
        self.fields["service"].choices = [("", self.fields["service"].empty_label)] + [
            (service.pk, service.name) for service in services_without_charter()
        ]
        service_id = parse_id(self.data.get("service") if self.is_bound else (self.initial or {}).get("service"))
        self.fields["template"].queryset = (
            templates_of(service_id) if service_id is not None else CharterTemplate.objects.none()
        )


def text_fields() -> dict[str, forms.Field]:
    fields = forms.fields_for_model(CharterVersion, fields=TEXT_FIELDS)
    for name in CharterVersion.SECTIONS:
        fields[name].widget = forms.Textarea(attrs={"rows": 8, "class": "qc-markdown"})
    fields["change_summary"].widget = forms.Textarea(attrs={"rows": 3})
    fields["title"].required = True
    for field in fields.values():
        field.label = capfirst(field.label)
    return fields


class VersionTextForm(forms.Form):
    """The title, the seven sections and the summary of changes of a draft."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(text_fields())

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] or "" for name in TEXT_FIELDS}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Che cosa va cambiato"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Lo leggerà chi ha preparato la carta; resta nella storia della carta."),
    )


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=_("In vigore dal"), widget=DATE,
        help_text=_("Dal giorno in cui i cittadini possono contare su questi impegni."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PreviewForm(forms.Form):
    text = forms.CharField(required=False, max_length=20_000)
