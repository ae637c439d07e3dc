"""A comune's survey: a questionnaire version run for one service and period,
in one or more modes, with its status history and the comune's local questions."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.questionnaires import QuestionContent, QuestionnaireVersion


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Questionario cartaceo")
    COUNTER = "counter", _("Intervista allo sportello")
    KIOSK = "kiosk", _("Postazione con emoticon")
    IMPORT = "import", _("Importato da file")


class Survey(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparazione")
        OPEN = "open", _("In corso")
        CLOSED = "closed", _("Chiusa")
        PUBLISHED = "published", _("Pubblicata")

    title = models.CharField(_("titolo"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionario"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    # Modes the survey collects answers in (Mode values, IMPORT excluded: a file
    # import is always possible while the survey is open).
    modes = ArrayField(
        models.CharField(max_length=10, choices=Mode.choices),
        verbose_name=_("modalità di raccolta"),
        default=list,
        blank=True,
    )
    # Languages the online form is offered in (SurveyLanguage codes; Italian always).
    languages = ArrayField(
        models.CharField(max_length=12), verbose_name=_("lingue"), default=list, blank=True
    )
    starts_on = models.DateField(_("inizio della raccolta"), null=True, blank=True)
    ends_on = models.DateField(_("fine della raccolta"), null=True, blank=True)
    population_served = models.PositiveIntegerField(_("popolazione servita"), null=True, blank=True)
    target_sample = models.PositiveIntegerField(_("campione previsto"), null=True, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic concurrency for edits of the survey's settings (forms and API).
    revision = models.PositiveIntegerField(_("revisione"), default=1)

    # Other comuni (members area) compare closed and published surveys' results,
    # never single answers (answers declare no cross-comune scope). Citizens see
    # a survey while it collects answers (to answer it) and once published; its
    # results only once published (the result tables' own policies).
    tenancy_read_policies = {
        "club": "status IN ('closed', 'published')",
        "public": "status IN ('open', 'closed', 'published')",
    }

    class Meta(TenantModel.Meta):
        ordering = ["-year", "title"]
        indexes = [
            # The comparison across comuni finds the surveys of one version and year
            # (surveys.comparisons.selectors), whatever the years stored.
            models.Index(fields=["version", "year"], name="surveys_survey_version_year"),
        ]
        verbose_name = _("indagine")
        verbose_name_plural = _("indagini")

    def __str__(self) -> str:
        return self.title

    @property
    def accepts_answers(self) -> bool:
        return self.status == self.Status.OPEN


class SurveyEvent(TenantModel):
    """A status change of a survey: who, when, from what to what, and why."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("quando"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(
        _("da"), max_length=10, choices=Survey.Status.choices, blank=True
    )
    to_status = models.CharField(_("a"), max_length=10, choices=Survey.Status.choices)
    note = models.TextField(_("motivo"), blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["survey", "at"]
        verbose_name = _("evento dell'indagine")
        verbose_name_plural = _("eventi delle indagini")


class LocalQuestion(QuestionContent, TenantModel):
    """A question a comune adds after the club's core questionnaire, for its own
    survey only. Never compared across comuni."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="local_questions")

    # Respondents read the local questions of a survey they may answer.
    tenancy_read_policies = {
        "public": "EXISTS (SELECT 1 FROM surveys_survey s "
        "WHERE s.municipality_id = surveys_localquestion.municipality_id "
        "AND s.id = surveys_localquestion.survey_id)"
    }

    class Meta(TenantModel.Meta):
        ordering = ["survey", "position"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "survey", "code"], name="surveys_localquestion_code"
            ),
        ]
        verbose_name = _("domanda locale")
        verbose_name_plural = _("domande locali")
