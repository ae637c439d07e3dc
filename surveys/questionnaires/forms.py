"""Forms of the questionnaire pages: a draft question's texts per language
and settings, a new version's notes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qclub.models import QualityDimension
from surveys.models import Question, SurveyLanguage
from surveys.models.questionnaires import DEFAULT_LANGUAGE, QuestionKind

TEXT_MAX = 1000


class NewVersionForm(forms.Form):
    notes = forms.CharField(
        label=_("Che cosa cambia in questa versione"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    """Texts (question, explanation, scale labels) in each language, and the
    question's settings. Fields per language are named `<what>__<code>`."""

    seen = forms.CharField(widget=forms.HiddenInput)
    required = forms.BooleanField(label=_("Risposta obbligatoria"), required=False)
    allows_dont_know = forms.BooleanField(label=_("Ammette «non so / non applicabile»"), required=False)
    dimension = forms.ChoiceField(
        label=_("Dimensione della qualità"),
        choices=[("", _("Nessuna"))] + list(QualityDimension.choices),
        required=False,
    )

    def __init__(self, *args, question: Question, languages: list[SurveyLanguage], **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.languages = languages
        if question.kind not in (QuestionKind.RATING, QuestionKind.IMPORTANCE):
            del self.fields["dimension"]
        if question.kind in (QuestionKind.TEXT, QuestionKind.MULTIPLE):
            del self.fields["allows_dont_know"]
        self.points = (
            [str(p) for p in range(question.scale_min, question.scale_max + 1)] if question.is_scale else []
        )
        for language in languages:
            italian = language.code == DEFAULT_LANGUAGE
            self.fields[f"text__{language.code}"] = forms.CharField(
                label=_("Domanda"), required=italian, max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2, "lang": language.code,
                                             "dir": "rtl" if language.right_to_left else "auto"}),
            )
            self.fields[f"help__{language.code}"] = forms.CharField(
                label=_("Spiegazione per chi risponde"), required=False, max_length=TEXT_MAX,
                widget=forms.TextInput(attrs={"lang": language.code,
                                              "dir": "rtl" if language.right_to_left else "auto"}),
            )
            for point in self.points:
                self.fields[f"point_{point}__{language.code}"] = forms.CharField(
                    label=_("Etichetta del punto %(point)s") % {"point": point}, required=italian,
                    max_length=200,
                    widget=forms.TextInput(attrs={"lang": language.code,
                                                  "dir": "rtl" if language.right_to_left else "auto"}),
                )

    def language_groups(self):
        """[(language, [bound fields])] for one fieldset per language."""
        return [
            (language, [field for field in self if field.name.endswith(f"__{language.code}")])
            for language in self.languages
        ]

    def setting_fields(self):
        return [self[name] for name in ("required", "allows_dont_know", "dimension") if name in self.fields]

    @staticmethod
    def initial_for(question: Question, languages: list[SurveyLanguage], seen: str) -> dict:
        initial = {
            "seen": seen, "required": question.required,
            "allows_dont_know": question.allows_dont_know, "dimension": question.dimension,
        }
        for language in languages:
            code = language.code
            initial[f"text__{code}"] = (question.text or {}).get(code, "")
            initial[f"help__{code}"] = (question.help_text or {}).get(code, "")
            for point, labels in (question.point_labels or {}).items():
                initial[f"point_{point}__{code}"] = labels.get(code, "")
        return initial

    def changes(self) -> dict:
        data = self.cleaned_data
        codes = [language.code for language in self.languages]
        changes = {
            "text": {code: data.get(f"text__{code}", "") for code in codes},
            "help_text": {code: data.get(f"help__{code}", "") for code in codes},
            "required": data["required"],
        }
        if "allows_dont_know" in self.fields:
            changes["allows_dont_know"] = data["allows_dont_know"]
        if "dimension" in self.fields:
            changes["dimension"] = data["dimension"]
        if self.points:
            changes["point_labels"] = {
                point: {
                    code: data[f"point_{point}__{code}"].strip()
                    for code in codes if data.get(f"point_{point}__{code}", "").strip()
                }
                for point in self.points
            }
        return changes
