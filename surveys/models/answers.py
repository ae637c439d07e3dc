"""Answers: one `Response` per questionnaire filled in, one `Answer` per question.

Anonymous by construction: no IP address, user agent, account or invitation is
stored with a response, and its time is kept to the day. Raw answers never leave
the comune: these tables declare no cross-comune scope, so the members area and
citizens read only the aggregated results."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.fieldwork import LocalQuestion, Mode, Survey
from surveys.models.questionnaires import Question

# Characters in a free-text answer: longer is refused, never cut.
MAX_TEXT_LENGTH = 4000


def questions_of(survey: Survey) -> tuple[list[Question], list[LocalQuestion]]:
    """The survey's questions in order: the club's core ones, then the comune's."""
    core = list(
        Question.objects.filter(version_id=survey.version_id).order_by(
            "section__position", "position"
        )
    )
    local = list(LocalQuestion.objects.filter(survey=survey).order_by("position"))
    return core, local


class Response(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    mode = models.CharField(_("modalità"), max_length=10, choices=Mode.choices)
    received_on = models.DateField(_("ricevuto il"))
    # The number written on a paper questionnaire (or an interview's form), so
    # that none is keyed twice.
    number = models.PositiveIntegerField(_("numero del questionario"), null=True, blank=True)
    language = models.CharField(_("lingua"), max_length=12, default="it")

    class Meta(TenantModel.Meta):
        ordering = ["survey", "id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "survey", "number"],
                condition=Q(number__isnull=False),
                name="surveys_response_number",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "survey", "received_on"])]
        verbose_name = _("questionario compilato")
        verbose_name_plural = _("questionari compilati")


class Answer(TenantModel):
    """The answer to one question: a scale point or number (`number`), a choice
    (`choice`), several choices (`choices`), a text (`text`), or "don't know /
    not applicable" (`dont_know`, never a point on the scale). A question left
    blank has no Answer row."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Da moderare")
        APPROVED = "approved", _("Approvato")
        HIDDEN = "hidden", _("Nascosto")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # Denormalised from the response so results aggregate one table by survey.
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_question = models.ForeignKey(
        LocalQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.DecimalField(
        _("valore"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    choice = models.CharField(_("scelta"), max_length=60, blank=True)
    choices = ArrayField(
        models.CharField(max_length=60), verbose_name=_("scelte"), default=list, blank=True
    )
    text = models.TextField(_("testo"), blank=True)
    dont_know = models.BooleanField(_("non so / non applicabile"), default=False)
    # Free text is moderated before anyone beyond the comune's staff reads it:
    # `shown_text` is the text with personal data and offensive words removed.
    moderation = models.CharField(
        _("moderazione"), max_length=10, choices=Moderation.choices, blank=True
    )
    shown_text = models.TextField(_("testo pubblicabile"), blank=True)

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(question__isnull=True, local_question__isnull=False)
                | Q(question__isnull=False, local_question__isnull=True),
                name="surveys_answer_one_question",
            ),
            models.UniqueConstraint(
                fields=["municipality", "response", "question"],
                condition=Q(question__isnull=False),
                name="surveys_answer_question_once",
            ),
            models.UniqueConstraint(
                fields=["municipality", "response", "local_question"],
                condition=Q(local_question__isnull=False),
                name="surveys_answer_local_question_once",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "survey", "question"]),
            # Results of the local questions, and the moderation queue (sv-results).
            models.Index(
                fields=["municipality", "survey", "local_question"],
                condition=Q(local_question__isnull=False),
                name="surveys_answer_local",
            ),
            models.Index(
                fields=["municipality", "survey", "moderation", "id"],
                condition=~Q(moderation=""),
                name="surveys_answer_moderation",
            ),
        ]
        verbose_name = _("risposta")
        verbose_name_plural = _("risposte")
