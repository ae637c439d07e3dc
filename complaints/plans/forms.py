"""The improvement action's form (types only: the rules are in plans/services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ImprovementAction
from qclub.models import Service


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Azione"), max_length=200)
    description = forms.CharField(label=_("Descrizione"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    service = forms.ModelChoiceField(
        label=_("Servizio"), queryset=Service.objects.select_related("area").order_by("area__position", "name"),
        required=False, empty_label=_("Nessuno"),
    )
    root_cause = forms.ChoiceField(label=_("Causa che affronta"), required=False,
                                   choices=[("", _("Nessuna"))] + list(Complaint.RootCause.choices))
    complaints = forms.CharField(
        label=_("Segnalazioni collegate"), required=False, max_length=2000,
        help_text=_("I codici delle segnalazioni, separati da virgole (ad esempio S-2026-00042)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.CharField(label=_("Responsabile"), max_length=120)
    due_on = forms.DateField(label=_("Da completare entro"),
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Stato"), choices=ImprovementAction.Status.choices)
    result = forms.CharField(
        label=_("Risultato misurato"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obbligatorio per completare l'azione: che cosa è cambiato, con i dati."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanFilterForm(forms.Form):
    servizio = forms.ModelChoiceField(
        label=_("Servizio"), queryset=Service.objects.order_by("name"), required=False, empty_label=_("Tutti"),
    )
    stato = forms.ChoiceField(label=_("Stato"), required=False,
                              choices=[("", _("Tutti"))] + list(ImprovementAction.Status.choices))
