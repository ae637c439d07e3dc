"""The club's questionnaires: club-wide templates in versions, their sections and
questions (the core items every comune asks, so that answers compare).

Every text a respondent reads is kept per language as data — a JSON object
`{"it": "...", "en": "...", "ro": "..."}` — so a language for foreign residents is
added by adding a `SurveyLanguage` row and the texts, without code changes.
Italian is always present; `localized()` falls back to it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.models import QualityDimension

DEFAULT_LANGUAGE = "it"


def localized(texts: dict | None, language: str | None) -> str:
    """The text in `language`, else Italian, else any; "" when there is none."""
    if not texts:
        return ""
    for code in (language, (language or "").split("-")[0], DEFAULT_LANGUAGE):
        if code and texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")


def validate_texts(value) -> None:
    """A texts object: language code → non-empty string, Italian required."""
    if not isinstance(value, dict) or not all(
        isinstance(code, str) and isinstance(text, str) for code, text in value.items()
    ):
        raise ValidationError(_("I testi devono essere indicati per lingua."))
    if not (value.get(DEFAULT_LANGUAGE) or "").strip():
        raise ValidationError(_("Manca il testo in italiano."))


class SurveyLanguage(models.Model):
    """A language questionnaires can be offered in (club-wide, added as data)."""

    code = models.CharField(_("codice"), max_length=12, unique=True)  # BCP 47: it, en, ro, zh-Hans
    name = models.CharField(_("nome nella lingua stessa"), max_length=60)  # "Română"
    right_to_left = models.BooleanField(_("da destra a sinistra"), default=False)
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("lingua dei questionari")
        verbose_name_plural = _("lingue dei questionari")

    def __str__(self) -> str:
        return self.name


class Questionnaire(models.Model):
    """A club questionnaire (e.g. the shared registry-office questionnaire).

    `locked`: the club's core questionnaire; only club coordinators change it (in
    a new version), and comuni add local questions after it, never edit it."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Questionario")
        # "Mettiamoci la faccia": three faces and, on the negative one, the reason.
        FACES = "faces", _("Emoticon allo sportello")

    code = models.SlugField(_("codice"), max_length=60, unique=True)
    title = models.JSONField(_("titolo"), validators=[validate_texts])
    description = models.JSONField(_("descrizione"), default=dict, blank=True)
    service = models.ForeignKey(
        "qclub.Service",
        verbose_name=_("servizio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.STANDARD)
    locked = models.BooleanField(_("questionario comune del club"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionario")
        verbose_name_plural = _("questionari")

    def __str__(self) -> str:
        return localized(self.title, DEFAULT_LANGUAGE)


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. A version with answers is frozen:
    changing it makes a new version (surveys keep the version they ran on)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparazione")
        ACTIVE = "active", _("In uso")
        RETIRED = "retired", _("Sostituita")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("versione"))
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("note sulla versione"), blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="surveys_questionnaire_version_number"
            )
        ]
        verbose_name = _("versione del questionario")
        verbose_name_plural = _("versioni dei questionari")

    def __str__(self) -> str:
        return f"{self.questionnaire} — v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("ordine"))
    title = models.JSONField(_("titolo"), validators=[validate_texts])

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="surveys_section_position")
        ]
        verbose_name = _("sezione")
        verbose_name_plural = _("sezioni")

    def __str__(self) -> str:
        return localized(self.title, DEFAULT_LANGUAGE)


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Soddisfazione su scala")
    IMPORTANCE = "importance", _("Importanza su scala")
    SINGLE = "single", _("Scelta singola")
    MULTIPLE = "multiple", _("Scelta multipla")
    NUMBER = "number", _("Numero")
    TEXT = "text", _("Testo libero")
    PROFILE = "profile", _("Domanda sul profilo")


SCALE_KINDS = (QuestionKind.RATING, QuestionKind.IMPORTANCE)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.PROFILE)


class QuestionContent(models.Model):
    """What a question asks and how it is answered: shared by the club's core
    questions and a comune's local ones, so one rule validates every answer
    (`surveys.fieldwork.answering`)."""

    class Role(models.TextChoices):
        NONE = "", _("—")
        OVERALL = "overall", _("Soddisfazione complessiva")
        RECOMMEND = "recommend", _("Raccomanderebbe il servizio")

    class Profile(models.TextChoices):
        NONE = "", _("—")
        AGE_BAND = "age_band", _("Fascia d'età")
        GENDER = "gender", _("Genere")
        CITIZENSHIP = "citizenship", _("Cittadinanza")
        EDUCATION = "education", _("Titolo di studio")
        FREQUENCY = "frequency", _("Frequenza di utilizzo del servizio")
        OTHER = "other", _("Altro")

    position = models.PositiveSmallIntegerField(_("ordine"))
    code = models.SlugField(_("codice"), max_length=60)
    kind = models.CharField(_("tipo"), max_length=12, choices=QuestionKind.choices)
    text = models.JSONField(_("domanda"), validators=[validate_texts])
    help_text = models.JSONField(_("spiegazione"), default=dict, blank=True)
    required = models.BooleanField(_("obbligatoria"), default=False)
    # Scales: points scale_min..scale_max (1–5, 1–7, 1–10; 0–10 for a
    # recommendation), each point's label per language: {"1": {"it": ...}}.
    scale_min = models.SmallIntegerField(_("minimo della scala"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("massimo della scala"), null=True, blank=True)
    point_labels = models.JSONField(_("etichette dei punti"), default=dict, blank=True)
    # "Don't know / not applicable" is kept apart from the scale, never a point on it.
    allows_dont_know = models.BooleanField(_("ammette «non so / non applicabile»"), default=True)
    # Choices: [{"code": "18-34", "label": {"it": "18–34 anni"}}, ...]
    options = models.JSONField(_("opzioni"), default=list, blank=True)
    # Numbers: bounds of an acceptable answer.
    number_min = models.DecimalField(
        _("valore minimo"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("valore massimo"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices, default="", blank=True)
    profile = models.CharField(
        _("profilo"), max_length=12, choices=Profile.choices, default="", blank=True
    )
    service = models.ForeignKey(
        "qclub.Service",
        verbose_name=_("servizio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dimension = models.CharField(
        _("dimensione della qualità"),
        max_length=16,
        choices=QualityDimension.choices,
        blank=True,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return localized(self.text, DEFAULT_LANGUAGE)

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALE_KINDS

    @property
    def option_codes(self) -> list[str]:
        return [option["code"] for option in self.options or ()]

    def clean(self) -> None:
        scale_needed = self.is_scale or self.role
        if scale_needed and (
            self.scale_min is None or self.scale_max is None or self.scale_min >= self.scale_max
        ):
            raise ValidationError(_("Una scala ha un minimo e un massimo, il minimo più basso."))
        if self.kind in CHOICE_KINDS:
            codes = self.option_codes
            if not codes or len(codes) != len(set(codes)):
                raise ValidationError(_("Le opzioni devono esserci e avere codici diversi."))


class Question(QuestionContent):
    """A core question of a questionnaire version. Cross-comune comparisons use
    these only. An importance question names the satisfaction item it weighs
    (`importance_of`), for the satisfaction index and the importance–satisfaction
    matrix."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    importance_of = models.ForeignKey(
        "self",
        verbose_name=_("importanza di"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="importance_questions",
    )

    class Meta:
        ordering = ["version", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="surveys_question_code"),
        ]
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
