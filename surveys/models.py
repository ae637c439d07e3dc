"""Customer-satisfaction surveys. For now the survey a comune runs; the shared
questionnaires and answers come with their own issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel


class Survey(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparazione")
        OPEN = "open", _("In corso")
        CLOSED = "closed", _("Chiusa")
        PUBLISHED = "published", _("Pubblicata")

    title = models.CharField(_("titolo"), max_length=200)
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    tenancy_read_policies = {
        "club": "status IN ('closed', 'published')",
        "public": "status = 'published'",
    }

    class Meta(TenantModel.Meta):
        ordering = ["-year", "title"]
        verbose_name = _("indagine")
        verbose_name_plural = _("indagini")

    def __str__(self) -> str:
        return self.title
