"""Forms of online collection: the public questionnaire's envelope (language,
invitation, anti-spam; the answers themselves are read by question from the
POST and checked by the survey's one rule) and the officer's invitation list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qclub.antispam import HumanCheckFormMixin
from surveys.collection.selectors import ShownQuestion
from surveys.fieldwork.answering import DONT_KNOW

MAX_LIST_BYTES = 512 * 1024


class AnswerForm(HumanCheckFormMixin, forms.Form):
    antispam_purpose = "surveys.answer"

    lingua = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    invito = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


def raw_answers(data, questions: list[ShownQuestion]) -> dict[str, object]:
    """The answers as typed, by question code, in the shape the survey's rule
    reads (a list for multiple choice, "dk" for "non so")."""
    raw: dict[str, object] = {}
    for question in questions:
        name = question.field_name
        if question.kind == "multiple":
            value: object = [code for code in data.getlist(name) if code]
        else:
            value = (data.get(name) or "")
            if question.kind == "number" and data.get(f"{name}-dk"):
                value = DONT_KNOW
        if value not in ("", []):
            raw[question.code] = value
    return raw


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        label=_("Indirizzi e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Uno per riga, oppure separati da virgole o punti e virgola."),
    )
    file = forms.FileField(
        label=_("Oppure un file di testo o CSV con gli indirizzi"),
        required=False,
        help_text=_("Al massimo 512 kB; si usano tutti gli indirizzi che contiene."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return ""
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError(_("Il file supera i 512 kB."))
        data = upload.read(MAX_LIST_BYTES + 1)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Il file non è un testo leggibile.")) from None

    def addresses_given(self) -> list[str]:
        from surveys.collection.services import parse_addresses

        pasted = parse_addresses(self.cleaned_data.get("addresses") or "")
        from_file = parse_addresses(self.cleaned_data.get("file") or "", from_file=True)
        return list(dict.fromkeys([*pasted, *from_file]))
