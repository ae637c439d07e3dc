"""Service charters (carte dei servizi): for now the charter and its standards."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.models import QualityDimension
from qclub.tenancy import TenantModel


class ServiceCharter(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        APPROVED = "approved", _("Approvata")
        PUBLISHED = "published", _("Pubblicata")

    title = models.CharField(_("titolo"), max_length=200)
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    valid_from = models.DateField(_("valida dal"), null=True, blank=True)

    tenancy_read_policies = {
        "club": "status IN ('approved', 'published')",
        "public": "status = 'published'",
    }

    class Meta(TenantModel.Meta):
        ordering = ["title"]
        verbose_name = _("carta dei servizi")
        verbose_name_plural = _("carte dei servizi")

    def __str__(self) -> str:
        return self.title


class CharterStandard(TenantModel):
    """A measurable quality standard the charter promises."""

    charter = models.ForeignKey(ServiceCharter, on_delete=models.CASCADE, related_name="standards")
    dimension = models.CharField(_("dimensione"), max_length=16, choices=QualityDimension.choices)
    description = models.CharField(_("standard"), max_length=300)
    target = models.CharField(_("valore garantito"), max_length=60)

    # Visible to a scope exactly when its charter is (the subquery runs under
    # the charter table's own policies).
    tenancy_read_policies = {
        scope: "EXISTS (SELECT 1 FROM servicecharters_servicecharter c "
        "WHERE c.municipality_id = servicecharters_charterstandard.municipality_id "
        "AND c.id = servicecharters_charterstandard.charter_id)"
        for scope in ("club", "public")
    }

    class Meta(TenantModel.Meta):
        verbose_name = _("standard di qualità")
        verbose_name_plural = _("standard di qualità")
