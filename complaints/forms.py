"""Forms of the complaints pages. The rules are in the services; a form only
reads the fields' types, and shows the services' errors beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.attachments import MAX_BYTES, MAX_FILES, MAX_TOTAL_BYTES
from complaints.models import Category, Complaint, ComplaintSettings, Office, SubCategory
from qclub.antispam import HumanCheckFormMixin
from qclub.models import Service

ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def service_field(required=False):
    return forms.ModelChoiceField(
        label=_("Servizio"), queryset=Service.objects.select_related("area").order_by("area__position", "name"),
        required=required, empty_label=_("Non so / altro"),
    )


class ComplaintFieldsMixin(forms.Form):
    kind = forms.ChoiceField(
        label=_("Che cosa vuole comunicare"), choices=Complaint.Kind.choices, widget=forms.RadioSelect,
        initial=Complaint.Kind.COMPLAINT,
    )
    service = service_field()
    what_happened = forms.CharField(
        label=_("Che cosa è successo"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("Quando e dove, che cosa non ha funzionato o che cosa ha apprezzato. Al massimo 5000 caratteri."),
    )
    request = forms.CharField(
        label=_("Che cosa chiede al comune"), max_length=3000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 3000}),
    )
    wants_answer = forms.BooleanField(
        label=_("Desidero una risposta"), required=False,
        help_text=_("Solo in questo caso lasci i suoi recapiti: servono unicamente per risponderle."),
    )
    contact_name = forms.CharField(label=_("Nome e cognome"), max_length=120, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    contact_phone = forms.CharField(label=_("Telefono"), max_length=30, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    contact_address = forms.CharField(label=_("Indirizzo postale"), max_length=300, required=False,
                                      widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    files = MultipleFileField(
        label=_("Allegati"), required=False,
        # Formatted when shown, in the reader's language (a % on a lazy text would
        # fix it in the language of the moment the module is imported).
        help_text=lazy(
            lambda: gettext(
                "Facoltativi: fino a %(count)d file PDF, PNG o JPEG, di %(mb)d MB al massimo ciascuno e %(total)d MB in tutto."
            )
            % {"count": MAX_FILES, "mb": MAX_BYTES // (1024 * 1024), "total": MAX_TOTAL_BYTES // (1024 * 1024)},
            str,
        )(),
    )


class PublicComplaintForm(HumanCheckFormMixin, ComplaintFieldsMixin):
    privacy = forms.BooleanField(
        label=_("Ho letto l'informativa sul trattamento dei dati personali"), required=True,
        error_messages={"required": _("Per inviare la segnalazione conferma di aver letto l'informativa.")},
    )


class StaffComplaintForm(ComplaintFieldsMixin):
    channel = forms.ChoiceField(label=_("Canale"), choices=[
        c for c in Complaint.Channel.choices if c[0] != Complaint.Channel.WEB
    ])
    received_on = forms.DateField(label=_("Ricevuto il"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    category = forms.ModelChoiceField(label=_("Categoria"), queryset=Category.objects.all(), required=False,
                                      empty_label=_("Da classificare"))
    subcategory = forms.ModelChoiceField(label=_("Sottocategoria"), queryset=SubCategory._base_manager.none(),
                                         required=False, empty_label=_("Nessuna"))

    field_order = ["kind", "channel", "received_on", "service", "category", "subcategory"]

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipality is not None:
            self.fields["subcategory"].queryset = SubCategory.objects.select_related("category")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(VersionForm):
    office = forms.ModelChoiceField(label=_("Ufficio"), queryset=Office._base_manager.none(), required=False,
                                    empty_label=_("Nessun ufficio"))
    assignee = forms.ModelChoiceField(label=_("Persona"), queryset=None, required=False, empty_label=_("Nessuno"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.all()
        from django.contrib.auth import get_user_model

        self.fields["assignee"].queryset = get_user_model().objects.filter(pk__in=[p.pk for p in people])
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Nota interna (il cittadino non la vede)"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}))


class SuspendForm(VersionForm):
    reason = forms.CharField(label=_("Che cosa si attende dal cittadino"), max_length=300)


class AnswerForm(VersionForm):
    text = forms.CharField(label=_("Risposta al cittadino"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 6, "maxlength": 10000}))
    root_cause = forms.ChoiceField(label=_("Causa"), required=False,
                                   choices=[("", _("Da stabilire"))] + list(Complaint.RootCause.choices))
    founded = forms.TypedChoiceField(
        label=_("La segnalazione è fondata?"), required=False, widget=forms.RadioSelect,
        choices=[("yes", _("Sì")), ("no", _("No")), ("", _("Non applicabile"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v), empty_value=None,
    )


class ReopenForm(VersionForm):
    reason = forms.CharField(label=_("Perché va riaperta"), max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": 3000}))


class ClassifyForm(VersionForm):
    service = service_field()
    category = forms.ModelChoiceField(label=_("Categoria"), queryset=Category.objects.all(), required=False,
                                      empty_label=_("Da classificare"))
    subcategory = forms.ModelChoiceField(label=_("Sottocategoria"), queryset=SubCategory._base_manager.none(),
                                         required=False, empty_label=_("Nessuna"))
    duplicate_of = forms.CharField(label=_("Duplicato della segnalazione (codice)"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subcategory"].queryset = SubCategory.objects.select_related("category")


class CitizenReopenForm(forms.Form):
    reason = forms.CharField(label=_("Perché la risposta non la soddisfa"), max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 4, "maxlength": 3000}))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Quanto è soddisfatto della risposta?"), widget=forms.RadioSelect, coerce=int,
        choices=[(5, _("Molto soddisfatto")), (4, _("Soddisfatto")), (3, _("Né soddisfatto né insoddisfatto")),
                 (2, _("Insoddisfatto")), (1, _("Molto insoddisfatto"))],
    )


class FilterForm(forms.Form):
    stato = forms.ChoiceField(label=_("Stato"), required=False, choices=[("", _("Tutti"))] + list(Complaint.Status.choices))
    tipo = forms.ChoiceField(label=_("Tipo"), required=False, choices=[("", _("Tutti"))] + list(Complaint.Kind.choices))
    servizio = forms.ModelChoiceField(label=_("Servizio"), required=False, queryset=Service.objects.all(),
                                      empty_label=_("Tutti"))
    ritardo = forms.BooleanField(label=_("Solo in ritardo"), required=False)
    q = forms.CharField(label=_("Cerca nel testo"), required=False, max_length=200)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ComplaintSettings
        fields = ["acknowledge_days", "answer_days", "reopen_days", "retention_months"]


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("Motivo (senza nominare la persona)"), max_length=300)
