"""Forms of a comune's survey pages: settings (with the proposed sample) and
the comune's own questions. They turn typed text into the services' data;
every rule is in `fieldwork.services` and `questionnaires.sampling`."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from qclub.models import Service
from surveys.fieldwork.services import COLLECTING_MODES
from surveys.models import QuestionKind, QuestionnaireVersion, SurveyLanguage
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import localized
from surveys.questionnaires import sampling

CONFIDENCE_CHOICES = [(90, "90%"), (95, "95%"), (99, "99%")]
MARGIN_CHOICES = [(3, "± 3%"), (4, "± 4%"), (5, "± 5%"), (7, "± 7%"), (10, "± 10%")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        return _("%(title)s (versione %(n)d)") % {
            "title": localized(version.questionnaire.title, "it"), "n": version.number,
        }


class SampleForm(forms.Form):
    """The inputs of the sample-size proposal (also the htmx fragment's)."""

    population_served = forms.IntegerField(
        label=_("Popolazione servita"), min_value=1, max_value=100_000_000, required=False,
        help_text=_("Quante persone usano il servizio in un anno (gli utenti, non i residenti)."),
    )
    confidence = forms.TypedChoiceField(
        label=_("Livello di confidenza"), choices=CONFIDENCE_CHOICES, coerce=int, initial=95,
        required=False,
    )
    margin = forms.TypedChoiceField(
        label=_("Errore massimo accettato"), choices=MARGIN_CHOICES, coerce=int, initial=5,
        required=False,
    )

    def proposal(self) -> int | None:
        """The proposed sample, or None without a population."""
        data = getattr(self, "cleaned_data", {}) or {}
        population = data.get("population_served")
        if not population:
            return None
        return sampling.sample_size(
            population=population,
            confidence=data.get("confidence") or sampling.DEFAULT_CONFIDENCE,
            margin=(data.get("margin") or 5) / 100,
        )


class SurveyForm(SampleForm):
    """A survey's settings; a blank target takes the proposed sample."""

    version = VersionChoiceField(
        label=_("Questionario"), queryset=QuestionnaireVersion.objects.none(), empty_label=None,
        help_text=_("La versione in uso di un questionario condiviso del club."),
    )
    title = forms.CharField(label=_("Titolo dell'indagine"), max_length=200)
    service = forms.ModelChoiceField(
        label=_("Servizio"), queryset=Service.objects.select_related("area"), required=False,
        empty_label=_("Quello del questionario"),
    )
    year = forms.IntegerField(label=_("Anno"), min_value=2000, max_value=2100)
    modes = forms.MultipleChoiceField(
        label=_("Modalità di raccolta"), widget=forms.CheckboxSelectMultiple, required=False,
        choices=[(mode, label) for mode, label in Mode.choices if mode in COLLECTING_MODES],
        help_text=_("Almeno una, prima di avviare la raccolta. L'importazione da file è sempre possibile."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Lingue del questionario online"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("L'italiano c'è sempre."),
    )
    starts_on = forms.DateField(label=_("Inizio della raccolta"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Fine della raccolta"), required=False, widget=DATE)
    target_sample = forms.IntegerField(
        label=_("Campione previsto (risposte)"), min_value=1, max_value=100_000_000, required=False,
        help_text=_("Se lo lasci vuoto si usa il campione proposto per la popolazione servita."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "version", "title", "service", "year", "modes", "languages", "starts_on", "ends_on",
        "population_served", "confidence", "margin", "target_sample",
    ]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = QuestionnaireVersion.objects.filter(
            status=QuestionnaireVersion.Status.ACTIVE
        ).select_related("questionnaire").order_by("-questionnaire__locked", "questionnaire__code")
        self.fields["languages"].choices = [
            (language.code, language.name) for language in SurveyLanguage.objects.exclude(code="it")
        ]
        if editing:
            del self.fields["version"]
        else:
            del self.fields["revision"]
            self.fields["year"].initial = datetime.date.today().year

    def settings(self) -> dict:
        data = self.cleaned_data
        target = data.get("target_sample") or self.proposal()
        return {
            "title": data["title"], "service": data.get("service"), "year": data["year"],
            "modes": data.get("modes") or [], "languages": data.get("languages") or [],
            "starts_on": data.get("starts_on"), "ends_on": data.get("ends_on"),
            "population_served": data.get("population_served"), "target_sample": target,
        }


LOCAL_KINDS = [
    (QuestionKind.RATING, _("Soddisfazione su una scala")),
    (QuestionKind.SINGLE, _("Una scelta tra più risposte")),
    (QuestionKind.MULTIPLE, _("Più scelte tra più risposte")),
    (QuestionKind.NUMBER, _("Un numero")),
    (QuestionKind.TEXT, _("Testo libero")),
]
SCALE_CHOICES = [(5, _("da 1 a 5")), (7, _("da 1 a 7")), (10, _("da 1 a 10"))]


class LocalQuestionForm(forms.Form):
    """One of the comune's own questions (in Italian; the online form shows it
    in Italian to every respondent)."""

    text = forms.CharField(label=_("Domanda"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    code = forms.SlugField(
        label=_("Codice breve"), max_length=60, required=False,
        help_text=_("Per le esportazioni. Se lo lasci vuoto si ricava dalla domanda."),
    )
    kind = forms.ChoiceField(label=_("Tipo di risposta"), choices=LOCAL_KINDS)
    scale_max = forms.TypedChoiceField(
        label=_("Scala (solo per la soddisfazione)"), choices=SCALE_CHOICES, coerce=int, initial=5,
        required=False,
    )
    options = forms.CharField(
        label=_("Risposte possibili (solo per le scelte)"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Una per riga."),
    )
    number_min = forms.DecimalField(label=_("Valore minimo (solo per i numeri)"), required=False,
                                    max_digits=12, decimal_places=2)
    number_max = forms.DecimalField(label=_("Valore massimo (solo per i numeri)"), required=False,
                                    max_digits=12, decimal_places=2)
    help_text = forms.CharField(label=_("Spiegazione per chi risponde"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Risposta obbligatoria"), required=False)
    allows_dont_know = forms.BooleanField(label=_("Ammette «non so / non applicabile»"), required=False,
                                          initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lines = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(lines) < 2:
            self.add_error("options", _("Scrivi almeno due risposte possibili, una per riga."))
        if len(lines) != len(set(lines)):
            self.add_error("options", _("Una risposta è scritta due volte."))
        if kind == QuestionKind.RATING and not data.get("scale_max"):
            self.add_error("scale_max", _("Scegli la scala."))
        low, high = data.get("number_min"), data.get("number_max")
        if low is not None and high is not None and low > high:
            self.add_error("number_max", _("Il massimo è più basso del minimo."))
        if "code" in self.fields and not data.get("code") and data.get("text"):
            data["code"] = slugify(data["text"])[:40].strip("-") or "domanda"
        return data

    def question_data(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        result = {
            "kind": kind, "text": {"it": data["text"].strip()},
            "help_text": {"it": data["help_text"].strip()} if data.get("help_text", "").strip() else {},
            "required": data["required"],
            "allows_dont_know": data["allows_dont_know"] and kind not in (QuestionKind.TEXT, QuestionKind.MULTIPLE),
            "scale_min": None, "scale_max": None, "point_labels": {}, "options": [],
            "number_min": None, "number_max": None,
        }
        if "code" in self.fields:
            result["code"] = data["code"]
        if kind == QuestionKind.RATING:
            high = data["scale_max"]
            result.update(scale_min=1, scale_max=high, point_labels={
                "1": {"it": str(_("Per niente soddisfatto"))},
                **{str(p): {"it": str(p)} for p in range(2, high)},
                str(high): {"it": str(_("Pienamente soddisfatto"))},
            })
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            lines = [line.strip() for line in data["options"].splitlines() if line.strip()]
            codes: list[str] = []
            for number, line in enumerate(lines, 1):
                code = slugify(line)[:50] or f"risposta-{number}"
                codes.append(code if code not in codes else f"{code}-{number}")
            result["options"] = [{"code": c, "label": {"it": line}} for c, line in zip(codes, lines, strict=True)]
        elif kind == QuestionKind.NUMBER:
            result.update(number_min=data.get("number_min"), number_max=data.get("number_max"))
        return result

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "text": localized(question.text, "it"), "kind": question.kind,
            "scale_max": question.scale_max or 5,
            "options": "\n".join(localized(option["label"], "it") for option in question.options or ()),
            "number_min": question.number_min, "number_max": question.number_max,
            "help_text": localized(question.help_text, "it"), "required": question.required,
            "allows_dont_know": question.allows_dont_know,
        }
