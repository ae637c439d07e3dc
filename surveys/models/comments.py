"""Free-text comments cleared for readers beyond the comune's staff.

A comment is copied here only when the comune's staff approve it, and only its
moderated text (`Answer.shown_text`: personal data masked, offensive words
removed) — never the raw answer. This table, not `Answer`, carries the
cross-comune policies: row-level security works on rows, not columns, so a
public policy on `Answer` would have let citizens read the raw `text` column of
the same rows. Hiding an approved comment deletes its copy."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.answers import Answer
from surveys.models.fieldwork import LocalQuestion, Survey
from surveys.models.questionnaires import Question


def _survey_in(statuses: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM surveys_survey s "
        "WHERE s.municipality_id = surveys_publishedcomment.municipality_id "
        f"AND s.id = surveys_publishedcomment.survey_id AND s.status IN ({statuses}))"
    )


class PublishedComment(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_question = models.ForeignKey(
        LocalQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("testo pubblicabile"))
    approved_at = models.DateTimeField(_("approvato il"), auto_now=True)

    # Other comuni read the approved comments of closed and published surveys,
    # citizens those of published surveys (as for ItemResult).
    tenancy_read_policies = {
        "club": _survey_in("'closed', 'published'"),
        "public": _survey_in("'published'"),
    }

    class Meta(TenantModel.Meta):
        ordering = ["survey", "id"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "answer"], name="surveys_publishedcomment_once"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "survey"])]
        verbose_name = _("commento pubblicabile")
        verbose_name_plural = _("commenti pubblicabili")
