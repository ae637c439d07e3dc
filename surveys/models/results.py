"""A survey's results as stored figures: what other comuni (closed and published
surveys) and citizens (published surveys) read, never the answers themselves.
Computed by the database from the answers (`surveys.results`) when a survey
closes or its answers change; the comune itself may also read them live."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.fieldwork import Survey
from surveys.models.questionnaires import Question


def _survey_in(statuses: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM surveys_survey s "
        "WHERE s.municipality_id = surveys_itemresult.municipality_id "
        f"AND s.id = surveys_itemresult.survey_id AND s.status IN ({statuses}))"
    )


class ItemResult(TenantModel):
    """The figures of one core question (or of the survey's satisfaction index,
    `question` empty and `measure` = "index") over all respondents or one group
    of a profile breakdown, unweighted or weighted to the comune's population."""

    class Measure(models.TextChoices):
        ITEM = "item", _("Domanda")
        INDEX = "index", _("Indice di soddisfazione")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="item_results")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure = models.CharField(
        _("misura"), max_length=8, choices=Measure.choices, default=Measure.ITEM
    )
    # "" for all respondents; "<profile code>:<option code>" for a group
    # (groups under the minimum size are not stored).
    breakdown = models.CharField(_("gruppo"), max_length=80, blank=True)
    weighted = models.BooleanField(_("ponderato"), default=False)
    answers = models.PositiveIntegerField(_("risposte"))
    dont_know = models.PositiveIntegerField(_("non so"), default=0)
    mean = models.DecimalField(_("media"), max_digits=8, decimal_places=4, null=True)
    median = models.DecimalField(_("mediana"), max_digits=8, decimal_places=4, null=True)
    std_dev = models.DecimalField(
        _("deviazione standard"), max_digits=8, decimal_places=4, null=True
    )
    ci_low = models.DecimalField(
        _("intervallo di confidenza, da"), max_digits=8, decimal_places=4, null=True
    )
    ci_high = models.DecimalField(
        _("intervallo di confidenza, a"), max_digits=8, decimal_places=4, null=True
    )
    top_two_share = models.DecimalField(
        _("quota di soddisfatti"), max_digits=7, decimal_places=4, null=True
    )
    net_promoter = models.DecimalField(
        _("net promoter score"), max_digits=7, decimal_places=2, null=True
    )
    # The survey's responses when the figures were computed (the same on every
    # row of one computation): the sample behind the margin of error.
    responses = models.PositiveIntegerField(_("questionari compilati"), null=True, blank=True)
    # {"1": 12, "2": 30, ...} answers per scale point or option.
    distribution = models.JSONField(_("distribuzione"), default=dict)
    computed_at = models.DateTimeField(_("calcolato il"), auto_now=True)

    tenancy_read_policies = {
        "club": _survey_in("'closed', 'published'"),
        "public": _survey_in("'published'"),
    }

    class Meta(TenantModel.Meta):
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "survey", "question", "measure", "breakdown", "weighted"],
                name="surveys_itemresult_once",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            # The comparison across comuni (surveys.comparisons.selectors) reads one
            # all-respondents, unweighted row per survey and measure: an index-only
            # probe here rather than a visit to the row among its groups' and weighted ones.
            models.Index(
                fields=["municipality", "survey", "measure", "question"],
                include=["answers", "dont_know", "responses", "mean", "ci_low", "ci_high", "std_dev"],
                condition=models.Q(breakdown="", weighted=False),
                name="surveys_itemresult_overall",
            ),
        ]
        verbose_name = _("risultato di una domanda")
        verbose_name_plural = _("risultati delle domande")
