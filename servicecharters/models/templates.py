"""The club's model charters: one per service type, that a comune starts
from. Club-wide rows (no comune): every member reads them; the coordinators
of the service's thematic area maintain them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicecharters.models.terms import CharterText, StandardTerms


class CharterTemplate(CharterText):
    service = models.ForeignKey(
        "qclub.Service", verbose_name=_("servizio"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("note per i comuni"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("in uso"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # optimistic lock of the edit form

    class Meta:
        ordering = ["service__name", "title"]
        verbose_name = _("modello di carta dei servizi")
        verbose_name_plural = _("modelli di carta dei servizi")

    def __str__(self) -> str:
        return self.title


class TemplateStandard(StandardTerms):
    template = models.ForeignKey(CharterTemplate, on_delete=models.CASCADE, related_name="standards")

    class Meta(StandardTerms.Meta):
        verbose_name = _("standard del modello")
        verbose_name_plural = _("standard del modello")

    def __str__(self) -> str:
        return self.title
